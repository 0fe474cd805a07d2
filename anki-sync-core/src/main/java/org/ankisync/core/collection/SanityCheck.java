package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.ankisync.core.storage.schema18.CollectionCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sanityCheck2}: compares the client's object counts with the server's
 * after the merge; a mismatch ends the session (rolled back).
 */
final class SanityCheck implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(SanityCheck.class);
    private static final int GRAVES_INDEX = 4;

    private final SyncObserver observer;

    SanityCheck(SyncObserver observer) {
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        Result result = check(call.session().db, JsonArgs.required(call.body(), "client"));
        if (!result.ok()) {
            LOG.info("sanity check failed for {}: {}", call.user.username(), result.reply());
            call.user.abortSession();
            observer.syncCompleted(SyncOutcome.FAILED);
        }
        return call.json(result.reply());
    }

    /** The reply; {@code ok()} tells whether the counts matched. */
    static Result check(Connection db, JsonNode clientCounts) throws SQLException {
        if (clientCounts == null || !clientCounts.isArray() || clientCounts.size() != 8) {
            throw JsonArgs.invalid("client counts must be an array of 8");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode reply = nodes.objectNode();
        CollectionCounts.Sanity sanity = CollectionCounts.sanity(db);
        if (sanity.anyPendingUsn()) {
            reply.put("status", "bad");
            reply.set("c", clientCounts);
            reply.putNull("s");
            return new Result(false, reply);
        }
        ArrayNode server = nodes.arrayNode();
        server.addArray().add(0).add(0).add(0);
        for (long count : sanity.counts()) {
            server.add(count);
        }
        ArrayNode client = clientCounts.deepCopy();
        client.set(0, nodes.arrayNode().add(0).add(0).add(0));
        client.set(GRAVES_INDEX, nodes.numberNode(0));
        server.set(GRAVES_INDEX, nodes.numberNode(0));
        boolean ok = countsEqual(client, server);
        reply.put("status", ok ? "ok" : "bad");
        reply.set("c", client);
        reply.set("s", server);
        return new Result(ok, reply);
    }

    private static boolean countsEqual(ArrayNode client, ArrayNode server) {
        for (int i = 1; i < 8; i++) {
            JsonNode c = client.get(i);
            if (c == null || !c.isNumber() || c.asLong() != server.get(i).asLong()) {
                return false;
            }
        }
        return true;
    }

    record Result(boolean ok, ObjectNode reply) {}
}
