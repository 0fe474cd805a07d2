package org.ankisync.core.storage.schema18;

/**
 * One row of the schema-18 {@code decks} table.
 *
 * @param name   the native name as stored: components joined by U+001F
 * @param common the raw {@code Deck.Common} protobuf blob
 * @param kind   the raw {@code Deck.KindContainer} protobuf blob
 */
public record DeckRecord(long id, String name, long mtimeSecs, int usn, byte[] common, byte[] kind) {}
