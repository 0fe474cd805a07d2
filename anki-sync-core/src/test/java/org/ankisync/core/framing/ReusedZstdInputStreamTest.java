package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reused-context decoder reads what zstd wrote, whole and in order, for
 * one-shot frames (size recorded) and streamed ones (size unknown, as the Anki
 * client sends them), one frame after another, from a source that trickles;
 * refuses truncated and non-zstd input; and a context given back after a
 * stream was abandoned mid-frame decodes the next stream correctly.
 */
class ReusedZstdInputStreamTest {
    private static byte[] data(int size, long seed) {
        byte[] bytes = new byte[size];
        Random random = new Random(seed);
        // Compressible but not trivial: JSON-like text with random digits.
        for (int i = 0; i < size; i++) {
            bytes[i] =
                    random.nextInt(4) == 0 ? (byte) ('0' + random.nextInt(10)) : (byte) "{\"a\":[1,2],}".charAt(i % 12);
        }
        return bytes;
    }

    private static byte[] streamed(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(out, 3)) {
            for (int at = 0; at < data.length; at += 1000) {
                zstd.write(data, at, Math.min(1000, data.length - at));
            }
        }
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[bufferSize];
        try (in) {
            for (int n; (n = in.read(buffer, 0, buffer.length)) != -1; ) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 200_000, 3_000_000})
    void oneShotAndStreamedFramesDecodeWhole(int size) throws Exception {
        byte[] data = data(size, size);
        for (byte[] frame : new byte[][] {Zstd.compress(data, 3), streamed(data)}) {
            assertArrayEquals(data, readAll(new ReusedZstdInputStream(new ByteArrayInputStream(frame)), 8192));
            assertArrayEquals(data, readAll(new ReusedZstdInputStream(new ByteArrayInputStream(frame)), 7));
            assertArrayEquals(data, readAll(new ReusedZstdInputStream(new Trickle(frame)), 64 * 1024));
        }
    }

    @Test
    void framesOneAfterAnotherAreOneStream() throws Exception {
        byte[] a = data(5000, 1);
        byte[] b = data(70_000, 2);
        byte[] both = concat(Zstd.compress(a, 3), streamed(b));
        assertArrayEquals(concat(a, b), readAll(new ReusedZstdInputStream(new ByteArrayInputStream(both)), 4096));
    }

    @Test
    void singleByteReadsMatchBulkReads() throws Exception {
        byte[] data = data(3000, 3);
        try (InputStream in = new ReusedZstdInputStream(new ByteArrayInputStream(streamed(data)))) {
            for (byte expected : data) {
                assertEquals(expected & 0xFF, in.read());
            }
            assertEquals(-1, in.read());
        }
    }

    @Test
    void truncatedAndForeignInputIsAnIOException() throws Exception {
        byte[] frame = streamed(data(100_000, 4));
        for (int cut : new int[] {1, 4, 10, frame.length / 2, frame.length - 1}) {
            byte[] truncated = Arrays.copyOf(frame, cut);
            assertThrows(
                    IOException.class,
                    () -> readAll(new ReusedZstdInputStream(new ByteArrayInputStream(truncated)), 8192),
                    "cut at " + cut);
        }
        byte[] notZstd = "{\"v\":11}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThrows(
                IOException.class, () -> readAll(new ReusedZstdInputStream(new ByteArrayInputStream(notZstd)), 8192));
        byte[] trailingGarbage = concat(Zstd.compress(data(100, 5), 3), notZstd);
        assertThrows(
                IOException.class,
                () -> readAll(new ReusedZstdInputStream(new ByteArrayInputStream(trailingGarbage)), 8192));
    }

    @Test
    void aContextGivenBackMidFrameDecodesTheNextStreamCorrectly() throws Exception {
        for (int round = 0; round < 20; round++) {
            byte[] first = streamed(data(300_000, round));
            InputStream abandoned = new ReusedZstdInputStream(new ByteArrayInputStream(first));
            abandoned.readNBytes(1000);
            abandoned.close(); // back to the pool mid-frame
            byte[] next = data(50_000 + round, 100 + round);
            assertArrayEquals(next, readAll(new ReusedZstdInputStream(new ByteArrayInputStream(streamed(next))), 8192));
        }
    }

    @Test
    void readingAfterCloseFails() throws Exception {
        InputStream in = new ReusedZstdInputStream(new ByteArrayInputStream(Zstd.compress(data(10, 6), 3)));
        in.close();
        assertThrows(IOException.class, in::read);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A source that hands out at most 3 bytes per read, as a slow network does. */
    private static final class Trickle extends FilterInputStream {
        Trickle(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 3));
        }
    }
}
