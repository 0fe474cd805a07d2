package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.storage.NewCollectionFactory;

/**
 * The {@code /sync/*} methods after authentication. Callers hold the user's
 * lock for the duration of each call (see {@link UserCollection}).
 */
public final class CollectionSyncService {
    static final String V2_SCHEDULER_REFUSAL = "Your client does not support the v2 scheduler";
    static final String TIMEZONE_REFUSAL = "Your client does not support the new timezone handling.";

    private final ObjectMapper json;
    private final Clock clock;
    private final NewCollectionFactory newCollections;
    private final MediaSync media;
    private final long maxUncompressedBytes;

    public CollectionSyncService(ObjectMapper json, Clock clock, MediaSync media, long maxUncompressedBytes) {
        this.json = json;
        this.clock = clock;
        this.newCollections = new NewCollectionFactory(clock);
        this.media = media;
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /** Runs {@code work} while holding the user's lock, so one user's requests never overlap. */
    public <T> T locked(UserCollection user, java.util.function.Supplier<T> work) {
        user.lock().lock();
        try {
            return work.get();
        } finally {
            user.lock().unlock();
        }
    }

    /** {@code meta}: aborts any running session, creates a missing collection, reports the state. */
    public ObjectNode meta(UserCollection user, JsonNode request) {
        user.abortSession();
        JsonNode v = request.get("v");
        JsonNode cv = request.get("cv");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || cv == null || !cv.isTextual()) {
            throw SyncException.badRequest("invalid json: meta needs integer v and string cv");
        }
        int version = v.intValue();
        ensureCollection(user);
        if (version < 8 || version > 11) {
            throw new SyncException(HttpStatus.CLIENT_TOO_OLD, "unsupported version: " + version);
        }
        ObjectNode reply = json.createObjectNode();
        try (Connection db = user.open(); Statement st = db.createStatement()) {
            long mod;
            long scm;
            int usn;
            try (ResultSet rs = st.executeQuery("select mod, scm, usn from col")) {
                if (!rs.next()) {
                    throw SyncException.internal("collection has no col row", null);
                }
                mod = rs.getLong(1);
                scm = rs.getLong(2);
                usn = rs.getInt(3);
            }
            boolean empty;
            try (ResultSet rs = st.executeQuery("select not exists (select 1 from cards)")) {
                empty = rs.next() && rs.getBoolean(1);
            }
            if (Files.size(user.file()) > maxUncompressedBytes) {
                // Too large to download again: force a full sync, as the official server does.
                scm = clock.millis();
            }
            String msg = "";
            boolean cont = true;
            if (version < 9 && "2".equals(configText(st, "schedVer"))) {
                msg = V2_SCHEDULER_REFUSAL;
                cont = false;
            } else if (version < 10 && isInteger(configText(st, "creationOffset"))) {
                msg = TIMEZONE_REFUSAL;
                cont = false;
            }
            reply.put("mod", mod);
            reply.put("scm", scm);
            reply.put("usn", usn);
            reply.put("ts", clock.millis() / 1000);
            reply.put("msg", msg);
            reply.put("cont", cont);
            reply.put("hostNum", 0);
            reply.put("empty", empty);
            reply.put("media_usn", media.currentUsn(user.username()));
        } catch (SQLException | IOException e) {
            throw SyncException.internal("sync meta: " + e.getMessage(), e);
        }
        return reply;
    }

    private void ensureCollection(UserCollection user) {
        try {
            user.ensureExists(newCollections);
        } catch (SQLException | IOException e) {
            throw SyncException.internal("open collection: " + e.getMessage(), e);
        }
    }

    private static String configText(Statement st, String key) throws SQLException {
        try (ResultSet rs = st.executeQuery("select cast(val as text) from config where key = '" + key + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean isInteger(String jsonText) {
        return jsonText != null && jsonText.trim().matches("-?\\d+");
    }
}
