package org.ankisync.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A device driven by the official client from PyPI, in its own Python process
 * running {@code device_driver.py}; one JSON request and reply per line.
 */
public final class PythonDevice implements Device {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader replies;

    private PythonDevice(Path folder, Process process) {
        this.folder = folder;
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts a device whose collection lives in {@code folder}; its log goes beside it. */
    public static PythonDevice open(Path folder) {
        return open(folder, Map.of());
    }

    /**
     * A device whose client process gets {@code environment} as well, e.g.
     * {@code SSL_CERT_FILE} naming the test CA for syncs over TLS.
     */
    public static PythonDevice open(Path folder, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    Venv.python().toString(), Venv.driverScript().toString());
            builder.redirectError(
                    folder.resolveSibling(folder.getFileName() + "-device.log").toFile());
            builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
            builder.environment().putAll(environment);
            Files.createDirectories(folder.getParent());
            PythonDevice device = new PythonDevice(folder, builder.start());
            device.call("open", Map.of("folder", folder.toString()));
            return device;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** Sends one command; returns its result or throws the client's error as {@link DeviceException}. */
    public synchronized JsonNode call(String command, Map<String, ?> arguments) {
        ObjectNode request = JSON.valueToTree(arguments);
        request.put("cmd", command);
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            String line = replies.readLine();
            if (line == null) {
                throw new IllegalStateException("device process ended (see " + folder + "-device.log)");
            }
            JsonNode reply = JSON.readTree(line);
            if (!reply.get("ok").booleanValue()) {
                throw new DeviceException(
                        reply.path("error").asText(),
                        reply.path("kind").isNull() ? null : reply.path("kind").asText(null),
                        reply.path("message").asText() + "\n"
                                + reply.path("trace").asText());
            }
            return reply.get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode call(String command) {
        return call(command, Map.of());
    }

    /** Runs Python with {@code col} in scope and returns what it binds to {@code result}. */
    public JsonNode run(String code) {
        return call("run", Map.of("code", code));
    }

    @Override
    public String clientName() {
        return "python-" + System.getProperty("anki.client.version", "anki");
    }

    @Override
    public String login(String endpoint, String user, String password) {
        return call("login", Map.of("endpoint", endpoint, "user", user, "password", password))
                .get("hkey")
                .asText();
    }

    @Override
    public List<Long> addBasicNotes(int count, String deck) {
        return longs(call("add_notes", Map.of("count", count, "deck", deck)));
    }

    @Override
    public SyncRequired sync() {
        JsonNode reply = call("sync", Map.of("media", false, "full", false));
        return SyncRequired.valueOf(reply.get("required").asText().toUpperCase(Locale.ROOT));
    }

    /** Syncs and runs a required full sync, in {@code onConflict} direction if the client may choose. */
    public JsonNode syncWithFull(String onConflict, boolean media) {
        HashMap<String, Object> args = new HashMap<>();
        args.put("media", media);
        args.put("on_conflict", onConflict);
        return call("sync", args);
    }

    @Override
    public void fullSync(boolean upload) {
        call("full_sync", Map.of("upload", upload));
    }

    @Override
    public Counts counts() {
        JsonNode c = call("counts");
        return new Counts(
                c.get("notes").asLong(),
                c.get("cards").asLong(),
                c.get("revlog").asLong());
    }

    /** The device's content for comparison (reference-client.md section 2.11). */
    public JsonNode dump() {
        return call("dump");
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                call("close");
            }
        } catch (RuntimeException ignored) {
            // closing is best effort; the process is ended below either way
        } finally {
            try {
                requests.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    /** A JSON array of numbers as a list. */
    public static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asLong()));
        return values;
    }
}
