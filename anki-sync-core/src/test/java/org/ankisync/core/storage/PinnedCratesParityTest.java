package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares our fold, collation and entity decoding with the pinned Rust crates
 * themselves, through {@code tools/text-fidelity-probe}: every Unicode scalar
 * value, every named entity, and generated strings. Runs where cargo is
 * installed (as on CI); the committed tables are checked on every build by
 * {@link UnicaseCollationTest} and {@link HtmlEntitiesTest}.
 */
class PinnedCratesParityTest {
    private static final Path PROBE_DIR =
            Path.of("..", "tools", "text-fidelity-probe").toAbsolutePath().normalize();
    private static Path probe;

    @BeforeAll
    static void buildProbe() throws Exception {
        assumeTrue(onPath("cargo"), "cargo is not installed; the committed tables are still checked");
        run(
                List.of(
                        "cargo",
                        "build",
                        "--quiet",
                        "--release",
                        "--manifest-path",
                        PROBE_DIR.resolve("Cargo.toml").toString()),
                List.of());
        probe = PROBE_DIR.resolve("target/release/text-fidelity-probe");
    }

    @Test
    void theCommittedFoldTableIsTheCratesBehaviour() throws Exception {
        List<String> crate = run(List.of(probe.toString(), "folds"), List.of());
        assertEquals(PinnedCrateTables.lines(UnicaseFold.TABLE), crate);
    }

