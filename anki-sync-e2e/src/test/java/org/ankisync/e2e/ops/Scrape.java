package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Prometheus text scrape: its samples by series ("name{labels}"), and promtool's verdict on it. */
final class Scrape {
    final String text;
    private final Map<String, Double> samples = new HashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** A sample's value; fails when the series is missing. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError(series + " missing from the scrape:\n" + text);
        }
        return v;
    }

    /** Runs Debian's {@code promtool check metrics} on the scrape; fails with its output unless it accepts it. */
    void assertPromtoolAccepts() throws IOException, InterruptedException {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is missing: install Debian's prometheus package (apt-get install"
                            + " prometheus); .ci/run does",
                    e);
        }
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            throw new AssertionError("promtool did not finish");
        }
        assertEquals(0, promtool.exitValue(), "promtool check metrics: " + output);
    }
}
