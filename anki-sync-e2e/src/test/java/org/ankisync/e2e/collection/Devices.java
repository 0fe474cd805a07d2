package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;

/** Steps the collection scenarios share: logged-in devices, settling, comparing. */
final class Devices {
    private Devices() {}

    /** A new device in {@code folder}, logged in as alice. */
    static PythonDevice loggedIn(SyncServerUnderTest server, Path folder) {
        PythonDevice device = PythonDevice.open(folder);
        device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        return device;
    }

    /** One sync; a required full sync goes in {@code onConflict} direction ("upload"/"download"). */
    static JsonNode sync(PythonDevice device, String onConflict) {
        return device.syncWithFull(onConflict, false);
    }

    /** A normal sync that must not turn into a full sync. */
    static void normalSync(PythonDevice device) {
        JsonNode out = sync(device, null);
        assertEquals("none_or_normal", out.get("performed").asText(), () -> "expected a normal sync, got " + out);
        assertEquals("no_changes", out.get("required").asText(), () -> "expected a normal sync, got " + out);
    }

    /** Two rounds of syncs in a fixed order: the first pushes everything, the second pulls it. */
    static void settle(PythonDevice... devices) {
        for (int round = 0; round < 2; round++) {
            for (PythonDevice device : devices) {
                normalSync(device);
            }
        }
    }

    /** Device content without per-device fields (usn, sync times), for equality checks. */
    static JsonNode content(PythonDevice device) {
        ObjectNode dump = (ObjectNode) device.dump();
        ObjectNode config = (ObjectNode) dump.get("config");
        // Written per device by the client itself, not synced content (reference-client.md 2.11).
        for (String key : List.of(
                "lastUnburied", "curDeck", "activeDecks", "curModel", "localOffset", "rollover", "creationOffset")) {
            config.remove(key);
        }
        return dump;
    }

    /** Asserts that all devices hold the same content, naming the parts that differ. */
    static void assertSameContent(PythonDevice first, PythonDevice... others) {
        JsonNode expected = content(first);
        for (PythonDevice other : others) {
            JsonNode actual = content(other);
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, JsonNode> part : expected.properties()) {
                if (!part.getValue().equals(actual.get(part.getKey()))) {
                    differing.add(part.getKey() + ":\n  " + first.folder().getFileName() + " = "
                            + abbreviate(part.getValue()) + "\n  "
                            + other.folder().getFileName() + " = "
                            + abbreviate(actual.get(part.getKey())));
                }
            }
            assertEquals(List.of(), differing, "devices differ");
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 1500 ? text.substring(0, 1500) + "..." : text;
    }
}
