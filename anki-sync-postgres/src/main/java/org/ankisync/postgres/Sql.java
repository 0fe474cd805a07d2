package org.ankisync.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work on a pooled connection, alone or in one transaction; a database
 * error becomes an {@link IllegalStateException} naming the concern (the
 * request then fails as any server error does).
 */
final class Sql {
    private final DataSource pool;
    private final String concern;

    Sql(DataSource pool, String concern) {
        this.pool = pool;
        this.concern = concern;
    }

    /** Work in auto-commit mode (each statement its own transaction). */
    <T> T run(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Work in one transaction, rolled back if it throws. */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private IllegalStateException failure(SQLException e) {
        return new IllegalStateException("PostgreSQL " + concern + ": " + e.getMessage(), e);
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
