package org.ankisync.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFilesTest {
    @TempDir
    Path temp;

    Path folder;

    @BeforeEach
    void aUserFolder() throws Exception {
        folder = temp.resolve("alice");
        Files.createDirectories(folder.resolve("media"));
        sqlite(
                folder.resolve("collection.anki2"),
                "create table notes (id integer primary key, flds text)",
                "insert into notes values (1, 'front')");
        sqlite(
                folder.resolve("media.db"),
                "create table media (fname text primary key)",
                "insert into media values ('caf\u00e9.jpg')");
        Files.write(folder.resolve("media").resolve("caf\u00e9.jpg"), new byte[] {1, 2, 3, 4});
        Files.writeString(folder.resolve("media").resolve("notes.txt"), "hello");
    }

    @Test
    void theFilesArriveWhole() throws Exception {
        byte[] stream = export();
        Path staging = temp.resolve("staging");
        Map<String, String> manifest = UserFiles.receive(new ByteArrayInputStream(stream), staging);
        assertEquals(4, manifest.size(), manifest.toString());
        assertArrayEquals(
                new byte[] {1, 2, 3, 4},
                Files.readAllBytes(staging.resolve("media").resolve("caf\u00e9.jpg")));
        assertEquals("hello", Files.readString(staging.resolve("media").resolve("notes.txt")));
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + staging.resolve("collection.anki2"));
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select flds from notes")) {
            assertTrue(rs.next());
            assertEquals("front", rs.getString(1));
        }
        UserFiles.install(staging, temp.resolve("alice-moved"));
        assertTrue(Files.isRegularFile(temp.resolve("alice-moved").resolve("media.db")));
    }

    @Test
    void aStreamCutBeforeItsManifestIsRefused() throws Exception {
        byte[] stream = export();
        // Cut inside the files (a source node that died mid-stream): the manifest never arrives.
        byte[] cut = Arrays.copyOf(stream, stream.length / 2);
        IOException e = assertThrows(
                IOException.class, () -> UserFiles.receive(new ByteArrayInputStream(cut), temp.resolve("staging")));
        assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    }

    @Test
    void aFileThatDiffersFromTheManifestIsRefused() throws Exception {
        // Re-packs the export with one media file changed and the original manifest.
        ByteArrayOutputStream altered = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(export()));
                ZipOutputStream out = new ZipOutputStream(altered)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("media/notes.txt")) {
                    content = "hellO".getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        IOException e = assertThrows(
                IOException.class,
                () -> UserFiles.receive(new ByteArrayInputStream(altered.toByteArray()), temp.resolve("staging")));
        assertTrue(e.getMessage().contains("differ from the manifest"), e.getMessage());
    }

    @Test
    void anEntryOutsideTheUsersFilesIsRefused() throws Exception {
        ByteArrayOutputStream evil = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(evil)) {
            out.putNextEntry(new ZipEntry("media/../../escape.txt"));
            out.write(1);
            out.closeEntry();
        }
        assertThrows(
                IOException.class,
                () -> UserFiles.receive(new ByteArrayInputStream(evil.toByteArray()), temp.resolve("staging")));
        assertTrue(Files.notExists(temp.resolve("escape.txt")));
    }

    private byte[] export() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UserFiles.export(folder, temp.resolve("scratch-" + System.nanoTime()), out);
        return out.toByteArray();
    }

    private static void sqlite(Path file, String... statements) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = db.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
