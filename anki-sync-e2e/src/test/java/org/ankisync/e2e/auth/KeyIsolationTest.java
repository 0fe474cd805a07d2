package org.ankisync.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ankisync.e2e.harness.Device.Counts;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.RawSyncClient.Reply;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 6: user A's key gives no access to user B's collection or media
 * through any route, and keys that are not exactly a live key get 403 on every
 * authenticated route.
 */
class KeyIsolationTest {
    private static final String MARKER = "BobsPrivateMarker";
    private static final String META = "{\"v\":11,\"cv\":\"raw,1,linux\"}";
    /** Every authenticated route with a body that is plausible for it. */
    private static final Map<String, String> ROUTES = new LinkedHashMap<>();

    static {
        ROUTES.put("sync/meta", META);
        ROUTES.put("sync/start", "{\"minUsn\":0,\"lnewer\":false,\"graves\":null}");
        ROUTES.put("sync/applyGraves", "{\"chunk\":{\"cards\":[],\"notes\":[],\"decks\":[]}}");
        ROUTES.put("sync/applyChanges", "{\"changes\":{\"models\":[],\"decks\":[[],[]],\"tags\":[]}}");
        ROUTES.put("sync/chunk", "{}");
        ROUTES.put("sync/applyChunk", "{\"chunk\":{\"done\":true}}");
        ROUTES.put("sync/sanityCheck2", "{\"client\":[[0,0,0],0,0,0,0,0,0,0,\"Default\"]}");
        ROUTES.put("sync/finish", "{}");
        ROUTES.put("sync/abort", "{}");
        ROUTES.put("sync/download", "{}");
        ROUTES.put("sync/upload", "not a collection");
        ROUTES.put("msync/begin", "{\"v\":\"raw,1,linux\"}");
        ROUTES.put("msync/mediaChanges", "{\"lastUsn\":0}");
        ROUTES.put("msync/uploadChanges", "not a zip");
        ROUTES.put("msync/downloadFiles", "{\"files\":[\"" + MARKER + ".txt\"]}");
        ROUTES.put("msync/mediaSanity", "{\"local\":0}");
    }

    @TempDir
    Path temp;

    @Test
    void aKeyOpensOnlyItsOwnUsersDataAndNothingElseOpensAnything() throws Exception {
        try (OurServer server = OurServer.start(temp.resolve("server"));
                PythonDevice bob = PythonDevice.open(temp.resolve("bob"))) {
            String bobKey = bob.login(server.endpoint(), TestUsers.BOB, TestUsers.BOB_PASSWORD);
            bob.call("add_notes", Map.of("count", 3, "deck", MARKER, "fields", List.of(MARKER + " %d", "back")));
            bob.call(
                    "add_media",
                    Map.of("files", List.of(Map.of("name", MARKER + ".txt", "base64", "c2VjcmV0IG1lZGlh"))));
            assertEquals(SyncRequired.FULL_UPLOAD, bob.sync());
            bob.fullSync(true);
            try {
                bob.call("sync_media");
            } catch (DeviceException mediaSyncNotEnabled) {
                // without media sync on the server there is no media to leak; the routes are still swept below
            }
            Path bobCollection = server.dataDir().resolve(TestUsers.BOB).resolve("collection.anki2");
            byte[] bobBefore = sha256(bobCollection);

            RawSyncClient alice = new RawSyncClient(server.endpoint())
                    .login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD)
                    .sessionKey("abc");
            for (Map.Entry<String, String> route : ROUTES.entrySet()) {
                Reply reply = alice.post(route.getKey(), route.getValue());
                assertNotEquals(403, reply.status(), route.getKey() + ": alice's key is valid");
                String body = new String(reply.body(), StandardCharsets.ISO_8859_1);
                if (route.getKey().equals("msync/downloadFiles")) {
                    // Alice asks for bob's file by name: she is told it does not exist (the error names
                    // what she asked for), and never gets its bytes.
                    assertEquals(409, reply.status(), body);
                    assertFalse(body.contains("secret media"), "bob's media bytes reached alice");
                } else {
                    assertFalse(
                            body.contains(MARKER), route.getKey() + " showed bob's data to alice: " + reply.status());
                }
            }
            // alice's download was alice's collection, and bob's is untouched by all of the above
            alice.post("sync/abort", "{}");
            Reply download = alice.post("sync/download", "{}");
            assertEquals(200, download.status());
            assertFalse(new String(download.body(), StandardCharsets.ISO_8859_1).contains(MARKER));
            assertArrayEquals(bobBefore, sha256(bobCollection));
            assertEquals(SyncRequired.NO_CHANGES, bob.sync());
            assertEquals(new Counts(3, 3, 0), bob.counts());

            // Not-quite keys: none of them opens any route.
            List<String> forged = new ArrayList<>();
            forged.add("");
            forged.add(bobKey.toUpperCase(Locale.ROOT));
            forged.add(bobKey.substring(0, bobKey.length() - 1) + (bobKey.endsWith("0") ? "1" : "0"));
            forged.add(bobKey + " ");
            forged.add(storedHashOf(server.authDb(), TestUsers.BOB)); // what the database holds
            forged.add(sha1Hex(TestUsers.BOB + ":wrong")); // an official-style key with a wrong password
            for (String key : forged) {
                RawSyncClient client =
                        new RawSyncClient(server.endpoint()).hostKey(key).sessionKey("abc");
                for (Map.Entry<String, String> route : ROUTES.entrySet()) {
                    Reply reply = client.post(route.getKey(), route.getValue());
                    assertEquals(403, reply.status(), route.getKey() + " with key '" + key + "'");
                }
            }
            // and a real key is 200 again on meta
            assertEquals(
                    200,
                    new RawSyncClient(server.endpoint())
                            .hostKey(bobKey)
                            .post("sync/meta", META)
                            .status());
            // logging in with alice's key in the header but bob's name gets nothing either
            Reply mixed = alice.post("sync/hostKey", "{\"u\":\"bob\",\"p\":\"" + TestUsers.ALICE_PASSWORD + "\"}");
            assertEquals(403, mixed.status());
            assertTrue(Files.exists(bobCollection));
        }
    }

    private static String storedHashOf(Path authDb, String user) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + authDb);
                var s = c.prepareStatement("SELECT key_sha256 FROM host_keys WHERE user = ?")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "bob's key is recorded");
                return rs.getString(1);
            }
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static String sha1Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
