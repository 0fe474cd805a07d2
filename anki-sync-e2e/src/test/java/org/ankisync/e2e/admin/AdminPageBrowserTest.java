package org.ankisync.e2e.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.e2e.harness.AdminBrowser;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.PythonDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 16, must-show 1 and 3: in headless Chromium an admin logs in, adds a user,
 * the official client logs in with it and syncs, the overview shows that sync and
 * the client version, revoking the device's key on the devices page makes the
 * client's next sync fail with 403 (it asks for a login), and the log page shows
 * that failure; on the history page a snapshot is taken, downloaded as a .colpkg and
 * restored, after which the client gets the full-sync choice. Every page is photographed at desktop and phone widths (under
 * {@code target/admin-screenshots}) and checked with axe-core for serious violations.
 */
class AdminPageBrowserTest {
    private static final String ADMIN_PASSWORD = "admin-secret-16";
    private static final String CAROL = "carol";
    private static final String CAROL_PASSWORD = "carol-pw-1";

    @TempDir
    Path temp;

    private final List<String> accessibility = new ArrayList<>();

    @Test
    void anAdminAddsAUserWatchesItSyncAndRevokesItsDevice() throws Exception {
        int adminPort = Ports.free();
        Map<String, String> settings = Map.of(
                "ANKISYNCD_ADMIN_PASSWORD", Pbkdf2.hash(ADMIN_PASSWORD),
                "ANKISYNCD_ADMIN_PORT", Integer.toString(adminPort));
        String admin = "http://127.0.0.1:" + adminPort + "/";
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "512m", settings);
                AdminBrowser browser = AdminBrowser.open(temp.resolve("chromium"));
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            WebDriver web = browser.driver();
            WebDriverWait wait = new WebDriverWait(web, Duration.ofSeconds(30));

            web.get(admin);
            awaitTitle(web, "Log in");
            check(browser, "login");
            web.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
            web.findElement(By.cssSelector("main form button[type=submit]")).click();
            awaitTitle(web, "Overview");

            // add a user through the form
            web.findElement(By.linkText("Users")).click();
            awaitTitle(web, "Users");
            web.findElement(By.id("add-name")).sendKeys(CAROL);
            web.findElement(By.id("add-password")).sendKeys(CAROL_PASSWORD);
            web.findElement(By.xpath("//button[text()='Add user']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "User added"));

            // the official client logs in with it and syncs
            device.login(server.endpoint(), CAROL, CAROL_PASSWORD);
            device.addBasicNotes(2, "Default");
            SyncRequired first = device.sync();
            if (first != SyncRequired.NO_CHANGES && first != SyncRequired.NORMAL_SYNC) {
                device.fullSync(true);
            }
            assertEquals(SyncRequired.NO_CHANGES, device.sync());

            // the overview shows carol's last sync and client version
            web.findElement(By.linkText("Overview")).click();
            awaitTitle(web, "Overview");
            WebElement row = web.findElement(By.xpath("//table[@id='last-syncs-table']//tr[th='" + CAROL + "']"));
            String clientVersion =
                    row.findElement(By.cssSelector(".client-version")).getText();
            String expectedVersion = System.getProperty("anki.client.version");
            assertTrue(isVersion(clientVersion, expectedVersion), "client version shown: " + clientVersion);
            String lastSync = row.findElement(By.cssSelector("time")).getDomAttribute("datetime");
            assertTrue(lastSync != null && !lastSync.isEmpty(), row.getText());
            assertTrue(Long.parseLong(web.findElement(By.id("syncs-today")).getText()) >= 2, "two syncs started today");
            check(browser, "overview");

            // the users page shows carol's collection
            web.findElement(By.linkText("Users")).click();
            awaitTitle(web, "Users");
            WebElement userRow = web.findElement(By.xpath("//table[@id='users-table']//tr[th='" + CAROL + "']"));
            List<WebElement> cells = userRow.findElements(By.tagName("td"));
            assertEquals("2", cells.get(1).getText(), "notes of carol: " + userRow.getText());
            assertEquals("2", cells.get(2).getText(), "cards of carol: " + userRow.getText());
            check(browser, "users");
            assertEquals(
                    List.of(
                            "Skip to content",
                            "Overview",
                            "Users",
                            "Devices",
                            "History",
                            "Log",
                            "Log out",
                            "region users-caption",
                            "a link 0 devices of alice"),
                    tabOrder(web, 9),
                    "keyboard focus follows the reading order: skip link, sections, log out, then the page");

            // the devices page lists the device; revoke it
            web.findElement(By.linkText("Devices")).click();
            awaitTitle(web, "Devices");
            check(browser, "devices-empty");
            new Select(web.findElement(By.id("device-user"))).selectByVisibleText(CAROL);
            web.findElement(By.xpath("//button[text()='Show devices']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h2"), "Devices of " + CAROL));
            List<WebElement> keys = web.findElements(By.cssSelector("#devices-table tbody tr"));
            assertEquals(1, keys.size(), "one logged-in device");
            assertTrue(
                    isVersion(keys.get(0).findElements(By.tagName("td")).get(0).getText(), expectedVersion),
                    keys.get(0).getText());
            assertTrue(keys.get(0).getText().contains("127.0.0.1"), keys.get(0).getText());
            check(browser, "devices");
            keys.get(0).findElement(By.cssSelector("button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "revoked"));
            assertTrue(
                    web.findElements(By.cssSelector("#devices-table tbody tr button"))
                            .isEmpty(),
                    "no key left");

            // the client's next sync is refused with 403: it asks for a login
            DeviceException refused = assertThrows(DeviceException.class, device::sync);
            assertTrue(refused.isAuthFailure(), refused::getMessage);

            // the log page shows the refused sync
            web.findElement(By.linkText("Log")).click();
            awaitTitle(web, "Log");
            String log = web.findElement(By.id("log-table")).getText();
            assertTrue(log.contains("403"), log);
            check(browser, "log");

            // logging in again works, and the device syncs on
            device.login(server.endpoint(), CAROL, CAROL_PASSWORD);
            assertEquals(SyncRequired.NO_CHANGES, device.sync());

            // history: take a snapshot, let the device add more, restore it; the device gets the full-sync choice
            web.findElement(By.linkText("History")).click();
            awaitTitle(web, "History");
            check(browser, "history-empty");
            new Select(web.findElement(By.id("history-user"))).selectByVisibleText(CAROL);
            web.findElement(By.xpath("//button[text()='Show history']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h2"), "Snapshots of " + CAROL));
            web.findElement(By.xpath("//button[text()='Take a snapshot now']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Snapshot taken"));
            WebElement manual = web.findElement(By.xpath("//table[@id='snapshots-table']//tr[td[2]='manual']"));
            assertEquals("2", manual.findElements(By.tagName("td")).get(2).getText(), manual.getText());
            String snapshotId = manual.findElement(By.tagName("th")).getText();
            check(browser, "history");

            // the snapshot downloads as an Anki collection package (a zip), with the admin's session only
            String session = web.manage().getCookieNamed("ankisyncd_admin").getValue();
            HttpResponse<byte[]> colpkg = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(admin + "download?user=" + CAROL + "&id=" + snapshotId))
                                    .header("Cookie", "ankisyncd_admin=" + session)
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, colpkg.statusCode());
            assertTrue(colpkg.body().length > 100 && colpkg.body()[0] == 'P' && colpkg.body()[1] == 'K', "a zip file");
            assertTrue(colpkg.headers()
                    .firstValue("Content-Disposition")
                    .orElse("")
                    .contains(".colpkg"));

