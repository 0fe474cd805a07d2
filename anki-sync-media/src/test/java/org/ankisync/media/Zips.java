package org.ankisync.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds upload zips for tests, well-formed or not. */
public final class Zips {
    private Zips() {}

    /** An upload zip the way current clients write it: STORED members, then {@code _meta}. */
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

    /** Shortcut: additions only, {@code name -> content}, members "0", "1", ... */
    public static byte[] additions(Map<String, byte[]> files) {
        StringBuilder meta = new StringBuilder("[");
        Map<String, byte[]> members = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (i > 0) {
                meta.append(',');
            }
            meta.append("[\"")
                    .append(file.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\",\"")
                    .append(i)
                    .append("\"]");
            members.put(Integer.toString(i), file.getValue());
            i++;
        }
        return upload(meta.append(']').toString(), members);
    }

    /** Writes one STORED member (size and CRC up front, as current clients write them). */
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

    /** A bare local file header declaring {@code declaredSize} bytes, followed by {@code data}. */
    public static byte[] rawLocalEntry(String name, long declaredSize, byte[] data) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + nameBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50)
                .putShort((short) 20)
                .putShort((short) 0x0800)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 0x21)
                .putInt(0)
                .putInt((int) declaredSize)
                .putInt((int) declaredSize)
                .putShort((short) nameBytes.length)
                .putShort((short) 0)
                .put(nameBytes)
                .put(data);
        return b.array();
    }
}
