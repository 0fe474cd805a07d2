package org.ankisync.media.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MediaStore} must do, run against each implementation (the file
 * system store here, the S3 store in anki-sync-e2e against an S3-compatible server):
 * byte-for-byte round trips of small, empty-named-ish, Unicode and large files, atomic
 * replacement, reads that keep the content they opened, deletion, moving out to the
 * trash, refusal of names that are not one path element, and users kept apart.
 *
 * <p>A subclass says how to make the factory of per-user stores.
 */
// "exports": the @TempDir field below is JUnit's, which is on the class path, not a module.
@SuppressWarnings("exports")
public abstract class MediaStoreContract {
    /** For the subclasses, one per store implementation. */
    protected MediaStoreContract() {}

    /** Larger than the S3 store's multipart threshold, so the large-file path is exercised. */
    protected static final int LARGE_FILE_BYTES = 20 * 1024 * 1024 + 12345;

    @TempDir
    protected Path temp;

    private MediaStore alice;

    /** The factory under test; called once per test. */
    protected abstract MediaStore.Factory factory() throws Exception;

    /** The user folder the factory is given for {@code user}. */
    protected Path userFolder(String user) throws IOException {
        return Files.createDirectories(temp.resolve("collections").resolve(user));
    }

    private MediaStore.Factory factory;

    @BeforeEach
    void createStore() throws Exception {
        factory = factory();
        alice = store("alice");
    }

    protected MediaStore store(String user) throws IOException {
        return factory.forUser(user, userFolder(user));
    }

    @Test
    void putThenOpenReturnsTheSameBytes() throws IOException {
        byte[] content = "hello media".getBytes(StandardCharsets.UTF_8);
        alice.put("a.txt", new ByteArrayInputStream(content));
        alice.flush();
        assertTrue(alice.exists("a.txt"));
        assertEquals(content.length, alice.size("a.txt"));
        assertArrayEquals(content, read(alice, "a.txt"));
    }

    @Test
    void missingFilesAreReportedAsMissing() throws IOException {
        assertFalse(alice.exists("nothing.png"));
        assertEquals(-1, alice.size("nothing.png"));
        assertThrows(NoSuchFileException.class, () -> alice.open("nothing.png").close());
        assertFalse(alice.delete("nothing.png"));
        assertFalse(alice.moveOut("nothing.png", temp.resolve("moved")));
    }

    @Test
    void putFileStoresTheStagedBytesAndTheCallerNeedNotKeepThem() throws IOException {
        Path staged = Files.write(userFolder("alice").resolve("staged.tmp"), bytes(4096, 1));
        byte[] expected = Files.readAllBytes(staged);
        alice.putFile("staged.jpg", staged);
        alice.flush();
        assertArrayEquals(expected, read(alice, "staged.jpg"));
        assertEquals(4096, alice.size("staged.jpg"));
    }

    @Test
    void replacingGivesTheNewBytes() throws IOException {
        alice.put("r.bin", new ByteArrayInputStream(bytes(1000, 2)));
        alice.put("r.bin", new ByteArrayInputStream(bytes(10, 3)));
        assertArrayEquals(bytes(10, 3), read(alice, "r.bin"));
        assertEquals(10, alice.size("r.bin"));
    }

    @Test
    void anOpenStreamKeepsTheContentItOpenedWhenTheFileIsReplacedOrDeleted() throws IOException {
        // large enough that the content is still being streamed when it changes
        byte[] old = bytes(3_000_000, 4);
        byte[] replacement = bytes(3_000_000, 5);
        alice.put("snap.bin", new ByteArrayInputStream(old));
        try (InputStream reading = alice.open("snap.bin")) {
            byte[] start = reading.readNBytes(1000);
            alice.put("snap.bin", new ByteArrayInputStream(replacement));
            assertArrayEquals(old, concat(start, reading.readAllBytes()));
        }
        try (InputStream reading = alice.open("snap.bin")) {
            byte[] start = reading.readNBytes(1000);
            assertTrue(alice.delete("snap.bin"));
            assertArrayEquals(replacement, concat(start, reading.readAllBytes()));
        }
        assertFalse(alice.exists("snap.bin"));
    }

