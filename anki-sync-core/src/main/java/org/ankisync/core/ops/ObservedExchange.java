package org.ankisync.core.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.ankisync.core.SyncServer;
import org.ankisync.core.http.ForwardingSyncCall;
import org.ankisync.core.http.HttpResponseSink;
import org.ankisync.core.http.ReplyWriter;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.WouldWaitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request from an adapter to the written reply, observed: it gets a
 * request id (sent back in {@link RequestIds#HEADER}), its body bytes in and
 * out are counted, and when the reply is written one access line is logged
 * and the {@link SyncObserver} hears of it. Adapters call
 * {@link SyncServer#serve}, which comes here.
 */
public final class ObservedExchange {
    /**
     * One line per request; key-value pairs as well, so that the JSON log format
     * carries each field as its own member.
     */
    private static final Logger ACCESS = LoggerFactory.getLogger("ankisyncd.access");

    private ObservedExchange() {}

    public static void serve(SyncServer server, SyncCall peerCall, HttpResponseSink sink, SyncObserver observer)
            throws IOException {
        long start = System.nanoTime();
        RequestContext context = new RequestContext(RequestIds.next());
        CountedCall call = new CountedCall(peerCall);
        CountingStreams.Out[] out = new CountingStreams.Out[1];
        int status = 0;
        boolean deferred = false;
        try {
            SyncReply reply;
            try {
                reply = server.handle(call, context);
            } catch (WouldWaitException e) {
                deferred = true; // answered again where it may wait; its access line comes then
                throw e;
            }
            status = reply.status();
            ReplyWriter.write(reply, call.httpMethod(), new HttpResponseSink() {
                @Override
                public void status(int code) {
                    sink.status(code);
                    sink.header(RequestIds.HEADER, context.requestId());
                }

                @Override
                public void header(String name, String value) {
                    sink.header(name, value);
                }

                @Override
                public OutputStream body() throws IOException {
                    out[0] = new CountingStreams.Out(sink.body());
                    return out[0];
                }
            });
        } finally {
            if (!deferred) {
                completed(context, call, status, out[0], start, observer);
            }
        }
    }

    /** The access line and the observer told, once the reply was written (or failed). */
    private static void completed(
            RequestContext context,
            CountedCall call,
            int status,
            CountingStreams.Out out,
            long start,
            SyncObserver observer) {
        long bytesOut = out == null ? 0 : out.count;
        CompletedRequest done = new CompletedRequest(
                context.requestId(),
                call.httpMethod(),
                context.route(),
                context.user(),
                status,
                call.counted == null ? 0 : call.counted.count,
                bytesOut,
                System.nanoTime() - start,
                context.clientVersion(),
                context.address());
        log(done);
        try {
            observer.requestCompleted(done);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ObservedExchange.class).warn("metrics observer failed", e);
        }
    }

    private static void log(CompletedRequest r) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        long ms = r.elapsedNanos() / 1_000_000;
        ACCESS.atInfo()
                .addKeyValue("method", r.httpMethod())
                .addKeyValue("route", r.route())
                .addKeyValue("user", r.user())
                .addKeyValue("status", r.status())
                .addKeyValue("bytes_in", r.bytesIn())
                .addKeyValue("bytes_out", r.bytesOut())
                .addKeyValue("elapsed_ms", ms)
                .addKeyValue("client", r.clientVersion())
                .addKeyValue("address", r.address())
                .addKeyValue("request_id", r.requestId())
                .log(
                        "{} /{} user={} status={} in={} out={} ms={} client=\"{}\" address={} id={}",
                        r.httpMethod(),
                        r.route(),
                        quoteless(r.user()),
                        r.status(),
                        r.bytesIn(),
                        r.bytesOut(),
                        ms,
                        quoteless(r.clientVersion()),
                        r.address(),
                        r.requestId());
    }

    /** Keeps the text line one line with unambiguous fields (names and versions come from clients). */
    private static String quoteless(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : c);
        }
        return b.toString();
    }

    /** The adapter's call with its body counted. */
    private static final class CountedCall extends ForwardingSyncCall {
        CountingStreams.In counted;

        CountedCall(SyncCall call) {
            super(call);
        }

        @Override
        public InputStream body() {
            if (counted == null) {
                counted = new CountingStreams.In(delegate().body());
            }
            return counted;
        }
    }
}
