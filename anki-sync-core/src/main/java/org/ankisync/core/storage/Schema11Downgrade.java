package org.ankisync.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.ankisync.core.storage.schema18.DeckConfigJson;
import org.ankisync.core.storage.schema18.DeckConfigRecord;
import org.ankisync.core.storage.schema18.DeckConfigTable;
import org.ankisync.core.storage.schema18.DeckJson;
import org.ankisync.core.storage.schema18.DeckRecord;
import org.ankisync.core.storage.schema18.DeckTable;
import org.ankisync.core.storage.schema18.LegacyJsonWriter;
import org.ankisync.core.storage.schema18.NotetypeJson;
import org.ankisync.core.storage.schema18.NotetypeRecord;
import org.ankisync.core.storage.schema18.NotetypeTable;

/**
 * The 18 → 11 downgrade (storage-schema.md section 11) that legacy clients
 * need for a full download: the schema-18 tables become the JSON columns of
 * {@code col}, graves lose their primary key, and the file is switched to
 * journal mode DELETE. The object conversions are those of
 * {@link NotetypeJson}, {@link DeckJson} and {@link DeckConfigJson}, the same as in a normal sync.
 *
 * <p>Always run on a copy: the stored collection stays schema 18.
 */
public final class Schema11Downgrade {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NotetypeJson NOTETYPES = new NotetypeJson();
    private static final DeckJson DECKS = new DeckJson();
    private static final DeckConfigJson DECK_CONFIGS = new DeckConfigJson();

    private Schema11Downgrade() {}

    /** Downgrades the schema-18 collection file in place (give it a copy) and leaves it in journal mode DELETE. */
    public static void downgrade(Path file) throws SQLException {
        try (Connection db = CollectionDatabase.open(file)) {
            db.setAutoCommit(false);
            try {
                downgrade(db);
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            }
            db.setAutoCommit(true);
            try (Statement st = db.createStatement()) {
                st.execute("pragma journal_mode = delete");
            }
        }
    }

    /** The downgrade inside the caller's transaction. */
    static void downgrade(Connection db) throws SQLException {
        int ver;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select ver from col")) {
            if (!rs.next()) {
                throw new SQLException("collection has no col row");
            }
            ver = rs.getInt(1);
        }
        if (ver != 18) {
            throw new SQLException("can only downgrade schema 18, not " + ver);
        }
        try (Statement st = db.createStatement()) {
            st.execute("alter table graves rename to graves_old");
            st.execute("create table graves (usn integer not null, oid integer not null, type integer not null)");
            st.execute("insert into graves (usn, oid, type) select usn, oid, type from graves_old");
            st.execute("drop table graves_old");
        }

        ObjectNode dconf = JsonNodeFactory.instance.objectNode();
        for (DeckConfigRecord conf : DeckConfigTable.all(db)) {
            dconf.set(Long.toString(conf.id()), DECK_CONFIGS.toJson(conf));
        }
        ObjectNode decks = JsonNodeFactory.instance.objectNode();
        for (DeckRecord deck : DeckTable.all(db)) {
            decks.set(Long.toString(deck.id()), DECKS.toJson(deck));
        }
        ObjectNode models = JsonNodeFactory.instance.objectNode();
        for (NotetypeRecord nt : NotetypeTable.all(db)) {
            models.set(Long.toString(nt.id()), NOTETYPES.toJson(nt));
        }
        ObjectNode conf = JsonNodeFactory.instance.objectNode();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select key, val from config order by key")) {
            while (rs.next()) {
                String key = rs.getString(1);
                try {
                    conf.set(key, JSON.readTree(rs.getBytes(2)));
                } catch (IOException e) {
                    throw new SQLException("config value " + key + " is not JSON", e);
                }
            }
        }
        ObjectNode tags = JsonNodeFactory.instance.objectNode();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select tag, usn from tags order by tag")) {
            while (rs.next()) {
                tags.put(rs.getString(1), rs.getInt(2));
            }
        }

        try (Statement st = db.createStatement()) {
            for (String table :
                    new String[] {"config", "deck_config", "tags", "fields", "templates", "notetypes", "decks"}) {
                st.execute("drop table if exists " + table);
            }
            st.execute("drop index if exists idx_cards_odid");
            st.execute("drop index if exists idx_notes_mid");
        }
        try (PreparedStatement ps =
                db.prepareStatement("update col set ver = 11, conf = ?, models = ?, decks = ?, dconf = ?, tags = ?")) {
            ps.setString(1, text(conf));
            ps.setString(2, text(models));
            ps.setString(3, text(decks));
            ps.setString(4, text(dconf));
            ps.setString(5, text(tags));
            ps.executeUpdate();
        }
    }

    private static String text(JsonNode value) {
        return LegacyJsonWriter.write(value);
    }
}
