package org.ankisync.e2e.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Tomcat 11 process (the distribution from Maven Central, unpacked
 * under {@code target/tomcat} by the build) with {@code anki.war} deployed as
 * {@code /anki}, as an administrator would run it: own {@code CATALINA_BASE},
 * a loopback HTTP connector on a free port, no shutdown port, no AJP, and
 * {@code -Xmx256m} like the launcher's memory test.
 */
public final class TomcatServer implements SyncServerUnderTest {
    public static final String CONTEXT = "anki";

    private final Path base;
    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Path log;

    private TomcatServer(Path base, Path dataDir, int port, Process process, Path log) {
        this.base = base;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Users ({@link TestUsers}) in the environment of the Tomcat process; the
     * collections path {@code dataDir} as a context parameter of {@code anki.xml}.
     */
    public static TomcatServer start(Path base, Path dataDir) {
        return start(base, dataDir, Map.of(), Map.of());
    }

    /**
     * As {@link #start(Path, Path)}, with extra environment variables of the
     * Tomcat process and extra JNDI {@code <Environment>} entries of the context.
     */
    public static TomcatServer start(
            Path base, Path dataDir, Map<String, String> environment, Map<String, String> jndi) {
        try {
            Path home = Path.of(Venv.property("tomcat.home"));
            Path war = Path.of(Venv.property("anki.war"));
            if (!Files.isRegularFile(home.resolve("bin/bootstrap.jar")) || !Files.isRegularFile(war)) {
                throw new IllegalStateException(home + " or " + war + " is missing: run mvn verify from the top");
            }
            for (String dir : List.of("conf/Catalina/localhost", "logs", "temp", "work", "webapps")) {
                Files.createDirectories(base.resolve(dir));
            }
            Files.createDirectories(dataDir);
            try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
                for (Path file : conf.filter(Files::isRegularFile).toList()) {
                    Files.copy(
                            file,
                            base.resolve("conf").resolve(file.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            int port = Ports.free();
            Files.writeString(base.resolve("conf/server.xml"), serverXml(port), StandardCharsets.UTF_8);
            Files.writeString(
                    base.resolve("conf/Catalina/localhost/" + CONTEXT + ".xml"),
                    contextXml(dataDir, jndi),
                    StandardCharsets.UTF_8);
            Files.copy(war, base.resolve("webapps/" + CONTEXT + ".war"), StandardCopyOption.REPLACE_EXISTING);

            List<String> command = new ArrayList<>(List.of(
                    javaBinary(),
                    "-Xmx256m",
                    "-XX:+ExitOnOutOfMemoryError",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                    "-Dcatalina.home=" + home,
                    "-Dcatalina.base=" + base,
                    "-Djava.io.tmpdir=" + base.resolve("temp"),
                    "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                    "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                    "-cp",
                    home.resolve("bin/bootstrap.jar") + File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
                    "org.apache.catalina.startup.Bootstrap",
                    "start"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(TestUsers.asEnvironment());
            builder.environment().putAll(environment);
            builder.directory(base.toFile());
            Path log = base.resolve("logs/console.log");
            builder.redirectErrorStream(true);
            builder.redirectOutput(log.toFile());
            TomcatServer server = new TomcatServer(base, dataDir, port, builder.start(), log);
            try {
                Ports.awaitHealthy(server.endpoint(), Duration.ofSeconds(120), server.process);
            } catch (RuntimeException e) {
                server.close();
                throw new IllegalStateException(e.getMessage() + "; log: " + server.logText(), e);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal server.xml: one loopback HTTP/1.1 connector, no shutdown port, auto-deploy checked each second. */
    private static String serverXml(int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.startup.VersionLoggerListener"/>
                  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener"/>
                  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener"/>
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="60000"/>
                    <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port);
    }

    /** conf/Catalina/localhost/anki.xml: the collections path as a context parameter, plus JNDI entries. */
    private static String contextXml(Path dataDir, Map<String, String> jndi) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context>\n");
        xml.append("  <Parameter name=\"ANKISYNCD_COLLECTIONS_PATH\" value=\"")
                .append(escape(dataDir.toString()))
                .append("\" override=\"false\"/>\n");
        jndi.forEach((name, value) -> xml.append("  <Environment name=\"")
                .append(escape(name))
                .append("\" value=\"")
                .append(escape(value))
                .append("\" type=\"java.lang.String\" override=\"false\"/>\n"));
        return xml.append("</Context>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /**
     * Replaces {@code webapps/anki.war} with a newer copy, as an administrator
     * deploying a new version does, and waits until Tomcat has undeployed the old
     * application and the new one answers.
     */
    public void redeploy() {
        try {
            int startsBefore = countInLog("serving sync under /" + CONTEXT);
            Path war = base.resolve("webapps/" + CONTEXT + ".war");
            Path fresh = base.resolve("temp/" + CONTEXT + ".war");
            Files.copy(Path.of(Venv.property("anki.war")), fresh, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().plusSeconds(2)));
            Files.move(fresh, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (countInLog("serving sync under /" + CONTEXT) <= startsBefore) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("no redeploy of " + war + "; log: " + logText());
                }
                Thread.sleep(200);
            }
            Ports.awaitHealthy(endpoint(), Duration.ofSeconds(60), process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How often {@code text} occurs in the console log. */
    public int countInLog(String text) {
        String all = logText();
        int count = 0;
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) {
            count++;
        }
        return count;
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + CONTEXT + "/";
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String name() {
        return "tomcat";
    }

    /** SIGTERM: Tomcat's shutdown hook stops the application (destroy() rolls back running syncs). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
