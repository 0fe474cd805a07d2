package org.ankisync.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from {@code timestamptz} as {@link OffsetDateTime} in UTC:
 * unlike {@code java.sql.Timestamp}, no detour through the JVM's time zone
 * (whose daylight-saving gaps would shift some instants).
 */
final class Times {
    private Times() {}

    static OffsetDateTime at(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    static long millis(ResultSet rs, int column) throws SQLException {
        return instant(rs, column).toEpochMilli();
    }
}
