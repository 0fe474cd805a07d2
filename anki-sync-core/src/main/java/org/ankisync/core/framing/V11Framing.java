package org.ankisync.core.framing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;

/**
 * Protocol v11 framing: metadata in the {@code anki-sync} request header, the
 * body one zstd frame each way, and {@code anki-original-size} on every
 * successful reply.
 */
public final class V11Framing {
    public static final String HEADER = "anki-sync";
    public static final String ORIGINAL_SIZE = "anki-original-size";
    /** A header larger than this is not a client's; refuse it before parsing. */
    static final int MAX_HEADER_CHARS = 4096;

    private static final int MIN_VERSION = 8;
    private static final int MAX_VERSION = 11;

    private final ObjectMapper json;
    private final long maxUncompressedBytes;

    public V11Framing(ObjectMapper json, long maxUncompressedBytes) {
        this.json = json;
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /**
     * Parses the header and wraps the body in a streaming zstd decoder. The
     * caller closes the returned payload (SyncServer does after every request),
     * which frees the decoder's native context; hence no finalizer.
     */
    public SyncRequest decode(String headerValue, InputStream rawBody) {
        if (headerValue.length() > MAX_HEADER_CHARS) {
            throw SyncException.badRequest("bad sync header: longer than " + MAX_HEADER_CHARS + " characters");
        }
        Header header = Header.parse(json.getFactory(), headerValue);
        int version = header.version();
        String hostKey = Header.required("k", header.hostKey);
        String clientVersion = Header.required("c", header.clientVersion);
        String sessionKey = Header.required("s", header.sessionKey);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw SyncException.badRequest("unsupported sync version: " + version);
        }
        // The decoder reads its source in large blocks itself, and its native context is
        // reused: a new ZstdInputStream per request allocated a decoder and its buffers.
        // A broken body fails when it is read (ClientBody: 400).
        InputStream payload = new LimitedInputStream(new ReusedZstdInputStream(rawBody), maxUncompressedBytes);
        return new SyncRequest(version, hostKey, sessionKey, clientVersion, false, payload);
    }

    /**
     * The header's four fields, read with a streaming parser: a JSON tree per request
     * was 3.8% of the request threads' CPU for four small fields. What it accepts and
     * refuses, and with which message, is what reading the whole tree did (checked by
     * V11FramingTest against that reading): the whole text must be one JSON value
     * with nothing after it ("not JSON"), an object ("not a JSON object"), and of a
     * field given twice the last counts. Other fields are skipped.
     */
    private static final class Header {
        private boolean object;
        private JsonParser.NumberType versionType;
        private int versionValue;
        private String hostKey;
        private String clientVersion;
        private String sessionKey;

        static Header parse(JsonFactory factory, String text) {
            Header compact = parseCompact(text);
            if (compact != null) {
                return compact;
            }
            Header h = new Header();
            try (JsonParser p = factory.createParser(text)) {
                JsonToken first = p.nextToken();
                if (first == JsonToken.START_OBJECT) {
                    h.object = true;
                    h.readFields(p);
                } else if (first != null) {
                    p.skipChildren();
                }
                if (first != null && p.nextToken() != null) {
                    throw new JsonParseException(p, "trailing token");
                }
            } catch (IOException e) {
                throw SyncException.badRequest("bad sync header: not JSON");
            }
            if (!h.object) {
                throw SyncException.badRequest("bad sync header: not a JSON object");
            }
            return h;
        }

        /**
         * The header as the official clients write it, read without a JSON parser:
         * compact JSON (no whitespace), one object whose values are strings without
         * escapes or control characters, or integers of at most nine digits. Null for
         * anything else, which {@link #parse} then reads with the streaming parser.
         * Setting up that parser was most of the cost of a 100-character header
         * (3.4% of the request threads' CPU). Of a field given twice the last
         * counts, as there.
         */
        static Header parseCompact(String text) {
            int n = text.length();
            if (n < 2 || text.charAt(0) != '{') {
                return null;
            }
            Header h = new Header();
            h.object = true;
            int i = 1;
            if (text.charAt(i) == '}') {
                return n == 2 ? h : null;
            }
            while (true) {
                int keyEnd = plainStringEnd(text, i);
                if (keyEnd < 0 || keyEnd + 2 >= n || text.charAt(keyEnd + 1) != ':') {
                    return null;
                }
                String key = text.substring(i + 1, keyEnd);
                i = keyEnd + 2;
                char first = text.charAt(i);
                if (first == '"') {
                    int end = plainStringEnd(text, i);
                    if (end < 0) {
                        return null;
                    }
                    h.field(key, text.substring(i + 1, end), false, -1);
                    i = end + 1;
                } else if (first >= '0' && first <= '9') {
                    int start = i;
                    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                        i++;
                    }
                    if (i - start > 9 || (first == '0' && i - start > 1)) {
                        return null; // beyond an int, or a leading zero (not JSON): the parser decides
                    }
                    h.field(key, null, true, Integer.parseInt(text, start, i, 10));
                } else {
                    return null;
                }
                if (i >= n) {
                    return null;
                }
                char next = text.charAt(i++);
                if (next == '}') {
                    return i == n ? h : null;
                }
                if (next != ',' || i >= n) {
                    return null;
                }
            }
        }

