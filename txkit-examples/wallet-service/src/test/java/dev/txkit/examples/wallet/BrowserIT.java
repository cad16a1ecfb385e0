package dev.txkit.examples.wallet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pages in a real headless Chromium (Debian's {@code /usr/bin/chromium} driven through
 * {@code /usr/bin/chromedriver}; nothing is downloaded): two tabs editing one document (the second
 * save gets 409 and the page says so, with the current version), and a double-clicked payment
 * charged once. Screenshots go to {@code target/screenshots/}.
 */
class BrowserIT extends WalletServiceTestBase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void startChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        profile = Files.createTempDirectory("wallet-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1100,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static void waitForText(String elementId, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id(elementId), text));
    }

    private static void edit(String text) {
        WebElement body = browser.findElement(By.id("body"));
        body.clear();
        body.sendKeys(text);
        browser.findElement(By.id("save")).click();
    }

    private static Path screenshot(String name) throws Exception {
        Path target = SHOTS.resolve(name);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Test
    void twoTabsEditingOneDocumentTheSecondSaveIsToldToRefresh() throws Exception {
        String doc = "d-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("INSERT INTO document (id, title, body, version) VALUES (?, 'Plan', 'first draft', 1)", doc);
        browser.get(url("/editor.html?id=" + doc));
        waitForText("version", "1");
        String tabA = browser.getWindowHandle();
        WebDriver tabB = browser.switchTo().newWindow(WindowType.TAB);
        tabB.get(url("/editor.html?id=" + doc));
        waitForText("version", "1");
        String tabBHandle = browser.getWindowHandle();

        browser.switchTo().window(tabA);
        edit("edited in tab A");
        waitForText("status", "Saved: version 2.");

        browser.switchTo().window(tabBHandle);
        edit("edited in tab B");
        waitForText("status", "modified by another user — refresh and try again");
        assertThat(browser.findElement(By.id("status")).getText()).contains("The current version is 2");
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("conflict");
        Path shot = screenshot("editor-conflict.png");
        assertThat(Files.size(shot)).isPositive();
        assertThat(jdbc.queryForObject("SELECT body FROM document WHERE id = ?", String.class, doc))
                .as("tab B's stale save wrote nothing").isEqualTo("edited in tab A");

        browser.findElement(By.id("refresh")).click();
        waitForText("status", "editing version 2");
        assertThat(browser.findElement(By.id("body")).getAttribute("value")).isEqualTo("edited in tab A");
        edit("edited in tab B after refreshing");
        waitForText("status", "Saved: version 3.");
        assertThat(jdbc.queryForObject("SELECT version FROM document WHERE id = ?", Integer.class, doc)).isEqualTo(3);
        browser.close();
        browser.switchTo().window(tabA);
    }

    @Test
    void aDoubleClickedPaymentIsChargedOnce() throws Exception {
        String wallet = newWallet(100);
        browser.get(url("/wallet.html?id=" + wallet));
        waitForText("balance", "100");
        new Actions(browser).doubleClick(browser.findElement(By.id("pay"))).perform();
        waitForText("answered", "2");
        assertThat(browser.findElement(By.id("sent")).getText()).as("both clicks sent a request").isEqualTo("2");
        waitForText("balance", "90");
        assertThat(browser.findElement(By.id("status")).getText()).contains("Paid 10: charge #");
        screenshot("wallet-double-click.png");
        assertThat(balance(wallet)).isEqualTo(90);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM charge WHERE wallet_id = ?", Integer.class, wallet)).isEqualTo(1);

        browser.findElement(By.id("again")).click(); // a new payment is charged again
        browser.findElement(By.id("pay")).click();
        waitForText("balance", "80");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM charge WHERE wallet_id = ?", Integer.class, wallet)).isEqualTo(2);
    }
}
