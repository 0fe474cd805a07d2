package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;

/**
 * The collection-sync scenarios of issue 3, written once and run against our
 * server and the official one. Each checks convergence itself and returns the
 * devices' id-free summaries for the differential comparison.
 */
final class Scenarios {
    private Scenarios() {}

    /** Scenario 1: A with 200 notes over 3 decks and 2 notetypes uploads; new B downloads. */
    static void populate(PythonDevice a) {
        a.call("add_notes", Map.of("count", 80, "deck", "Languages::Spanish", "tags", List.of("es", "vocab")));
        a.call("add_notes", Map.of("count", 70, "deck", "Geography", "notetype", "Basic (and reversed card)"));
        a.call(
                "add_notes",
                Map.of(
                        "count",
                        50,
                        "deck",
                        "Cloze practice",
                        "notetype",
                        "Cloze",
                        "fields",
                        List.of("The {{c1::answer %d}} is {{c2::here}}", "extra %d")));
    }

    static Map<String, JsonNode> uploadThenDownload(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = Devices.loggedIn(server, temp.resolve("s1-a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("s1-b"))) {
            populate(a);
            assertEquals("full_upload", Devices.sync(a, null).get("performed").asText());
            assertEquals("full_download", Devices.sync(b, null).get("performed").asText());
            Devices.assertSameContent(a, b);
            assertEquals(200, a.counts().notes());
            return summaries(a, b);
        }
    }

    /** Scenarios 2 and 3: edits, reviews, deletions, decks, options and tags on both sides converge. */
    static Map<String, JsonNode> incrementalChanges(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = Devices.loggedIn(server, temp.resolve("s2-a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("s2-b"))) {
            populate(a);
            Devices.sync(a, null);
            Devices.sync(b, null);

            List<Long> nids = PythonDevice.longs(a.run("result = list(col.find_notes('deck:Geography'))"));
            a.call("edit_notes", Map.of("nids", nids.subList(0, 10)));
            List<Long> reviewed = PythonDevice.longs(a.call("review", Map.of("count", 20, "deck", "Geography")));
            assertEquals(20, reviewed.size());
            a.call("delete_notes", Map.of("nids", nids.subList(60, 65)));
            a.call("add_deck", Map.of("name", "New deck from A"));
            a.run("c = col.decks.get_config(1); c['new']['perDay'] = 35; c['rev']['perDay'] = 150;"
                    + " col.decks.update_config(c)");
            a.run("pid = col.decks.add_config_returning_id('Intensive');"
                    + " d = col.decks.by_name('Geography'); d['conf'] = pid; col.decks.save(d)");
            a.run("col.tags.bulk_add(" + nids.subList(0, 5) + ", 'geo capitals')");
            Devices.normalSync(a);
            Devices.normalSync(b);
            Devices.assertSameContent(a, b);
            long revlog = b.counts().revlog();
            assertTrue(revlog >= 20, "B received the reviews: " + revlog);

            // Scenario 3: different changes on each side, then two rounds.
            List<Long> spanish = PythonDevice.longs(b.run("result = list(col.find_notes('deck:Languages::Spanish'))"));
            b.call("edit_notes", Map.of("nids", spanish.subList(0, 5), "suffix", " (B)"));
            b.call("review", Map.of("count", 10, "deck", "Languages::Spanish"));
            b.call("add_notes", Map.of("count", 7, "deck", "From B"));
            b.run("col.tags.bulk_add(" + spanish.subList(10, 12) + ", 'from-b')");
            List<Long> cloze = PythonDevice.longs(a.run("result = list(col.find_notes('deck:\"Cloze practice\"'))"));
            a.call("edit_notes", Map.of("nids", cloze.subList(0, 5), "suffix", " (A)"));
            a.call("delete_notes", Map.of("nids", cloze.subList(40, 42)));
            a.call("review", Map.of("count", 8, "deck", "Cloze practice"));
            Devices.settle(a, b);
            Devices.assertSameContent(a, b);
            assertEquals(200 - 5 + 7 - 2, a.counts().notes());
            return summaries(a, b);
        }
    }

    /** Scenario 4: the same note edited on both devices; the later edit wins on both. */
    static Map<String, JsonNode> sameNoteEditedOnBoth(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = Devices.loggedIn(server, temp.resolve("s4-a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("s4-b"))) {
            a.call("add_notes", Map.of("count", 3, "deck", "Conflicts", "fields", List.of("front %d", "back %d")));
            Devices.sync(a, null);
            Devices.sync(b, null);
            long nid = PythonDevice.longs(a.run("result = sorted(col.find_notes(''))"))
                    .get(0);
            b.call("edit_notes", Map.of("nids", List.of(nid), "suffix", " edited on B first"));
            sleepPastSecond();
            a.call("edit_notes", Map.of("nids", List.of(nid), "suffix", " edited on A later"));
            // B syncs its older edit first; A's newer edit must still win everywhere.
            Devices.settle(b, a);
            Devices.assertSameContent(a, b);
            String front = a.run("result = col.get_note(" + nid + ").fields[0]").asText();
            assertEquals("front 0 edited on A later", front);
            return summaries(a, b);
        }
    }

    /** Scenario 5: a schema change on A needs a full sync; B then downloads. */
    static Map<String, JsonNode> schemaChange(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = Devices.loggedIn(server, temp.resolve("s5-a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("s5-b"))) {
            a.call("add_notes", Map.of("count", 10, "deck", "Schema"));
            Devices.sync(a, null);
            Devices.sync(b, null);
            a.run("nt = col.models.by_name('Basic'); col.models.add_field(nt, col.models.new_field('Example'));"
                    + " col.models.update_dict(nt)");
            JsonNode first = Devices.sync(a, null);
            assertEquals("full_sync", first.get("required").asText(), first::toString);
            assertEquals(
                    "full_upload", Devices.sync(a, "upload").get("performed").asText());
            b.call("review", Map.of("count", 2));
            JsonNode second = Devices.sync(b, null);
            assertEquals("full_sync", second.get("required").asText(), second::toString);
            assertEquals(
                    "full_download",
                    Devices.sync(b, "download").get("performed").asText());
            Devices.assertSameContent(a, b);
            Devices.settle(a, b);
            Devices.assertSameContent(a, b);
            return summaries(a, b);
        }
    }

    /** Scenario 6 (and 7): deletions of decks, templates and notes propagate both ways. */
    static Map<String, JsonNode> deletionsPropagate(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = Devices.loggedIn(server, temp.resolve("s6-a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("s6-b"))) {
            a.call("add_notes", Map.of("count", 6, "deck", "Keep"));
            a.call("add_notes", Map.of("count", 4, "deck", "Doomed"));
            a.call("add_notes", Map.of("count", 5, "deck", "Reversed", "notetype", "Basic (and reversed card)"));
            Devices.sync(a, null);
            Devices.sync(b, null);
            // Scenario 7: after B's full download, a review on B syncs normally.
            b.call("review", Map.of("count", 3, "deck", "Keep"));
            Devices.normalSync(b);
            Devices.normalSync(a);
            // Deck deleted on A, notes deleted on B.
            a.run("col.decks.remove([col.decks.id('Doomed')])");
            List<Long> keep = PythonDevice.longs(b.run("result = sorted(col.find_notes('deck:Keep'))"));
            b.call("delete_notes", Map.of("nids", keep.subList(0, 2)));
            Devices.settle(a, b);
            Devices.assertSameContent(a, b);
            assertEquals(6 - 2 + 5, a.counts().notes());
            // Removing a template is a schema change: a full sync carries it.
            b.run("nt = col.models.by_name('Basic (and reversed card)');"
                    + " col.models.remove_template(nt, nt['tmpls'][1]); col.models.update_dict(nt)");
            assertEquals(
                    "full_upload", Devices.sync(b, "upload").get("performed").asText());
            assertEquals(
                    "full_download",
                    Devices.sync(a, "download").get("performed").asText());
            Devices.assertSameContent(a, b);
            Devices.settle(a, b);
            Devices.assertSameContent(a, b);
            return summaries(a, b);
        }
    }

    private static Map<String, JsonNode> summaries(PythonDevice a, PythonDevice b) {
        JsonNode summaryA = a.call("summary");
        assertEquals(summaryA, b.call("summary"), "A and B summaries");
        Map<String, JsonNode> result = new LinkedHashMap<>();
        result.put("summary", summaryA);
        return result;
    }

    static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
