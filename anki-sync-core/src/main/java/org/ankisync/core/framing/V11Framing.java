package org.ankisync.core.framing;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode header;
        try {
            header = json.readTree(headerValue);
        } catch (IOException e) {
            throw SyncException.badRequest("bad sync header: not JSON");
        }
        if (header == null || !header.isObject()) {
            throw SyncException.badRequest("bad sync header: not a JSON object");
        }
        JsonNode v = header.get("v");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 255) {
            throw SyncException.badRequest("bad sync header: v must be an integer 0-255");
        }
        int version = v.intValue();
        String hostKey = requiredString(header, "k");
        String clientVersion = requiredString(header, "c");
        String sessionKey = requiredString(header, "s");
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw SyncException.badRequest("unsupported sync version: " + version);
        }
        // The decoder reads its source in large blocks itself, and its native context is
        // reused: a new ZstdInputStream per request allocated a decoder and its buffers.
        // A broken body fails when it is read (ClientBody: 400).
        InputStream payload = new LimitedInputStream(new ReusedZstdInputStream(rawBody), maxUncompressedBytes);
        return new SyncRequest(version, hostKey, sessionKey, clientVersion, false, payload);
    }

    private static String requiredString(JsonNode header, String key) {
        JsonNode node = header.get(key);
        if (node == null || !node.isTextual()) {
            throw SyncException.badRequest("bad sync header: " + key + " must be a string");
        }
        return node.textValue();
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