        /** Where the string starting with the quote at {@code quote} ends (its closing quote); -1 if it has escapes. */
        private static int plainStringEnd(String text, int quote) {
            if (text.charAt(quote) != '"') {
                return -1;
            }
            for (int i = quote + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i;
                }
                if (c == '\\' || c < 0x20) {
                    return -1;
                }
            }
            return -1;
        }

        /**
         * Takes one field's value: {@code text} when it is a string (else null),
         * {@code integer} when it is a number that fits an int ({@code isInt}).
         * Any other value of a field of ours leaves that field unusable.
         */
        private void field(String key, String text, boolean isInt, int integer) {
            switch (key) {
                case "v" -> {
                    versionType = isInt ? JsonParser.NumberType.INT : null;
                    versionValue = isInt ? integer : -1;
                }
                case "k" -> hostKey = text;
                case "c" -> clientVersion = text;
                case "s" -> sessionKey = text;
                default -> {
                    // not ours
                }
            }
        }

        private void readFields(JsonParser p) throws IOException {
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken value = p.nextToken();
                boolean isInt = value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
                field(name, value == JsonToken.VALUE_STRING ? p.getText() : null, isInt, isInt ? p.getIntValue() : -1);
                p.skipChildren(); // a no-op for a single value
            }
        }

        int version() {
            if (versionType != JsonParser.NumberType.INT || versionValue < 0 || versionValue > 255) {
                throw SyncException.badRequest("bad sync header: v must be an integer 0-255");
            }
            return versionValue;
        }

        /** The value of string field {@code key}, or a 400 naming it. */
        static String required(String key, String value) {
            if (value == null) {
                throw SyncException.badRequest("bad sync header: " + key + " must be a string");
            }
            return value;
        }
    }

    /** Whether the header is read by the compact reading (for tests: the clients' form must be). */
    static boolean readsCompactly(String headerValue) {
        return Header.parseCompact(headerValue) != null;
    }

    /**
     * A successful reply whose payload is already in memory: compressed here,
     * so the reply carries a {@code Content-Length}. Without it the body went
     * out chunked, and the client, which stops reading at the end of the zstd
     * frame, never saw the last chunk and could not reuse the connection: it
     * opened a new one for nearly every request of a sync.
     */
    public SyncReply encode(byte[] payload) {
        // One-shot compression: zstd knows the input size and sizes its tables to
        // it, where a stream context at level 3 set up ~1 MB of tables per reply.
        byte[] body = ZstdCompressors.compress(payload);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ORIGINAL_SIZE, Integer.toString(payload.length));
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Length", Integer.toString(body.length));
        return SyncReply.of(200, headers, out -> {
            out.write(body);
            out.flush();
        });
    }

    /**
     * A successful reply streamed through one zstd frame.
     *
     * @param originalSize the exact number of bytes {@code payload} will write
     */
    public SyncReply encode(long originalSize, SyncReply.Body payload) {
        if (originalSize < 0 || originalSize > 0xFFFF_FFFFL) {
            // The client parses anki-original-size as an unsigned 32-bit number.
            throw SyncException.internal("reply of " + originalSize + " bytes cannot be framed for v11", null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ORIGINAL_SIZE, Long.toString(originalSize));
        headers.put("Content-Type", "application/octet-stream");
        return SyncReply.of(200, headers, out -> {
            // One frame: ZstdOutputStream only ends the frame on close(), and
            // closing must not close the adapter's stream.
            try (ZstdOutputStreamNoFinalizer zstd =
                    new ZstdOutputStreamNoFinalizer(new NonClosingOutputStream(out), 3)) {
                payload.writeTo(zstd);
            }
            out.flush();
        });
    }
}
