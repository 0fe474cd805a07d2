package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
