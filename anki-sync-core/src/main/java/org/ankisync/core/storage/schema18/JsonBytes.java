package org.ankisync.core.storage.schema18;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON value as the UTF-8 bytes SQLite wrote for it (the array of a chunk's
 * revlog entries, cards or notes), to go into a reply as it is: {@code new RawValue(jsonBytes)} makes
 * Jackson's UTF-8 generator copy the bytes, where a {@code String} was decoded
 * from them and encoded back. Other uses (a text generator, quoting) go through
 * the decoded text.
 */
public final class JsonBytes implements SerializableString {
    private final byte[] utf8;
    private SerializedString text;

    private JsonBytes(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * The value of SQLite's bytes of a text column: those bytes when they are
     * ASCII (nearly always), else the bytes of their decoding, which replaces
     * malformed sequences as reading the column as a {@code String} does.
     */
    static JsonBytes ofColumn(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return new JsonBytes(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new JsonBytes(bytes);
    }

    private SerializedString text() {
        if (text == null) {
            text = new SerializedString(new String(utf8, StandardCharsets.UTF_8));
        }
        return text;
    }

    @Override
    public String getValue() {
        return text().getValue();
    }

    @Override
    public String toString() {
        return getValue();
    }

    @Override
    public int charLength() {
        return text().charLength();
    }

    @Override
    public char[] asQuotedChars() {
        return text().asQuotedChars();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8.clone();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return text().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return text().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return text().appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return text().appendUnquoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return text().writeQuotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
        return text().putQuotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) throws IOException {
        if (utf8.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(utf8);
        return utf8.length;
    }
}
