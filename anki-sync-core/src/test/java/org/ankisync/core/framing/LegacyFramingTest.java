package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.Test;

/** The multipart (protocol v8-10) request framing of http.md section 4. */
class LegacyFramingTest {
    private static final String BOUNDARY = "Anki-sync-boundary";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
    private final LegacyFraming framing = new LegacyFraming(new ObjectMapper(), 10L << 20, 30L << 20);

    /** Builds a form the way the legacy Python client wrote it (anki/sync.py, HttpSyncer.req). */
    static final class Form {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final String boundary;

        Form(String boundary) {
            this.boundary = boundary;
        }

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n");
            return this;
        }

        Form data(byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"data\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        byte[] end() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(SyncRequest request) throws IOException {
        return new String(request.payload().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Hands out the body one byte per read, so every boundary straddles buffer refills. */
    private static InputStream trickle(byte[] body) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void gzippedJsonWithHostAndSessionKey() throws IOException {
        byte[] body = new Form(BOUNDARY)
                .field("c", "1")
                .field("k", "hkey")
                .field("s", "skey")
                .data(gzip(utf8("{\"minUsn\":0,\"lnewer\":true}")))
                .end();
        SyncRequest request = framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), false);
        assertTrue(request.legacy());
        assertEquals(10, request.protocolVersion());
        assertEquals("hkey", request.hostKey());
        assertEquals("skey", request.sessionKey());
        assertEquals("{\"minUsn\":0,\"lnewer\":true}", text(request));
    }

