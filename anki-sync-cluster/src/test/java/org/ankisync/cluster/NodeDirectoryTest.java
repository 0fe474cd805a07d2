package org.ankisync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.ankisync.core.cluster.Placement;
import org.ankisync.postgres.ConnectionPool;
import org.ankisync.postgres.DatabaseSettings;
import org.ankisync.postgres.Migrations;
import org.ankisync.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory against a real PostgreSQL: placement rule, node states, the move states. */
class NodeDirectoryTest {
    private static PostgresServer postgres;
    private PostgresServer.Database database;
    private DataSource pool;
    private NodeDirectory directory;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void threeNodes() {
        database = postgres.createDatabase();
        pool = ConnectionPool.open(DatabaseSettings.fromSettings(database.settings()), "test");
        Migrations.apply(pool, "cluster");
        directory = new NodeDirectory(pool);
        for (int n = 1; n <= 3; n++) {
            directory.register("node" + n, "http://node" + n + ".example/", "http://node" + n + ".internal/");
        }
    }

    @AfterEach
    void closePool() {
        ConnectionPool.close(pool);
    }

    @Test
    void newUsersGoToTheLeastLoadedNode() {
        assertEquals("node1", directory.place("a", Optional.empty()).node());
        assertEquals("node2", directory.place("b", Optional.empty()).node());
        assertEquals("node3", directory.place("c", Optional.empty()).node());
        assertEquals("node1", directory.place("d", Optional.empty()).node());
        // Placed once: asking again changes nothing.
        assertEquals("node2", directory.place("b", Optional.of("node3")).node());
    }

    @Test
    void aNodeHoldingTheUsersFilesKeepsTheUser() {
        assertEquals("node3", directory.place("old-user", Optional.of("node3")).node());
    }

    @Test
    void drainingAndSilentNodesTakeNoNewUsers() throws Exception {
        directory.setState("node1", "draining");
        try (Connection c = database.connect();
                Statement st = c.createStatement()) {
            st.execute("UPDATE cluster.nodes SET heartbeat = now() - interval '5 minutes' WHERE name = 'node2'");
        }
        for (String user : new String[] {"a", "b", "c"}) {
            assertEquals("node3", directory.place(user, Optional.empty()).node());
        }
        assertEquals(Optional.of("node3"), directory.leastLoadedExcept("node1"));
        assertEquals(Optional.empty(), directory.leastLoadedExcept("node3"));
    }

    @Test
    void aMoveLocksTheUserUntilItFinishesOrIsCancelled() {
        directory.place("a", Optional.empty());
        DirectoryPlacement onNode1 = new DirectoryPlacement(directory, "node1", java.nio.file.Path.of("unused"));
        assertEquals(Placement.HERE, onNode1.locate("a"));

        assertTrue(directory.startMove("a", "node2"));
        assertFalse(directory.startMove("a", "node3"), "one move at a time");
        assertEquals(Placement.MOVING, onNode1.locate("a"));
        directory.cancelMove("a");
        assertEquals(Placement.HERE, onNode1.locate("a"));

        assertTrue(directory.startMove("a", "node2"));
        directory.finishMove("a", "node2");
        assertEquals(new Placement.Elsewhere("http://node2.example/"), onNode1.locate("a"));
        assertEquals("node2", directory.assignment("a").orElseThrow().node());
        assertThrows(NodeDirectory.DirectoryException.class, () -> directory.finishMove("a", "node3"));
    }
}
