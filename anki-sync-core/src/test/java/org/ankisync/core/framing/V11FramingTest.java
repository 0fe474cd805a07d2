package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.Test;

class V11FramingTest {
    private final V11Framing framing = new V11Framing(new ObjectMapper(), 1000);
    private static final String HEADER = "{\"v\":11,\"k\":\"key\",\"c\":\"26.9.3,abc,linux\",\"s\":\"sess\"}";

    @Test
    void decodesHeaderAndStreamedBody() throws IOException {
        byte[] body = Zstd.compress("{\"v\":11}".getBytes(StandardCharsets.UTF_8));
        SyncRequest request = framing.decode(HEADER, new ByteArrayInputStream(body));
        assertEquals(11, request.protocolVersion());
        assertEquals("key", request.hostKey());
        assertEquals("sess", request.sessionKey());
        assertEquals("{\"v\":11}", new String(request.payload().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsBadHeaders() {
        for (String header : new String[] {
            "nope",
            "[]",
            "{\"v\":11}",
            "{\"v\":\"11\",\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
            "{\"v\":7,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
            "{\"v\":12,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
            "{\"v\":11,\"k\":1,\"c\":\"\",\"s\":\"\"}",
            "x".repeat(5000)
        }) {
            SyncException e = assertThrows(
                    SyncException.class, () -> framing.decode(header, new ByteArrayInputStream(new byte[0])), header);
            assertEquals(400, e.status());
        }
    }

    /**
     * The header is read with a streaming parser; what it accepts and refuses, and
     * with which message, must be what reading it as a JSON tree (the server's
     * mapper, trailing tokens refused) gave before.
     */
    @Test
    void streamingHeaderParserAgreesWithTheTreeReading() {
        ObjectMapper serverMapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        V11Framing streaming = new V11Framing(serverMapper, 1000);
        String ok = "\"k\":\"key\",\"c\":\"26.9.3,abc,linux\",\"s\":\"sess\"";
        List<String> headers = List.of(
                HEADER,
                "{" + ok + ",\"v\":11}",
                "{\"v\":11," + ok + ",\"extra\":{\"v\":1,\"k\":[1,2,{\"s\":3}]},\"more\":[[]]}",
                "{\"v\":11," + ok + "}   ",
                " \n{\"v\":11," + ok + "}",
                "{\"v\":11," + ok + "} x",
                "{\"v\":11," + ok + "}}",
                "{\"v\":11," + ok + "}{}",
                "{\"v\":11," + ok + "",
                "{\"v\":11," + ok + ",}",
                "{\"v\":11," + ok + ",\"k\":2}",
                "{\"v\":11," + ok + ",\"k\":\"second\"}",
                "{\"v\":\"x\"," + ok + ",\"v\":10}",
                "{\"v\":10," + ok + ",\"v\":11.0}",
                "{\"v\":1e1," + ok + "}",
                "{\"v\":-0," + ok + "}",
                "{\"v\":-1," + ok + "}",
                "{\"v\":256," + ok + "}",
                "{\"v\":255," + ok + "}",
                "{\"v\":4294967307," + ok + "}",
                "{\"v\":99999999999999999999999," + ok + "}",
                "{\"v\":null," + ok + "}",
                "{\"v\":true," + ok + "}",
                "{\"v\":[11]," + ok + "}",
                "{\"v\":{\"v\":11}," + ok + "}",
                "{\"v\":11,\"k\":null,\"c\":\"\",\"s\":\"\"}",
                "{\"v\":11,\"k\":\"\",\"c\":[\"x\"],\"s\":\"\"}",
                "{\"v\":11,\"k\":\"\",\"c\":\"\"}",
                "{\"v\":11,\"k\":\"\\u00e9\\n\",\"c\":\"\",\"s\":\"\"}",
                "{}",
                "[]",
                "[] x",
                "11",
                "11 12",
                "\"text\"",
                "null",
                "",
                "   ",
                "nope",
                "{v:11}",
                "{'v':11}");
        for (String header : headers) {
            assertEquals(treeReading(serverMapper, header), outcome(streaming, header), header);
        }
    }

    /** How the header was read before: the whole JSON tree, then its fields. */
    private static String treeReading(ObjectMapper mapper, String headerValue) {
        JsonNode header;
        try {
            header = mapper.readTree(headerValue);
        } catch (IOException e) {
            return "400 bad sync header: not JSON";
        }
        if (header == null || !header.isObject()) {
            return "400 bad sync header: not a JSON object";
        }
        JsonNode v = header.get("v");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 255) {
            return "400 bad sync header: v must be an integer 0-255";
        }
        StringBuilder fields = new StringBuilder("v=" + v.intValue());
        for (String key : new String[] {"k", "c", "s"}) {
            JsonNode node = header.get(key);
            if (node == null || !node.isTextual()) {
                return "400 bad sync header: " + key + " must be a string";
            }
            fields.append(' ').append(key).append('=').append(node.textValue());
        }
        int version = v.intValue();
        return version < 8 || version > 11 ? "400 unsupported sync version: " + version : fields.toString();
    }

    private static String outcome(V11Framing framing, String header) {
        try {
            SyncRequest r = framing.decode(header, new ByteArrayInputStream(new byte[0]));
            return "v=" + r.protocolVersion() + " k=" + r.hostKey() + " c=" + r.clientVersion() + " s="
                    + r.sessionKey();
        } catch (SyncException e) {
            return e.status() + " " + e.getMessage();
        }
    }

    @Test
    void decompressedSizeIsCapped() {
        byte[] body = Zstd.compress(new byte[5000]);
        SyncRequest request = framing.decode(HEADER, new ByteArrayInputStream(body));
        assertThrows(
                LimitedInputStream.PayloadTooLargeException.class,
                () -> request.payload().readAllBytes());
    }

    @Test
    void repliesAreOneZstdFrameWithTheOriginalSize() throws IOException {
        byte[] payload = "hello world".repeat(1000).getBytes(StandardCharsets.UTF_8);
        SyncReply reply = framing.encode(payload);
        assertEquals(Integer.toString(payload.length), reply.headers().get(V11Framing.ORIGINAL_SIZE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reply.body().writeTo(out);
        byte[] compressed = out.toByteArray();
        // A single frame: decompressing exactly one frame gives everything back.
        assertEquals(compressed.length, Zstd.findFrameCompressedSize(compressed, 0));
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            assertArrayEquals(payload, in.readAllBytes());
        }
    }
}
