package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot exported with {@code snapshot export --to FILE.colpkg} is imported
 * by the official library's own collection-package import (what <i>File →
 * Import</i> of a {@code .colpkg} runs) into an empty collection, and every
 * note, card, review, deck, note type, deck preset and media file is there
 * (issue 12, must-show 2), also a media file deleted after the snapshot
 * (taken from the media trash).
 */
class ColpkgExportTest {
    private static final List<String> COMPARED =
            List.of("notes", "cards", "revlog", "decks", "notetypes", "deck_configs", "tags_on_notes", "media");

    @TempDir
    Path temp;

    @Test
    void anExportedSnapshotImportsIntoAnEmptyCollection() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"));
                PythonDevice c = PythonDevice.open(temp.resolve("c"))) {
            Map<String, String> cli = server.environment();
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            List<Map<String, Object>> files = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                files.add(Map.of("name", "sound é " + i + ".mp3", "size", 5_000 + 777 * i, "seed", "s" + i));
            }
            JsonNode stored = a.call("add_media", Map.of("files", files));
            for (int i = 0; i < 6; i++) {
                a.call(
                        "add_notes",
                        Map.of(
                                "count",
                                1,
                                "deck",
                                "Export::Sounds",
                                "fields",
                                List.of("sound " + i, "[sound:" + stored.get(i).asText() + "]"),
                                "tags",
                                List.of("audio")));
            }
            a.call("add_notes", Map.of("count", 60, "deck", "Export::Both", "notetype", "Basic (and reversed card)"));
            a.call("add_notes", Map.of("count", 80, "deck", "Other"));
            a.run("m = col.models.copy(col.models.by_name('Basic'))\nm['name'] = 'My type'\ncol.models.update_dict(m)\n"
                    + "conf = col.decks.add_config_returning_id('My preset')\n"
                    + "d = col.decks.get(col.decks.id('Other'))\nd['conf'] = conf\ncol.decks.save(d)");
            a.call("review", Map.of("count", 50, "deck", "Other"));
            a.call("review", Map.of("count", 20, "deck", "Export::Both", "rating", 1));
            a.syncWithFull("upload", true);
            JsonNode original = a.dump();

            String created = HistoryCli.run(cli, "snapshot", "create", TestUsers.ALICE);
            HistoryCli.Listed snapshot = HistoryCli.Listed.parse(created.lines()
                    .filter(l -> l.contains(" manual "))
                    .findFirst()
                    .orElseThrow());
            assertEquals(146, snapshot.notes(), created);
            // A file the snapshot's notes use is deleted afterwards: the export takes it from the media trash.
            a.call("trash_media", Map.of("names", List.of(stored.get(0).asText())));
            a.call("sync_media");
            Path colpkg = temp.resolve("export").resolve("alice.colpkg");
            String exported = HistoryCli.run(
                    cli, "snapshot", "export", TestUsers.ALICE, snapshot.id(), "--to", colpkg.toString());
            assertTrue(exported.contains("with 6 media files"), exported);
            assertTrue(Files.size(colpkg) > 0);

            assertEquals(0, c.counts().notes(), "C starts empty");
            c.run("from anki.collection import media_paths_from_col_path\n"
                    + "media_folder, media_db = media_paths_from_col_path(col.path)\n"
                    + "path = col.path\n"
                    + "col.close()\n"
                    + "try:\n"
                    + "    col._backend.import_collection_package(col_path=path, backup_path=" + pyString(colpkg)
                    + ", media_folder=media_folder, media_db=media_db)\n"
                    + "finally:\n"
                    + "    col.reopen()\n");
            JsonNode imported = c.dump();
            for (String key : COMPARED) {
                assertEquals(original.get(key), imported.get(key), key + " after import");
            }
            assertEquals(6, imported.get("media").size());
            assertTrue(
                    imported.get("revlog").size() >= 40,
                    "reviews: " + imported.get("revlog").size());
        }
    }

    private static String pyString(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
