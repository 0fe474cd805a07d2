package org.ankisync.e2e.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: decks and tags {@code ılık} and {@code ilik} are two names, not one.
 * The official core compares names with unicase 2.6.0, in which the Turkish
 * dotless {@code ı} has no case folding, so every device (one that syncs
 * normally and one that downloads the whole collection) must end with both
 * decks and both tags, unrenamed, through either server.
 */
class DotlessINamesTest {
    private static final String CREATE_DECKS_AND_TAGGED_NOTES = """
            basic = col.models.by_name('Basic')
            for text, deck, tags in [('one', 'ılık', ['ılık']), ('two', 'ilik', ['ilik']),
                                     ('three', 'ilik', ['ılık', 'ilik'])]:
                note = col.new_note(basic)
                note['Front'] = text
                note.tags = tags
                col.add_note(note, col.decks.id(deck))
            result = None
            """;
    private static final String NAMES = """
            result = {
                'decks': sorted(d.name for d in col.decks.all_names_and_ids()),
                'tags': sorted(col.tags.all()),
                'tags_on_notes': sorted({t for (s,) in col.db.all('select tags from notes') for t in s.split()}),
            }
            """;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} server")
    @ValueSource(strings = {"official", "ours"})
    void bothDecksAndBothTagsReachEveryDevice(String which) {
        try (SyncServerUnderTest server = start(which)) {
            List<PythonDevice> devices = new ArrayList<>();
            try {
                PythonDevice a = loggedIn(server, "a", devices);
                PythonDevice b = loggedIn(server, "b", devices);
                // Both devices start from the same collection, so later syncs are normal ones.
                a.fullSync(true);
                sync(b, "download");

                a.run(CREATE_DECKS_AND_TAGGED_NOTES);
                sync(a, null);
                sync(b, null);
                PythonDevice fresh = loggedIn(server, "fresh", devices);
                assertEquals(
                        "full_download",
                        sync(fresh, "download").get("performed").asText(),
                        "a new device downloads the whole collection");

                for (PythonDevice device : devices) {
                    JsonNode names = device.run(NAMES);
                    String where = which + " server, device " + device.folder().getFileName();
                    assertEquals(List.of("Default", "ilik", "ılık"), strings(names.get("decks")), where);
                    assertEquals(List.of("ilik", "ılık"), strings(names.get("tags")), where);
                    assertEquals(List.of("ilik", "ılık"), strings(names.get("tags_on_notes")), where);
                }
            } finally {
                devices.forEach(PythonDevice::close);
            }
        }
    }

    private SyncServerUnderTest start(String which) {
        Path data = temp.resolve(which + "-server");
        return which.equals("official") ? OfficialServer.start(data) : OurServer.start(data);
    }

    private PythonDevice loggedIn(SyncServerUnderTest server, String name, List<PythonDevice> devices) {
        PythonDevice device = PythonDevice.open(temp.resolve(name));
        devices.add(device);
        device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        return device;
    }

    /** One sync; a required full sync goes in {@code direction} (null: none may be required). */
    private static JsonNode sync(PythonDevice device, String direction) {
        JsonNode reply = device.syncWithFull(direction, false);
        if (direction == null) {
            assertEquals("none_or_normal", reply.get("performed").asText(), () -> "expected a normal sync: " + reply);
        }
        return reply;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
