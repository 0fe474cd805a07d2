package org.ankisync.media.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ankisync.media.Zips;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadZipReaderTest {
    @TempDir
    Path staging;

    private StagedUpload read(byte[] zip) throws Exception {
        return new UploadZipReader(new ObjectMapper(), staging).read(new ByteArrayInputStream(zip));
    }

    private ZipRefusedException refused(byte[] zip) {
        return assertThrows(ZipRefusedException.class, () -> read(zip));
    }

    @AfterEach
    void nothingLeftBehindOnRefusalOrClose() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            assertEquals(0, files.count(), "temporary files left in the staging folder");
        }
    }

    @Test
    void readsAdditionsAndDeletionsInMetaOrder() throws Exception {
        byte[] cat = "meow".getBytes(StandardCharsets.UTF_8);
        byte[] zip = Zips.upload(
                "[[\"cat.jpg\",\"0\"],[\"old.mp3\",null],[\"older.mp3\",\"\"],[\"dog.png\",\"3\"]]",
                Map.of("0", cat, "3", new byte[] {1, 2, 3}));
        try (StagedUpload upload = read(zip)) {
            assertEquals(4, upload.changes().size());
            UploadChange first = upload.changes().get(0);
            assertEquals("cat.jpg", first.fname());
            assertEquals(4, first.size());
            assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(cat), first.sha1());
            assertArrayEquals(cat, Files.readAllBytes(first.staged()));
            assertTrue(upload.changes().get(1).isDeletion());
            assertTrue(upload.changes().get(2).isDeletion());
            assertNull(upload.changes().get(2).sha1());
            assertEquals(3, upload.changes().get(3).size());
        }
    }

    @Test
    void acceptsDeflatedMembersAndMetaFirst() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("_meta"));
            zip.write("[[\"a.txt\",\"0\"]]".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("0"));
            zip.write("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.UTF_8));
        }
        try (StagedUpload upload = read(bytes.toByteArray())) {
            assertEquals(32, upload.changes().get(0).size());
        }
    }

    @Test
    void refusesBadNames() {
        for (String name : new String[] {"../evil", "a/b", "..", ".", "", "x\\\\y", "nul\\u0000", "/abs"}) {
            refused(Zips.upload("[[\"" + name + "\",\"0\"]]", Map.of("0", new byte[] {1})));
        }
        refused(Zips.upload("[[\"" + "a".repeat(256) + "\",\"0\"]]", Map.of("0", new byte[] {1})));
        refused(Zips.upload("[[\"cafe\\u0301.jpg\",\"0\"]]", Map.of("0", new byte[] {1})));
    }

    @Test
    void refusesMetaMismatches() {
        byte[] one = {1};
        refused(Zips.upload(null, Map.of("0", one))); // no _meta
        refused(Zips.upload("{\"0\":\"a\"}", Map.of("0", one))); // not an array
        refused(Zips.upload("[[\"a\",\"1\"]]", Map.of("0", one))); // member missing
        refused(Zips.upload("[[\"a\",\"0\"],[\"b\",\"0\"]]", Map.of("0", one))); // member used twice
        refused(Zips.upload("[[\"a\"]]", Map.of("0", one))); // not a pair
        refused(Zips.upload("[[\"a\",5]]", Map.of("0", one))); // not a string
        refused(Zips.upload("[[\"a\",\"0\"]", Map.of("0", one))); // broken JSON
        refused(Zips.upload("[[\"a\",\"0\"]]", Map.of("0", new byte[0]))); // zero bytes
        refused(Zips.upload("[" + "[\"a\",null],".repeat(25) + "[\"b\",null]]", Map.of())); // 26 entries
        refused(Zips.upload("[\"" + "x".repeat(60_000) + "\"]", Map.of())); // _meta too long
    }

    @Test
    void refusesTooManyMembers() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            members.put("m" + i, new byte[] {1});
        }
        assertTrue(refused(Zips.upload("[]", members)).getMessage().contains("too many"));
    }

    @Test
    void refusesAHugeDeclaredSizeBeforeReadingIt() {
        byte[] zip = Zips.rawLocalEntry("0", 1L << 30, new byte[] {1, 2, 3});
        assertTrue(refused(zip).getMessage().contains("too large"));
    }

    @Test
    void refusesAFileThatInflatesBeyondTheLimit() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("0")); // deflated, size not declared
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 101; i++) {
                zip.write(zeros);
            }
        }
        assertTrue(bytes.size() < 200_000, "a compact bomb");
        assertTrue(refused(bytes.toByteArray()).getMessage().contains("too large"));
    }

    @Test
    void refusesGarbageAndTruncation() {
        refused("not a zip at all".getBytes(StandardCharsets.UTF_8));
        byte[] zip = Zips.additions(Map.of("a.txt", new byte[1000]));
        for (int cut : new int[] {10, 40, 500}) {
            refused(java.util.Arrays.copyOf(zip, cut));
        }
    }

    @Test
    void readsFromAStreamWithoutNeedingTheWholeZip() throws Exception {
        byte[] big = new byte[5 << 20];
        byte[] zip = Zips.additions(Map.of("big.bin", big));
        InputStream trickle = new ByteArrayInputStream(zip) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        try (StagedUpload upload = new UploadZipReader(new ObjectMapper(), staging).read(trickle)) {
            assertEquals(big.length, upload.changes().get(0).size());
        }
    }
}
