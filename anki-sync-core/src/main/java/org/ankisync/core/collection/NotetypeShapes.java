package org.ankisync.core.collection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.ankisync.core.storage.schema18.NotetypeJson;
import org.ankisync.core.storage.schema18.NotetypeTable;

/** What storing a note needs to know of its notetype: how many fields, which one sorts. */
final class NotetypeShapes {
    private final NotetypeJson notetypeJson;

    NotetypeShapes(NotetypeJson notetypeJson) {
        this.notetypeJson = notetypeJson;
    }

    Optional<Shape> shape(Connection db, long notetypeId) throws SQLException {
        return NotetypeTable.find(db, notetypeId)
                .map(nt -> new Shape(
                        nt.fields().size(),
                        notetypeJson.toJson(nt).path("sortf").asInt(0)));
    }

    record Shape(int fieldCount, int sortFieldIndex) {}
}
