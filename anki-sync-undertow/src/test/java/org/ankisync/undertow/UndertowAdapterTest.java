package org.ankisync.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies reach the handler whole and in order, whether they are read on
 * the I/O thread entirely (small) or only their start there and the rest
 * streamed (larger than {@link EarlyBody#LIMIT}); sent chunked, as the Anki
 * client sends them, and with a length. The handler answers with the body's
 * size and SHA-256, computed from what it read. Replies, too, arrive whole,
 * whether kept in memory and sent by the I/O thread or streamed from the worker.
 */
class UndertowAdapterTest {
    private Undertow undertow;
    private URI base;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setWorkerThreads(4)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L) // as the launcher: no cap at this layer
                .setHandler(new UndertowAdapter(UndertowAdapterTest::digestOfBody))
                .build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        base = URI.create("http://127.0.0.1:" + port + "/sync/meta");
    }

    @AfterEach
    void stop() {
        undertow.stop();
    }

    private static SyncReply digestOfBody(SyncCall call) {
        if (call.path().equals("sync/bytes")) {
            return bytesAsked(call);
        }
        if (call.path().equals("sync/refuse")) { // as a 403 to an upload without a valid key: body unread
            return SyncReply.of(403, Map.of(), out -> out.write("no".getBytes(StandardCharsets.US_ASCII)));
        }
        try (InputStream in = call.body()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            long size = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
            byte[] text = (size + " " + HexFormat.of().formatHex(sha.digest())).getBytes(StandardCharsets.UTF_8);
            return SyncReply.of(200, Map.of("Content-Length", Integer.toString(text.length)), out -> out.write(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A reply of as many bytes as the request body asks for, without a length, written in pieces. */
    private static SyncReply bytesAsked(SyncCall call) {
        try (InputStream in = call.body()) {
            byte[] reply = body(Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII)));
            return SyncReply.of(200, Map.of(), out -> {
                for (int at = 0; at < reply.length; at += 1000) {
                    out.write(reply, at, Math.min(1000, reply.length - at));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String expected(byte[] body) throws Exception {
        return body.length + " "
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private static byte[] body(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, 4097, EarlyBody.LIMIT - 1, EarlyBody.LIMIT, EarlyBody.LIMIT + 1, 3_000_000})
    void aChunkedBodyArrivesWhole(int size) throws Exception {
        byte[] body = body(size);
        // An input stream publisher has no length: the client sends it chunked.
        HttpRequest request = HttpRequest.newBuilder(base)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        for (int i = 0; i < 3; i++) { // the same connection, kept alive
            HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode());
            assertEquals(expected(body), reply.body());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, BufferedReply.LIMIT, BufferedReply.LIMIT + 1, 5_000_000})
    void aReplyArrivesWholeWhetherBufferedOrStreamed(int size) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("bytes"))
                .POST(HttpRequest.BodyPublishers.ofString(Integer.toString(size)))
                .build();
        for (int i = 0; i < 3; i++) { // the same connection, kept alive
            HttpResponse<byte[]> reply = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, reply.statusCode());
            assertEquals(expected(body(size)), expected(reply.body()));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, EarlyBody.LIMIT + 1, 1_000_000})
    void aBodyWithALengthArrivesWhole(int size) throws Exception {
        byte[] body = body(size);
        HttpRequest request = HttpRequest.newBuilder(base)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        assertEquals(expected(body), reply.body());
    }

    /**
     * nginx asks its upstream to close after each request and sends the whole
     * body before it reads the reply. A reply given before the body was read must
     * still reach it: the server reads the rest of the body before it closes, or
     * the sender meets a reset (and nginx answers 502 instead of passing the 403 on).
     */
    @ParameterizedTest
    @ValueSource(strings = {"close", "keep-alive"})
    void aReplyGivenBeforeTheBodyWasReadLetsTheSenderFinish(String connection) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        int chunks = 512; // 32 MiB: far more than the socket buffers hold
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /sync/refuse HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + connection
                            + "\r\nContent-Length: " + (long) chunk.length * chunks + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < chunks; i++) {
                out.write(chunk); // throws (broken pipe, reset) if the server closed before the end
            }
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 403 Forbidden", in.readLine());
        }
    }
}
