package org.ankisync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The directory in PostgreSQL: nodes (name, endpoints, state, heartbeat) and
 * which node serves each user. Every method is one short transaction.
 *
 * <p>Placement rule for a user seen for the first time: the active node with a
 * recent heartbeat that serves the fewest users (ties by name); a node that
 * already holds the user's files on its disk (a single server turned into the
 * first node) keeps them. Placements are serialised by a transaction-scoped
 * advisory lock so that two nodes placing at once both see each other's count.
 */
public final class NodeDirectory {
    /** A node without a heartbeat for this long takes no new users. */
    public static final Duration ALIVE = Duration.ofSeconds(30);

    private static final long PLACEMENT_LOCK = 0x616e6b69_706c6163L;

    private final DataSource db;

    public NodeDirectory(DataSource db) {
        this.db = db;
    }

    /** One node as listed. */
    public record Node(
            String name, String publicEndpoint, String internalEndpoint, String state, Instant heartbeat, int users) {
        public boolean alive(Instant now) {
            return heartbeat.isAfter(now.minus(ALIVE));
        }
    }

    /** Where a user is: its node, and the target while it is being moved. */
    public record Assignment(String username, String node, String state, Optional<String> target) {
        public boolean moving() {
            return state.equals("moving");
        }
    }

    /** Adds this node or updates its endpoints and heartbeat; a node marked down comes back active. */
    public void register(String name, String publicEndpoint, String internalEndpoint) {
        update(
                "INSERT INTO cluster.nodes (name, public_endpoint, internal_endpoint) VALUES (?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET public_endpoint = excluded.public_endpoint, "
                        + "internal_endpoint = excluded.internal_endpoint, heartbeat = now(), "
                        + "state = CASE WHEN cluster.nodes.state = 'down' THEN 'active' ELSE cluster.nodes.state END",
                name,
                publicEndpoint,
                internalEndpoint);
    }

    public void heartbeat(String name) {
        update("UPDATE cluster.nodes SET heartbeat = now() WHERE name = ?", name);
    }

    /** Sets a node's state: {@code active}, {@code draining} or {@code down}. */
    public void setState(String name, String state) {
        if (update("UPDATE cluster.nodes SET state = ? WHERE name = ?", state, name) == 0) {
            throw new IllegalArgumentException("no node named '" + name + "'");
        }
    }

    public List<Node> nodes() {
        return query(
                "SELECT n.name, n.public_endpoint, n.internal_endpoint, n.state, n.heartbeat, "
                        + "(SELECT count(*) FROM cluster.assignments a WHERE a.node = n.name) AS users "
                        + "FROM cluster.nodes n ORDER BY n.name",
                rs -> new Node(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getInt(6)));
    }

    public Optional<Node> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The base URL clients are redirected to for {@code name}. */
    public Optional<String> publicEndpoint(String name) {
        return query("SELECT public_endpoint FROM cluster.nodes WHERE name = ?", rs -> rs.getString(1), name).stream()
                .findFirst();
    }

    public Optional<Assignment> assignment(String username) {
        return query(
                        "SELECT username, node, state, target FROM cluster.assignments WHERE username = ?",
                        NodeDirectory::assignmentOf,
                        username)
                .stream()
                .findFirst();
    }

    public List<String> usersOf(String node) {
        return query(
                "SELECT username FROM cluster.assignments WHERE node = ? ORDER BY username",
                rs -> rs.getString(1),
                node);
    }

    /**
     * The user's assignment, placing the user first if it has none: on
     * {@code holder} if given (that node has the user's files), else by the rule.
     */
    public Assignment place(String username, Optional<String> holder) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, PLACEMENT_LOCK);
                    lock.execute();
                }
                Optional<Assignment> existing = list(
                                c,
                                "SELECT username, node, state, target " + "FROM cluster.assignments WHERE username = ?",
                                NodeDirectory::assignmentOf,
                                username)
                        .stream()
                        .findFirst();
                if (existing.isPresent()) {
                    c.commit();
                    return existing.get();
                }
                String node = holder.isPresent() ? holder.get() : leastLoaded(c, username);
                try (PreparedStatement insert =
                        c.prepareStatement("INSERT INTO cluster.assignments (username, node) VALUES (?, ?)")) {
                    insert.setString(1, username);
                    insert.setString(2, node);
                    insert.executeUpdate();
                }
                c.commit();
                return new Assignment(username, node, "active", Optional.empty());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DirectoryException("placing " + username, e);
        }
    }

    private static String leastLoaded(Connection c, String username) throws SQLException {
        List<String> candidates = list(
                c,
                "SELECT n.name FROM cluster.nodes n "
                        + "WHERE n.state = 'active' AND n.heartbeat > now() - make_interval(secs => ?) "
                        + "ORDER BY (SELECT count(*) FROM cluster.assignments a WHERE a.node = n.name), n.name LIMIT 1",
                rs -> rs.getString(1),
                ALIVE.toSeconds());
        if (candidates.isEmpty()) {
            throw new DirectoryException("no active node with a recent heartbeat to place " + username + " on", null);
        }
        return candidates.get(0);
    }

    /** The active node with a recent heartbeat that serves the fewest users, other than {@code except}. */
    public Optional<String> leastLoadedExcept(String except) {
        return query(
                        "SELECT n.name FROM cluster.nodes n "
                                + "WHERE n.state = 'active' AND n.name <> ? AND n.heartbeat > now() - make_interval(secs => ?) "
                                + "ORDER BY (SELECT count(*) FROM cluster.assignments a WHERE a.node = n.name), n.name LIMIT 1",
                        rs -> rs.getString(1),
                        except,
                        ALIVE.toSeconds())
                .stream()
                .findFirst();
    }

    /** Marks the user as being moved to {@code target}; false if it is already moving or already there. */
    public boolean startMove(String username, String target) {
        return update(
                        "UPDATE cluster.assignments SET state = 'moving', target = ?, changed = now() "
                                + "WHERE username = ? AND state = 'active' AND node <> ?",
                        target,
                        username,
                        target)
                == 1;
    }

    /** The copy is verified on the target: the target serves the user from now on. */
    public void finishMove(String username, String target) {
        if (update(
                        "UPDATE cluster.assignments SET node = target, state = 'active', target = NULL, changed = now() "
                                + "WHERE username = ? AND state = 'moving' AND target = ?",
                        username,
                        target)
                != 1) {
            throw new DirectoryException(username + " is not being moved to " + target, null);
        }
    }

    /** The move failed: the source serves the user again. */
    public void cancelMove(String username) {
        update(
                "UPDATE cluster.assignments SET state = 'active', target = NULL, changed = now() "
                        + "WHERE username = ? AND state = 'moving'",
                username);
    }

    private static Assignment assignmentOf(ResultSet rs) throws SQLException {
        return new Assignment(rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getString(4)));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (Connection c = db.getConnection()) {
            return list(c, sql, row, args);
        } catch (SQLException e) {
            throw new DirectoryException(sql, e);
        }
    }

    private static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new DirectoryException(sql, e);
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    /** The directory could not be read or changed. */
    public static final class DirectoryException extends RuntimeException {
        public DirectoryException(String what, Throwable cause) {
            super("node directory: " + what + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }
    }
}
