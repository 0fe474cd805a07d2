package org.ankisync.media.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMediaDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aNewDatabaseHasSchemaFourAndAZeroMetaRow() throws Exception {
        Path file = dir.resolve("media.db");
        try (ServerMediaDatabase db = ServerMediaDatabase.open(file)) {
            assertEquals(new MediaMeta(0, 0, 0), db.meta());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                rs.next();
                assertEquals(4, rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('media') ORDER BY cid")) {
                StringBuilder cols = new StringBuilder();
                while (rs.next()) {
                    cols.append(rs.getString(1)).append(' ');
                }
                assertEquals("fname csum size usn mtime ", cols.toString());
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'ix_usn'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void migratesAVersionThreeDatabase() throws Exception {
        Path file = dir.resolve("media.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE media (fname text NOT NULL PRIMARY KEY, csum blob, sz int NOT NULL,"
                    + " usn int NOT NULL, deleted int NOT NULL)");
            s.execute("CREATE INDEX ix_usn ON media (usn)");
            s.execute("CREATE TABLE meta (usn int NOT NULL, sz int NOT NULL)");
            s.execute("INSERT INTO meta VALUES (7, 30)");
            s.execute("INSERT INTO media VALUES ('a', x'00112233445566778899aabbccddeeff00112233', 10, 3, 0)");
            s.execute("INSERT INTO media VALUES ('b', x'00112233445566778899aabbccddeeff00112233', 20, 5, 0)");
            s.execute("INSERT INTO media VALUES ('gone', NULL, 0, 7, 1)");
            s.execute("PRAGMA user_version = 3");
        }
        try (ServerMediaDatabase db = ServerMediaDatabase.open(file)) {
            assertEquals(new MediaMeta(5, 30, 2), db.meta());
            List<MediaEntry> rows = db.changesSince(0, 10);
            assertEquals(2, rows.size());
            assertEquals("a", rows.get(0).fname());
            assertTrue(rows.get(0).present());
            assertEquals("00112233445566778899aabbccddeeff00112233", rows.get(0).sha1HexOrEmpty());
        }
    }

    @Test
    void uncommittedChangesAreRolledBackOnClose() throws Exception {
        Path file = dir.resolve("media.db");
        try (ServerMediaDatabase db = ServerMediaDatabase.open(file)) {
            db.setEntry(new MediaEntry("a", new byte[20], 5, 1, 0));
            db.setMeta(new MediaMeta(1, 5, 1));
        }
        try (ServerMediaDatabase db = ServerMediaDatabase.open(file)) {
            assertEquals(new MediaMeta(0, 0, 0), db.meta());
            assertTrue(db.entry("a").isEmpty());
        }
    }
}
