package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.core.CoreResultSet;

class StatementCachingConnectionTest {
    private static final String BY_ID = "select name from items where id = ?";

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void createFile() throws SQLException {
        file = dir.resolve("test.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.execute("create table items (id integer primary key, name text)");
            for (int i = 1; i <= 50; i++) {
                st.execute("insert into items values (" + i + ", 'item " + i + "')");
            }
        }
    }

    @Test
    void aClosedStatementIsReusedWithFreshParameters() throws SQLException {
        try (Connection c = CollectionDatabase.open(file)) {
            PreparedStatement first = c.prepareStatement(BY_ID);
            assertEquals("item 3", name(first, 3));
            first.close();
            PreparedStatement second = c.prepareStatement(BY_ID);
            assertSame(first, second);
            assertFalse(second.isClosed());
            assertEquals("item 7", name(second, 7));
            second.close();
        }
    }

    @Test
    void columnNamesAreReadOnceForAStatementThatListsItsColumns() throws SQLException {
        try (Connection c = CollectionDatabase.open(file)) {
            String sql = "select id as item_id, name from items where id = ?";
            List<String[]> names = new ArrayList<>();
            for (int id : new int[] {4, 9, 60}) {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setInt(1, id);
                    try (ResultSet rs = st.executeQuery()) {
                        names.add(((CoreResultSet) rs).colsMeta);
                        assertEquals(2, rs.findColumn("name"));
                        assertEquals("item_id", rs.getMetaData().getColumnName(1));
                        if (id <= 50) {
                            assertTrue(rs.next());
                            assertEquals(id, rs.getInt("item_id"));
                            assertEquals("item " + id, rs.getString("name"));
                        } else {
                            assertFalse(rs.next());
                        }
                    }
                }
            }
            // The same array each run: the driver did not read them again.
            assertSame(names.get(0), names.get(1));
            assertSame(names.get(0), names.get(2));
        }
    }

    @Test
    void aStarQueryReadsItsColumnNamesEachRun() throws SQLException {
        try (Connection c = CollectionDatabase.open(file)) {
            List<String[]> names = new ArrayList<>();
            for (int run = 0; run < 2; run++) {
                try (PreparedStatement st = c.prepareStatement("select * from items where id = 1");
                        ResultSet rs = st.executeQuery()) {
                    names.add(((CoreResultSet) rs).colsMeta);
                    assertTrue(rs.next());
                    assertEquals("item 1", rs.getString("name"));
                }
            }
            assertNotSame(names.get(0), names.get(1));
        }
    }

    @Test
    void twoStatementsOfOneSqlInUseAtOnceAreTwo() throws SQLException {
        try (Connection c = CollectionDatabase.open(file);
                PreparedStatement outer = c.prepareStatement("select id from items where id <= ? order by id");
                PreparedStatement inner = c.prepareStatement("select id from items where id <= ? order by id")) {
            assertNotSame(outer, inner);
            outer.setInt(1, 3);
            List<String> pairs = new ArrayList<>();
            try (ResultSet a = outer.executeQuery()) {
                while (a.next()) {
                    inner.setInt(1, 2);
                    try (ResultSet b = inner.executeQuery()) {
                        while (b.next()) {
                            pairs.add(a.getInt(1) + "-" + b.getInt(1));
                        }
                    }
                }
            }
            assertEquals(List.of("1-1", "1-2", "2-1", "2-2", "3-1", "3-2"), pairs);
        }
    }

    @Test
    void aSecondCloseDoesNotHandTheStatementOutTwice() throws SQLException {
        try (Connection c = CollectionDatabase.open(file)) {
            PreparedStatement once = c.prepareStatement(BY_ID);
            once.close();
            once.close();
            PreparedStatement a = c.prepareStatement(BY_ID);
            PreparedStatement b = c.prepareStatement(BY_ID);
            assertNotSame(a, b);
            assertEquals("item 1", name(a, 1));
            assertEquals("item 2", name(b, 2));
        }
    }

    @Test
    void aStatementClosedMidResultHoldsNoReadTransaction() throws SQLException {
        try (Connection reader = CollectionDatabase.open(file);
                Connection writer = CollectionDatabase.open(file)) {
            PreparedStatement scan = reader.prepareStatement("select id from items order by id");
            ResultSet rows = scan.executeQuery();
            assertTrue(rows.next());
            scan.close(); // parked with its cursor half read: it must be reset

            try (Statement st = writer.createStatement()) {
                st.execute("update items set name = 'changed' where id = 1");
            }
            // A reader still inside a read transaction would keep the checkpoint from
            // copying the change into the database file: busy would be 1.
            try (Statement st = writer.createStatement();
                    ResultSet result = st.executeQuery("pragma wal_checkpoint(truncate)")) {
                assertTrue(result.next());
                assertEquals(0, result.getInt(1), "checkpoint busy");
            }
            assertEquals("changed", name(reader.prepareStatement(BY_ID), 1));
        }
    }

    @Test
    void onlyTheMostRecentlyUsedStatementsWaitAndClosingTheConnectionFinalisesThem() throws SQLException {
        List<PreparedStatement> all = new ArrayList<>();
        StatementCachingConnection c = (StatementCachingConnection) CollectionDatabase.open(file);
        try (c) {
            for (int i = 0; i < StatementCachingConnection.CAPACITY + 10; i++) {
                PreparedStatement st = c.prepareStatement("select name from items where id = " + i);
                all.add(st);
                st.close();
            }
            assertEquals(StatementCachingConnection.CAPACITY, c.parkedStatements());
            assertTrue(all.get(0).isClosed(), "the least recently used is finalised");
            assertFalse(all.get(all.size() - 1).isClosed());
        }
        assertTrue(all.get(all.size() - 1).isClosed());
    }

    @Test
    void theConnectionIsOpenedWithTheCollectionSettings() throws SQLException {
        try (Connection c = CollectionDatabase.open(file);
                Statement st = c.createStatement()) {
            assertEquals("wal", pragma(st, "journal_mode"));
            assertEquals("2", pragma(st, "synchronous"), "FULL");
            assertEquals("2", pragma(st, "temp_store"), "MEMORY");
        }
    }

    private static String pragma(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("pragma " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String name(PreparedStatement st, int id) throws SQLException {
        st.setInt(1, id);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
