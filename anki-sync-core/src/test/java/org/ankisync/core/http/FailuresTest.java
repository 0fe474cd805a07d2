package org.ankisync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import org.ankisync.core.framing.ClientBody;
import org.ankisync.core.framing.ClientBody.ClientBodyException;
import org.ankisync.core.framing.LimitedInputStream;
import org.ankisync.core.framing.LimitedInputStream.PayloadTooLargeException;
import org.ankisync.core.framing.SyncRequest;
import org.junit.jupiter.api.Test;

/** The error boundary: which failure gets which status and text. */
class FailuresTest {

    private static SyncRequest request(InputStream body) {
        return new SyncRequest(11, "hkey", "skey", "test", false, body);
    }

    @Test
    void aBodyThatCannotBeReadIsTheClientsFault() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Unknown frame descriptor");
            }
        };
        SyncRequest guarded = ClientBody.guard(request(broken));
        ClientBodyException e =
                assertThrows(ClientBodyException.class, () -> guarded.payload().readAllBytes());
        SyncException reply = Failures.classify(e);
        assertEquals(400, reply.status());
        assertEquals("decoding request body: Unknown frame descriptor", reply.getMessage());
        assertFalse(Failures.isInternal(reply));
    }

    @Test
    void aBodyOverTheLimitStays413() {
        SyncRequest guarded =
                ClientBody.guard(request(new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 10)));
        PayloadTooLargeException e = assertThrows(
                PayloadTooLargeException.class, () -> guarded.payload().readAllBytes());
        assertEquals(413, Failures.classify(e).status());
        assertEquals(e.getMessage(), Failures.classify(e).getMessage());
    }

    @Test
    void protocolDecisionsKeepTheirStatus() {
        SyncException conflict = SyncException.conflict("no active sync");
        assertSame(conflict, Failures.classify(conflict));
    }

    @Test
    void everythingElseIs500WithoutInternals() {
        for (Exception e : new Exception[] {
            new SQLException("disk I/O error"), new IOException("No space left"), new IllegalStateException("bug")
        }) {
            SyncException reply = Failures.classify(e);
            assertEquals(500, reply.status());
            assertEquals(Failures.INTERNAL, reply.getMessage());
            assertSame(e, reply.getCause());
            assertTrue(Failures.isInternal(reply));
        }
    }

    @Test
    void guardingTwiceWrapsOnce() {
        SyncRequest once = ClientBody.guard(request(new ByteArrayInputStream(new byte[0])));
        assertSame(once, ClientBody.guard(once));
    }
}
