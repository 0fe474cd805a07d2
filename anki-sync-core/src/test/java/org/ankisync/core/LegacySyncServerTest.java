package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.MediaMethod;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.media.MediaSync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Legacy (multipart) requests through SyncServer.handle: login, meta, and what the media module is handed. */
class LegacySyncServerTest {
    private static final String BOUNDARY = "Anki-sync-boundary";

    @TempDir
    Path temp;

    private SyncServer server;
    private final List<String> mediaCalls = new ArrayList<>();

    /** Records what it is handed and answers with the payload it read. */
    private final MediaSync media = new MediaSync() {
        @Override
        public int currentUsn(String username) {
            return 5;
        }

        @Override
        public SyncReply handle(MediaMethod method, String username, SyncRequest request, ReplyFramer replies) {
            try {
                String payload = new String(request.payload().readAllBytes(), StandardCharsets.UTF_8);
                mediaCalls.add(method.wireName() + " " + username + " legacy=" + request.legacy() + " " + payload);
                return replies.bytes(("{\"data\":" + payload + ",\"err\":\"\"}").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @BeforeEach
    void setUp() {
        OneTestUser users = new OneTestUser();
        server = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .media(media)
                .build();
    }

    /** Also waits for background work (a daily snapshot) before the folder is deleted. */
    @AfterEach
    void tearDown() {
        server.close();
    }

    private record Result(int status, Map<String, String> headers, String body) {}

    private Result call(String method, String path, Map<String, String> query, String contentType, byte[] body) {
        SyncReply reply = server.handle(new SyncCall() {
            @Override
            public String httpMethod() {
                return method;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public Optional<String> header(String name) {
                return name.equalsIgnoreCase("Content-Type") ? Optional.ofNullable(contentType) : Optional.empty();
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.ofNullable(query.get(name));
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(body);
            }
        });
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            reply.body().writeTo(out);
            return new Result(reply.status(), reply.headers(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reply.complete();
        }
    }

    private Result form(String path, Map<String, String> fields, String data, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                            + e.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(
                ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n" + (gzip ? 1 : 0) + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"data\""
                            + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                ByteArrayOutputStream gz = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
                    z.write(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                bytes = gz.toByteArray();
            }
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return call("POST", path, Map.of(), "multipart/form-data; boundary=" + BOUNDARY, out.toByteArray());
    }

    private static void assertLegacyOk(Result r) {
        assertEquals(200, r.status(), r.body());
        assertEquals("application/octet-stream", r.headers().get("Content-Type"));
        assertFalse(r.headers().containsKey("anki-original-size"));
    }

    @Test
    void loginAndMetaInTheLegacyShape() {
        Result login = form("sync/hostKey", Map.of(), "{\"u\":\"u\",\"p\":\"p\"}", true);
        assertLegacyOk(login);
        assertEquals("{\"key\":\"key-u\"}", login.body());
        assertEquals(
                403,
                form("sync/hostKey", Map.of(), "{\"u\":\"u\",\"p\":\"x\"}", true)
                        .status());
        Result meta = form("sync/meta", Map.of("k", "key-u"), "{\"v\":10,\"cv\":\"ankidroid,2.15.6\"}", false);
        assertLegacyOk(meta);
        assertTrue(meta.body().contains("\"cont\":true"), meta.body());
        assertTrue(meta.body().contains("\"media_usn\":5"), meta.body());
        assertEquals(
                403,
                form("sync/meta", Map.of("k", "nope"), "{\"v\":10,\"cv\":\"x\"}", true)
                        .status());
        assertEquals(
                501,
                form("sync/meta", Map.of("k", "key-u"), "{\"v\":7,\"cv\":\"x\"}", true)
                        .status());
    }

    @Test
    void theMediaModuleGetsTheHostKeyFromKOrSkAndTheBeginVersion() {
        Result begin = form("msync/begin", Map.of("k", "key-u", "v", "ankidroid,2.15.6"), null, false);
        assertLegacyOk(begin);
        Result changes = form("msync/mediaChanges", Map.of("sk", "key-u"), "{\"lastUsn\":0}", false);
        assertLegacyOk(changes);
        Result get = call("GET", "msync/begin", Map.of("k", "key-u", "v", "anki,2.1.50 (abc),lin"), null, new byte[0]);
        assertLegacyOk(get);
        assertEquals("{\"data\":{\"v\":\"anki,2.1.50 (abc),lin\"},\"err\":\"\"}", get.body());
        assertEquals(
                List.of(
                        "begin u legacy=true {\"v\":\"ankidroid,2.15.6\"}",
                        "mediaChanges u legacy=true {\"lastUsn\":0}",
                        "begin u legacy=true {\"v\":\"anki,2.1.50 (abc),lin\"}"),
                mediaCalls);
        assertEquals(
                403,
                form("msync/mediaChanges", Map.of("sk", "wrong"), "{\"lastUsn\":0}", false)
                        .status());
        assertEquals(
                400,
                call("GET", "msync/begin", Map.of("v", "x"), null, new byte[0]).status());
    }
}
