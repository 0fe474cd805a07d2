package org.ankisync.core.framing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;

/**
 * Legacy framing (sync protocol v8-10, http.md section 4): the request is a
 * {@code multipart/form-data} form whose fields carry the host key ({@code k}
 * or {@code sk}), the session key ({@code s}), the gzip flag ({@code c}), the
 * media client version ({@code v}) and the payload ({@code data}); replies are
 * the raw payload, uncompressed.
 *
 * <p>The form is read as a stream. Small text fields are kept in memory. A
 * {@code data} field up to {@value #BUFFERED_DATA_BYTES} bytes is buffered, so
 * the fields may come in any order; a larger one (a collection or media zip)
 * is streamed to the method, which then needs the fields it depends on
 * ({@code k}, {@code s}, {@code c}) before it, as every legacy client sends
 * them. A field other than those after a streamed {@code data} is ignored; one
 * of those after it fails the request.
 *
 * <p>The raw body is capped at {@code maxPayloadBytes} and the decompressed
 * payload at {@code maxUncompressedBytes}. Exceeding either is a 413 with the
 * limit in its message, as for v11 bodies (the official server answers 400
 * for an oversized form, which the client misreports as "check database");
 * {@code sync/upload} answers its 200 text {@code collection exceeds size limit}.
 */
public final class LegacyFraming {
    /** Multipart requests carry no protocol version; the official server assumes 10. */
    public static final int ASSUMED_VERSION = 10;

    static final int BUFFERED_DATA_BYTES = 1024 * 1024;
    private static final int MAX_TEXT_FIELD_BYTES = 16 * 1024;
    private static final Set<String> META_FIELDS = Set.of("c", "k", "sk", "s", "v");
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;
    private final long maxPayloadBytes;
    private final long maxUncompressedBytes;

    public LegacyFraming(ObjectMapper json, long maxPayloadBytes, long maxUncompressedBytes) {
        this.json = json;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /**
     * Reads a multipart request up to its payload.
     *
     * @param contentType the request's {@code Content-Type} (must be multipart/form-data with a boundary)
     * @param mediaBegin  true for {@code msync/begin}, where a {@code v} field replaces the payload
     *                    with {@code {"v": <field>}}, as the official server does
     */
    public SyncRequest decode(String contentType, InputStream rawBody, boolean mediaBegin) {
        String boundary = MultipartReader.boundaryOf(contentType);
        if (boundary == null) {
            throw SyncException.badRequest("multipart: requests without the anki-sync header must be"
                    + " multipart/form-data with a boundary");
        }
        MultipartReader form = new MultipartReader(new LimitedInputStream(rawBody, maxPayloadBytes), boundary);
        String hostKey = "";
        String sessionKey = "";
        String mediaClientVersion = null;
        boolean compressed = false;
        byte[] data = null;
        InputStream streamedData = null;
        try {
            String name;
            while ((name = form.nextPart()) != null) {
                switch (name) {
                    case "c" ->
                        compressed = !form.readText(MAX_TEXT_FIELD_BYTES, "c").equals("0");
                    case "k", "sk" -> hostKey = form.readText(MAX_TEXT_FIELD_BYTES, name);
                    case "s" -> sessionKey = form.readText(MAX_TEXT_FIELD_BYTES, "s");
                    case "v" -> mediaClientVersion = form.readText(MAX_TEXT_FIELD_BYTES, "v");
                    case "data" -> {
                        byte[] head = readUpTo(form.content(), BUFFERED_DATA_BYTES + 1);
                        if (head.length <= BUFFERED_DATA_BYTES) {
                            data = head;
                        } else {
                            streamedData = new SequenceInputStream(
                                    new ByteArrayInputStream(head), new TailCheckingStream(form));
                        }
                    }
                    default -> {
                        // Unknown fields are ignored (skipped by nextPart).
                    }
                }
                if (streamedData != null) {
                    break;
                }
            }
        } catch (LimitedInputStream.PayloadTooLargeException e) {
            throw new SyncException(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            throw SyncException.badRequest(e.getMessage());
        }
        InputStream payload;
        if (mediaBegin && mediaClientVersion != null) {
            payload = new ByteArrayInputStream(mediaBeginJson(mediaClientVersion));
        } else if (streamedData != null) {
            payload = compressed ? gunzip(streamedData) : streamedData;
        } else if (data == null || data.length == 0) {
            // AnkiDroid omits data on download.
            payload = new ByteArrayInputStream(EMPTY_OBJECT);
        } else {
            payload = compressed ? gunzip(new ByteArrayInputStream(data)) : new ByteArrayInputStream(data);
        }
        return new SyncRequest(
                ASSUMED_VERSION, hostKey, sessionKey, "", true, new LimitedInputStream(payload, maxUncompressedBytes));
    }

    /** {@code GET msync/begin?k=&v=}: processed like a legacy {@code begin} whose form had these fields. */
    public SyncRequest mediaBeginQuery(String hostKey, String clientVersion) {
        return new SyncRequest(
                ASSUMED_VERSION, hostKey, "", "", true, new ByteArrayInputStream(mediaBeginJson(clientVersion)));
    }

    private byte[] mediaBeginJson(String clientVersion) {
        try {
            return json.writeValueAsBytes(json.createObjectNode().put("v", clientVersion));
        } catch (IOException e) {
            throw SyncException.internal("serialize begin request", e);
        }
    }

    /** A successful legacy reply: the raw payload, uncompressed. */
    public SyncReply encode(byte[] payload) {
        return encode(payload.length, out -> out.write(payload));
    }

    /** A successful legacy reply streamed as is; {@code size} becomes the Content-Length. */
    public SyncReply encode(long size, SyncReply.Body body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Length", Long.toString(size));
        return SyncReply.of(200, headers, out -> {
            body.writeTo(out);
            out.flush();
        });
    }

    private static InputStream gunzip(InputStream compressed) {
        try {
            return new GZIPInputStream(compressed, 65536);
        } catch (IOException e) {
            throw SyncException.badRequest("invalid gzip: " + e.getMessage());
        }
    }

    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        while (out.size() < max) {
            int n = in.read(chunk, 0, Math.min(chunk.length, max - out.size()));
            if (n < 0) {
                break;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * The rest of a streamed {@code data} part; at its end, reads the rest of
     * the form and fails if a field that had to come first follows.
     */
    private static final class TailCheckingStream extends InputStream {
        private final MultipartReader form;
        private boolean done;

        TailCheckingStream(MultipartReader form) {
            this.form = form;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            int n = form.readContent(b, off, len);
            if (n >= 0) {
                return n;
            }
            String name;
            while ((name = form.nextPart()) != null) {
                if (META_FIELDS.contains(name) || name.equals("data")) {
                    throw new MultipartReader.MalformedMultipartException(
                            "field " + name + " after a data field larger than " + BUFFERED_DATA_BYTES + " bytes");
                }
            }
            done = true;
            return -1;
        }
    }
}
