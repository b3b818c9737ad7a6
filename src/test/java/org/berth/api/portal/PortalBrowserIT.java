package org.berth.api.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.ITBase;
import org.berth.support.Json;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real browser: Debian's chromium, headless, driven through Debian's
 * chromedriver (given by path, so Selenium Manager downloads nothing), against the packaged WAR.
 * An admin creates a private project and a guest member, the docker CLI pushes an image, the
 * portal shows it with tags and size, a tag is deleted through the confirmation dialog and the
 * audit log shows it; the guest then sees no delete button, and a delete sent from the guest's
 * own page session is refused with 403; a dry garbage collection run is started from its screen and
 * its result shown. A system admin adds registry endpoints, tests them, and creates a proxy-cache
 * project of one. A project admin manages a webhook (its secret shown once) and its delivery log, which a
 * guest does not see. A system admin adds a replication rule and runs it, and sees its execution and tasks.
 * Screenshots land in {@code target/screenshots/}.
 */
class PortalBrowserIT extends ITBase {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String DOCKER = "/usr/bin/docker";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private ChromeDriverService service;
    private WebDriver browser;
    private WebDriverWait wait;
    private Path work;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void startBrowser() throws IOException {
        assertTrue(new File(CHROMIUM).canExecute(), "Debian's chromium is needed: apt-get install chromium");
        assertTrue(new File(CHROMEDRIVER).canExecute(), "Debian's chromedriver is needed: apt-get install chromium-driver");
        work = Files.createTempDirectory("berth-portal-it");
        Files.createDirectories(SCREENSHOTS);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--user-data-dir=" + work.resolve("chromium"));
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            // what the browser showed and logged last: the first thing to read when a step timed out
            screenshot("99-last");
            browser.manage().logs().get(LogType.BROWSER).getAll()
                    .forEach(entry -> System.out.println("browser: " + entry.getLevel() + " " + entry.getMessage()));
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        for (String image : images) {
            run(List.of(DOCKER, "rmi", "-f", image), null);
        }
    }

    @Test
    void adminManagesAProjectAndAGuestCannotDelete() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String project = "portal-" + id;
        String guest = "guest-" + id;
        String guestPassword = "Guest-pass-" + id;
        String repository = project + "/app";

        // The portal's pages are served at / with the security headers
        RegistryClient.Response page = new RegistryClient(base()).request("GET", "/").send();
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"), page.toString());
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertFalse(page.bodyText().contains("<script>"), "no inline script");

        browser.get(base().toString());
        signIn("admin", ADMIN_PASSWORD, true);
        waitForHeading("Projects");
        screenshot("02-projects");

        // a private project, through the form
        browser.findElement(By.name("name")).sendKeys(project);
        assertFalse(browser.findElement(By.id("new-project-public")).isSelected());
        click(By.xpath("//button[text()='Create project']"));
        waitForHeading(project);
        assertEquals("private", browser.findElement(By.cssSelector("h1 .badge")).getText());

        // a user, through the users screen (system admins only)
        click(By.cssSelector("a[data-nav=users]"));
        waitForHeading("Users");
        browser.findElement(By.name("username")).sendKeys(guest);
        browser.findElement(By.name("password")).sendKeys(guestPassword);
        click(By.xpath("//button[text()='Create user']"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//td[text()='" + guest + "']")));
        screenshot("07-users");

        // ... added to the project as guest
        browser.get(base() + "#/projects/" + project + "/members");
        waitForHeading(project);
        browser.findElement(By.name("username")).sendKeys(guest);
        new Select(browser.findElement(By.name("new_role"))).selectByValue("guest");
        click(By.xpath("//button[text()='Add member']"));
        WebElement role = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("select[aria-label='Role of " + guest + "']")));
        assertEquals("guest", role.getAttribute("value"));
        screenshot("04-project-members");

        // an image pushed by the real docker CLI, under two tags
        String digest = pushImage(repository, "v1", "v2");

