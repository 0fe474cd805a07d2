package org.ankisync.core.ops;

/**
 * The metrics scrape, in the Prometheus text format, from whatever registry
 * the adapter wired in (the core knows no metrics library).
 */
public interface MetricsText {
    /** The {@code Content-Type} of {@link #scrape()}. */
    String contentType();

    /** The current values of every metric. */
    String scrape();
}
