package io.attrib4j.testkit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, for tests that check what a person would see in an HTML page we write.
 * Tests call {@link #assumeAvailable()} first: without a browser they skip, printing why.
 */
public final class HeadlessBrowser {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private HeadlessBrowser() {}

    /** The browser executable, if installed. */
    public static Optional<Path> executable() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Skips the calling test, with the reason printed, when no browser is installed. */
    public static void assumeAvailable() {
        if (executable().isEmpty()) {
            String why = "no headless browser: Debian's chromium is not installed (apt-get install chromium)";
            System.out.println("SKIPPED: " + why);
            Assumptions.assumeTrue(false, why);
        }
    }

    /**
     * A screenshot of a local HTML file, loaded with the network features that would reach outside
     * switched off (the page must be self-contained to look right).
     */
    public static BufferedImage screenshot(Path html, int width, int height) {
        Path browser = executable().orElseThrow(() -> new IllegalStateException("call assumeAvailable() first"));
        try {
            Path profile = Files.createTempDirectory("attrib4j-chromium");
            Path png = profile.resolve("shot.png");
            Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile,
                    "--window-size=" + width + "," + height, "--screenshot=" + png, html.toUri().toString())
                    .redirectErrorStream(true).redirectOutput(profile.resolve("browser.log").toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within 90 s");
            }
            if (!Files.exists(png)) {
                throw new IllegalStateException("chromium wrote no screenshot: " + Files.readString(profile.resolve("browser.log")));
            }
            return ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for chromium", e);
        }
    }

    /** Pixels that are clearly coloured (not white, black or grey): plots and heatmaps, not text. */
    public static int colouredPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    n++;
                }
            }
        }
        return n;
    }
}
