package org.ankisync.core.collection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.ankisync.core.storage.schema18.NotetypeTable;

/** What storing a note needs to know of its notetype: how many fields, which one sorts. */
final class NotetypeShapes {

    NotetypeShapes() {}

    /**
     * Read with one query from the notetype's row and field count: loading the
     * whole notetype and converting it to legacy JSON for {@code sortf} was a
     * tenth of a small sync's Java time.
     */
    Optional<Shape> shape(Connection db, long notetypeId) throws SQLException {
        return NotetypeTable.noteShape(db, notetypeId).map(s -> new Shape(s.fieldCount(), s.sortFieldIndex()));
    }

    record Shape(int fieldCount, int sortFieldIndex) {}
}
