package org.ankisync.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.ankisync.core.storage.schema18.CollectionCounts;

/**
 * Whether an uploaded file is a collection the server accepts
 * (integrity.md section 6); a schema-11 file (from a legacy client) is
 * upgraded to schema 18 in place, and pending usns are stamped as the
 * client's own pre-upload step does.
 */
public final class UploadCheck {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> SCHEMA_18_TABLES = List.of(
            "col",
            "notes",
            "cards",
            "revlog",
            "graves",
            "notetypes",
            "fields",
            "templates",
            "decks",
            "deck_config",
            "config",
            "tags");

    private UploadCheck() {}

    /** Null if the file is an acceptable collection, else what is wrong with it. */
    public static String problem(Path file, long nowMillis) throws IOException {
        byte[] head = new byte[SQLITE_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
                return "not an SQLite database";
            }
        }
        try (Connection db = CollectionDatabase.open(file);
                Statement st = db.createStatement()) {
            String integrity = CollectionDatabase.integrityCheck(db);
            if (!"ok".equals(integrity)) {
                return "integrity check: " + integrity;
            }
            String upgrade = upgradeSchema11(db, nowMillis);
            if (upgrade != null) {
                return upgrade;
            }
            String shape = shapeProblem(st);
            if (shape != null) {
                return shape;
            }
            db.setAutoCommit(false);
            for (String table : CollectionCounts.USN_TABLES) {
                // What the client's own pre-upload step does; otherwise the next sanity check fails.
                st.executeUpdate("update " + table + " set usn = 0 where usn = -1");
            }
            db.commit();
            db.setAutoCommit(true);
            CollectionDatabase.checkpoint(db);
            return null;
        } catch (SQLException e) {
            return "cannot open: " + e.getMessage();
        }
    }

    /** The tables, the one {@code col} row at version 18, valid card types and queues. */
    private static String shapeProblem(Statement st) throws SQLException {
        for (String table : SCHEMA_18_TABLES) {
            try (ResultSet rs = st.executeQuery(
                    "select count() from sqlite_master where type = 'table' and name = '" + table + "'")) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    return "missing table " + table;
                }
            }
        }
        try (ResultSet rs = st.executeQuery("select count(), min(id), max(ver) from col")) {
            if (!rs.next() || rs.getInt(1) != 1 || rs.getLong(2) != 1) {
                return "col must hold exactly one row with id 1";
            }
            int ver = rs.getInt(3);
            if (ver != 18) {
                // 14-17 only ever existed inside Rust-era desktop clients, which upload 11 or 18.
                return "schema version " + ver + " (only 11 and 18 are accepted)";
            }
        }
        try (ResultSet rs = st.executeQuery(
                "select count() from cards where type not between 0 and 3" + " or queue not between -3 and 4")) {
            if (rs.next() && rs.getInt(1) > 0) {
                return "cards with an invalid type or queue";
            }
        }
        return null;
    }

    /** Upgrades a schema-11 upload to 18; null if done or not needed, else the problem. */
    private static String upgradeSchema11(Connection db, long nowMillis) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "select ver from col where exists (select 1 from sqlite_master where name = 'col')")) {
            if (!rs.next() || rs.getInt(1) != 11) {
                return null;
            }
        } catch (SQLException e) {
            return null; // no col table: reported by the table check
        }
        db.setAutoCommit(false);
        try {
            Schema11Upgrade.upgrade(db, nowMillis / 1000);
            db.commit();
            return null;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            return "schema 11 upgrade: " + e.getMessage();
        } finally {
            db.setAutoCommit(true);
        }
    }
}
