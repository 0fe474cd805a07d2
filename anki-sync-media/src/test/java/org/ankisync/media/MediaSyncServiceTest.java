package org.ankisync.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.ankisync.core.framing.ClientBody;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.Failures;
import org.ankisync.core.http.MediaMethod;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.media.store.FileSystemMediaStore;
import org.ankisync.media.store.MediaStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaSyncServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "alice";

    @TempDir
    Path root;

    private MediaSyncService media;
    private final Map<String, Long> lastReplySize = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        media = new MediaSyncService(
                root, FileSystemMediaStore.FACTORY, Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));
    }

    // --- plumbing -------------------------------------------------------------

    private final ReplyFramer raw = new ReplyFramer() {
        @Override
        public SyncReply bytes(byte[] payload) {
            lastReplySize.put("size", (long) payload.length);
            return SyncReply.of(200, Map.of(), out -> out.write(payload));
        }

        @Override
        public SyncReply stream(long size, SyncReply.Body body) {
            lastReplySize.put("size", size);
            return SyncReply.of(200, Map.of(), body);
        }
    };

    private byte[] call(String method, byte[] payload) {
        SyncRequest request = new SyncRequest(11, "hkey-1", "", "test", false, new ByteArrayInputStream(payload));
        SyncReply reply = handle(method, request);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            reply.body().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(lastReplySize.get("size"), (long) out.size(), "announced size is exact");
        return out.toByteArray();
    }

    /** As the server calls it: the body guarded, a failure given the status its error boundary gives. */
    private SyncReply handle(String method, SyncRequest request) {
        try {
            return media.handle(MediaMethod.fromWire(method).orElseThrow(), USER, ClientBody.guard(request), raw);
        } catch (IOException | SQLException e) {
            throw Failures.classify(e);
        }
    }

    private JsonNode data(String method, String json) throws IOException {
        JsonNode envelope = JSON.readTree(call(method, json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("", envelope.get("err").asText());
        return envelope.get("data");
    }

    private JsonNode upload(byte[] zip) throws IOException {
        JsonNode envelope = JSON.readTree(call("uploadChanges", zip));
        assertEquals("", envelope.get("err").asText());
        return envelope.get("data");
    }

    private int usn() throws IOException {
        return data("begin", "{\"v\":\"test\"}").get("usn").asInt();
    }

    private static String sha1(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int status(Runnable r) {
        return assertThrows(SyncException.class, r::run).status();
    }

    private Path mediaDir() {
        return root.resolve(USER).resolve("media");
    }

    // --- begin / changes / usn rules -------------------------------------------

    @Test
    void beginReportsUsnAndHostKey() throws Exception {
        JsonNode data = data("begin", "{\"v\":\"anki,2.1.66\"}");
        assertEquals(0, data.get("usn").asInt());
        assertEquals("hkey-1", data.get("sk").asText());
        assertEquals(400, status(() -> call("begin", bytes("{}"))));
        assertEquals(400, status(() -> call("begin", bytes("{\"v\":\"\"}"))));
        assertEquals(0, media.currentUsn(USER));
        assertEquals(0, media.currentUsn("nobody-yet"));
    }

    @Test
    void usnGrowsByOnePerRealChange() throws Exception {
        JsonNode r = upload(Zips.additions(Map.of("a.txt", bytes("A"), "b.txt", bytes("B"))));
        assertEquals(2, r.get(0).asInt());
        assertEquals(2, r.get(1).asInt());
        // identical content and deleting an unknown file: processed, no usn step
        r = upload(Zips.upload("[[\"a.txt\",\"0\"],[\"ghost.txt\",null]]", Map.of("0", bytes("A"))));
        assertEquals(2, r.get(0).asInt());
        assertEquals(2, r.get(1).asInt());
        // a replacement and a deletion: two steps
        r = upload(Zips.upload("[[\"a.txt\",\"0\"],[\"b.txt\",null]]", Map.of("0", bytes("A2"))));
        assertEquals(4, r.get(1).asInt());
        // deleting again: nothing
        r = upload(Zips.upload("[[\"b.txt\",null]]", Map.of()));
        assertEquals(4, r.get(1).asInt());
        // re-adding a deleted file: one step
        r = upload(Zips.additions(Map.of("b.txt", bytes("B"))));
        assertEquals(5, r.get(1).asInt());
        assertEquals(5, usn());
        assertEquals(5, media.currentUsn(USER));
        assertArrayEquals(bytes("A2"), Files.readAllBytes(mediaDir().resolve("a.txt")));
        assertEquals("OK", data("mediaSanity", "{\"local\":2}").asText());
        assertEquals("mediaSanity", data("mediaSanity", "{\"local\":3}").asText());
    }

    @Test
    void changesComeInUsnOrderOneRowPerName() throws Exception {
        Map<String, byte[]> three = new LinkedHashMap<>();
        three.put("a", bytes("1"));
        three.put("b", bytes("2"));
        three.put("c", bytes("3"));
        upload(Zips.additions(three));
        upload(Zips.upload("[[\"a\",\"0\"],[\"b\",null]]", Map.of("0", bytes("11"))));
        JsonNode changes = data("mediaChanges", "{\"lastUsn\":0}");
        assertEquals(3, changes.size());
        assertEquals("c", changes.get(0).get(0).asText());
        assertEquals(3, changes.get(0).get(1).asInt());
        assertEquals(sha1(bytes("3")), changes.get(0).get(2).asText());
        assertEquals("a", changes.get(1).get(0).asText());
        assertEquals(4, changes.get(1).get(1).asInt());
        assertEquals(sha1(bytes("11")), changes.get(1).get(2).asText());
        assertEquals("b", changes.get(2).get(0).asText());
        assertEquals(5, changes.get(2).get(1).asInt());
        assertEquals("", changes.get(2).get(2).asText());
        assertEquals(1, data("mediaChanges", "{\"lastUsn\":4}").size());
        assertEquals(0, data("mediaChanges", "{\"lastUsn\":5}").size());
        assertEquals(400, status(() -> call("mediaChanges", bytes("{\"lastUsn\":\"x\"}"))));
    }

    @Test
    void changesArePagedByAThousand() throws Exception {
        for (int batch = 0; batch < 45; batch++) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < 25; i++) {
                files.put("f" + batch + "-" + i, bytes("x" + batch + "-" + i));
            }
            upload(Zips.additions(files));
        }
        JsonNode page = data("mediaChanges", "{\"lastUsn\":0}");
        assertEquals(1000, page.size());
        assertEquals(1000, page.get(999).get(1).asInt());
        assertEquals(125, data("mediaChanges", "{\"lastUsn\":1000}").size());
    }

    // --- downloads ---------------------------------------------------------------

    @Test
    void downloadReturnsAPrefixInRequestOrderWithMeta() throws Exception {
        byte[] big = new byte[2_000_000];
        big[7] = 7;
        upload(Zips.additions(Map.of("small.txt", bytes("s"), "big1.bin", big)));
        byte[] big2 = big.clone();
        big2[8] = 8;
        upload(Zips.additions(Map.of("big2.bin", big2, "after.txt", bytes("after"))));
        byte[] zipBytes =
                call("downloadFiles", bytes("{\"files\":[\"big1.bin\",\"small.txt\",\"big2.bin\",\"after.txt\"]}"));
        Path zipFile = root.resolve("d.zip");
        Files.write(zipFile, zipBytes);
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            // 2 000 000 + 1 + 2 000 000 exceeds 2.5 MiB at the third file: three files
            assertEquals(4, zip.size());
            JsonNode meta = JSON.readTree(zip.getInputStream(zip.getEntry("_meta")));
            assertEquals("big1.bin", meta.get("0").asText());
            assertEquals("small.txt", meta.get("1").asText());
            assertEquals("big2.bin", meta.get("2").asText());
            assertArrayEquals(big2, zip.getInputStream(zip.getEntry("2")).readAllBytes());
            assertEquals(ZipEntry.STORED, zip.getEntry("0").getMethod());
        }
    }

    @Test
    void aDownloadCompletedWithoutItsBodyClosesTheStoresStreams() throws Exception {
        // a HEAD request gets the headers only: the streams opened for the zip (with S3, pooled
        // connections) must still be released when the adapter completes the reply
        java.util.List<java.io.InputStream> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        MediaStore.Factory counting =
                (user, folder) -> new CountingStore(FileSystemMediaStore.FACTORY.forUser(user, folder), opened, closed);
        media = new MediaSyncService(root, counting, Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC));
        upload(Zips.additions(Map.of("a.txt", bytes("aaa"), "b.txt", bytes("bb"))));
        SyncRequest request = new SyncRequest(
                11, "hkey-1", "", "test", false, new ByteArrayInputStream(bytes("{\"files\":[\"a.txt\",\"b.txt\"]}")));
        SyncReply reply = media.handle(MediaMethod.DOWNLOAD_FILES, USER, ClientBody.guard(request), raw);
        int before = closed.get();
        reply.complete();
        assertEquals(opened.size(), closed.get(), "every opened stream closed (" + before + " before completion)");
        assertTrue(opened.size() >= 2);
    }

    /** A store that counts the streams it hands out and how many of them were closed. */
    private static final class CountingStore implements MediaStore {
        private final MediaStore inner;
        private final java.util.List<java.io.InputStream> opened;
        private final java.util.concurrent.atomic.AtomicInteger closed;

        CountingStore(
                MediaStore inner,
                java.util.List<java.io.InputStream> opened,
                java.util.concurrent.atomic.AtomicInteger closed) {
            this.inner = inner;
            this.opened = opened;
            this.closed = closed;
        }

        @Override
        public void put(String name, java.io.InputStream content) throws IOException {
            inner.put(name, content);
        }

        @Override
        public void putFile(String name, Path staged) throws IOException {
            inner.putFile(name, staged);
        }

        @Override
        public java.io.InputStream open(String name) throws IOException {
            java.io.InputStream stream = new java.io.FilterInputStream(inner.open(name)) {
                private boolean done;

                @Override
                public void close() throws IOException {
                    if (!done) {
                        done = true;
                        closed.incrementAndGet();
                    }
                    super.close();
                }
            };
            opened.add(stream);
            return stream;
        }

        @Override
        public boolean delete(String name) throws IOException {
            return inner.delete(name);
        }

        @Override
        public boolean exists(String name) throws IOException {
            return inner.exists(name);
        }

        @Override
        public long size(String name) throws IOException {
            return inner.size(name);
        }
    }

    @Test
    void downloadRefusesUnknownDeletedAndTooMany() throws Exception {
        upload(Zips.additions(Map.of("a", bytes("1"), "b", bytes("2"))));
        upload(Zips.upload("[[\"b\",null]]", Map.of()));
        assertEquals(409, status(() -> call("downloadFiles", bytes("{\"files\":[\"a\",\"nope\"]}"))));
        assertEquals(409, status(() -> call("downloadFiles", bytes("{\"files\":[\"b\"]}"))));
        StringBuilder many = new StringBuilder("{\"files\":[");
        for (int i = 0; i < 26; i++) {
            many.append(i == 0 ? "" : ",").append("\"a\"");
        }
        assertEquals(
                400, status(() -> call("downloadFiles", bytes(many.append("]}").toString()))));
    }

    @Test
    void aFileMissingFromTheStoreIsForgotten() throws Exception {
        upload(Zips.additions(Map.of("a", bytes("1"), "b", bytes("2"))));
        Files.delete(mediaDir().resolve("a"));
        assertEquals(409, status(() -> call("downloadFiles", bytes("{\"files\":[\"a\"]}"))));
        assertEquals(409, status(() -> call("downloadFiles", bytes("{\"files\":[\"a\"]}"))));
        assertEquals(1, data("mediaChanges", "{\"lastUsn\":0}").size());
        assertEquals("OK", data("mediaSanity", "{\"local\":1}").asText());
        assertEquals(2, usn());
    }

    // --- refused uploads leave nothing ---------------------------------------------

    @Test
    void aRefusedBatchWritesNothing() throws Exception {
        upload(Zips.additions(Map.of("keep.txt", bytes("k"))));
        List<byte[]> hostile = new ArrayList<>();
        hostile.add(Zips.upload(
                "[[\"fine.txt\",\"0\"],[\"../escape.txt\",\"1\"]]", Map.of("0", bytes("f"), "1", bytes("e"))));
        hostile.add(Zips.upload("[[\"fine.txt\",\"0\"],[\"x/y\",\"1\"]]", Map.of("0", bytes("f"), "1", bytes("e"))));
        hostile.add(Zips.upload(
                "[[\"fine.txt\",\"0\"],[\"keep.txt\",null],[\"n\\u0000\",\"1\"]]",
                Map.of("0", bytes("f"), "1", bytes("e"))));
        hostile.add(Zips.upload("[[\"fine.txt\",\"0\"],[\"x\",\"9\"]]", Map.of("0", bytes("f"))));
        hostile.add(Zips.rawLocalEntry("0", 1L << 30, bytes("tiny")));
        for (byte[] zip : hostile) {
            assertEquals(400, status(() -> call("uploadChanges", zip)));
        }
        assertEquals(1, usn());
        assertEquals(1, data("mediaChanges", "{\"lastUsn\":0}").size());
        try (Stream<Path> files = Files.list(mediaDir())) {
            assertEquals(
                    List.of("keep.txt"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> files = Files.list(root.resolve(USER))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files");
        }
        assertFalse(Files.exists(root.resolve("escape.txt")));
        assertFalse(Files.exists(root.resolve(USER).resolve("escape.txt")));
    }

    @Test
    void jsonBodiesAreChecked() {
        assertEquals(400, status(() -> call("mediaSanity", bytes("{\"local\":\"1\"}"))));
        assertEquals(400, status(() -> call("downloadFiles", bytes("[1]"))));
        assertEquals(400, status(() -> call("downloadFiles", bytes("{\"files\":[1]}"))));
        assertEquals(413, status(() -> call("mediaChanges", new byte[(1 << 20) + 10])));
        // regression (hostile-input suite): trailing garbage was ignored
        assertEquals(400, status(() -> call("mediaSanity", bytes("{\"local\":0}}}garbage"))));
    }

    /** Regression (hostile-input suite): a body that cannot be read was a 500 "media begin: ...". */
    @Test
    void anUnreadableBodyIsTheClientsFault() {
        for (String method : List.of("begin", "mediaChanges", "uploadChanges", "downloadFiles", "mediaSanity")) {
            InputStream broken = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("Unknown frame descriptor");
                }
            };
            SyncRequest request = new SyncRequest(11, "hkey-1", "", "test", false, broken);
            SyncException e = assertThrows(SyncException.class, () -> handle(method, request));
            assertEquals(400, e.status(), method);
            assertTrue(e.getMessage().contains("Unknown frame descriptor"), e.getMessage());
        }
    }

    @Test
    void staleTemporaryFilesFromACrashAreRemoved() throws Exception {
        Path folder = Files.createDirectories(root.resolve("carol"));
        Path stale = Files.writeString(folder.resolve(".media-upload-123.tmp"), "half an upload");
        Path other = Files.writeString(folder.resolve("collection.anki2"), "not ours");
        assertEquals(0, media.currentUsn("carol"));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other));
    }

    @Test
    void differentUsersAreSeparate() throws Exception {
        upload(Zips.additions(Map.of("a", bytes("1"))));
        assertEquals(0, media.currentUsn("bob"));
        assertEquals(1, media.currentUsn(USER));
    }

    @Test
    void oneUsersUploadsAreSerialised() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int n = t;
                results.add(pool.submit(() -> upload(Zips.additions(
                        Map.of("t" + n + "a", bytes("a" + n), "t" + n + "b", bytes("b" + n), "same", bytes("same"))))));
            }
            for (Future<JsonNode> f : results) {
                assertEquals(3, f.get().get(0).asInt());
            }
        } finally {
            pool.shutdown();
        }
        // 16 distinct files plus "same" once
        assertEquals(17, usn());
        assertEquals("OK", data("mediaSanity", "{\"local\":17}").asText());
        assertTrue(Files.exists(mediaDir().resolve("same")));
    }
}