            device.addBasicNotes(3, "Default");
            assertEquals(SyncRequired.NO_CHANGES, device.sync(), "a normal sync took the 3 notes up");
            manual = web.findElement(By.xpath("//table[@id='snapshots-table']//tr[td[2]='manual']"));
            manual.findElement(By.cssSelector("button")).click();
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Snapshot restored"));
            assertTrue(
                    web.findElements(By.xpath("//table[@id='snapshots-table']//tr[td[2]='before-restore']"))
                                    .size()
                            == 1,
                    "the state before the restore is kept");
            assertEquals(SyncRequired.FULL_SYNC, device.sync(), "the device gets the full-sync choice");
            device.fullSync(false);
            assertEquals(2, device.counts().notes(), "the download brought the snapshot's 2 notes");

            web.findElement(By.xpath("//button[text()='Log out']")).click();
            awaitTitle(web, "Log in");
            web.get(admin + "users");
            awaitTitle(web, "Log in");
        }
        assertTrue(accessibility.isEmpty(), "serious accessibility violations:\n" + String.join("\n", accessibility));
    }

    /**
     * What the first {@code count} presses of Tab from the top of the page reach: a control's
     * text, a scrolling table region's label, a devices link's full accessible text.
     */
    private static List<String> tabOrder(WebDriver web, int count) {
        web.navigate().refresh();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            new Actions(web).sendKeys(Keys.TAB).perform();
            WebElement focused = web.switchTo().activeElement();
            if ("region".equals(focused.getDomAttribute("role"))) {
                order.add("region " + focused.getDomAttribute("aria-labelledby"));
            } else if (focused.getTagName().equals("a")
                    && focused.getDomAttribute("href").contains("devices?")) {
                order.add(
                        "a link " + focused.getDomProperty("textContent").trim().replaceAll("\\s+", " "));
            } else {
                order.add(focused.getText().trim());
            }
        }
        return order;
    }

    /** The client sends e.g. {@code 26.09.3,29bb700b,linux} for the PyPI release 26.9.3. */
    private static boolean isVersion(String shown, String expected) {
        String[] got = shown.split(",")[0].trim().split("\\.");
        String[] want = expected.split("\\.");
        if (got.length != want.length) {
            return false;
        }
        for (int i = 0; i < got.length; i++) {
            try {
                if (Integer.parseInt(got[i]) != Integer.parseInt(want[i])) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** Waits for a page (navigations after a click are asynchronous); on timeout, says what is shown instead. */
    private static void awaitTitle(WebDriver web, String title) {
        try {
            new WebDriverWait(web, Duration.ofSeconds(30)).until(ExpectedConditions.titleContains(title));
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "expected the page '" + title + "' at " + web.getCurrentUrl() + ", got:\n" + web.getPageSource(),
                    e);
        }
    }

    /** Screenshots at both widths and an axe-core run, collected so every page is checked before failing. */
    private void check(AdminBrowser browser, String page) throws Exception {
        for (Path shot : browser.screenshots(page)) {
            assertTrue(Files.size(shot) > 1000, shot + " is a real picture");
        }
        for (String violation : browser.seriousAccessibilityViolations()) {
            accessibility.add(page + ": " + violation);
        }
        browser.driver().manage().window().setSize(AdminBrowser.PHONE);
        for (String violation : browser.seriousAccessibilityViolations()) {
            accessibility.add(page + " (phone): " + violation);
        }
        browser.driver().manage().window().setSize(AdminBrowser.DESKTOP);
    }
}
