package org.ankisync.core.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HTML entity decoding exactly as the Rust crate {@code htmlescape} 0.3.1,
 * which the official core uses for the sort field and the duplicate checksum.
 * Its rules, which differ from a browser's:
 * <ul>
 *   <li>only the 252 named entities of HTML 4 (no {@code &apos;}), and every
 *       entity must end with {@code ;};</li>
 *   <li>numeric entities are {@code &#DIGITS;} or {@code &#xHEX;} (lower-case
 *       {@code x} only) and must name a Unicode scalar value;</li>
 *   <li>anything else after a {@code &} (a bare ampersand, an unknown name,
 *       text ending inside an entity) is an error, and the caller then keeps
 *       the whole text undecoded.</li>
 * </ul>
 * The named table is the crate's own, recorded by {@code tools/text-fidelity-probe}.
 */
final class HtmlEntities {
    static final String TABLE = "htmlescape-0.3.1-entities.tsv";

    private static final Map<String, String> NAMED = load();

    private HtmlEntities() {}

    /** The decoded text, or empty if the crate would report an error for it. */
    static Optional<String> decode(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int semicolon = html.indexOf(';', i + 1);
            if (semicolon < 0) {
                return Optional.empty();
            }
            String body = html.substring(i + 1, semicolon);
            String decoded = body.startsWith("#") ? numeric(body.substring(1)) : NAMED.get(body);
            if (decoded == null) {
                return Optional.empty();
            }
            out.append(decoded);
            i = semicolon + 1;
        }
        return Optional.of(out.toString());
    }

    /** {@code DIGITS} or {@code xHEX} (the part after {@code &#}), or null if the crate refuses it. */
    private static String numeric(String body) {
        int radix = 10;
        String digits = body;
        if (body.startsWith("x")) {
            radix = 16;
            digits = body.substring(1);
        }
        if (digits.isEmpty()) {
            return null;
        }
        for (int k = 0; k < digits.length(); k++) {
            if (Character.digit(digits.charAt(k), radix) < 0 || digits.charAt(k) > 0x7f) {
                return null;
            }
        }
        long value;
        try {
            value = Long.parseLong(digits, radix);
        } catch (NumberFormatException tooLong) {
            return null;
        }
        // u32 overflow, surrogates and values past U+10FFFF are all errors.
        if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            return null;
        }
        return new String(Character.toChars((int) value));
    }

    private static Map<String, String> load() {
        Map<String, String> named = new HashMap<>();
        try (InputStream in = HtmlEntities.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TABLE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                StringBuilder text = new StringBuilder();
                for (String hex : line.substring(tab + 1).split(" ")) {
                    text.appendCodePoint(Integer.parseInt(hex, 16));
                }
                named.put(line.substring(0, tab), text.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(named);
    }
}
