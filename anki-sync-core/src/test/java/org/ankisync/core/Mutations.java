package org.ankisync.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A small mutational fuzzer: a few random edits of a valid input (bit flips,
 * truncation, cut-outs, duplicated or inserted runs, interesting bytes), so the
 * result stays close enough to valid to get past the first checks.
 */
public final class Mutations {
    private static final byte[][] INTERESTING = {
        {0},
        {(byte) 0xff},
        {(byte) 0x80},
        {(byte) 0xc3},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        "\r\n".getBytes(StandardCharsets.US_ASCII),
        "--".getBytes(StandardCharsets.US_ASCII),
        "\"".getBytes(StandardCharsets.US_ASCII),
        "[".getBytes(StandardCharsets.US_ASCII),
        "{".getBytes(StandardCharsets.US_ASCII),
        "99999999999999999999999".getBytes(StandardCharsets.US_ASCII),
        "-1".getBytes(StandardCharsets.US_ASCII),
        "null".getBytes(StandardCharsets.US_ASCII),
        "1e309".getBytes(StandardCharsets.US_ASCII),
        "../".getBytes(StandardCharsets.US_ASCII),
    };

    private Mutations() {}

    /** One to four random edits of {@code input} (which is not changed). */
    public static byte[] mutate(byte[] input, Random random) {
        byte[] out = input.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            out = edit(out, random);
        }
        return out;
    }

    private static byte[] edit(byte[] in, Random random) {
        if (in.length == 0) {
            return INTERESTING[random.nextInt(INTERESTING.length)].clone();
        }
        int at = random.nextInt(in.length);
        switch (random.nextInt(7)) {
            case 0: {
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: {
                byte[] out = in.clone();
                out[at] = (byte) random.nextInt(256);
                return out;
            }
            case 2:
                return java.util.Arrays.copyOf(in, at);
            case 3: {
                int len = Math.min(in.length - at, 1 + random.nextInt(16));
                return splice(in, at, len, new byte[0]);
            }
            case 4: {
                int len = Math.min(in.length - at, 1 + random.nextInt(32));
                byte[] run = java.util.Arrays.copyOfRange(in, at, at + len);
                return splice(in, at, 0, run);
            }
            case 5:
                return splice(in, at, 0, INTERESTING[random.nextInt(INTERESTING.length)]);
            default: {
                byte[] noise = new byte[1 + random.nextInt(8)];
                random.nextBytes(noise);
                return splice(in, at, 0, noise);
            }
        }
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.write(insert, 0, insert.length);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }
}
