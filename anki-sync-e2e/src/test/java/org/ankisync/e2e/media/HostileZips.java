package org.ankisync.e2e.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Upload zips, well-formed or hostile. */
public final class HostileZips {
    private HostileZips() {
    }

    /** STORED members in map order, then {@code _meta} (unless null). */
    public static byte[] upload(String metaJson, Map<String, byte[]> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                stored(zip, member.getKey(), member.getValue());
            }
            if (metaJson != null) {
                stored(zip, "_meta", metaJson.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** A local header declaring {@code declaredSize} bytes, with little actual data, then a _meta naming it. */
    public static byte[] declaredHuge(long declaredSize) {
        byte[] name = "0".getBytes(StandardCharsets.UTF_8);
        byte[] data = "tiny".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + name.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0x21)
                .putInt(0).putInt((int) declaredSize).putInt((int) declaredSize)
                .putShort((short) name.length).putShort((short) 0).put(name).put(data);
        return b.array();
    }

    /** {@code count} one-byte members, and a _meta naming the first. */
    public static byte[] manyEntries(int count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < count; i++) {
                stored(zip, Integer.toString(i), new byte[] {(byte) i});
            }
            stored(zip, "_meta", "[[\"many.txt\",\"0\"]]".getBytes(StandardCharsets.UTF_8));
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
            stored(zip, "_meta", "[[\"bomb.bin\",\"0\"]]".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
