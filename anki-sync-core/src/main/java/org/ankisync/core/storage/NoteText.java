package org.ankisync.core.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The derived note columns the server computes itself when it stores a note
 * received in a sync (collection-sync.md Appendix B.4): the sort field
 * {@code sfld}, the duplicate checksum {@code csum}, and field cleaning.
 */
public final class NoteText {
    public static final char FIELD_SEPARATOR = '\u001f';

    /**
     * Media tags whose file name survives stripping (img, audio, video, object,
     * source), written as the official core's {@code HTML_MEDIA_TAGS} in
     * {@code rslib/src/text.rs}: group 1, 2 or 3 holds the double-quoted,
     * single-quoted or unquoted file name. Java's backtracking matcher with
     * these flags finds the same leftmost-first matches as Rust's regex crate.
     */
    private static final Pattern MEDIA_TAG = Pattern.compile(
            "<\\b(?:img|audio|video|object|source)\\b"
                    + "(?:[^>]|\"[^\"]+?\"|'[^']+?')+?"
                    + "\\b(?:src|data)\\b="
                    + "(?:\"([^\"]+?)\"[^>]*>"
                    + "|'([^']+?)'[^>]*>"
                    + "|([^ >]+?)(?: [^>]*>|>))",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);
    /** The official {@code HTML} pattern: comments, style and script elements, then any tag, in one pass. */
    private static final Pattern HTML = Pattern.compile(
            "(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);

    private NoteText() {}

    /** Splits {@code flds} into its fields (an empty string is one empty field). */
    public static String[] fields(String flds) {
        return flds.split(String.valueOf(FIELD_SEPARATOR), -1);
    }

    /** Removes ASCII control characters other than tab and newline, as the official server does. */
    public static String cleanField(String field) {
        StringBuilder out = null;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(field.length()).append(field, 0, i);
            } else if (!control && out != null) {
                out.append(c);
            }
        }
        return out == null ? field : out.toString();
    }

    /**
     * HTML stripped, media file names kept, entities decoded: the official
     * {@code strip_html_preserving_media_filenames}, from which the sort field
     * and the checksum are computed.
     */
    public static String stripHtmlPreservingMediaFilenames(String html) {
        Matcher media = MEDIA_TAG.matcher(html);
        StringBuilder withNames = new StringBuilder();
        while (media.find()) {
            String name =
                    media.group(1) != null ? media.group(1) : media.group(2) != null ? media.group(2) : media.group(3);
            media.appendReplacement(withNames, Matcher.quoteReplacement(" " + name + " "));
        }
        media.appendTail(withNames);
        return decodeEntities(HTML.matcher(withNames).replaceAll(""));
    }

    /**
     * The official {@code decode_entities}: if the text has an {@code &}, it is
     * decoded as {@link HtmlEntities} does and every U+00A0 becomes a space; if
     * decoding fails anywhere, the whole text stays as it was (no-break spaces too).
     */
    static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        return HtmlEntities.decode(text)
                .map(decoded -> decoded.replace('\u00a0', ' '))
                .orElse(text);
    }

    /** First four bytes of the SHA-1 of the stripped first field, as an unsigned 32-bit number. */
    public static long checksum(String firstField) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(stripHtmlPreservingMediaFilenames(firstField).getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xffL) << 24)
                    | ((digest[1] & 0xffL) << 16)
                    | ((digest[2] & 0xffL) << 8)
                    | (digest[3] & 0xffL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sort field: the stripped field at {@code sortIndex}, or empty if the note has no such field. */
    public static String sortField(String[] fields, int sortIndex) {
        return sortIndex < fields.length ? stripHtmlPreservingMediaFilenames(fields[sortIndex]) : "";
    }
}
