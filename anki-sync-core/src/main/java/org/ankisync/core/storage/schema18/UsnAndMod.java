package org.ankisync.core.storage.schema18;

/**
 * What the conflict rule of {@code applyChunk} needs of a card or note the
 * server already has.
 *
 * @param usn the row's usn
 * @param mod the row's modification time
 */
public record UsnAndMod(long usn, long mod) {}
