package org.ankisync.undertow;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Log lines written in batches: a request only puts its event on a lock-free
 * queue, and a background thread writes what has gathered every
 * {@link #INTERVAL_MILLIS} ms with one write. Writing each access line on the
 * request's thread (formatting plus a write to standard error) was a twelfth
 * of a small sync's CPU, and handing each to logback's AsyncAppender still
 * cost a thread wake-up per line. Nothing is dropped; {@link #stop} writes
 * what is left and turns to writing each line at once. Lines reach the stream whole, so they never mix with the
 * lines other appenders write to the same stream.
 */
final class BatchedLines extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final long INTERVAL_MILLIS = 50;

    private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    private final Encoder<ILoggingEvent> encoder;
    private final PrintStream out;
    private volatile boolean running;
    private Thread writer;

    /** {@code encoder}: started, and used by this appender only (encoders are not thread-safe). */
    BatchedLines(Encoder<ILoggingEvent> encoder, PrintStream out) {
        this.encoder = encoder;
        this.out = out;
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeUntilStopped, "ankisyncd-log-writer");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // The thread name, message and key-value pairs are read now, on the request's thread.
        event.prepareForDeferredProcessing();
        queue.offer(event);
        if (!running) {
            // Stopped (shutting down): a request that ends now is written at once.
            writeQueued();
        }
    }

    private void writeUntilStopped() {
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
            writeQueued();
        }
    }

    private synchronized void writeQueued() {
        ByteArrayOutputStream batch = null;
        for (ILoggingEvent event; (event = queue.poll()) != null; ) {
            if (batch == null) {
                batch = new ByteArrayOutputStream(4096);
            }
            batch.writeBytes(encoder.encode(event));
        }
        if (batch != null) {
            out.write(batch.toByteArray(), 0, batch.size());
            out.flush();
        }
    }

    /**
     * Writes what is queued and ends the background thread; lines logged
     * afterwards (a request finishing during shutdown) are written at once,
     * so the appender stays started.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQueued();
    }
}
