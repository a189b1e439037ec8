package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextHeatmapTest {
    private static final String CHROMIUM = "/usr/bin/chromium";

    private static TextHeatmap sample() {
        Map<String, float[]> scores = new LinkedHashMap<>();
        scores.put("IG", new float[] {0.1f, 2f, -1f, 0f});
        scores.put("rollout", new float[] {0.5f, 0.25f, 0.125f, 0.125f});
        return TextHeatmap.of("Tokens <test>", List.of(
                new TextHeatmap.Example("example 0: predicted positive (p=0.99)", List.of("[CLS]", "good", "<b>&", "x"),
                        scores)));
    }

    @Test
    void pageIsSelfContainedAndEscapesTokens() {
        String html = sample().html();
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script")
                || html.contains("<link") || html.contains("src="), "no external assets or scripts");
        assertTrue(html.contains("&lt;b&gt;&amp;"), "tokens escaped");
        assertFalse(html.contains("<b>&"), "raw token markup never reaches the page");
        assertTrue(html.contains("Tokens &lt;test&gt;"));
        assertTrue(html.contains("predicted positive (p=0.99)"));
    }

    @Test
    void spansAreColouredByTheDivergingMapScaledPerRow() {
        String html = sample().html();
        // "good" has the row's largest |score|: the red end; "<b>&" (-1 of max 2) sits at 0.25, blue
        assertTrue(html.contains(String.format("background:#%06x;color:#fff\" title=\"2.000\">good", Colormap.RDBU.rgb(1))), html);
        assertTrue(html.contains(String.format("background:#%06x", Colormap.RDBU.rgb(0.25))));
        assertTrue(html.contains(String.format("background:#%06x;color:#000\" title=\"0.000\">x", Colormap.RDBU.rgb(0.5))));
        assertEquals(8, html.split("<span class=\"t\"", -1).length - 1, "one span per token and method");
        assertTrue(html.contains("class=\"legend\""));
    }

    @Test
    void jsonHasTokenScorePairsPerMethod() throws Exception {
        JsonNode root = new ObjectMapper().readTree(sample().json());
        JsonNode ig = root.get(0).get("methods").get("IG");
        assertEquals(4, ig.size());
        assertEquals("<b>&", ig.get(2).get("token").asText());
        assertEquals(-1.0, ig.get(2).get("score").asDouble(), 0);
        assertEquals(0.125, root.get(0).get("methods").get("rollout").get(3).get("score").asDouble(), 0);
    }

    @Test
    void scoresMustMatchTheTokens() {
        assertThrows(InvalidInputException.class, () -> new TextHeatmap.Example("x", List.of("a", "b"),
                Map.of("IG", new float[] {1f})));
    }

    /** Opens the page in Debian's headless Chromium and looks for the coloured tokens in the screenshot. */
    @Test
    void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute(),
                () -> { System.out.println("skipped: no browser at " + CHROMIUM + " (apt-get install chromium)");
                    return "no browser at " + CHROMIUM; });
        Path html = sample().write(dir, "tokens");
        Path png = dir.resolve("shot.png");
        Process p = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")), "--screenshot=" + png,
                "--window-size=900,600", html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
        BufferedImage shot = ImageIO.read(png.toFile());
        assertTrue(contains(shot, Colormap.RDBU.rgb(1)), "the strongest positive token is drawn dark red");
        assertTrue(contains(shot, Colormap.RDBU.rgb(0.25)), "the negative token is drawn blue");
    }

    private static boolean contains(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xffffff;
                if (Math.abs((c >> 16) - (rgb >> 16)) <= 2 && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 2
                        && Math.abs((c & 0xff) - (rgb & 0xff)) <= 2) {
                    return true;
                }
            }
        }
        return false;
    }
}
