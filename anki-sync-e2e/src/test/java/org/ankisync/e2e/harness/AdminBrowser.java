package org.ankisync.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, with screenshots at desktop and phone widths and an axe-core check run
 * inside the page. A missing browser or driver fails the test: it never skips.
 */
public final class AdminBrowser implements AutoCloseable {
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path screenshots;

    private AdminBrowser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    public static AdminBrowser open(Path profile) {
        Path chromium = Path.of(Venv.property("admin.chromium"));
        Path chromedriver = Path.of(Venv.property("admin.chromedriver"));
        for (Path p : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(
                        p + " is missing: install Debian's chromium and chromium-driver" + " (.ci/run does)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                "--no-first-run",
                "--password-store=basic",
                "--disable-features=PasswordLeakDetection");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Path shots = Path.of(Venv.property("admin.screenshots"));
        try {
            Files.createDirectories(shots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AdminBrowser(driver, shots);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Writes {@code name-desktop.png} and {@code name-phone.png} of the current page; returns both. */
    public List<Path> screenshots(String name) {
        List<Path> files = new ArrayList<>();
        for (Dimension size : List.of(DESKTOP, PHONE)) {
            driver.manage().window().setSize(size);
            Path file = screenshots.resolve(name + "-" + (size == DESKTOP ? "desktop" : "phone") + ".png");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            try {
                Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        }
        driver.manage().window().setSize(DESKTOP);
        return files;
    }

    /**
     * Runs axe-core (WCAG 2 A and AA rules) in the current page and returns its
     * violations of impact {@code serious} or {@code critical}, one line each.
     * The script goes in through WebDriver, not through the page, so the page's
     * Content-Security-Policy (which allows no script at all) stays as it is.
     */
    public List<String> seriousAccessibilityViolations() {
        JavascriptExecutor js = driver;
        js.executeScript(axeSource());
        Object raw = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
                + " 'best-practice']}}).then(r => done(JSON.stringify(r.violations)),"
                + " e => done(JSON.stringify({error: String(e)})));");
        List<String> serious = new ArrayList<>();
        try {
            JsonNode violations = JSON.readTree((String) raw);
            if (violations.isObject()) {
                throw new IllegalStateException("axe failed: " + violations);
            }
            for (JsonNode v : violations) {
                String impact = v.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) {
                    serious.add(impact + " " + v.path("id").asText() + ": "
                            + v.path("help").asText() + " at "
                            + v.path("nodes").path(0).path("target"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return serious;
    }

    private static String axeSource() {
        try (InputStream in = AdminBrowser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException(
                        "axe.min.js is missing from the test class path" + " (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
