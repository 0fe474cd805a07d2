package org.ankisync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplyWriterTest {

    static final class Sink implements HttpResponseSink {
        int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean bodyOpened;

        @Override
        public void status(int newStatus) {
            status = newStatus;
        }

        @Override
        public void header(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public OutputStream body() {
            bodyOpened = true;
            return body;
        }
    }

    @Test
    void copiesStatusHeadersAndBodyThenCompletes() throws IOException {
        AtomicInteger completed = new AtomicInteger();
        SyncReply reply = SyncReply.text(409, "busy").whenComplete(completed::incrementAndGet);
        Sink sink = new Sink();
        ReplyWriter.write(reply, "POST", sink);
        assertEquals(409, sink.status);
        assertEquals("4", sink.headers.get("Content-Length"));
        assertEquals("busy", sink.body.toString(StandardCharsets.UTF_8));
        assertEquals(1, completed.get());
    }

    @Test
    void headHasNoBody() throws IOException {
        Sink sink = new Sink();
        ReplyWriter.write(SyncReply.emptyOk(), "HEAD", sink);
        assertEquals(200, sink.status);
        assertEquals(false, sink.bodyOpened);
    }

    @Test
    void aFailedWriteStillCompletes() {
        AtomicInteger completed = new AtomicInteger();
        SyncReply reply = SyncReply.of(200, Map.of(), out -> {
                    throw new IOException("client went away");
                })
                .whenComplete(completed::incrementAndGet);
        assertThrows(IOException.class, () -> ReplyWriter.write(reply, "POST", new Sink()));
        assertEquals(1, completed.get());
    }

    @Test
    void queryStringLookup() {
        assertEquals(
                "abc", QueryString.first("k=abc&v=ankidesktop%2C2.1.50", "k").orElseThrow());
        assertEquals(
                "ankidesktop,2.1.50",
                QueryString.first("k=abc&v=ankidesktop%2C2.1.50", "v").orElseThrow());
        assertTrue(QueryString.first("k=abc", "v").isEmpty());
        assertTrue(QueryString.first(null, "v").isEmpty());
    }
}
