package org.ankisync.core.storage.schema18;

/**
 * One row of the schema-18 {@code deck_config} table.
 *
 * @param config the raw {@code DeckConfig.Config} protobuf blob
 */
public record DeckConfigRecord(long id, String name, long mtimeSecs, int usn, byte[] config) {}