    @Test
    void deleteRemovesTheFileOnce() throws IOException {
        alice.put("d.txt", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertTrue(alice.delete("d.txt"));
        alice.flush();
        assertFalse(alice.exists("d.txt"));
        assertFalse(alice.delete("d.txt"));
    }

    @Test
    void moveOutPutsTheBytesInTheTrashAndRemovesTheFile() throws IOException {
        alice.put("t.mp3", new ByteArrayInputStream(bytes(3000, 6)));
        Path trash = Files.createDirectories(
                userFolder("alice").resolve("media-trash").resolve("1"));
        assertTrue(alice.moveOut("t.mp3", trash.resolve("t.mp3")));
        assertArrayEquals(bytes(3000, 6), Files.readAllBytes(trash.resolve("t.mp3")));
        assertFalse(alice.exists("t.mp3"));
        // and back, as a trash restore does
        alice.putFile("t.mp3", trash.resolve("t.mp3"));
        assertArrayEquals(bytes(3000, 6), read(alice, "t.mp3"));
    }

    @Test
    void namesWithAnyCharactersRoundTripAndStayDistinct() throws IOException {
        List<String> names = List.of(
                "caf\u00e9.jpg",
                "\u65e5\u672c\u8a9e \u97f3\u58f0.mp3",
                "\ud83c\udfb5 emoji.ogg",
                "a b.png",
                "a%20b.png",
                "a+b.png",
                "100%.txt",
                "what?#&=.txt",
                "quote'\"<>|:*.txt",
                "tab\there.txt",
                "ctrl\u0001\u007f\u0085.txt",
                "...",
                ".hidden",
                "-",
                "CON",
                "\u00e9" + "x".repeat(200),
                "\u4e00".repeat(85));
        for (int i = 0; i < names.size(); i++) {
            alice.put(names.get(i), new ByteArrayInputStream(("content " + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < names.size(); i++) {
            assertArrayEquals(
                    ("content " + i).getBytes(StandardCharsets.UTF_8), read(alice, names.get(i)), names.get(i));
        }
        assertFalse(alice.exists("a%2520b.png"));
        assertFalse(alice.exists("cafe\u0301.jpg"));
    }

    @Test
    void namesThatAreNotOnePathElementAreRefused() {
        for (String bad : List.of("", ".", "..", "../escape.txt", "sub/file.txt", "back\\slash.txt", "nul\0.txt")) {
            assertThrows(
                    IllegalArgumentException.class, () -> alice.put(bad, new ByteArrayInputStream(new byte[1])), bad);
            assertThrows(IllegalArgumentException.class, () -> alice.exists(bad), bad);
        }
    }

    @Test
    void oneUsersFilesAreInvisibleToAnother() throws IOException {
        MediaStore bob = store("bob");
        alice.put("shared-name.png", new ByteArrayInputStream(bytes(100, 7)));
        assertFalse(bob.exists("shared-name.png"));
        assertThrows(
                NoSuchFileException.class, () -> bob.open("shared-name.png").close());
        bob.put("shared-name.png", new ByteArrayInputStream(bytes(50, 8)));
        assertArrayEquals(bytes(100, 7), read(alice, "shared-name.png"));
        assertTrue(bob.delete("shared-name.png"));
        assertTrue(alice.exists("shared-name.png"));
    }

    @Test
    void largeFilesRoundTripByteForByteFromAStreamAndFromAStagedFile() throws IOException {
        // a stream that reveals no length and hands out small reads, like a request body
        try (InputStream unknownLength = new TrickleStream(new PatternStream(LARGE_FILE_BYTES, 9))) {
            alice.put("large-stream.bin", unknownLength);
        }
        assertEquals(LARGE_FILE_BYTES, alice.size("large-stream.bin"));
        assertEquals(sha1(new PatternStream(LARGE_FILE_BYTES, 9)), sha1(alice.open("large-stream.bin")));

        Path staged = userFolder("alice").resolve("large.tmp");
        try (InputStream in = new PatternStream(LARGE_FILE_BYTES, 10)) {
            Files.copy(in, staged);
        }
        alice.putFile("large-file.bin", staged);
        alice.flush();
        assertEquals(LARGE_FILE_BYTES, alice.size("large-file.bin"));
        assertEquals(sha1(new PatternStream(LARGE_FILE_BYTES, 10)), sha1(alice.open("large-file.bin")));
    }

    // --- helpers --------------------------------------------------------------

    protected static byte[] read(MediaStore store, String name) throws IOException {
        try (InputStream in = store.open(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    protected static byte[] bytes(int length, long seed) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }

    protected static String sha1(InputStream stream) throws IOException {
        try (InputStream in = stream) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code length} pseudo-random bytes made on the fly, so large files are never held in memory. */
    protected static final class PatternStream extends InputStream {
        private final Random random;
        private long left;

        public PatternStream(long length, long seed) {
            this.left = length;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            left -= n;
            return n;
        }
    }

    /** Hands out at most 1000 bytes per read and no length. */
    private static final class TrickleStream extends FilterInputStream {
        TrickleStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1000));
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
