package org.ankisync.e2e.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.storage.NoteText;
import org.ankisync.e2e.harness.Venv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sort field and duplicate checksum the server computes for a note it
 * receives must be what the official core computes, or the devices' and the
 * server's {@code sfld}/{@code csum} drift apart (a sanity-check failure or a
 * wrong duplicate warning). Compares {@link NoteText} with the official
 * library's own {@code strip_html_media} and {@code field_checksum} (the
 * backend's {@code strip_html_preserving_media_filenames}) on hard cases and
 * generated field HTML.
 */
class NoteTextParityTest {
    private static final String[] PIECES = {
        "a",
        "Z",
        " ",
        "\n",
        "\t",
        "\u00a0",
        "\u00e9",
        "e\u0301",
        "\u0131",
        "\uD83D\uDE00",
        "\u05d0\u05d1",
        "&",
        ";",
        "#",
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&apos;",
        "&#39;",
        "&#x27;",
        "&#X27;",
        "&nbsp;",
        "&eacute;",
        "&hellip;",
        "&euro;",
        "&unknown;",
        "&#x1F600;",
        "&#128512;",
        "&#xD800;",
        "&#1114112;",
        "&amp",
        "<b>",
        "</b>",
        "<br>",
        "<br/>",
        "<div>",
        "</div>",
        "<",
        ">",
        "<!-- c -->",
        "<!--",
        "-->",
        "<style>p{}</style>",
        "<STYLE type=x>q</STYLE>",
        "<styles>s</styles>",
        "<script>x()</script>",
        "<img src=\"a.jpg\">",
        "<img src='b c.png'>",
        "<img src=d.gif>",
        "<img src=e.gif alt=x>",
        "<IMG SRC=\"f.jpg\">",
        "<img src = \"g.jpg\">",
        "<img alt=\"x>y\" src=\"h.jpg\">",
        "<img data-src=\"i.jpg\">",
        "<img xsrc=\"j.jpg\">",
        "<audio src=\"k.mp3\"></audio>",
        "<video src=l.mp4 controls>",
        "<object data=\"m.svg\"></object>",
        "<source src=\"n.ogg\">",
        "<img src=\"\">",
        "<img src=''>",
        "<img src=\"&amp;.jpg\">",
        "<imgsrc=\"o.jpg\">",
        "<img\nsrc=\"p.jpg\">",
        "[sound:q.mp3]",
        "<span style=\"color: red\">",
        "</span>",
    };

    @TempDir
    Path temp;

    @Test
    void sortFieldAndChecksumAreTheOfficialOnes() throws Exception {
        List<String> fields = new ArrayList<>(List.of(PIECES));
        Random random = new Random(1808);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = 1 + random.nextInt(7);
            for (int k = 0; k < n; k++) {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
            fields.add(s.toString());
        }
        List<String[]> official = official(fields);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            String ours = NoteText.stripHtmlPreservingMediaFilenames(field);
            long oursSum = NoteText.checksum(field);
            if (!ours.equals(official.get(i)[0]) || oursSum != Long.parseLong(official.get(i)[1])) {
                wrong.add(field + " -> official [" + official.get(i)[0] + "] " + official.get(i)[1] + ", ours [" + ours
                        + "] " + oursSum);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " differences");
    }

    /** Each field's stripped text and checksum, from the official library in the test venv. */
    private List<String[]> official(List<String> fields) throws IOException, InterruptedException {
        String script = String.join(
                "\n",
                "import sys",
                "import anki.lang",
                "anki.lang.set_lang('en')",
                "from anki.utils import strip_html_media, field_checksum",
                "for line in sys.stdin:",
                "    text = bytes.fromhex(line.strip()).decode('utf-8')",
                "    print(strip_html_media(text).encode('utf-8').hex(), field_checksum(text))");
        Path out = temp.resolve("official.txt");
        Process p = new ProcessBuilder(Venv.python().toString(), "-c", script)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedWriter w =
                new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
            for (String field : fields) {
                w.write(HexFormat.of().formatHex(field.getBytes(StandardCharsets.UTF_8)));
                w.write('\n');
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("the official library failed");
        }
        List<String[]> result = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ", -1);
            result.add(new String[] {new String(HexFormat.of().parseHex(f[0]), StandardCharsets.UTF_8), f[1]});
        }
        assertEquals(fields.size(), result.size());
        return result;
    }
}