    @Test
    void everyScalarValueComparesAsInTheCrate() throws Exception {
        List<String[]> pairs = new ArrayList<>();
        int previous = -1;
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            String c = new String(Character.toChars(cp));
            // the scalar against its own fold, its upper and lower case, and its neighbour
            pairs.add(new String[] {c, UnicaseCollation.fold(c)});
            pairs.add(new String[] {c, c.toUpperCase(java.util.Locale.ROOT)});
            pairs.add(new String[] {"x" + c.toLowerCase(java.util.Locale.ROOT), "X" + c});
            if (previous >= 0) {
                pairs.add(new String[] {new String(Character.toChars(previous)), c});
            }
            previous = cp;
        }
        assertSameOrder(pairs);
    }

    @Test
    void generatedNamesCompareAsInTheCrate() throws Exception {
        // Strings built from the characters with folds, their folds and ASCII,
        // so that multi-character folds meet partial matches and prefixes.
        List<Integer> alphabet = new ArrayList<>();
        for (String line : PinnedCrateTables.lines(UnicaseFold.TABLE)) {
            String[] f = line.split("[\t ]");
            for (String h : f) {
                alphabet.add(Integer.parseInt(h, 16));
            }
        }
        Random random = new Random(18);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String a = randomName(random, alphabet);
            String b = random.nextInt(4) == 0 ? UnicaseCollation.fold(a) : randomName(random, alphabet);
            pairs.add(new String[] {a, b});
        }
        assertSameOrder(pairs);
    }

    @Test
    void theCommittedEntityTableIsTheCratesBehaviour() throws Exception {
        Path source = Path.of(run(
                        List.of(
                                "python3",
                                "-c",
                                "import json,subprocess,sys,os;m=json.loads(subprocess.check_output(['cargo','metadata','--format-version',"
                                        + "'1','--manifest-path',sys.argv[1]]));p=[p for p in m['packages'] if p['name']=='htmlescape'][0];"
                                        + "print(os.path.join(os.path.dirname(p['manifest_path']),'src','entities.rs'))",
                                PROBE_DIR.resolve("Cargo.toml").toString()),
                        List.of())
                .get(0));
        List<String> crate = run(List.of(probe.toString(), "entities", source.toString()), List.of());
        assertEquals(PinnedCrateTables.lines(HtmlEntities.TABLE), crate);
    }

    @Test
    void generatedTextDecodesAsInTheCrate() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : PinnedCrateTables.lines(HtmlEntities.TABLE)) {
            names.add(line.substring(0, line.indexOf('\t')));
        }
        String[] pieces = {
            "&",
            ";",
            "#",
            "x",
            "X",
            "0",
            "9",
            "a",
            "F",
            " ",
            "<b>",
            "\u00a0",
            "\u00e9",
            "&#",
            "&#x",
            "\uD83D\uDE00",
            "amp",
            "&amp;",
            "&lt;",
            "&#65;",
            "&#x41;",
            "&#1114112;",
            "&#xD800;"
        };
        Random random = new Random(180);
        List<String> inputs = new ArrayList<>();
        for (String name : names) {
            inputs.add("&" + name + ";");
            inputs.add("&" + name);
            inputs.add("&" + name.toUpperCase(java.util.Locale.ROOT) + ";");
            inputs.add("a &" + name + "; b");
        }
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(8);
            for (int k = 0; k < n; k++) {
                s.append(
                        random.nextInt(5) == 0
                                ? "&" + names.get(random.nextInt(names.size())) + ";"
                                : pieces[random.nextInt(pieces.length)]);
            }
            inputs.add(s.toString());
        }
        List<String> stdin = new ArrayList<>();
        for (String input : inputs) {
            stdin.add(PinnedCrateTables.hex(input));
        }
        List<String> crate = run(List.of(probe.toString(), "decode"), stdin);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String ours = HtmlEntities.decode(inputs.get(i))
                    .map(PinnedCrateTables::hex)
                    .orElse("ERR");
            if (!ours.equals(crate.get(i))) {
                wrong.add(inputs.get(i) + ": crate " + crate.get(i) + ", ours " + ours);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())));
    }

    @Test
    void nfcMatchesTheCrateForEveryCharacterJavaKnows() throws Exception {
        // Names are put in NFC (decks, tags) with Java's Normalizer; the official core uses the
        // crate unicode-normalization 0.1.24 (Unicode 16). Every scalar value is decomposed by the
        // crate, then composed by both. Java 17 knows Unicode 13, so the compositions of scripts
        // added later (20 sequences in Todhri, Tulu-Tigalari, Gurung Khema, Kirat Rai) can only
        // match on a newer runtime; everything made of characters Java knows must match.
        List<String> stdin = new ArrayList<>();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                stdin.add(PinnedCrateTables.hex(new String(Character.toChars(cp))));
            }
        }
        List<String> nfd = run(List.of(probe.toString(), "nfd"), stdin);
        List<String> nfc = run(List.of(probe.toString(), "nfc"), nfd);
        List<String> wrong = new ArrayList<>();
        int unknownToJava = 0;
        for (int i = 0; i < nfd.size(); i++) {
            String decomposed = PinnedCrateTables.unhex(nfd.get(i));
            String ours =
                    PinnedCrateTables.hex(java.text.Normalizer.normalize(decomposed, java.text.Normalizer.Form.NFC));
            if (!ours.equals(nfc.get(i))) {
                if (decomposed.codePoints().allMatch(Character::isDefined)) {
                    wrong.add(nfd.get(i) + ": crate " + nfc.get(i) + ", ours " + ours);
                } else {
                    unknownToJava++;
                }
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " differences");
        System.out.println("NFC: " + unknownToJava + " compositions need a newer Java's Unicode tables");
    }

    private static String randomName(Random random, List<Integer> alphabet) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(10);
            if (pick < 6) {
                s.appendCodePoint(alphabet.get(random.nextInt(alphabet.size())));
            } else {
                s.append((char) ('A' + random.nextInt(58)));
            }
        }
        return s.toString();
    }

    private static void assertSameOrder(List<String[]> pairs) throws Exception {
        List<String> stdin = new ArrayList<>(pairs.size());
        for (String[] p : pairs) {
            stdin.add(PinnedCrateTables.hex(p[0]) + " " + PinnedCrateTables.hex(p[1]));
        }
        List<String> crate = run(List.of(probe.toString(), "compare"), stdin);
        assertEquals(pairs.size(), crate.size());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            int ours = Integer.signum(UnicaseCollation.compare(pairs.get(i)[0], pairs.get(i)[1]));
            if (ours != Integer.parseInt(crate.get(i))) {
                wrong.add(PinnedCrateTables.hex(pairs.get(i)[0]) + " vs " + PinnedCrateTables.hex(pairs.get(i)[1])
                        + ": crate " + crate.get(i) + ", ours " + ours);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " differences");
    }

    private static List<String> run(List<String> command, List<String> stdinLines) throws Exception {
        Path out = Files.createTempFile("probe", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (BufferedWriter w =
                    new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
                for (String line : stdinLines) {
                    w.write(line);
                    w.write('\n');
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(command + " failed");
            }
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
