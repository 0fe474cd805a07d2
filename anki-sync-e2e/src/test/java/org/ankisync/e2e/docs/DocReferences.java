package org.ankisync.e2e.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the citations of documents in a source tree ({@code legacy-json.md
 * section 1.5}, {@code collection-sync.md Appendix B.4}, {@code media-sync.md
 * sections 3.3 and 6.1}, a bare {@code http.md}) and reports each one that
 * does not resolve: the file is neither in {@code docs/protocol/} nor at the
 * repository root, or no heading of it carries the cited section number.
 * Comments cite sections so that a reader can find the rule they follow; a
 * citation that leads nowhere is worse than none.
 */
final class DocReferences {

    /** Where a cited file name is looked for, in order. */
    static final List<Path> DOC_FOLDERS = List.of(Path.of("docs", "protocol"), Path.of(""));

    private static final Set<String> SCANNED_EXTENSIONS = Set.of(
            "java",
            "kt",
            "py",
            "proto",
            "xml",
            "sh",
            "md",
            "yaml",
            "yml",
            "properties",
            "conf",
            "sql",
            "txt",
            "html",
            "toml");
    private static final Set<String> SCANNED_NAMES = Set.of("Dockerfile");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules");

    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_-]+\\.md)(?![A-Za-z0-9])");
    private static final String NUMBER = "([0-9]++(?:\\.[0-9]++)*+|[A-Z](?:\\.[0-9]++)*+)(?![A-Za-z0-9])";
    private static final String KEYWORD = "(sections?|§|Appendix)";
    /** A section number right after the file name, on the same line: {@code http.md 4}, {@code legacy-json.md, section 2.1}. */
    private static final Pattern SAME_LINE =
            Pattern.compile("\\G[`'\"]?[ \\t]*,?[ \\t]*(?:" + KEYWORD + "[ \\t]*)?" + NUMBER);
    /** A section number on the next line of a comment, only after a keyword: {@code reference-client.md\n * section 3.4}. */
    private static final Pattern NEXT_LINE =
            Pattern.compile("\\G[`'\"]?[ \\t]*\\r?\\n[ \\t]*(?:\\*|//|#|--)?[ \\t]*" + KEYWORD + "[ \\t]*" + NUMBER);
    /** Further numbers of a list: {@code sections 3.3 and 6.1}, {@code 2.7, 3.6, 4.7}. */
    private static final Pattern MORE =
            Pattern.compile("\\G[ \\t]*(?:,|and|&)[ \\t]*(?:(?:sections?|§)[ \\t]*)?" + NUMBER);

    private static final Pattern HEADING = Pattern.compile(
            "^#{1,6}[ \\t]+(?:Appendix[ \\t]+)?([0-9]+(?:\\.[0-9]+)*|[A-Z](?:\\.[0-9]+)*)(?:[.: \\t]|$)");

    /** One citation: where it is, the cited file name, and the section number or null. */
    record Citation(Path source, int line, String file, String section) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + file + (section == null ? "" : " section " + section);
        }
    }

    private final Path root;
    private final Map<Path, Set<String>> headings = new HashMap<>();

    DocReferences(Path root) {
        this.root = root;
    }

    /** Every citation in the scanned files below the root (sorted by file and line). */
    List<Citation> citations() {
        List<Citation> found = new ArrayList<>();
        for (Path file : scannedFiles()) {
            String text = read(file);
            if (text != null) {
                found.addAll(citationsIn(root.relativize(file), text));
            }
        }
        return found;
    }

    /** One line per citation that does not resolve, saying why. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Citation citation : citations()) {
            String problem = problem(citation);
            if (problem != null) {
                problems.add(citation + ": " + problem);
            }
        }
        return problems;
    }

    /** Null if the citation resolves, else why not. */
    String problem(Citation citation) {
        List<Path> candidates = new ArrayList<>();
        for (Path folder : DOC_FOLDERS) {
            Path candidate = root.resolve(folder).resolve(citation.file());
            if (Files.isRegularFile(candidate)) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            return "no such file in docs/protocol/ or at the repository root";
        }
        if (citation.section() == null) {
            return null;
        }
        for (Path candidate : candidates) {
            if (headingNumbers(candidate).contains(citation.section())) {
                return null;
            }
        }
        return root.relativize(candidates.get(0)) + " has no heading numbered " + citation.section();
    }

    static List<Citation> citationsIn(Path source, String text) {
        List<Citation> found = new ArrayList<>();
        Matcher file = FILE.matcher(text);
        while (file.find()) {
            int line = lineOf(text, file.start());
            List<String> sections = sectionsAfter(text, file.end());
            if (sections.isEmpty()) {
                found.add(new Citation(source, line, file.group(1), null));
            }
            for (String section : sections) {
                found.add(new Citation(source, line, file.group(1), section));
            }
        }
        return found;
    }

    /** The section numbers cited right after a file name that ends at {@code from}. */
    private static List<String> sectionsAfter(String text, int from) {
        List<String> sections = new ArrayList<>();
        Matcher m = SAME_LINE.matcher(text);
        boolean found = m.find(from) && m.start() == from && isSection(m.group(1), m.group(2));
        if (!found) {
            m = NEXT_LINE.matcher(text);
            found = m.find(from) && m.start() == from && isSection(m.group(1), m.group(2));
        }
        if (!found) {
            return sections;
        }
        sections.add(m.group(2));
        int end = m.end();
        Matcher more = MORE.matcher(text);
        while (more.find(end) && more.start() == end && isSection(null, more.group(1))) {
            sections.add(more.group(1));
            end = more.end();
        }
        return sections;
    }

    /** A lone capital letter is a section only as an appendix ({@code Appendix A}), never a word's initial. */
    private static boolean isSection(String keyword, String number) {
        return !(number.length() == 1 && Character.isLetter(number.charAt(0)) && !"Appendix".equals(keyword));
    }

    private Set<String> headingNumbers(Path markdown) {
        return headings.computeIfAbsent(markdown, DocReferences::readHeadingNumbers);
    }

    static Set<String> readHeadingNumbers(Path markdown) {
        Set<String> numbers = new HashSet<>();
        String text = read(markdown);
        if (text == null) {
            return numbers;
        }
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!inFence && m.find()) {
                numbers.add(m.group(1));
            }
        }
        return numbers;
    }

    private List<Path> scannedFiles() {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name =
                            dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skipped = !dir.equals(root) && (name.startsWith(".") || SKIPPED_FOLDERS.contains(name));
                    return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && scanned(file.getFileName().toString())) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    private static boolean scanned(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return SCANNED_NAMES.contains(name) || SCANNED_EXTENSIONS.contains(extension);
    }

    /** The file's text, or null for a file that is not UTF-8 (nothing to cite from there). */
    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
