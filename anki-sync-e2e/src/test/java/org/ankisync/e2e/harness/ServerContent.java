package org.ankisync.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ankisync.core.storage.CollectionDatabase;

/**
 * What a sync can change, as comparable text: notes, cards and review log
 * without usn (which differs between a client and the server by design).
 * Read from the server's file (server stopped) or from a device.
 */
public final class ServerContent {
    static final List<String> QUERIES = List.of(
            "select id, guid, mid, mod, tags, flds from notes order by id",
            "select id, nid, did, ord, mod, type, queue, due, ivl, factor, reps, lapses, left, flags from cards"
                    + " order by id",
            "select id, cid, ease, ivl, lastIvl, factor, time, type from revlog order by id");

    private ServerContent() {}

    /** The content of the server's collection file; also checks SQLite's integrity check. */
    public static String ofFile(Path collection) throws SQLException {
        if (!Files.exists(collection)) {
            return "";
        }
        try (Connection db = CollectionDatabase.open(collection)) {
            assertEquals("ok", CollectionDatabase.integrityCheck(db), "integrity of " + collection);
            return read(db);
        }
    }

    /**
     * Checks a stopped server's media for a user: the media database passes
     * SQLite's integrity check and every file it lists is on disk with the
     * recorded SHA-1. Returns the media usn (0 without a database).
     */
    public static int checkMedia(Path userFolder) throws SQLException, IOException {
        Path mediaDb = userFolder.resolve("media.db");
        if (!Files.exists(mediaDb)) {
            return 0;
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + mediaDb);
                Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("pragma integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1), "integrity of " + mediaDb);
            }
            try (ResultSet rs = st.executeQuery("select fname, csum, size from media where size > 0")) {
                while (rs.next()) {
                    Path file = userFolder.resolve("media").resolve(rs.getString(1));
                    assertTrue(Files.isRegularFile(file), "listed but missing: " + file);
                    assertEquals(HexFormat.of().formatHex(rs.getBytes(2)), sha1(file), "checksum of " + file);
                }
            }
            try (ResultSet rs = st.executeQuery("select last_usn from meta")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Connection db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = db.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rs = st.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.add("--");
            }
        }
        return String.join("\n", rows);
    }

    /** The same content read on a device through the official library. */
    public static String ofDevice(PythonDevice device) {
        StringBuilder code = new StringBuilder("rows = []\n");
        for (String query : QUERIES) {
            code.append("for r in col.db.all(\"")
                    .append(query)
                    .append("\"):\n")
                    .append("    rows.append(''.join(('None' if v is None else str(v)) + '|' for v in r))\n")
                    .append("rows.append('--')\n");
        }
        code.append("result = '\\n'.join(rows)");
        JsonNode result = device.run(code.toString());
        return result.asText();
    }
}
