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

    /** Media tags whose file name survives stripping: img, audio, video, object, source. */
    private static final Pattern MEDIA_TAG = Pattern.compile(
            "(?si)<(?:img|audio|video|object|source)\\b[^>]*?\\b(?:src|data)\\s*=\\s*"
                    + "(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))[^>]*>");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern STYLE = Pattern.compile("(?si)<style\\b.*?</style>");
    private static final Pattern SCRIPT = Pattern.compile("(?si)<script\\b.*?</script>");
    private static final Pattern TAG = Pattern.compile("(?s)<.*?>");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);");

    private NoteText() {
    }

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

    /** HTML stripped, media file names kept, entities decoded. */
    public static String stripHtmlPreservingMediaFilenames(String html) {
        Matcher media = MEDIA_TAG.matcher(html);
        StringBuilder withNames = new StringBuilder();
        while (media.find()) {
            String name = media.group(1) != null ? media.group(1)
                    : media.group(2) != null ? media.group(2) : media.group(3);
            media.appendReplacement(withNames, Matcher.quoteReplacement(" " + name + " "));
        }
        media.appendTail(withNames);
        String text = COMMENT.matcher(withNames).replaceAll("");
        text = STYLE.matcher(text).replaceAll("");
        text = SCRIPT.matcher(text).replaceAll("");
        text = TAG.matcher(text).replaceAll("");
        if (text.indexOf('&') >= 0) {
            text = decodeEntities(text).replace('\u00a0', ' ');
        }
        return text;
    }

    /** First four bytes of the SHA-1 of the stripped first field, as an unsigned 32-bit number. */
    public static long checksum(String firstField) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(stripHtmlPreservingMediaFilenames(firstField).getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                    | (digest[3] & 0xffL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sort field: the stripped field at {@code sortIndex}, or empty if the note has no such field. */
    public static String sortField(String[] fields, int sortIndex) {
        return sortIndex < fields.length ? stripHtmlPreservingMediaFilenames(fields[sortIndex]) : "";
    }

    private static String decodeEntities(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String entity = m.group(1);
            String replacement = decodeEntity(entity);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String decodeEntity(String entity) {
        try {
            if (entity.startsWith("#x") || entity.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(entity.substring(2), 16)));
            }
            if (entity.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(entity.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        switch (entity) {
            case "amp": return "&";
            case "lt": return "<";
            case "gt": return ">";
            case "quot": return "\"";
            case "apos": return "'";
            case "nbsp": return "\u00a0";
            default: return null;
        }
    }
}
