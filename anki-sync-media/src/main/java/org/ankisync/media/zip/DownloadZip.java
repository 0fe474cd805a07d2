package org.ankisync.media.zip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ankisync.core.framing.NonClosingOutputStream;

/**
 * The {@code downloadFiles} reply (media-sync.md section 3.4): members
 * {@code "0"}, {@code "1"}, ... holding the files in request order, then
 * {@code _meta} mapping member names to file names. Members are STORED, as the
 * official server writes them, so the zip's exact length is known before a
 * byte is sent (v11 needs it for {@code anki-original-size}) and file data is
 * streamed from the store without buffering.
 */
public final class DownloadZip {
    private final List<File> files;
    private final byte[] meta;
    private final long size;

    /** A file to send: its name, exact length and CRC-32, and the stream its bytes come from. */
    public record File(String fname, long size, long crc32, InputStream content) {}

    public DownloadZip(ObjectMapper json, List<File> files) throws IOException {
        this.files = List.copyOf(files);
        ObjectNode map = json.createObjectNode();
        for (int i = 0; i < files.size(); i++) {
            map.put(Integer.toString(i), files.get(i).fname());
        }
        this.meta = json.writeValueAsBytes(map);
        this.size = computeSize();
    }

    /** The exact number of bytes {@link #writeTo} writes. */
    /** How many files the zip carries. */
    public int fileCount() {
        return files.size();
    }

    /** The files' bytes, before zip framing. */
    public long contentBytes() {
        long total = 0;
        for (File file : files) {
            total += file.size();
        }
        return total;
    }

    public long size() {
        return size;
    }

    /** Writes the zip and closes the file streams. Fails if a file is not the length or CRC announced. */
    public void writeTo(OutputStream out) throws IOException {
        try {
            ZipOutputStream zip = new ZipOutputStream(new NonClosingOutputStream(out));
            byte[] buffer = new byte[64 * 1024];
            for (int i = 0; i < files.size(); i++) {
                File file = files.get(i);
                zip.putNextEntry(storedEntry(Integer.toString(i), file.size(), file.crc32()));
                long copied = 0;
                int n;
                while (copied < file.size()
                        && (n = file.content().read(buffer, 0, (int) Math.min(buffer.length, file.size() - copied)))
                                > 0) {
                    zip.write(buffer, 0, n);
                    copied += n;
                }
                if (copied != file.size()) {
                    throw new IOException("media file " + file.fname() + " shrank while being sent");
                }
                zip.closeEntry();
                file.content().close();
            }
            zip.putNextEntry(storedEntry(UploadZipReader.META, meta.length, crc(meta)));
            zip.write(meta);
            zip.closeEntry();
            // close(), not finish(): only close ends the stream's Deflater, whose native
            // memory would otherwise wait for a finalizer. The adapter's stream stays open.
            zip.close();
        } finally {
            closeAll();
        }
    }

    /** Closes the file streams without sending (the reply was never written). */
    public void closeAll() {
        for (File file : files) {
            try {
                file.content().close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** Zip structure is independent of the data, so the length is that of an empty-data zip plus the data. */
    private long computeSize() throws IOException {
        Counting counter = new Counting();
        ZipOutputStream zip = new ZipOutputStream(counter);
        long data = 0;
        for (int i = 0; i < files.size(); i++) {
            zip.putNextEntry(storedEntry(Integer.toString(i), 0, 0));
            zip.closeEntry();
            data += files.get(i).size();
        }
        zip.putNextEntry(storedEntry(UploadZipReader.META, meta.length, crc(meta)));
        zip.write(meta);
        zip.closeEntry();
        zip.close();
        return counter.count + data;
    }

    private static ZipEntry storedEntry(String name, long size, long crc) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc);
        // a fixed time keeps the headers the same size whatever the clock says
        entry.setTime(FIXED_TIME);
        return entry;
    }

    private static final long FIXED_TIME = 1_577_836_800_000L; // 2020-01-01

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
