package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.e2e.servlet.SyncChecks;

/**
 * What a user does through a TLS proxy with the official client: log in, a
 * full upload of a 150 MB collection, a full download on a second device, a
 * normal sync each way, media up and down; both devices then hold the same.
 */
final class TlsSyncScenario {
    /** Notes, cards, review log and media of a device, as digests (the collection is too big to compare whole). */
    private static final String DIGEST = ""
            + "import hashlib, os\n"
            + "h = hashlib.sha256()\n"
            + "for row in col.db.all('select id, guid, mid, mod, tags, flds from notes order by id'):\n"
            + "    h.update(repr(row).encode())\n"
            + "for row in col.db.all('select id, nid, did, ord, type, queue, due, ivl, reps from cards order by id'):\n"
            + "    h.update(repr(row).encode())\n"
            + "for row in col.db.all('select id, cid, ease, ivl, type from revlog order by id'):\n"
            + "    h.update(repr(row).encode())\n"
            + "media = {}\n"
            + "for name in sorted(os.listdir(col.media.dir())):\n"
            + "    with open(os.path.join(col.media.dir(), name), 'rb') as f:\n"
            + "        media[name] = hashlib.sha1(f.read()).hexdigest()\n"
            + "result = {'notes': col.note_count(), 'revlog': col.db.scalar('select count() from revlog'),\n"
            + "          'content': h.hexdigest(), 'media': media}\n";

    private TlsSyncScenario() {}

    /** A device trusting the test CA, as a client on a machine with that CA installed would. */
    static PythonDevice device(Path folder, TestCa ca) {
        return PythonDevice.open(
                folder, Map.of("SSL_CERT_FILE", ca.caCertificate().toString()));
    }

    static void run(String endpoint, TestCa ca, Path temp) {
        Path folderA = LargeCollection.copyTo(temp.resolve("a"));
        assertTrue(LargeCollection.fileSize(folderA) > LargeCollection.BYTES, "the collection is over 150 MB");
        try (PythonDevice a = device(folderA, ca);
                PythonDevice b = device(temp.resolve("b"), ca)) {
            a.login(endpoint, TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals("full_upload", performed(a.syncWithFull(null, false)));

            b.login(endpoint, TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals("full_download", performed(b.syncWithFull(null, false)));
            assertEquals(digest(a), digest(b), "after the full download");

            // Normal syncs both ways, and media up from A, down to B.
            JsonNode stored = a.call("add_media", Map.of("files", SyncChecks.mediaFiles("a")));
            a.call(
                    "add_notes",
                    Map.of(
                            "count",
                            5,
                            "deck",
                            "Media",
                            "fields",
                            List.of("<img src=\"" + stored.get(0).asText() + "\"> %d", "back %d")));
            a.call("review", Map.of("count", 20, "deck", "Large"));
            assertEquals("none_or_normal", performed(a.syncWithFull(null, false)));
            a.call("sync_media");
            b.call("add_notes", Map.of("count", 3, "deck", "From B"));
            assertEquals("none_or_normal", performed(b.syncWithFull(null, false)));
            b.call("sync_media");
            assertEquals("none_or_normal", performed(a.syncWithFull(null, false)));

            JsonNode onB = digest(b);
            assertEquals(digest(a), onB, "after normal and media syncs");
            assertEquals(13, onB.get("media").size(), "B's media files");
            assertEquals(20, onB.get("revlog").asInt(), "A's reviews on B");
        }
    }

    static String performed(JsonNode syncReply) {
        return syncReply.get("performed").asText();
    }

    static JsonNode digest(PythonDevice device) {
        return device.run(DIGEST);
    }
}