        // the repository and its artifact with both tags and a size
        browser.get(base() + "#/projects/" + project);
        click(By.linkText(repository));
        waitForHeading(repository);
        WebElement artifact = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("article.artifact[data-digest='" + digest + "']")));
        String text = artifact.getText();
        assertTrue(text.contains("v1") && text.contains("v2"), text);
        String size = artifact.findElement(By.cssSelector("dd.size")).getText();
        assertTrue(size.matches("(?s)\\d+(\\.\\d+)? (B|KiB|MiB).*"), size);
        String host = "localhost:" + base().getPort();
        assertEquals("docker pull " + host + "/" + repository + ":v1",
                artifact.findElement(By.cssSelector("input[aria-label='Pull command for v1']")).getAttribute("value"));
        Map<String, Object> api = artifactJson(repository, digest);
        assertTrue(((Number) api.get("total_size")).longValue() > 0);
        screenshot("05-repository");

        // the confirmation dialog takes focus, Escape cancels it and focus returns to its button
        By deleteV2 = By.cssSelector("button[data-action=delete-tag][data-tag=v2]");
        click(deleteV2);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertEquals("Cancel", browser.switchTo().activeElement().getText());
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
        assertEquals("v2", browser.switchTo().activeElement().getAttribute("data-tag"));
        assertEquals(200, registryAsAdmin().request("GET", "/v2/" + repository + "/manifests/v2").send().status());

        // delete tag v2 with its confirmation dialog
        click(deleteV2);
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertTrue(dialog.getText().contains(repository + ":v2"), dialog.getText());
        screenshot("06-confirm-delete-tag");
        dialog.findElement(By.cssSelector("button[data-confirm]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("button[data-tag=v2]")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-tag=v1]")));
        assertEquals(404, registryAsAdmin().request("GET", "/v2/" + repository + "/manifests/v2").send().status());
        assertEquals(200, registryAsAdmin().request("GET", "/v2/" + repository + "/manifests/v1").send().status());

        // the audit log has the deletion
        click(By.cssSelector("a[data-nav=audit]"));
        waitForHeading("Audit log");
        browser.findElement(By.name("project")).sendKeys(project);
        new Select(browser.findElement(By.name("operation"))).selectByValue("delete");
        By filter = By.xpath("//button[text()='Filter']");
        click(filter);
        // the list is replaced when the filter applies: wait for a list of deletions only, read the row inside the wait.
        // Entries reach the database in batches every second (AuditService), so the first listing may come
        // before the deletion's: filter again, as a user would, until it is there.
        By otherOperations = By.xpath("//div[contains(@class,'audit-list')]//tr[td][not(td[text()='delete'])]");
        By tagDeletion = By.xpath("//div[contains(@class,'audit-list')]//tr[td[text()='delete']][contains(., '" + repository + ":v2')]");
        String deletion = wait.until(d -> {
            List<WebElement> rows = d.findElements(otherOperations).isEmpty() ? d.findElements(tagDeletion) : List.of();
            if (!rows.isEmpty()) {
                return rows.get(0).getText();
            }
            d.findElement(filter).click();
            return null;
        });
        assertTrue(deletion.contains("admin"), deletion);
        assertTrue(deletion.contains("success"), deletion);
        screenshot("08-audit");

        // garbage collection: a dry run from its screen, watched to its result (system admins only)
        click(By.cssSelector("a[data-nav=gc]"));
        waitForHeading("Garbage collection");
        assertTrue(browser.findElement(By.id("gc-dry-run")).isSelected(), "a dry run is the default");
        assertFalse(browser.findElement(By.id("gc-delete-untagged")).isSelected());
        // another test's run may be shown as the last one: wait for a newer one
        String shownBefore = browser.findElements(By.cssSelector(".gc-live .gc-run")).stream()
                .map(e -> e.getAttribute("data-run")).findFirst().orElse("");
        click(By.xpath("//button[text()='Start garbage collection']"));
        WebElement gcResult = wait.until(d -> d.findElements(By.cssSelector(".gc-live .gc-run[data-state=succeeded]")).stream()
                .filter(e -> !shownBefore.equals(e.getAttribute("data-run"))).findFirst().orElse(null));
        String gcText = gcResult.getText();
        assertTrue(gcText.contains("(dry run)") && gcText.contains("Would free") && gcText.contains("Upload sessions"), gcText);
        String gcRun = gcResult.getAttribute("data-run");
        Map<String, Object> gcJson = Json.parseObject(registryAsAdmin().request("GET", "/api/v1/system/gc/runs/" + gcRun).send().body());
        assertEquals("succeeded", gcJson.get("state"));
        assertEquals(Boolean.TRUE, gcJson.get("dry_run"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//div[contains(@class,'gc-history')]//td[text()='" + gcRun + "']")));
        screenshot("12-gc");

        // the project page with the quota bars, and the account screen
        browser.get(base() + "#/projects/" + project);
        waitForHeading(project);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".bar .fill.physical")));
        screenshot("03-project");
        click(By.cssSelector("a[data-nav=account]"));
        waitForHeading("My account: admin");
        screenshot("09-account");

        // the guest: sees the artifact, no delete button; the API refuses a delete from the page's session
        click(By.id("logout"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("password")));
        signIn(guest, guestPassword, false);
        waitForHeading("Projects");
        browser.get(base() + "#/repositories/" + repository);
        waitForHeading(repository);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.artifact[data-digest='" + digest + "']")));
        assertTrue(browser.findElements(By.cssSelector("button[data-action^=delete]")).isEmpty(), "the guest sees a delete button");
        assertTrue(browser.findElements(By.cssSelector("a[data-nav=users]:not([hidden])")).isEmpty());
        assertTrue(browser.findElements(By.cssSelector("a[data-nav=gc]:not([hidden])")).isEmpty(), "garbage collection is for system admins");
        assertTrue(browser.findElements(By.cssSelector("a[data-nav=registries]:not([hidden])")).isEmpty(), "registries are for system admins");
        assertTrue(browser.findElements(By.name("registry")).isEmpty(), "only system admins choose an upstream");
        Object refused = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/js/api.js').then(api => api.del('repositories/" + repository + "/tags/v1'))"
                        + ".then(() => done('deleted'), e => done(e.status + ' ' + e.code));");
        assertEquals("403 DENIED", refused);
        assertEquals(200, registryAsAdmin().request("GET", "/v2/" + repository + "/manifests/v1").send().status());
        screenshot("10-repository-guest");

        // a phone-sized window
        browser.manage().window().setSize(new Dimension(360, 800));
        browser.navigate().refresh(); // a reload forgets the in-memory session: sign in again, back on the same page
        signIn(guest, guestPassword, false);
        waitForHeading(repository);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.artifact")));
        Number scrollWidth = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
        assertTrue(scrollWidth.intValue() <= 360, "no horizontal scrolling at 360 px: " + scrollWidth);
        screenshot("11-repository-360px");

        // the pages never needed anything the Content-Security-Policy forbids
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(violations.isEmpty(), "CSP violations: " + violations);
    }

    @Test
    void theMaintainerReadsThePoliciesAndTheAdminPreviewsBeforeEnablingRetention() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String project = "policies-" + id;
        String maintainer = "maint-" + id;
        String password = "Maint-pass-" + id;
        RegistryClient admin = registryAsAdmin();
        assertEquals(201, admin.request("POST", "/api/v1/projects").contentType("application/json")
                .body(("{\"name\":\"" + project + "\",\"public\":false}").getBytes(StandardCharsets.UTF_8)).send().status());
        assertEquals(201, admin.request("POST", "/api/v1/users").contentType("application/json")
                .body(("{\"username\":\"" + maintainer + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8))
                .send().status());
        assertEquals(201, admin.request("POST", "/api/v1/projects/" + project + "/members").contentType("application/json")
                .body(("{\"username\":\"" + maintainer + "\",\"role\":\"maintainer\"}").getBytes(StandardCharsets.UTF_8))
                .send().status());
        for (int i = 1; i <= 5; i++) {
            pushSmallImage(admin, project + "/app", "build-" + i);
        }

        browser.get(base().toString());
        signIn("admin", ADMIN_PASSWORD, false);
        waitForHeading("Projects");
        browser.get(base() + "#/projects/" + project + "/policies");
        waitForHeading(project);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("retention-h")));
        assertTrue(browser.findElements(By.xpath("//button[text()='Enable these rules']")).stream().noneMatch(WebElement::isDisplayed),
                "Enable is offered only after a preview");
        click(By.xpath("//button[text()='Add rule']"));
        WebElement tag = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".rule input[name=tag]")));
        tag.clear();
        tag.sendKeys("build-*");
        WebElement amount = browser.findElement(By.cssSelector(".rule input[name=amount]"));
        amount.clear();
        amount.sendKeys("2");
        click(By.xpath("//button[text()='Preview']"));
        WebElement totals = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".retention-preview .preview-totals")));
        assertTrue(totals.getText().startsWith("3 artifacts (3 tags) in 1 repository would be deleted"), totals.getText());
        List<WebElement> rows = browser.findElements(By.cssSelector(".retention-preview .preview > .table-wrap tbody tr"));
        assertEquals(3, rows.size());
        // sortable: by tag, descending on the second click
        click(By.xpath("//div[contains(@class,'retention-preview')]//th/button[text()='Tags']"));
        click(By.xpath("//div[contains(@class,'retention-preview')]//th/button[text()='Tags']"));
        WebElement sorted = browser.findElement(By.xpath("//div[contains(@class,'retention-preview')]//th[button[text()='Tags']]"));
        assertEquals("descending", sorted.getAttribute("aria-sort"));
        assertEquals("build-3", browser.findElement(By.cssSelector(".retention-preview .preview > .table-wrap tbody tr td[data-label=Tags]")).getText());
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(By.cssSelector(".retention-preview .preview")));
        screenshot("13-retention-preview");

        // a changed rule needs a new preview before Enable is offered again
        amount.sendKeys("0");
        assertFalse(browser.findElement(By.xpath("//button[text()='Enable these rules']")).isDisplayed());
        amount.clear();
        amount.sendKeys("2");
        click(By.xpath("//button[text()='Preview']"));
        click(By.xpath("//button[text()='Enable these rules']"));
        click(By.cssSelector("dialog button[data-confirm]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".retention-status .badge"), "enabled"));
        click(By.xpath("//button[text()='Run now']"));
        click(By.cssSelector("dialog button[data-confirm]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".retention-history tbody"), "3 artifacts, 3 tags"));
        assertEquals(404, admin.request("GET", "/v2/" + project + "/app/manifests/build-1").send().status());
        assertEquals(200, admin.request("GET", "/v2/" + project + "/app/manifests/build-5").send().status());
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(By.cssSelector(".retention-history")));
        screenshot("14-retention-run");

        // immutable tags: a project admin adds a rule (the list degrades to a message if the API fails)
        WebElement name = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".immutable input[name=name]")));
        name.sendKeys("releases");
        browser.findElement(By.cssSelector(".immutable input[name=tag]")).sendKeys("v*");
        click(By.xpath("//section[contains(@class,'immutable')]//button[text()='Add rule']"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//section[contains(@class,'immutable')]//td[text()='releases']")));

        // the maintainer reads: no editing, no Save, no Run now; a preview still works
        click(By.id("logout"));
        signIn(maintainer, password, false);
        waitForHeading("Projects");
        browser.get(base() + "#/projects/" + project + "/policies");
        waitForHeading(project);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("retention-h")));
        assertFalse(browser.findElement(By.cssSelector(".rule input[name=tag]")).isEnabled(), "read-only for maintainers");
        assertFalse(browser.findElement(By.xpath("//button[text()='Save']")).isDisplayed());
        assertFalse(browser.findElement(By.xpath("//button[text()='Run now']")).isDisplayed());
        assertTrue(browser.findElements(By.cssSelector(".immutable form")).isEmpty());
        click(By.xpath("//button[text()='Preview']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".retention-preview .preview-totals"), "0 artifacts"));
        screenshot("15-policies-maintainer");
    }

    @Test
    void aSystemAdminAddsRegistriesAndCreatesAProxyCacheProject() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String up = "up-" + id;
        String down = "down-" + id;
        String project = "proxy-" + id;
        String downPassword = "Down-secret-" + id;
        String markup = "<img src=x onerror=\"window.pwned=1\">";
        // the upstream is this Berth itself (the admin's credentials); nothing listens on port 9 (discard)
        String upstreamUrl = "http://localhost:" + base().getPort();
        RegistryClient admin = registryAsAdmin();

        browser.get(base().toString());
        signIn("admin", ADMIN_PASSWORD, false);
        waitForHeading("Projects");
        click(By.cssSelector("a[data-nav=registries]"));
        waitForHeading("Registries");
        addRegistry(up, upstreamUrl, "admin", ADMIN_PASSWORD, true);
        addRegistry(down, "http://127.0.0.1:9", markup, downPassword, false);

        // the password is write-only: "set", never in the page; markup in a username stays text
        WebElement downRow = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[text()='" + down + "']]")));
        assertEquals("set", downRow.findElement(By.cssSelector("td[data-label=Password]")).getText());
        assertEquals(markup, downRow.findElement(By.cssSelector("td[data-label=Username]")).getText());
        assertEquals("no", downRow.findElement(By.cssSelector("td[data-label='Verify TLS']")).getText());
        assertFalse(browser.getPageSource().contains(downPassword), "the password is in the page");
        assertFalse(browser.getPageSource().contains(ADMIN_PASSWORD), "the password is in the page");

        // test connection: ok with a duration, and the reason and message of a failure
        click(By.cssSelector("button[aria-label='Test connection to " + up + "']"));
        WebElement ok = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-registry='" + up + "'] output[data-ok=true]")));
        assertTrue(ok.getText().matches("ok \\(\\d+ ms\\)"), ok.getText());
        click(By.cssSelector("button[aria-label='Test connection to " + down + "']"));
        WebElement failed = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-registry='" + down + "'] output[data-ok=false]")));
        assertTrue(failed.getText().startsWith("unreachable: "), failed.getText());
        screenshot("16-registries");

        // edit: a new username and no TLS check any more on the first; the password is kept
        click(By.cssSelector("button[aria-label='Edit " + up + "']"));
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertEquals("", dialog.findElement(By.name("edit_password")).getAttribute("value"));
        WebElement username = dialog.findElement(By.name("edit_username"));
        username.clear();
        username.sendKeys("someone");
        dialog.findElement(By.id("edit-registry-verify-tls")).click();
        dialog.findElement(By.xpath(".//button[text()='Save']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//tr[td[text()='" + up + "']][td[text()='someone']][td[text()='no']]")));
        RegistryClient.Response endpoint = admin.request("GET", "/api/v1/registries/" + up).send();
        assertEquals(200, endpoint.status(), endpoint.toString());
        Map<String, Object> json = Json.parseObject(endpoint.body());
        assertEquals("someone", json.get("username"));
        assertEquals(Boolean.FALSE, json.get("verify_tls"));
        assertEquals(Boolean.TRUE, json.get("has_password"));
        assertFalse(json.containsKey("password"), endpoint.bodyText());

        // a proxy-cache project through the form: the TTL field shows once a registry is chosen
        click(By.cssSelector("a[data-nav=projects]"));
        waitForHeading("Projects");
        browser.findElement(By.name("name")).sendKeys(project);
        assertFalse(browser.findElement(By.name("tag_ttl_seconds")).isDisplayed());
        new Select(browser.findElement(By.name("registry"))).selectByValue(up);
        WebElement ttl = browser.findElement(By.name("tag_ttl_seconds"));
        assertTrue(ttl.isDisplayed());
        assertEquals("300", ttl.getAttribute("value"));
        screenshot("17-new-proxy-project");
        click(By.xpath("//button[text()='Create project']"));
        waitForHeading(project);
        WebElement upstream = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main p.upstream")));
        assertEquals("proxy cache", upstream.findElement(By.cssSelector(".badge.proxy")).getText());
        assertTrue(upstream.getText().contains(up) && upstream.getText().contains(upstreamUrl) && upstream.getText().contains("300 s"),
                upstream.getText());
        Map<String, Object> created = Json.parseObject(admin.request("GET", "/api/v1/projects/" + project).send().body());
        assertEquals(up, created.get("registry"));
        assertEquals(300, ((Number) created.get("tag_ttl_seconds")).intValue());

        // the project list marks it
        click(By.cssSelector("a[data-nav=projects]"));
        waitForHeading("Projects");
        browser.findElement(By.name("q")).sendKeys(project);
        click(By.xpath("//button[text()='Search']"));
        // read inside the wait: the list is drawn again when the search answers
        By row = By.xpath("//div[@id='project-list']//tr[td/a[text()='" + project + "']][.//span[contains(@class,'proxy')]]");
        String listed = wait.until(d -> {
            try {
                return d.findElements(row).stream().map(WebElement::getText).filter(t -> t.contains(up)).findFirst().orElse(null);
            } catch (StaleElementReferenceException redrawn) {
                return null;
            }
        });
        assertTrue(listed.contains(up), listed);

        // a project admin sets the tag TTL in Settings
        browser.get(base() + "#/projects/" + project + "/settings");
        waitForHeading(project);
        WebElement ttlSetting = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("project-tag-ttl")));
        assertEquals("300", ttlSetting.getAttribute("value"));
        ttlSetting.clear();
        ttlSetting.sendKeys("60");
        click(By.xpath("//button[text()='Save tag TTL']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.upstream"), "60 s"));
        assertEquals(60, ((Number) Json.parseObject(admin.request("GET", "/api/v1/projects/" + project).send().body())
                .get("tag_ttl_seconds")).intValue());
        screenshot("18-proxy-project");

        // an endpoint that a project uses is not deleted: the 409's message is shown; an unused one is
        click(By.cssSelector("a[data-nav=registries]"));
        waitForHeading("Registries");
        click(By.cssSelector("button[aria-label='Delete " + up + "']"));
        click(By.cssSelector("dialog button[data-confirm]"));
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.error")));
        assertTrue(refused.getText().contains("HTTP 409"), refused.getText());
        assertEquals(200, admin.request("GET", "/api/v1/registries/" + up).send().status());
        click(By.cssSelector("button[aria-label='Delete " + down + "']"));
        click(By.cssSelector("dialog button[data-confirm]"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath("//tr[td[text()='" + down + "']]")));
        assertEquals(404, admin.request("GET", "/api/v1/registries/" + down).send().status());

        assertEquals(null, ((JavascriptExecutor) browser).executeScript("return window.pwned"), "markup from the API ran");
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(violations.isEmpty(), "CSP violations: " + violations);
    }

    @Test
    void aProjectAdminManagesWebhooksAndSeesTheSecretOnce() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String project = "hooks-" + id;
        String owner = "owner-" + id;
        String ownerPassword = "Owner-pass-" + id;
        String guest = "hguest-" + id;
        String guestPassword = "Guest-pass-" + id;
        // a webhook's name is a plain word (the API refuses markup)
        String name = "ci-" + id;
        String authHeader = "Bearer hook-token-" + id;
        // a free loopback port that nothing listens on: deliveries fail, which is all the log needs
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/hook";
        String changedUrl = "http://127.0.0.1:" + port + "/hook-changed";
        RegistryClient admin = registryAsAdmin();
        postJson(admin, "/api/v1/projects", "{\"name\":\"" + project + "\",\"public\":false}");
        postJson(admin, "/api/v1/users", "{\"username\":\"" + owner + "\",\"password\":\"" + ownerPassword + "\"}");
        postJson(admin, "/api/v1/users", "{\"username\":\"" + guest + "\",\"password\":\"" + guestPassword + "\"}");
        postJson(admin, "/api/v1/projects/" + project + "/members", "{\"username\":\"" + owner + "\",\"role\":\"project_admin\"}");
        postJson(admin, "/api/v1/projects/" + project + "/members", "{\"username\":\"" + guest + "\",\"role\":\"guest\"}");
        String hooks = "/api/v1/projects/" + project + "/webhooks";

        // the project admin (not a system admin) adds a webhook through the form
        browser.get(base().toString());
        signIn(owner, ownerPassword, false);
        waitForHeading("Projects");
        browser.get(base() + "#/projects/" + project + "/webhooks");
        waitForHeading(project);
        WebElement form = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form[aria-labelledby=new-webhook]")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhook-list"), "No webhooks yet."));
        form.findElement(By.name("name")).sendKeys(name);
        form.findElement(By.name("url")).sendKeys(url);
        assertTrue(form.findElement(By.id("new-webhook-push_artifact")).isSelected(), "push_artifact is the default event");
        form.findElement(By.id("new-webhook-delete_tag")).click();
        form.findElement(By.name("auth_header")).sendKeys(authHeader);
        assertEquals("harbor", new Select(form.findElement(By.name("format"))).getFirstSelectedOption().getAttribute("value"));
        new Select(form.findElement(By.name("format"))).selectByValue("cloudevents");
        assertTrue(form.findElement(By.id("new-webhook-verify-tls")).isSelected(), "TLS is verified unless unchecked");
        assertTrue(form.findElement(By.id("new-webhook-enabled")).isSelected());
        screenshot("19-new-webhook");
        click(By.xpath("//button[text()='Add webhook']"));

        // the signing secret, once, with a copy button and the warning
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertTrue(dialog.getText().contains("You will not see it again"), dialog.getText());
        assertEquals("Webhook " + name + " added", dialog.findElement(By.tagName("h2")).getText());
        String secret = dialog.findElement(By.cssSelector("input[data-secret]")).getAttribute("value");
        assertTrue(secret != null && secret.length() >= 16, "a secret of some length: " + secret);
        assertTrue(dialog.findElement(By.cssSelector("button.copy")).isDisplayed());
        screenshot("20-webhook-secret");
        dialog.findElement(By.xpath(".//button[text()='I have copied it']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));

        // listed; the API never answers the secret or the auth header
        String hookId = webhookIdByName(admin, hooks, name);
        String row = "//div[@id='webhook-list']//tr[.//*[@data-webhook='" + hookId + "']]";
        WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(row)));
        assertEquals(name, listed.findElement(By.cssSelector("td[data-label=Name]")).getText());
        assertEquals(url, listed.findElement(By.cssSelector("td[data-label=URL]")).getText());
        String events = listed.findElement(By.cssSelector("td[data-label=Events]")).getText();
        assertTrue(events.contains("push_artifact") && events.contains("delete_tag") && !events.contains("pull_artifact"), events);
        assertEquals("cloudevents", listed.findElement(By.cssSelector("td[data-label=Format]")).getText());
        assertEquals("set", listed.findElement(By.cssSelector("td[data-label='Auth header']")).getText());
        assertEquals("enabled", listed.findElement(By.cssSelector("td[data-label=Enabled]")).getText());
        RegistryClient.Response view = admin.request("GET", hooks + "/" + hookId).send();
        assertEquals(200, view.status(), view.toString());
        Map<String, Object> json = Json.parseObject(view.body());
        assertEquals(Boolean.TRUE, json.get("has_auth_header"));
        assertFalse(json.containsKey("secret") || json.containsKey("auth_header"), view.bodyText());
        assertFalse(view.bodyText().contains(secret) || view.bodyText().contains(authHeader), view.bodyText());

        // after a reload (a new sign-in) the secret is nowhere in the page
        browser.navigate().refresh();
        signIn(owner, ownerPassword, false);
        waitForHeading(project);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(row)));
        assertTrue(browser.findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertFalse(browser.getPageSource().contains(secret), "the secret is shown again");
        assertFalse(browser.getPageSource().contains(authHeader), "the auth header is in the page");

        // edit: another URL, another format, one more event, the auth header cleared
        click(By.cssSelector("[data-webhook='" + hookId + "'] button[data-action=edit]"));
        dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertEquals(name, dialog.findElement(By.name("edit_name")).getAttribute("value"));
        assertEquals("", dialog.findElement(By.name("edit_auth_header")).getAttribute("value"));
        assertTrue(dialog.findElement(By.id("edit-webhook-delete_tag")).isSelected());
        WebElement editUrl = dialog.findElement(By.name("edit_url"));
        assertEquals(url, editUrl.getAttribute("value"));
        editUrl.clear();
        editUrl.sendKeys(changedUrl);
        new Select(dialog.findElement(By.name("edit_format"))).selectByValue("harbor");
        dialog.findElement(By.id("edit-webhook-pull_artifact")).click();
        dialog.findElement(By.id("edit-webhook-clear-auth")).click();
        screenshot("21-edit-webhook");
        dialog.findElement(By.xpath(".//button[text()='Save']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.xpath(row + "/td[@data-label='URL']"), changedUrl));
        listed = browser.findElement(By.xpath(row));
        assertEquals("harbor", listed.findElement(By.cssSelector("td[data-label=Format]")).getText());
        assertEquals("none", listed.findElement(By.cssSelector("td[data-label='Auth header']")).getText());
        json = Json.parseObject(admin.request("GET", hooks + "/" + hookId).send().body());
        assertEquals(changedUrl, json.get("url"));
        assertEquals("harbor", json.get("format"));
        assertEquals(Boolean.FALSE, json.get("has_auth_header"));
        assertEquals(name, json.get("name"));
        assertTrue(Json.array(json.get("event_types"), "event_types").containsAll(List.of("push_artifact", "pull_artifact", "delete_tag")),
                String.valueOf(json.get("event_types")));

        // the delivery log: possibly empty at first; a push makes a delivery, which nothing receives
        pushSmallImage(admin, project + "/app", "v1");
        click(By.cssSelector("[data-webhook='" + hookId + "'] a[data-action=deliveries]"));
        WebElement log = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("section.webhook-deliveries[data-webhook='" + hookId + "']")));
        assertEquals("Deliveries of " + name, log.findElement(By.tagName("h2")).getText());
        wait.until(d -> !d.findElements(By.cssSelector(".delivery-list table, .delivery-list p.empty")).isEmpty());
        screenshot("22-webhook-deliveries");
        // the worker fans the push out to this webhook in the background: Refresh, as a user would, until it is there
        By pushDelivery = By.xpath("//div[contains(@class,'delivery-list')]//tr[td[@data-label='Event'][starts-with(normalize-space(.), 'push_artifact')]]");
        By refresh = By.cssSelector("button[data-action=refresh-deliveries]");
        WebElement delivery = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofSeconds(1))
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    List<WebElement> rows = d.findElements(pushDelivery);
                    if (!rows.isEmpty()) {
                        return rows.get(0);
                    }
                    d.findElement(refresh).click();
                    return null;
                });
        String state = delivery.findElement(By.cssSelector("td[data-label=State] [data-state]")).getAttribute("data-state");
        assertTrue(state.equals("pending") || state.equals("dead"), "nothing listens, so not delivered: " + state);
        screenshot("23-webhook-delivery");
        delivery.findElement(By.cssSelector("button[data-action=redeliver]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[contains(@class,'message') and contains(@class,'info')][contains(., 'queued for delivery again')]")));

        // back to the list: the newest delivery's state is shown there too
        click(By.linkText("‹ All webhooks"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(row + "/td[@data-label='Last delivery']//*[@data-state]")));

        // disable
        click(By.cssSelector("[data-webhook='" + hookId + "'] button[data-action=toggle]"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(row + "/td[@data-label='Enabled']/*[@data-enabled='false']")));
        assertEquals(Boolean.FALSE, Json.parseObject(admin.request("GET", hooks + "/" + hookId).send().body()).get("enabled"));

        // rotate the secret: confirmed, a new one shown once
        click(By.cssSelector("[data-webhook='" + hookId + "'] button[data-action=rotate]"));
        click(By.cssSelector("dialog[open] button[data-confirm]"));
        WebElement rotated = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open] input[data-secret]")));
        String newSecret = rotated.getAttribute("value");
        assertTrue(newSecret != null && !newSecret.isEmpty() && !newSecret.equals(secret), newSecret);
        assertTrue(browser.findElement(By.cssSelector("dialog[open]")).getText().contains("You will not see it again"));
        click(By.xpath("//dialog[@open]//button[text()='I have copied it']"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
        assertFalse(browser.getPageSource().contains(newSecret), "the new secret stays in the page");

        // delete, after the confirmation that names it (as text)
        click(By.cssSelector("[data-webhook='" + hookId + "'] button[data-action=delete]"));
        dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
        assertTrue(dialog.getText().contains(name), dialog.getText());
        dialog.findElement(By.cssSelector("button[data-confirm]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath(row)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhook-list"), "No webhooks yet."));
        assertEquals(404, admin.request("GET", hooks + "/" + hookId).send().status());

        // the audit filter offers the webhook operations
        browser.get(base() + "#/projects/" + project + "/audit");
        waitForHeading(project);
        List<String> operations = new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.name("operation"))))
                .getOptions().stream().map(o -> o.getAttribute("value")).toList();
        assertTrue(operations.containsAll(List.of("webhook_create", "webhook_update", "webhook_delete")), operations.toString());

        // a guest member sees no Webhooks tab, not even by its address, and the API refuses the list
        click(By.id("logout"));
        signIn(guest, guestPassword, false);
        waitForHeading("Projects");
        browser.get(base() + "#/projects/" + project + "/webhooks");
        waitForHeading(project);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("nav.tabs a[aria-current=page]")));
        assertTrue(browser.findElements(By.xpath("//nav[contains(@class,'tabs')]//a[text()='Webhooks']")).isEmpty(), "a guest sees Webhooks");
        assertTrue(browser.findElements(By.id("webhook-list")).isEmpty());
        assertEquals("Repositories", browser.findElement(By.cssSelector("nav.tabs a[aria-current=page]")).getText());
        Object refused = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/js/api.js').then(api => api.get('projects/" + project + "/webhooks'))"
                        + ".then(() => done('listed'), e => done(String(e.status)));");
        assertEquals("403", refused);
        screenshot("24-webhooks-guest");

        assertEquals(null, ((JavascriptExecutor) browser).executeScript("return window.pwned"), "markup from the API ran");
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(violations.isEmpty(), "CSP violations: " + violations);
    }

    @Test
    void aSystemAdminCreatesAReplicationRuleAndRunsIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String registry = "self-" + id;
        String rule = "copy-" + id;
        String source = "replsrc-" + id;
        String destination = "repldst-" + id;
        RegistryClient admin = registryAsAdmin();
        // the rule pushes into another project of this Berth itself (the admin's credentials)
        postJson(admin, "/api/v1/registries", "{\"name\":\"" + registry + "\",\"url\":\"http://localhost:" + base().getPort()
                + "\",\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        postJson(admin, "/api/v1/projects", "{\"name\":\"" + source + "\",\"public\":false}");
        postJson(admin, "/api/v1/projects", "{\"name\":\"" + destination + "\",\"public\":false}");
        pushSmallImage(admin, source + "/app", "v1");

        browser.get(base().toString());
        signIn("admin", ADMIN_PASSWORD, false);
        waitForHeading("Projects");
        click(By.cssSelector("a[data-nav=replication]"));
        waitForHeading("Replication");
        WebElement form = browser.findElement(By.cssSelector("form[aria-labelledby=new-rule]"));
        form.findElement(By.name("name")).sendKeys(rule);
        new Select(form.findElement(By.name("registry"))).selectByValue(registry);
        form.findElement(By.name("repository")).sendKeys(source + "/**");
        new Select(form.findElement(By.name("path"))).selectByValue("replace");
        form.findElement(By.name("namespace")).sendKeys(destination);
        screenshot("25-new-replication-rule");
        click(By.xpath("//button[text()='Add rule']"));

        // listed with its direction, registry, trigger, and no execution yet
        String row = "//div[@id='replication-rules']//tr[td//a[text()='" + rule + "']]";
        WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(row)));
        assertEquals("push", listed.findElement(By.cssSelector("td[data-label=Direction]")).getText());
        assertEquals(registry, listed.findElement(By.cssSelector("td[data-label=Registry]")).getText());
        assertEquals("manual", listed.findElement(By.cssSelector("td[data-label=Trigger]")).getText());
        assertEquals("never ran", listed.findElement(By.cssSelector("td[data-label='Last execution']")).getText());
        Map<String, Object> json = Json.parseObject(admin.request("GET", "/api/v1/replication/rules/" + rule).send().body());
        assertEquals(registry, json.get("registry"));
        assertEquals(Map.of("namespace", destination, "path", "replace"), json.get("destination"));
        assertEquals(source + "/**", Json.object(json.get("filters"), "filters").get("repository"));

        // Run now: the rule's page shows the execution, drawn again until it has ended
        click(By.cssSelector("[data-rule='" + rule + "'] button[data-action=run]"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.replication-rule[data-rule='" + rule + "']")));
        String status = new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class).until(d ->
                d.findElements(By.cssSelector(".execution-list td[data-label=Status] [data-status]")).stream()
                        .map(e -> e.getAttribute("data-status")).filter(s -> !s.equals("pending") && !s.equals("running"))
                        .findFirst().orElse(null));
        screenshot("26-replication-executions");
        assertEquals("succeeded", status);
        assertEquals(200, admin.request("GET", "/v2/" + destination + "/app/manifests/v1").send().status());

        // its tasks
        click(By.cssSelector(".execution-list td[data-label=Execution] a"));
        WebElement task = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".task-list tbody tr")));
        assertTrue(task.getText().contains(source + "/app:v1") && task.getText().contains(destination + "/app:v1"), task.getText());
        screenshot("27-replication-tasks");

        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(violations.isEmpty(), "CSP violations: " + violations);
    }

    private static void postJson(RegistryClient client, String path, String json) {
        RegistryClient.Response r = client.request("POST", path).contentType("application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)).send();
        assertEquals(201, r.status(), path + ": " + r);
    }

    /** The id (as the portal writes it into data-webhook) of the project's webhook of that name. */
    private static String webhookIdByName(RegistryClient client, String hooks, String name) {
        RegistryClient.Response r = client.request("GET", hooks).query("page_size", "100").send();
        assertEquals(200, r.status(), r.toString());
        return Json.array(r.json(), "webhooks").stream()
                .map(w -> Json.object(w, "webhook"))
                .filter(w -> name.equals(w.get("name")))
                .map(w -> w.get("id") instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(w.get("id")))
                .findFirst().orElseThrow(() -> new AssertionError("no webhook " + name + " in " + r.bodyText()));
    }

    private void addRegistry(String name, String url, String username, String password, boolean verifyTls) {
        WebElement form = browser.findElement(By.cssSelector("form[aria-labelledby=new-registry]"));
        form.findElement(By.name("name")).sendKeys(name);
        form.findElement(By.name("url")).sendKeys(url);
        form.findElement(By.name("username")).sendKeys(username);
        form.findElement(By.name("password")).sendKeys(password);
        WebElement verify = form.findElement(By.id("new-registry-verify-tls"));
        assertTrue(verify.isSelected(), "TLS is verified unless unchecked");
        if (!verifyTls) {
            verify.click();
        }
        click(By.xpath("//button[text()='Add registry']"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//div[@id='registry-list']//tr[td[text()='" + name + "']]")));
    }

    /** Pushes a tiny distinct OCI image through /v2. */
    private static void pushSmallImage(RegistryClient registry, String repository, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"t\":\"" + repository + tag + System.nanoTime()
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = (repository + ":" + tag + ":" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        assertEquals(201, registry.uploadBlob(repository, RegistryClient.sha256(config), config).status());
        assertEquals(201, registry.uploadBlob(repository, RegistryClient.sha256(layer), layer).status());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + RegistryClient.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + RegistryClient.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        RegistryClient.Response r = registry.putManifest(repository, tag, RegistryClient.OCI_MANIFEST, manifest);
        assertEquals(201, r.status(), r.toString());
    }

    private void signIn(String username, String password, boolean screenshot) throws IOException {
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        user.clear();
        user.sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        if (screenshot) {
            screenshot("01-login");
        }
        click(By.xpath("//button[text()='Sign in']"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
    }

    private void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private void waitForHeading(String text) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//main//h1[starts-with(normalize-space(.), '" + text + "')]")));
        wait.until(d -> d.findElements(By.cssSelector("main .view[aria-busy]")).isEmpty());
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Map<String, Object> artifactJson(String repository, String digest) {
        RegistryClient.Response r = registryAsAdmin().request("GET", "/api/v1/repositories/" + repository + "/artifacts/" + digest).send();
        assertEquals(200, r.status(), r.toString());
        return Json.parseObject(r.body());
    }

    /** Imports a one-layer busybox image offline, pushes it under each tag; answers the manifest digest. */
    private String pushImage(String repository, String... tags) throws Exception {
        String host = "localhost:" + base().getPort();
        Path root = Files.createDirectories(work.resolve("root/bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(work.resolve("root/portal-it"), repository + "\n", StandardCharsets.UTF_8);
        run(List.of("tar", "-C", work.resolve("root").toString(), "-cf", work.resolve("base.tar").toString(), "."), null);
        String first = host + "/" + repository + ":" + tags[0];
        images.add(first);
        run(List.of(DOCKER, "import", "-c", "CMD [\"/bin/busybox\", \"sh\"]", work.resolve("base.tar").toString(), first), null);
        Path config = Files.createDirectories(work.resolve("docker-config"));
        run(List.of(DOCKER, "--config", config.toString(), "login", host, "-u", "admin", "--password-stdin"), ADMIN_PASSWORD);
        String output = "";
        for (String tag : tags) {
            String image = host + "/" + repository + ":" + tag;
            if (!image.equals(first)) {
                images.add(image);
                run(List.of(DOCKER, "tag", first, image), null);
            }
            output = run(List.of(DOCKER, "--config", config.toString(), "push", image), null);
        }
        Matcher m = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(output);
        assertTrue(m.find(), "docker push printed no digest: " + output);
        return m.group(1);
    }

    private static String run(List<String> command, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "timed out: " + command);
        if (p.exitValue() != 0 && !command.contains("rmi")) {
            throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
