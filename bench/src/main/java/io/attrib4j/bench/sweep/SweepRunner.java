package io.attrib4j.bench.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.ContentHash;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.ImageOptions;
import io.attrib4j.engine.export.Images;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.metrics.CompletenessError;
import io.attrib4j.metrics.DeletionInsertion;
import io.attrib4j.metrics.ScoreCurves;
import io.attrib4j.models.Models;
import io.attrib4j.models.zoo.PatchModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Runs a sweep: every (model, method, grid setting, input) cell, one input per attribution call, with
 * its time, model evaluations, completeness error (against the zero baseline), and MoRF deletion and
 * insertion AUC (zero baseline). Each finished cell is appended to {@code cells.jsonl} at once and keyed
 * by a hash of model, method, setting and input index: a re-run over the same folder skips the keys it
 * finds, so an interrupted sweep resumes where it stopped. Progress (cells done, rate, time left) goes
 * to standard error.
 */
public final class SweepRunner {
    /** The rows file: one JSON object per finished cell. */
    public static final String ROWS = "cells.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepConfig config;
    private final Path out;
    private final int maxNewCells;

    /**
     * @param maxNewCells stop after computing this many cells (0: no limit), to interrupt a sweep on purpose
     */
    public SweepRunner(SweepConfig config, Path out, int maxNewCells) {
        this.config = config;
        this.out = out;
        this.maxNewCells = maxNewCells;
    }

    /** What a run did. */
    public record Outcome(int totalCells, int skipped, int computed, List<JsonNode> rows) {
        public boolean complete() {
            return skipped + computed == totalCells;
        }
    }

    /** Runs the cells not yet in {@code out/cells.jsonl}; returns every row there is afterwards. */
    public Outcome run() {
        Path rowsFile = out.resolve(ROWS);
        List<JsonNode> rows = readRows(rowsFile);
        java.util.Set<String> done = new java.util.HashSet<>();
        rows.forEach(r -> done.add(r.get("key").asText()));
        Tensor data = loadDataset(config.dataset());
        int total = config.models().size() * data.batch()
                * config.methods().stream().mapToInt(m -> m.settings().size()).sum();
        int skipped = 0;
        int computed = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(rowsFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(total).showSpeed()
                        .setUnit(" cells", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            outer:
            for (String modelName : config.models()) {
                try (ForwardModel model = loadModel(modelName)) {
                    int[] targets = model.forward(data).argmaxRows();
                    for (SweepConfig.MethodGrid grid : config.methods()) {
                        for (Map<String, Object> setting : grid.settings()) {
                            AttributionMethod method = Methods.create(spec(grid.name(), setting, data));
                            for (int i = 0; i < data.batch(); i++) {
                                String key = key(modelName, grid.name(), setting, i);
                                if (done.contains(key)) {
                                    skipped++;
                                    bar.step();
                                    continue;
                                }
                                if (maxNewCells > 0 && computed >= maxNewCells) {
                                    break outer;
                                }
                                ObjectNode row = cell(model, method, data.row(i), Target.classIndex(targets[i]));
                                row.put("key", key).put("model", modelName).put("method", grid.name())
                                        .put("setting", describe(setting)).put("input", i).put("target", targets[i]);
                                row.set("parameters", JSON.valueToTree(setting));
                                writer.write(JSON.writeValueAsString(row));
                                writer.newLine();
                                writer.flush();
                                rows.add(row);
                                computed++;
                                bar.step();
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rowsFile, e);
        }
        return new Outcome(total, skipped, computed, rows);
    }

    private ObjectNode cell(ForwardModel model, AttributionMethod method, Tensor x, Target target) {
        long t0 = System.nanoTime();
        Attribution a = method.attribute(model, x, target);
        double millis = (System.nanoTime() - t0) / 1e6;
        float error = CompletenessError.compute(model, x, Baseline.zeros(), target, a.values())[0];
        DeletionInsertion.Builder curve = DeletionInsertion.builder().optSteps(config.deletionSteps());
        ScoreCurves deletion = curve.build().evaluate(model, x, target, a);
        ScoreCurves insertion = curve.optMode(DeletionInsertion.Mode.INSERTION).build().evaluate(model, x, target, a);
        long evaluations = a.provenance().timing().modelEvaluations();
        Object adaptive = a.provenance().parameters().get("gradientEvaluations");
        ObjectNode row = JSON.createObjectNode();
        row.put("timeMs", millis).put("modelEvaluations", evaluations)
                .put("gradientEvaluations", adaptive instanceof Number n ? n.longValue() : evaluations)
                .put("completenessError", error).put("deletionAuc", deletion.auc()[0])
                .put("insertionAuc", insertion.auc()[0]);
        row.set("deletionCurve", JSON.valueToTree(deletion.scores()[0]));
        return row;
    }

    /** "steps=8,rule=gausslegendre", or "default" for an empty setting. */
    static String describe(Map<String, Object> setting) {
        if (setting.isEmpty()) {
            return "default";
        }
        List<String> parts = new ArrayList<>();
        setting.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** The cell's key: SHA-256 of model, method, setting and input index, first 16 hex digits. */
    static String key(String model, String method, Map<String, Object> setting, int input) {
        return ContentHash.sha256Hex(model + "\n" + method + "\n" + new LinkedHashMap<>(setting) + "\n" + input)
                .substring(0, 16);
    }

    private static List<JsonNode> readRows(Path file) {
        List<JsonNode> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n != null && n.has("key")) {
                        rows.add(n);
                    }
                } catch (IOException torn) {
                    // a line cut short by a kill: that cell runs again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    /** "patch:N" (the demo samples, seed 7), an .npy batch, or a directory of images. */
    static Tensor loadDataset(String spec) {
        if (spec.startsWith("patch:")) {
            int n;
            try {
                n = Integer.parseInt(spec.substring(6));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1) {
                throw new InvalidOptionException("dataset '" + spec + "' needs a positive count, e.g. patch:8");
            }
            return PatchModel.samples(n, 7).images();
        }
        Path p = Path.of(spec);
        if (spec.endsWith(".npy") && Files.isRegularFile(p)) {
            return Npy.read(p);
        }
        if (Files.isDirectory(p)) {
            List<Tensor> images = new ArrayList<>();
            try (Stream<Path> files = Files.list(p)) {
                for (Path f : files.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g)$")).sorted().toList()) {
                    images.add(Images.read(f, ImageOptions.defaults()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + p, e);
            }
            if (images.isEmpty()) {
                throw new InvalidOptionException("dataset folder " + p + " has no .png or .jpg images");
            }
            return Tensor.concatRows(images);
        }
        throw new InvalidOptionException("dataset '" + spec + "' is not patch:N, an existing .npy file or a folder "
                + "of images");
    }

    /** "patch", "resnet18" (seeded random weights, 10 classes, sized to the data), or a TorchScript .pt file. */
    /**
     * The method of one grid setting: the setting's values are the method's options; a method that averages
     * over a baseline set (gradshap, deepliftshap) without one in the setting uses the whole dataset.
     */
    static MethodSpec spec(String method, Map<String, Object> setting, Tensor data) {
        MethodSpec spec = MethodSpec.of(method, setting);
        boolean takesBaselines = Methods.describe(method).takes("baselines");
        return takesBaselines && !setting.containsKey("baselines") ? spec.with("baselines", data) : spec;
    }

    /** A sweep's model, named as everywhere else ({@code zoo:patch}, a file). */
    static ForwardModel loadModel(String name) {
        return Models.load(name).model();
    }
}
