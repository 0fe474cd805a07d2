package org.ankisync.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.ankisync.e2e.docs.DocReferences.Citation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every document a source file cites ({@code legacy-json.md section 1.5} and
 * the like) exists in {@code docs/protocol/} or at the repository root, with
 * a heading for the cited section; and the scanner behind that check finds
 * broken citations.
 */
class DocReferencesTest {

    /** The repository root: the build passes it, else the parent of this module's folder. */
    private static Path repositoryRoot() {
        String configured = System.getProperty("ankisyncd.repo");
        Path root = (configured != null
                        ? Path.of(configured)
                        : Path.of("").toAbsolutePath().getParent())
                .toAbsolutePath()
                .normalize();
        assertTrue(Files.isRegularFile(root.resolve("ARCHITECTURE.md")), "not the repository root: " + root);
        return root;
    }

    @Test
    void everyCitationInTheRepositoryResolves() {
        DocReferences references = new DocReferences(repositoryRoot());
        List<Citation> citations = references.citations();
        // The scan must see the code's citations, or an empty scan would pass.
        assertTrue(
                citations.stream()
                        .anyMatch(c -> c.source().endsWith(Path.of("Json.java"))
                                && c.file().equals("legacy-json.md")
                                && "1.5".equals(c.section())),
                "the citation in storage/schema18/Json.java was not found; found " + citations.size());
        assertTrue(citations.size() >= 40, "only " + citations.size() + " citations found");
        long inDocs = citations.stream()
                .filter(c -> c.source().startsWith(Path.of("docs")))
                .count();
        System.out.println(citations.size() + " citations checked (" + inDocs + " of them in docs/, "
                + (citations.size() - inDocs) + " elsewhere)");
        List<String> problems = references.problems();
        assertEquals(
                List.of(), problems, problems.size() + " citations do not resolve:\n" + String.join("\n", problems));
    }

    @Test
    void reportsMissingFilesAndSectionsButNotWhatResolves(@TempDir Path root) throws IOException {
        write(root.resolve("docs/protocol/http.md"), """
                # HTTP
                ## 4. Legacy framing
                ### 6.1 `hostKey`
                ```
                # 9 is inside a code block, not a heading
                ```
                ## Appendix A. Formats
                ### A.5 Deck
                """);
        write(root.resolve("ARCHITECTURE.md"), "# Architecture\n");
        // "{md}" stands for ".md", so that these deliberately broken citations are not this file's own.
        write(root.resolve("core/src/Main.java"), """
                /** Framing of http{md} section 4, login of http{md} 6.1, formats of http{md} Appendix A and A.5. */
                // see ARCHITECTURE{md} and `http{md}` section 6.1
                // broken: http{md} section 9, nowhere{md}, http{md} sections 4 and 7
                /* http{md}
                 * section 5 */
                """);
        write(root.resolve("core/target/Generated.java"), "// nowhere{md} (build output is not scanned)\n");
        write(root.resolve(".hidden/Tool.java"), "// nowhere{md} (hidden folders are not scanned)\n");

        List<String> problems = new DocReferences(root).problems();

        List<String> expected = List.of(
                        "core/src/Main.java:3: http.md section 9: docs/protocol/http.md has no heading numbered 9",
                        "core/src/Main.java:3: nowhere{md}: no such file in docs/protocol/ or at the repository root",
                        "core/src/Main.java:3: http.md section 7: docs/protocol/http.md has no heading numbered 7",
                        "core/src/Main.java:4: http.md section 5: docs/protocol/http.md has no heading numbered 5")
                .stream()
                .map(p -> p.replace("{md}", ".md"))
                .collect(Collectors.toList());
        assertEquals(expected, problems.stream().map(p -> p.replace('\\', '/')).collect(Collectors.toList()));
    }

    @Test
    void readsTheCitationFormsTheCodeUses() {
        assertEquals(List.of("legacy-json.md 1.5"), cited("read rules of legacy-json.md section 1.5 (required"));
        assertEquals(List.of("http.md 4"), cited("the legacy multipart form (http.md 4)."));
        assertEquals(List.of("legacy-json.md 2.3"), cited("see `legacy-json.md` section 2.3 for templates"));
        assertEquals(List.of("collection-sync.md B.4"), cited("(collection-sync.md Appendix B.4): the sort"));
        assertEquals(List.of("collection-sync.md A"), cited("arrays of collection-sync.md Appendix A."));
        assertEquals(
                List.of("media-sync.md 3.3", "media-sync.md 6.1"),
                cited("names (media-sync.md sections 3.3 and 6.1)."));
        assertEquals(
                List.of("reference-client.md 3.4"), cited("PHC string, reference-client.md\n * section 3.4), logs"));
        assertEquals(List.of("README.md -"), cited("resolve(\"README.md\"), table(results));"));
        assertEquals(List.of("reference-client-jvm.md -"), cited("(reference-client-jvm.md lists the sizes)"));
        assertEquals(List.of("BENCHMARKS.md -"), cited("writes BENCHMARKS.md The next"));
        assertEquals(List.of(), cited("the manual, sync-server.mdx, says"));
    }

    private static List<String> cited(String text) {
        return DocReferences.citationsIn(Path.of("x"), text).stream()
                .map(c -> c.file() + " " + (c.section() == null ? "-" : c.section()))
                .collect(Collectors.toList());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.replace("{md}", ".md"));
    }
}
