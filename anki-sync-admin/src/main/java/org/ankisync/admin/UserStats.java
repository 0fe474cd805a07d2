package org.ankisync.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * What one user's folder holds: the collection's size and row counts, and the
 * media files. Read-only: the collection is opened with a read-only
 * connection, which in WAL mode never blocks or disturbs a running sync.
 */
public final class UserStats {
    private static final String COLLECTION = "collection.anki2";
    private static final String MEDIA_DATABASE = "media.db";

    private final Path collectionsPath;

    public UserStats(Path collectionsPath) {
        this.collectionsPath = collectionsPath;
    }

    /**
     * @param collectionBytes the collection file with its write-ahead log
     * @param counts          empty if the user has never synced (no collection yet) or it cannot be read
     * @param folderBytes     everything in the user's folder (collection, media, snapshots, ...)
     */
    public record Stats(
            long collectionBytes, Optional<Counts> counts, long mediaFiles, long mediaBytes, long folderBytes) {}

    /** Row counts of a collection. */
    public record Counts(long notes, long cards, long revlog) {}

    public Stats of(String user) {
        Path folder = collectionsPath.resolve(user);
        Path collection = folder.resolve(COLLECTION);
        long collectionBytes = size(collection) + size(folder.resolve(COLLECTION + "-wal"));
        Optional<Counts> counts = Files.isRegularFile(collection) ? counts(collection) : Optional.empty();
        long mediaFiles = 0;
        long mediaBytes = 0;
        Path media = folder.resolve("media");
        if (Files.isDirectory(media)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(media, Files::isRegularFile)) {
                for (Path file : files) {
                    mediaFiles++;
                    mediaBytes += size(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (Files.isRegularFile(folder.resolve(MEDIA_DATABASE))) {
            // media in another store (S3): the media database's totals, kept with every upload
            long[] totals = mediaTotals(folder.resolve(MEDIA_DATABASE));
            mediaFiles = totals[0];
            mediaBytes = totals[1];
        }
        return new Stats(collectionBytes, counts, mediaFiles, mediaBytes, treeSize(folder));
    }

    /** Bytes under a folder (0 if it does not exist). */
    static long treeSize(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(UserStats::size).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** Files and bytes from a media database's meta row (zeros if it cannot be read). */
    private static long[] mediaTotals(Path mediaDatabase) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(2000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + mediaDatabase, config.toProperties());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT total_nonempty_files, total_bytes FROM meta")) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[2];
        } catch (SQLException e) {
            return new long[2];
        }
    }

    private static Optional<Counts> counts(Path collection) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(2000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + collection, config.toProperties());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count() FROM notes), (SELECT count() FROM cards),"
                        + " (SELECT count() FROM revlog)")) {
            return rs.next() ? Optional.of(new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
