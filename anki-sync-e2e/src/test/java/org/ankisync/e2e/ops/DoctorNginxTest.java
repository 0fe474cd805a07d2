package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, must-show 5: {@code doctor --endpoint} through Debian's nginx in
 * front of the launcher names the body-size problem of a default nginx
 * config, and passes every check with the README's recommended config
 * (read from the README itself, so that the two cannot drift apart).
 */
class DoctorNginxTest {
    @TempDir
    Path temp;

    @Test
    void doctorFindsTheBodyLimitOfADefaultNginxAndPassesTheRecommendedOne() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", Map.of())) {
            String upstream = server.endpoint().substring(0, server.endpoint().length() - 1);
            String plain = "    location / {\n      proxy_pass " + upstream + ";\n    }";
            try (Nginx nginx = Nginx.start(temp.resolve("nginx-default"), plain)) {
                LauncherCli.Result doctor =
                        LauncherCli.run(server.environment(), "", "doctor", "--endpoint", nginx.endpoint());
                assertEquals(1, doctor.exitCode(), doctor.output());
                assertTrue(doctor.output().contains("PROBLEM  a 100 MB request body"), doctor.output());
                assertTrue(doctor.output().contains("client_max_body_size"), doctor.output());
                assertTrue(
                        doctor.output().contains("ok       " + nginx.endpoint() + "health answers 200"),
                        doctor.output());
                assertTrue(
                        doctor.output()
                                .contains("Anki desktop: Preferences > Syncing > Self-hosted sync server: "
                                        + nginx.endpoint()),
                        doctor.output());
            }
            String recommended = recommendedLocation().replace("http://127.0.0.1:27701", upstream);
            try (Nginx nginx = Nginx.start(temp.resolve("nginx-recommended"), recommended)) {
                LauncherCli.Result doctor =
                        LauncherCli.run(server.environment(), "", "doctor", "--endpoint", nginx.endpoint());
                assertEquals(0, doctor.exitCode(), doctor.output());
                assertTrue(doctor.output().contains("all checks passed"), doctor.output());
                assertTrue(!doctor.output().contains("PROBLEM"), doctor.output());

                LauncherCli.Result noSlash = LauncherCli.run(
                        server.environment(),
                        "",
                        "doctor",
                        "--endpoint",
                        nginx.endpoint().substring(0, nginx.endpoint().length() - 1));
                assertEquals(1, noSlash.exitCode(), noSlash.output());
                assertTrue(noSlash.output().contains("has no trailing slash"), noSlash.output());
            }
        }
    }

    /** The nginx location block the README recommends (the one fenced block after its marker). */
    static String recommendedLocation() throws Exception {
        Path readme = Path.of(System.getProperty("ankisyncd.jar"))
                .getParent()
                .getParent()
                .getParent()
                .resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- nginx-recommended -->\\s*```nginx\\n(.*?)```", Pattern.DOTALL)
                .matcher(text);
        assertTrue(m.find(), "README.md has no <!-- nginx-recommended --> block");
        return m.group(1);
    }
}
