package org.ankisync.undertow;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;

/**
 * The launcher's logging, set up in code because level and format come from
 * the server's configuration ({@code ANKISYNCD_LOG_LEVEL},
 * {@code ANKISYNCD_LOG_FORMAT}). Everything goes to standard error, as
 * systemd and container runtimes expect. Text lines keep the form the
 * fail2ban filter reads ({@code ... WARN ankisyncd.login - LOGIN FAILED ...});
 * JSON lines come from logback's own {@link JsonEncoder}, one object per line,
 * with the access line's fields as key-value pairs.
 *
 * <p>The access line ({@code ankisyncd.access}, one per request) is written in
 * batches by a background thread, at most {@link BatchedLines#INTERVAL_MILLIS}
 * ms after its request ({@link BatchedLines}); {@link #flush} writes what is
 * queued at shutdown. Every other line is written at once, so a failing
 * start-up or an audit line is never left in a queue.
 */
final class Logging {
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} [%thread] %level %logger - %msg%n";

    private static volatile BatchedLines access;
    private static volatile boolean jsonLines;

    private Logging() {}

    /** Writes the queued access lines (the server has stopped taking requests). */
    static void flush() {
        BatchedLines queued = access;
        if (queued != null) {
            queued.stop();
        }
    }

    static void configure(String level, boolean json) {
        // Undertow logs through jboss-logging, which must be told to use slf4j.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, json));
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        BatchedLines accessLines = new BatchedLines(encoder(context, json), System.err);
        accessLines.setContext(context);
        accessLines.setName("access");
        accessLines.start();
        ch.qos.logback.classic.Logger accessLogger = context.getLogger("ankisyncd.access");
        accessLogger.setAdditive(false);
        accessLogger.addAppender(accessLines);
        access = accessLines;
        jsonLines = json;
        context.getLogger("io.undertow").setLevel(Level.WARN);
        context.getLogger("org.xnio").setLevel(Level.WARN);
        context.getLogger("org.jboss").setLevel(Level.WARN);
    }

    /**
     * Runs the launcher's warm-up ({@code work}) with its access lines and its
     * login line kept out of the log. The access lines still go through an
     * appender and encoder of the configured kind, writing nowhere, so their
     * code is warmed up too. Nothing else takes requests meanwhile (the warm-up
     * runs before the listeners open), so no real line is held back.
     */
    static <T> T withoutWarmupLines(Callable<T> work) throws Exception {
        BatchedLines real = access;
        if (real == null) {
            return work.call(); // not configured (an embedding application's logging)
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger accessLogger = context.getLogger("ankisyncd.access");
        // Login is package-private in the core; its logger has the class's name.
        ch.qos.logback.classic.Logger logins = context.getLogger("org.ankisync.core.Login");
        Level loginLevel = logins.getLevel();
        BatchedLines nowhere =
                new BatchedLines(encoder(context, jsonLines), new PrintStream(OutputStream.nullOutputStream()));
        nowhere.setContext(context);
        nowhere.setName("warm-up access");
        nowhere.start();
        accessLogger.detachAppender(real);
        accessLogger.addAppender(nowhere);
        logins.setLevel(Level.WARN);
        try {
            return work.call();
        } finally {
            logins.setLevel(loginLevel);
            accessLogger.detachAppender(nowhere);
            accessLogger.addAppender(real);
            nowhere.stop();
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonEncoder jsonEncoder = new JsonEncoder();
            jsonEncoder.setWithSequenceNumber(false);
            jsonEncoder.setWithNanoseconds(false);
            jsonEncoder.setWithContext(false);
            // The message as it reads ("formattedMessage"), not its {} pattern and arguments apart.
            jsonEncoder.setWithFormattedMessage(true);
            jsonEncoder.setWithMessage(false);
            jsonEncoder.setWithArguments(false);
            encoder = jsonEncoder;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(TEXT_PATTERN);
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
