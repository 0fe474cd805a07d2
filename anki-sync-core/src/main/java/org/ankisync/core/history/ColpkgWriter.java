package org.ankisync.core.history;

import com.github.luben.zstd.ZstdOutputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an Anki collection package ({@code .colpkg}), the file of Anki's
 * <i>File → Export → Anki Collection Package</i>, in its current layout
 * ("version 3", which Anki 2.1.50 and later import): a zip holding
 * <ul>
 * <li>{@code meta}: the protobuf {@code PackageMetadata} with {@code version = 3};</li>
 * <li>{@code collection.anki21b}: the schema-18 collection, zstd-compressed;</li>
 * <li>{@code 0}, {@code 1}, ...: the media files, each zstd-compressed;</li>
 * <li>{@code media}: the protobuf {@code MediaEntries} (name, size, SHA-1 per
 * numbered file, in order), zstd-compressed.</li>
 * </ul>
 * Anki's own exports add a tiny schema-11 {@code collection.anki2} telling
 * clients older than 2.1.50 to update; importers of version 3 never read it,
 * so it is left out. The package is written to a temporary file and renamed.
 */
public final class ColpkgWriter {
    private static final int VERSION_LATEST = 3;

    private ColpkgWriter() {}

    /** Packs {@code collection} (an uncompressed schema-18 file) and the files in {@code mediaFolder}. */
    public static int write(Path collection, Path mediaFolder, Path target) throws IOException {
        return write(collection, mediaFiles(mediaFolder), target);
    }

    /**
     * Packs {@code collection} and {@code media}, each file under its own file
     * name (the first of two files with one name wins).
     */
    public static int write(Path collection, List<Path> media, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".colpkg-", ".tmp");
        int mediaCount;
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
                // The entries are zstd streams already: store them with a no-effort deflate.
                zip.setLevel(Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry("meta"));
                zip.write(packageMetadata());
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("collection.anki21b"));
                try (InputStream in = Files.newInputStream(collection);
                        OutputStream out = zstd(zip)) {
                    in.transferTo(out);
                }
                zip.closeEntry();
                ByteArrayOutputStream entries = new ByteArrayOutputStream();
                CodedOutputStream list = CodedOutputStream.newInstance(entries);
                List<Path> files = new ArrayList<>();
                java.util.Set<String> names = new java.util.HashSet<>();
                for (Path file : media) {
                    if (names.add(file.getFileName().toString())) {
                        files.add(file);
                    }
                }
                for (int i = 0; i < files.size(); i++) {
                    Path file = files.get(i);
                    zip.putNextEntry(new ZipEntry(Integer.toString(i)));
                    MessageDigest sha1 = sha1();
                    long size;
                    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha1);
                            OutputStream out = zstd(zip)) {
                        size = in.transferTo(out);
                    }
                    zip.closeEntry();
                    list.writeByteArray(1, mediaEntry(file.getFileName().toString(), size, sha1.digest()));
                }
                list.flush();
                mediaCount = files.size();
                zip.putNextEntry(new ZipEntry("media"));
                try (OutputStream out = zstd(zip)) {
                    entries.writeTo(out);
                }
                zip.closeEntry();
            }
            Snapshots.force(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return mediaCount;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] packageMetadata() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeEnum(1, VERSION_LATEST);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] mediaEntry(String name, long size, byte[] sha1) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, name);
        out.writeUInt32(2, (int) Math.min(size, 0xffffffffL));
        out.writeByteArray(3, sha1);
        out.flush();
        return bytes.toByteArray();
    }

    /** The non-empty files of a folder, sorted. */
    public static List<Path> mediaFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
            for (Path file : all) {
                if (Files.isRegularFile(file) && Files.size(file) > 0) {
                    files.add(file);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** A zstd stream into the zip entry that does not close the zip when it is closed. */
    private static OutputStream zstd(ZipOutputStream zip) throws IOException {
        return new ZstdOutputStream(
                new FilterOutputStream(zip) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                },
                3);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
