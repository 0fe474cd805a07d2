package org.ankisync.core.storage.schema18;

import java.util.List;

/**
 * A notetype as stored in schema 18: its {@code notetypes} row and all its
 * {@code fields} and {@code templates} rows, each list in {@code ord} order.
 *
 * @param config the raw {@code Notetype.Config} protobuf blob
 */
public record NotetypeRecord(
        long id,
        String name,
        long mtimeSecs,
        int usn,
        byte[] config,
        List<FieldRecord> fields,
        List<TemplateRecord> templates) {
    public NotetypeRecord {
        fields = List.copyOf(fields);
        templates = List.copyOf(templates);
    }
}
