package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.bench.sweep.SweepConfig;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.testkit.HeadlessBrowser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    private static final String TINY = """
            models: [zoo:patch]
            dataset: "patch:2"
            deletionSteps: 4
            methods:
              - name: ig
                grid: {steps: [4, 50], rule: [gausslegendre, riemann_trapezoid]}
              - name: saliency
              - name: adaptive-ig
                grid: {tolerance: [0.01]}
            """;

    @Test
    void configErrorsAreTypedAndSayWhatToDo() {
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> SweepConfig.parse(TINY.replace("saliency", "magic"), true));
        assertTrue(unknown.getMessage().contains("unknown method 'magic'") && unknown.getMessage().contains("saliency"),
                unknown.getMessage());
        InvalidOptionException param = assertThrows(InvalidOptionException.class,
                () -> SweepConfig.parse(TINY.replace("tolerance", "steps"), true));
        assertTrue(param.getMessage().contains("adaptive-ig has no option 'steps' to sweep"), param.getMessage());
        InvalidOptionException noModels = assertThrows(InvalidOptionException.class,
                () -> SweepConfig.parse("{\"dataset\": \"patch:2\", \"methods\": [{\"name\": \"ixg\"}]}", false));
        assertTrue(noModels.getMessage().contains("'models'"), noModels.getMessage());
        InvalidOptionException broken = assertThrows(InvalidOptionException.class,
                () -> SweepConfig.parse("models: [patch\n", true));
        assertTrue(broken.getMessage().contains("not valid YAML"), broken.getMessage());
        assertEquals(4 + 1 + 1, SweepConfig.parse(TINY, true).methods().stream().mapToInt(m -> m.settings().size()).sum());
    }

    @Test
    void aTinySweepRunsEndToEndAndResumesWithoutRecomputing(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, TINY);
        Path out = dir.resolve("out");
        CliRun first = CliRun.of("sweep", "--config", config.toString(), "--out", out.toString(), "--max-cells", "5");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("12 cells, 5 computed now, 0 already done"), first.out());
        assertEquals(5, Files.readAllLines(out.resolve("cells.jsonl")).size());

        CliRun second = CliRun.of("sweep", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("12 cells, 7 computed now, 5 already done"), second.out());
        List<String> jsonl = Files.readAllLines(out.resolve("cells.jsonl"));
        assertEquals(12, jsonl.size());
        assertEquals(12, jsonl.stream().map(l -> l.replaceAll(".*\"key\":\"([0-9a-f]+)\".*", "$1")).distinct().count());
        List<String> csv = Files.readAllLines(out.resolve("cells.csv"));
        assertEquals(13, csv.size());
        assertTrue(csv.get(0).startsWith("model,method,setting,input,target,timeMs"), csv.get(0));
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"adaptiveIg\"") && summary.contains("\"fixedRule\" : \"riemann_trapezoid\""),
                summary);
        for (String png : List.of("completeness_vs_steps.png", "deletion_curves.png", "time_vs_completeness_pareto.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png + " decodes");
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));

        CliRun third = CliRun.of("sweep", "--config", config.toString(), "--out", out.toString());
        assertTrue(third.out().contains("12 cells, 0 computed now, 12 already done"), third.out());
    }

    @Test
    void theReportOpensInAHeadlessBrowserWithItsPlots(@TempDir Path dir) throws Exception {
        HeadlessBrowser.assumeAvailable();
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, TINY);
        Path out = dir.resolve("out");
        assertEquals(0, CliRun.of("sweep", "--config", config.toString(), "--out", out.toString()).exitCode());
        BufferedImage shot = HeadlessBrowser.screenshot(out.resolve("report.html"), 1200, 1600);
        int coloured = HeadlessBrowser.colouredPixels(shot);
        assertTrue(coloured > 2000, "the plots' coloured lines and markers are visible: " + coloured + " pixels");
    }
}
