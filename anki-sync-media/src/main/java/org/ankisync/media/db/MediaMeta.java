package org.ankisync.media.db;

/**
 * The single row of the server media {@code meta} table.
 *
 * @param lastUsn            current media usn (0 for a new user)
 * @param totalBytes         sum of sizes of the present files
 * @param totalNonemptyFiles number of present files, compared by {@code mediaSanity}
 */
public record MediaMeta(int lastUsn, long totalBytes, long totalNonemptyFiles) {}
