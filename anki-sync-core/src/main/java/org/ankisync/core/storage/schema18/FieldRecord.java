package org.ankisync.core.storage.schema18;

/**
 * One row of the schema-18 {@code fields} table (without {@code ntid}).
 *
 * @param ord    0-based position in the notetype
 * @param name   field name
 * @param config the raw {@code Notetype.Field.Config} protobuf blob
 */
public record FieldRecord(int ord, String name, byte[] config) {}
