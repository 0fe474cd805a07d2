/**
 * Metrics in the Prometheus text format, with Micrometer.
 *
 * <p>API (exported): {@code org.ankisync.metrics}, the module's only package. A
 * package added later stays internal until it is listed here.
 */
module org.ankisync.metrics {
    requires transitive org.ankisync.core;
    requires transitive micrometer.core;
    requires micrometer.registry.prometheus;

    exports org.ankisync.metrics;
}
