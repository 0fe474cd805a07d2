package org.ankisync.e2e.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ankisync.media.Zips;

/**
 * Hostile upload zips. Well-formed ones, and the zip writing itself, come from the media module's
 * test fixtures ({@link Zips}, in its test-jar).
 */
public final class HostileZips {
    private HostileZips() {}

    /** A local header declaring {@code declaredSize} bytes, with little actual data, then a _meta naming it. */
    public static byte[] declaredHuge(long declaredSize) {
        return Zips.rawLocalEntry("0", declaredSize, "tiny".getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} one-byte members, and a _meta naming the first. */
    public static byte[] manyEntries(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < count; i++) {
                Zips.stored(zip, Integer.toString(i), new byte[] {(byte) i});
            }
            Zips.stored(zip, "_meta", "[[\"many.txt\",\"0\"]]".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A DEFLATE member that inflates to {@code megabytes} MiB of zeros. */
    public static byte[] deflateBomb(int megabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("0"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
            Zips.stored(zip, "_meta", "[[\"bomb.bin\",\"0\"]]".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
