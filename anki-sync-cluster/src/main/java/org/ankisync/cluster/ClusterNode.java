package org.ankisync.cluster;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.ankisync.core.cluster.PlacementGate;
import org.ankisync.postgres.ConnectionPool;
import org.ankisync.postgres.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one node of several: registered in the directory with a
 * heartbeat every {@link #HEARTBEAT_SECONDS} s, the placement every request
 * goes through, and the {@code /cluster/} endpoints. Closing stops the
 * heartbeat (the node then takes no new users after {@link NodeDirectory#ALIVE}).
 */
public final class ClusterNode implements AutoCloseable {
    static final int HEARTBEAT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final DataSource database;
    private final PlacementGate gate;
    private final ClusterEndpoints endpoints;
    private final ScheduledExecutorService heartbeat;

    private ClusterNode(
            DataSource database, PlacementGate gate, ClusterEndpoints endpoints, ScheduledExecutorService heartbeat) {
        this.database = database;
        this.gate = gate;
        this.endpoints = endpoints;
        this.heartbeat = heartbeat;
    }

    /** Opens the directory (migrating it), registers this node and starts its heartbeat. */
    public static ClusterNode start(ClusterSettings settings, Path collections) {
        DataSource database = openDirectory(settings, "cluster");
        NodeDirectory directory = new NodeDirectory(database);
        directory.register(settings.nodeName(), settings.publicEndpoint(), settings.internalEndpoint());
        PlacementGate gate = new PlacementGate(new DirectoryPlacement(directory, settings.nodeName(), collections));
        ClusterEndpoints endpoints =
                new ClusterEndpoints(settings.nodeName(), settings.secret(), directory, gate, collections);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(
                () -> {
                    try {
                        directory.heartbeat(settings.nodeName());
                    } catch (RuntimeException e) {
                        LOG.warn("heartbeat: {}", e.getMessage());
                    }
                },
                HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS,
                TimeUnit.SECONDS);
        LOG.info(
                "node {} registered in the directory, clients sent to {}",
                settings.nodeName(),
                settings.publicEndpoint());
        return new ClusterNode(database, gate, endpoints, heartbeat);
    }

    /** The directory's pool, its schema brought up to date (Flyway, schema {@code cluster}). */
    static DataSource openDirectory(ClusterSettings settings, String purpose) {
        DataSource pool = ConnectionPool.open(settings.database(), purpose);
        try {
            Migrations.apply(pool, "cluster");
        } catch (RuntimeException e) {
            ConnectionPool.close(pool);
            throw e;
        }
        return pool;
    }

    public PlacementGate gate() {
        return gate;
    }

    public ClusterEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        ConnectionPool.close(database);
    }
}
