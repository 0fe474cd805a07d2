package org.ankisync.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.ankisync.core.ops.CompletedRequest;
import org.ankisync.core.ops.LoginOutcome;
import org.ankisync.core.ops.MetricsText;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;

/**
 * The server's metrics in a Micrometer {@link PrometheusMeterRegistry}: it
 * hears the core's events ({@link SyncObserver}) and renders the scrape
 * ({@link MetricsText}). Names follow the Prometheus conventions once
 * Micrometer has rendered them: counters end in {@code _total}, times are in
 * {@code _seconds}, sizes in {@code _bytes}. The meters with a fixed set of
 * labels (sync and login outcomes) are registered at zero up front, so that a
 * dashboard shows 0 rather than nothing, and {@code rate()} sees the first
 * increment.
 *
 * <pre>
 * ankisyncd_requests_total{route,status}           requests answered
 * ankisyncd_request_seconds{route}                 latency histogram per route (sync/meta, msync/begin, ...)
 * ankisyncd_http_received_bytes_total              request body bytes
 * ankisyncd_http_sent_bytes_total                  response body bytes
 * ankisyncd_syncs_total{outcome}                   collection syncs by outcome
 * ankisyncd_sync_sessions_open                     normal syncs running now
 * ankisyncd_lock_wait_seconds                      time requests waited for their user's lock
 * ankisyncd_logins_total{outcome}                  logins by outcome
 * ankisyncd_media_files_total{direction}           media files uploaded / downloaded
 * ankisyncd_media_transferred_bytes_total{direction}  their bytes
 * jvm_*, process_*, system_*                       the JVM and the process
 * </pre>
 */
public final class SyncMetrics implements SyncObserver, MetricsText, AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4 (what promtool and every scraper read). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * Histogram buckets, from a fast sync step to a slow full upload: 14 fixed
     * ones, rather than Micrometer's ~70 default ones, so that a route costs
     * few series.
     */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(300)
    };

    private final PrometheusMeterRegistry registry;
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    private final Map<SyncOutcome, Counter> syncs = new EnumMap<>(SyncOutcome.class);
    private final Map<LoginOutcome, Counter> logins = new EnumMap<>(LoginOutcome.class);
    private final Counter received;
    private final Counter sent;
    private final Timer lockWait;
    private final Counter[] mediaFiles = new Counter[2];
    private final Counter[] mediaBytes = new Counter[2];
    /** Route labels and statuses are few (the core never uses a raw path as a route), so these stay small. */
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, Timer> latencies = new ConcurrentHashMap<>();

    /**
     * Stops listening to the JVM's garbage collections and closes the registry. The
     * launcher's warm-up server has metrics of its own; without this, its registry
     * stayed reachable from the GC listener and kept recording every pause.
     */
    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    /**
     * @param openSessions how many normal syncs run now (read at each scrape)
     */
    public SyncMetrics(IntSupplier openSessions) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of Micrometer's JVM meters break Prometheus naming rules that `promtool check metrics`
        // enforces: a CPU time counted in "ns" (process_cpu_usage says the same in a proper unit) and
        // a gauge whose name ends in _count.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus.available") : id;
            }
        });
        for (SyncOutcome outcome : SyncOutcome.values()) {
            syncs.put(
                    outcome,
                    Counter.builder("ankisyncd.syncs")
                            .tag("outcome", outcome.label())
                            .description("Collection syncs by outcome")
                            .register(registry));
        }
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins.put(
                    outcome,
                    Counter.builder("ankisyncd.logins")
                            .tag("outcome", outcome.label())
                            .description("Logins (hostKey) by outcome")
                            .register(registry));
        }
        received = Counter.builder("ankisyncd.http.received")
                .baseUnit("bytes")
                .description("Request body bytes read")
                .register(registry);
        sent = Counter.builder("ankisyncd.http.sent")
                .baseUnit("bytes")
                .description("Response body bytes written")
                .register(registry);
        lockWait = Timer.builder("ankisyncd.lock.wait")
                .serviceLevelObjectives(BUCKETS)
                .description("Time requests waited for their user's lock")
                .register(registry);
        String[] directions = {"download", "upload"};
        for (int i = 0; i < 2; i++) {
            mediaFiles[i] = Counter.builder("ankisyncd.media.files")
                    .tag("direction", directions[i])
                    .description("Media files moved")
                    .register(registry);
            mediaBytes[i] = Counter.builder("ankisyncd.media.transferred")
                    .baseUnit("bytes")
                    .tag("direction", directions[i])
                    .description("Media file bytes moved")
                    .register(registry);
        }
        Gauge.builder("ankisyncd.sync.sessions.open", openSessions, s -> s.getAsInt())
                .description("Normal syncs running now")
                .strongReference(true)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void requestCompleted(CompletedRequest request) {
        String route = request.route();
        int status = request.status();
        // Looked up in plain maps first: building a meter's id on every request costs more than the count.
        requests.computeIfAbsent(
                        route + ' ' + status,
                        key -> Counter.builder("ankisyncd.requests")
                                .tag("route", route)
                                .tag("status", Integer.toString(status))
                                .description("Requests answered, by route and status")
                                .register(registry))
                .increment();
        latencies
                .computeIfAbsent(
                        route,
                        key -> Timer.builder("ankisyncd.request")
                                .tag("route", route)
                                .serviceLevelObjectives(BUCKETS)
                                .description("Time from a request's arrival to the last byte of its reply, by route")
                                .register(registry))
                .record(request.elapsedNanos(), TimeUnit.NANOSECONDS);
        received.increment(request.bytesIn());
        sent.increment(request.bytesOut());
    }

    @Override
    public void login(LoginOutcome outcome) {
        logins.get(outcome).increment();
    }

    @Override
    public void syncCompleted(SyncOutcome outcome) {
        syncs.get(outcome).increment();
    }

    @Override
    public void lockWaited(long nanos) {
        lockWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void mediaMoved(boolean upload, int files, long bytes) {
        int i = upload ? 1 : 0;
        mediaFiles[i].increment(files);
        mediaBytes[i].increment(bytes);
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }
}
