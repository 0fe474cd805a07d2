package org.ankisync.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a brand-new user's collection as the official server does: the six
 * stock notetypes, the Default deck and options, the default config with no
 * creation offset, {@code mod = usn = ls = 0}, {@code scm} = now and {@code crt}
 * = the most recent 04:00 local time.
 *
 * <p>The stock content comes from a template made by the official library
 * ({@code tools/make_new_collection_template.py}); each copy gets its own
 * times and notetype ids, which the official code derives from the clock.
 */
public final class NewCollectionFactory {
    private static final String TEMPLATE = "new-collection.anki2";
    private static final LocalTime DAY_ROLLOVER = LocalTime.of(4, 0);

    private final Clock clock;

    public NewCollectionFactory(Clock clock) {
        this.clock = clock;
    }

    /** Writes a new collection at {@code target}, atomically; fails if the target exists. */
    public void create(Path target) throws IOException, SQLException {
        Path temp = Files.createTempFile(target.getParent(), "new-collection", ".tmp");
        try {
            try (InputStream in = NewCollectionFactory.class.getResourceAsStream(TEMPLATE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + TEMPLATE);
                }
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            personalise(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + "-wal"));
            Files.deleteIfExists(Path.of(temp + "-shm"));
        }
    }

    private void personalise(Path file) throws SQLException {
        long nowMillis = clock.millis();
        try (Connection db = CollectionDatabase.open(file)) {
            db.setAutoCommit(false);
            try (PreparedStatement col =
                    db.prepareStatement("update col set crt = ?, mod = 0, scm = ?, usn = 0, ls = 0")) {
                col.setLong(1, creationTime());
                col.setLong(2, nowMillis);
                col.executeUpdate();
            }
            renumberNotetypes(db, nowMillis);
            db.commit();
            CollectionDatabase.checkpoint(db);
        }
    }

    /** Notetype ids are creation timestamps in the official code: consecutive from now. */
    private static void renumberNotetypes(Connection db, long nowMillis) throws SQLException {
        List<Long> oldIds = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select id from notetypes order by id")) {
            while (rs.next()) {
                oldIds.add(rs.getLong(1));
            }
        }
        String currentModel;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select cast(val as text) from config where key = 'curModel'")) {
            currentModel = rs.next() ? rs.getString(1) : null;
        }
        for (int i = 0; i < oldIds.size(); i++) {
            long oldId = oldIds.get(i);
            long newId = nowMillis + i;
            for (String sql : List.of(
                    "update notetypes set id = ? where id = ?",
                    "update fields set ntid = ? where ntid = ?",
                    "update templates set ntid = ? where ntid = ?")) {
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    ps.setLong(1, newId);
                    ps.setLong(2, oldId);
                    ps.executeUpdate();
                }
            }
            if (Long.toString(oldId).equals(currentModel)) {
                try (PreparedStatement ps =
                        db.prepareStatement("update config set val = ?, mtime_secs = ? where key = 'curModel'")) {
                    ps.setBytes(1, Long.toString(newId).getBytes(StandardCharsets.UTF_8));
                    ps.setLong(2, nowMillis / 1000);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Today's 04:00 in the server's time zone, or yesterday's if it is not yet 04:00. */
    long creationTime() {
        ZoneId zone = clock.getZone();
        ZonedDateTime now = ZonedDateTime.now(clock);
        LocalDate day =
                now.toLocalTime().isBefore(DAY_ROLLOVER) ? now.toLocalDate().minusDays(1) : now.toLocalDate();
        return ZonedDateTime.of(day, DAY_ROLLOVER, zone).toEpochSecond();
    }
}
