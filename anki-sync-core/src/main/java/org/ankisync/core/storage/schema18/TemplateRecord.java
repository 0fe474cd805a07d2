package org.ankisync.core.storage.schema18;

/**
 * One row of the schema-18 {@code templates} table (without {@code ntid}).
 * {@code mtimeSecs} and {@code usn} have no legacy JSON key: rows built from
 * JSON carry 0 for both (legacy-json.md section 2.3).
 *
 * @param config the raw {@code Notetype.Template.Config} protobuf blob
 */
public record TemplateRecord(int ord, String name, long mtimeSecs, int usn, byte[] config) {}
