package org.ankisync.undertow;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run the graceful shutdown once and end the process with
 * status 0: a service manager (systemd, Docker, Kubernetes) that asked the
 * server to stop sees a clean stop, not the 143 of a JVM killed by the
 * signal's default handling. A shutdown hook covers the other ways the JVM
 * ends (its own exit, SIGHUP).
 */
final class Shutdown {
    private Shutdown() {}

    static void onTermination(Runnable gracefulStop) {
        AtomicBoolean started = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (started.compareAndSet(false, true)) {
                                gracefulStop.run();
                            }
                        },
                        "ankisyncd-shutdown-hook"));
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    // A repeated signal (some supervisors send one to the process and one to its group)
                    // must not cut the running shutdown short.
                    if (!started.compareAndSet(false, true)) {
                        return;
                    }
                    // Off the signal thread, which must not block for the whole deadline.
                    Thread stopper = new Thread(
                            () -> {
                                LoggerFactory.getLogger(Shutdown.class).info("SIG{}: shutting down gracefully", name);
                                gracefulStop.run();
                                System.exit(0);
                            },
                            "ankisyncd-shutdown");
                    // Created on the signal thread, a daemon, it would be one too: the JVM would
                    // then end as soon as the server's own threads stopped, in the middle of
                    // the shutdown (before sessions were rolled back and the last lines written).
                    stopper.setDaemon(false);
                    stopper.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LoggerFactory.getLogger(Shutdown.class).debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
