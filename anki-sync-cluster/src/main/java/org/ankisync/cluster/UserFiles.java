package org.ankisync.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.ankisync.core.storage.CollectionDatabase;

/**
 * A user's files as one stream between nodes: a zip of {@code collection.anki2},
 * {@code media.db} and {@code media/*}, then a {@code MANIFEST.sha256} entry
 * with each file's SHA-256. The SQLite files are consistent copies
 * ({@code VACUUM INTO}), so the stream can be made while the files are open.
 * Snapshots and the media trash stay on the old node (its history, not the
 * user's data). The receiving side verifies every digest and the collection's
 * integrity before the files are renamed into place.
 */
public final class UserFiles {
    static final String COLLECTION = "collection.anki2";
    static final String MEDIA_DB = "media.db";
    static final String MEDIA = "media";
    static final String MANIFEST = "MANIFEST.sha256";

    private UserFiles() {}

    /** Writes {@code folder}'s files as the transfer zip; {@code scratch} holds the SQLite copies meanwhile. */
    public static void export(Path folder, Path scratch, OutputStream out) throws IOException {
        Files.createDirectories(scratch);
        Path collection = scratch.resolve(COLLECTION);
        Path mediaDb = scratch.resolve(MEDIA_DB);
        try {
            Map<String, String> digests = new LinkedHashMap<>();
            ZipOutputStream zip = new ZipOutputStream(out);
            // Media files are mostly compressed already; speed matters more than a few bytes.
            zip.setLevel(1);
            if (Files.isRegularFile(folder.resolve(COLLECTION))) {
                vacuumInto(folder.resolve(COLLECTION), collection, true);
                digests.put(COLLECTION, put(zip, COLLECTION, collection));
            }
            if (Files.isRegularFile(folder.resolve(MEDIA_DB))) {
                vacuumInto(folder.resolve(MEDIA_DB), mediaDb, false);
                digests.put(MEDIA_DB, put(zip, MEDIA_DB, mediaDb));
            }
            for (Path file : mediaFiles(folder.resolve(MEDIA))) {
                String name = MEDIA + "/" + file.getFileName();
                digests.put(name, put(zip, name, file));
            }
            zip.putNextEntry(new ZipEntry(MANIFEST));
            StringBuilder manifest = new StringBuilder();
            digests.forEach((name, digest) ->
                    manifest.append(digest).append("  ").append(name).append('\n'));
            zip.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            zip.flush();
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Reads a transfer zip into {@code staging} (which must not exist), checks it
     * against its manifest and the collection's integrity, and returns the
     * manifest (name to SHA-256).
     *
     * @throws IOException if anything is missing, extra, altered or damaged
     */
    public static Map<String, String> receive(InputStream in, Path staging) throws IOException {
        Files.createDirectories(staging.resolve(MEDIA));
        Map<String, String> received = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        String manifest;
        try {
            manifest = readEntries(zip, staging, received);
        } catch (EOFException | ZipException e) {
            throw new IOException("the transfer was cut off or damaged: " + e, e);
        }
        if (manifest == null) {
            throw new IOException("the transfer ended before its manifest (cut off?)");
        }
        Map<String, String> expected = parse(manifest);
        if (!expected.equals(received)) {
            throw new IOException("the files received differ from the manifest: expected " + expected.size()
                    + " files, received " + received.size() + " (or a digest differs)");
        }
        if (Files.isRegularFile(staging.resolve(COLLECTION))) {
            try (Connection db = CollectionDatabase.open(staging.resolve(COLLECTION))) {
                String check = CollectionDatabase.integrityCheck(db);
                if (!check.equals("ok")) {
                    throw new IOException("the received collection fails its integrity check: " + check);
                }
            } catch (SQLException e) {
                throw new IOException("the received collection cannot be opened: " + e.getMessage(), e);
            }
        }
        return expected;
    }

    /** Copies each entry into {@code staging} with its digest in {@code received}; returns the manifest's text. */
    private static String readEntries(ZipInputStream zip, Path staging, Map<String, String> received)
            throws IOException {
        String manifest = null;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            String name = entry.getName();
            if (name.equals(MANIFEST)) {
                manifest = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                continue;
            }
            Path target = staging.resolve(name).normalize();
            boolean allowed = name.equals(COLLECTION)
                    || name.equals(MEDIA_DB)
                    || (name.startsWith(MEDIA + "/") && target.getParent().equals(staging.resolve(MEDIA)));
            if (!allowed || received.containsKey(name)) {
                throw new IOException("unexpected entry in a user's files: " + name);
            }
            MessageDigest sha = sha256();
            Files.copy(new DigestInputStream(zip, sha), target);
            received.put(name, HexFormat.of().formatHex(sha.digest()));
        }
        return manifest;
    }

    private static Map<String, String> parse(String manifest) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : manifest.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int gap = line.indexOf("  ");
            if (gap != 64) {
                throw new IOException("bad manifest line: " + line);
            }
            out.put(line.substring(66), line.substring(0, 64));
        }
        return out;
    }

    private static String put(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
        return HexFormat.of().formatHex(sha.digest());
    }

    private static List<Path> mediaFiles(Path media) throws IOException {
        if (!Files.isDirectory(media)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(media)) {
            List<Path> out = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            out.sort(Comparator.naturalOrder());
            return out;
        }
    }

    private static void vacuumInto(Path live, Path copy, boolean collection) throws IOException {
        try (Connection db = collection
                        ? CollectionDatabase.open(live)
                        : DriverManager.getConnection("jdbc:sqlite:" + live.toAbsolutePath());
                Statement st = db.createStatement()) {
            st.execute("pragma busy_timeout = 60000");
            st.execute("vacuum into '" + copy.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IOException("copying " + live.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Renames a received folder into place as the user's folder (which must not exist). */
    public static void install(Path staging, Path folder) throws IOException {
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
