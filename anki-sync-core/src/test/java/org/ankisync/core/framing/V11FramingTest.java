package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Random;
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
                "{'v':11}",
                // compact forms at the edges of the reading without a parser
                "{\"v\":011," + ok + "}",
                "{\"v\":0," + ok + "}",
                "{\"v\":00," + ok + "}",
                "{\"v\":123456789," + ok + "}",
                "{\"v\":1234567890," + ok + "}",
                "{\"v\":11," + ok + ",\"\":1}",
                "{\"v\":11,\"k\":\"a\"\"c\":\"\",\"s\":\"\"}",
                "{\"v\":11,\"k\":\"tab\there\",\"c\":\"\",\"s\":\"\"}",
                "{\"v\":11,\"k\":\"\u007f é 🦀\",\"c\":\"\",\"s\":\"\"}",
                "{\"v\":11,\"k\":\"k\",\"c\":\"c\",\"s\":\"s\"",
                "{\"v\":11,\"k\":\"k\",\"c\":\"c\",\"s\":",
                "{\"v\":11,\"k\":\"k\",\"c\":\"c\",\"s\"",
                "{\"v\":11,\"k\":\"k\",\"c\":\"c\",",
                "{\"v\":11x," + ok + "}",
                "{\"v\":11" + ok + "}",
                "{\"v\":11,," + ok + "}",
                "{\"v\":11.5," + ok + "}",
                "{\"v\":11e0," + ok + "}",
                "{\"v\":11,\"s\":5," + ok + "}",
                "{\"v\":11," + ok + ",\"s\":5}",
                "{\"v\":\"11\"," + ok + "}",
                "{\"v\":11,\"k\":\"\",\"c\":\"\",\"s\":\"\"}",
                "{\"",
                "{\"v",
                "{}x",
                "{");
        for (String header : headers) {
            assertEquals(treeReading(serverMapper, header), outcome(streaming, header), header);
        }
    }

    /** The clients' header is read without a JSON parser (else that reading would be untested). */
    @Test
    void theClientsHeaderIsReadCompactly() {
        assertTrue(V11Framing.readsCompactly(HEADER));
        assertTrue(
                V11Framing.readsCompactly(
                        "{\"v\":11,\"k\":\"0123456789abcdef0123456789abcdef\",\"c\":\"26.9.3,3a4c2b1,linux\",\"s\":\"Xy1_z\"}"));
        assertFalse(V11Framing.readsCompactly(" " + HEADER), "whitespace goes to the parser");
        assertFalse(V11Framing.readsCompactly("{\"v\":11,\"k\":\"\\u00e9\",\"c\":\"\",\"s\":\"\"}"), "escapes too");
    }

    /**
     * Random headers near the clients' form (fields in any order, given twice or
     * not at all, values of every JSON kind, whitespace, cut short or with more
     * after): read the same as the whole JSON tree reads them.
     */
    @Test
    void randomHeadersAreReadAsTheTreeReadsThem() {
        ObjectMapper serverMapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        V11Framing framing = new V11Framing(serverMapper, 1000);
        String[] keys = {"v", "k", "c", "s", "x", "", "vv"};
        String[] values = {
            "11",
            "8",
            "0",
            "255",
            "256",
            "999999999",
            "1234567890",
            "01",
            "-1",
            "11.0",
            "1e1",
            "\"11\"",
            "\"\"",
            "\"key\"",
            "\"26.9.3,abc,linux\"",
            "\"é 🦀\"",
            "\"a\\\"b\"",
            "\"\\u0041\"",
            "\"tab\tx\"",
            "null",
            "true",
            "[]",
            "{}",
            "{\"v\":11}",
            "[11]"
        };
        Random random = new Random(19);
        int compact = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder header = new StringBuilder("{");
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                if (f > 0) {
                    header.append(random.nextInt(40) == 0 ? " , " : ",");
                }
                boolean usual = random.nextInt(3) > 0;
                String key = usual ? keys[f % 4] : keys[random.nextInt(keys.length)];
                String value = usual && random.nextBoolean()
                        ? (key.equals("v") ? "11" : "\"" + key + "-value\"")
                        : values[random.nextInt(values.length)];
                header.append('"').append(key).append('"').append(random.nextInt(40) == 0 ? " : " : ":");
                header.append(value);
            }
            header.append('}');
            String text = header.toString();
            switch (random.nextInt(12)) {
                case 0 -> text = text.substring(0, random.nextInt(text.length()));
                case 1 -> text = text + (random.nextBoolean() ? " " : "x");
                case 2 -> text = " " + text;
                default -> {
                    // as built
                }
            }
            if (V11Framing.readsCompactly(text)) {
                compact++;
            }
            assertEquals(treeReading(serverMapper, text), outcome(framing, text), text);
        }
        assertTrue(compact > 5_000, "the compact reading was tried " + compact + " times");
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