    @Test
    void compressionFlagZeroOrAbsentMeansPlain() throws IOException {
        byte[] plain = new Form(BOUNDARY)
                .field("c", "0")
                .field("k", "hkey")
                .data(utf8("{\"a\":1}"))
                .end();
        assertEquals("{\"a\":1}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(plain), false)));
        byte[] absent =
                new Form(BOUNDARY).field("k", "hkey").data(utf8("{\"a\":2}")).end();
        assertEquals("{\"a\":2}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(absent), false)));
        // Any value other than "0" means gzip.
        byte[] yes = new Form(BOUNDARY)
                .field("c", "true")
                .data(gzip(utf8("{\"a\":3}")))
                .end();
        assertEquals("{\"a\":3}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(yes), false)));
    }

    @Test
    void missingOrEmptyDataIsAnEmptyObject() throws IOException {
        byte[] missing = new Form(BOUNDARY).field("c", "1").field("k", "hkey").end();
        assertEquals("{}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(missing), false)));
        byte[] empty = new Form(BOUNDARY)
                .field("c", "1")
                .field("k", "hkey")
                .data(new byte[0])
                .end();
        assertEquals("{}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(empty), false)));
    }

    @Test
    void skIsTheHostKeyToo() {
        byte[] body = new Form(BOUNDARY)
                .field("sk", "media-key")
                .field("c", "0")
                .data(utf8("{}"))
                .end();
        assertEquals(
                "media-key",
                framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), false)
                        .hostKey());
    }

    @Test
    void mediaBeginTakesTheClientVersionFromFieldV() throws IOException {
        byte[] body = new Form(BOUNDARY)
                .field("k", "hkey")
                .field("v", "ankidroid,2.15,linux")
                .field("c", "0")
                .end();
        assertEquals(
                "{\"v\":\"ankidroid,2.15,linux\"}",
                text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), true)));
        // Elsewhere v is ignored.
        assertEquals("{}", text(framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), false)));
        SyncRequest get = framing.mediaBeginQuery("hkey", "anki,2.1.50,win");
        assertEquals("hkey", get.hostKey());
        assertTrue(get.legacy());
        assertEquals("{\"v\":\"anki,2.1.50,win\"}", text(get));
    }

    @Test
    void smallDataMayComeBeforeTheOtherFields() throws IOException {
        byte[] body = new Form(BOUNDARY)
                .data(gzip(utf8("{\"x\":[1,2]}")))
                .field("k", "hkey")
                .field("c", "1")
                .field("unknown", "ignored")
                .end();
        SyncRequest request = framing.decode(CONTENT_TYPE, trickle(body), false);
        assertEquals("hkey", request.hostKey());
        assertEquals("{\"x\":[1,2]}", text(request));
    }

    @Test
    void largeDataIsStreamedGzippedOrNot() throws IOException {
        byte[] big = new byte[3 * LegacyFraming.BUFFERED_DATA_BYTES + 12345];
        new Random(7).nextBytes(big);
        // Include a near-delimiter inside the data.
        byte[] near = utf8("\r\n--" + BOUNDARY.substring(0, 10));
        System.arraycopy(near, 0, big, 1000, near.length);
        for (boolean compressed : new boolean[] {true, false}) {
            byte[] body = new Form(BOUNDARY)
                    .field("c", compressed ? "1" : "0")
                    .field("k", "hkey")
                    .data(compressed ? gzip(big) : big)
                    .field("other", "x")
                    .end();
            SyncRequest request = framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), false);
            assertArrayEquals(big, request.payload().readAllBytes());
        }
    }

    @Test
    void aKeyFieldAfterLargeDataFailsWhenTheDataEnds() {
        byte[] big = new byte[LegacyFraming.BUFFERED_DATA_BYTES + 10];
        byte[] body =
                new Form(BOUNDARY).field("c", "0").data(big).field("k", "late").end();
        SyncRequest request = framing.decode(CONTENT_TYPE, new ByteArrayInputStream(body), false);
        IOException e = assertThrows(IOException.class, () -> request.payload().readAllBytes());
        assertTrue(e.getMessage().contains("field k"), e.getMessage());
    }

    @Test
    void preambleQuotedBoundaryAndOtherPartHeaders() throws IOException {
        String boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        byte[] form = new Form(boundary)
                .field("k", "hkey")
                .field("c", "0")
                .data(utf8("{\"q\":\"\u00e9\"}"))
                .end();
        byte[] body = new byte[form.length + 10];
        System.arraycopy(utf8("preamble\r\n"), 0, body, 0, 10);
        System.arraycopy(form, 0, body, 10, form.length);
        SyncRequest request = framing.decode(
                "Multipart/Form-Data; charset=utf-8; boundary=\"" + boundary + "\"", trickle(body), false);
        assertEquals("hkey", request.hostKey());
        assertEquals("{\"q\":\"\u00e9\"}", text(request));
    }

    @Test
    void notMultipartIs400() {
        for (String type : new String[] {
            null, "application/octet-stream", "multipart/form-data", "application/x-www-form-urlencoded; boundary=x"
        }) {
            SyncException e = assertThrows(
                    SyncException.class, () -> framing.decode(type, new ByteArrayInputStream(new byte[0]), false));
            assertEquals(400, e.status());
        }
    }

    @Test
    void malformedBodiesAre400() throws IOException {
        byte[] truncated =
                new Form(BOUNDARY).field("k", "hkey").data(utf8("{}")).end();
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 30);
        assertEquals(
                400,
                assertThrows(
                                SyncException.class,
                                () -> framing.decode(CONTENT_TYPE, new ByteArrayInputStream(cut), false))
                        .status());
        byte[] noBoundary = utf8("just some text");
        assertEquals(
                400,
                assertThrows(
                                SyncException.class,
                                () -> framing.decode(CONTENT_TYPE, new ByteArrayInputStream(noBoundary), false))
                        .status());
        byte[] badGzip =
                new Form(BOUNDARY).field("c", "1").data(utf8("not gzip")).end();
        assertEquals(
                400,
                assertThrows(
                                SyncException.class,
                                () -> framing.decode(CONTENT_TYPE, new ByteArrayInputStream(badGzip), false))
                        .status());
    }

    @Test
    void rawAndDecompressedLimits() throws IOException {
        LegacyFraming small = new LegacyFraming(new ObjectMapper(), 1000, 5000);
        byte[] tooBig = new Form(BOUNDARY).field("c", "0").data(new byte[2000]).end();
        // 413 with the limit named, like an oversized v11 body (regression: was a 400 "invalid multipart")
        SyncException refused = assertThrows(
                SyncException.class, () -> small.decode(CONTENT_TYPE, new ByteArrayInputStream(tooBig), false));
        assertEquals(413, refused.status());
        assertTrue(refused.getMessage().contains("limit of 1000 bytes"), refused.getMessage());
        byte[] bomb =
                new Form(BOUNDARY).field("c", "1").data(gzip(new byte[6000])).end();
        assertTrue(bomb.length < 1000);
        SyncRequest request = small.decode(CONTENT_TYPE, new ByteArrayInputStream(bomb), false);
        assertThrows(
                LimitedInputStream.PayloadTooLargeException.class,
                () -> request.payload().readAllBytes());
    }

    @Test
    void repliesAreRawAndUncompressed() throws IOException {
        SyncReply reply = framing.encode(utf8("OK"));
        assertEquals(200, reply.status());
        assertEquals("application/octet-stream", reply.headers().get("Content-Type"));
        assertEquals("2", reply.headers().get("Content-Length"));
        assertTrue(!reply.headers().containsKey("anki-original-size"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reply.body().writeTo(out);
        assertEquals("OK", out.toString(StandardCharsets.UTF_8));
    }
}
