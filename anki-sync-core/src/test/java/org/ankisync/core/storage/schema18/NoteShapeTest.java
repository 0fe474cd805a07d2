package org.ankisync.core.storage.schema18;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import org.ankisync.core.storage.CollectionDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NotetypeTable#noteShape} reads only the field count and the sort field:
 * it must agree with the whole notetype and its legacy JSON's {@code sortf}.
 */
class NoteShapeTest {
    private static final NotetypeJson NOTETYPES = new NotetypeJson();

    @TempDir
    Path tmp;

    @Test
    void agreesWithTheWholeNotetypeForEveryNotetypeOfARealCollection() throws Exception {
        try (Connection db = CollectionDatabase.open(copy("rich-collection.anki2"))) {
            for (NotetypeRecord nt : NotetypeTable.all(db)) {
                NotetypeTable.NoteShape shape =
                        NotetypeTable.noteShape(db, nt.id()).orElseThrow();
                assertEquals(nt.fields().size(), shape.fieldCount(), nt.name());
                assertEquals(NOTETYPES.toJson(nt).get("sortf").asInt(), shape.sortFieldIndex(), nt.name());
            }
        }
    }

    @Test
    void readsAChangedSortFieldAndReportsAMissingNotetype() throws Exception {
        try (Connection db = CollectionDatabase.open(copy("rich-collection.anki2"))) {
            NotetypeRecord multiField = NotetypeTable.all(db).stream()
                    .filter(nt -> nt.fields().size() > 1)
                    .findFirst()
                    .orElseThrow();
            ObjectNode json = NOTETYPES.toJson(multiField);
            int sortField = multiField.fields().size() - 1;
            json.put("sortf", sortField);
            NotetypeTable.replace(db, NOTETYPES.fromJson(json));
            NotetypeTable.NoteShape shape =
                    NotetypeTable.noteShape(db, multiField.id()).orElseThrow();
            assertEquals(sortField, shape.sortFieldIndex());
            assertEquals(multiField.fields().size(), shape.fieldCount());
            assertTrue(NotetypeTable.noteShape(db, 42).isEmpty());
        }
    }

    private Path copy(String resource) throws Exception {
        Path file = tmp.resolve("collection.anki2");
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
