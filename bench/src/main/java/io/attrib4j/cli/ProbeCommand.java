package io.attrib4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.probing.ActivationExtractor;
import io.attrib4j.probing.ControlTask;
import io.attrib4j.probing.ControlTaskResult;
import io.attrib4j.probing.CrossValidation;
import io.attrib4j.probing.CrossValidationResult;
import io.attrib4j.probing.ExampleSource;
import io.attrib4j.probing.LayerSweep;
import io.attrib4j.probing.LayerSweepResult;
import io.attrib4j.probing.LinearProbe;
import io.attrib4j.probing.ProbeJson;
import io.attrib4j.models.zoo.StripesModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code attrib4j probe}: a cross-validated linear probe on given activations, on one layer's
 * activations extracted from {@code --input}, or on every layer ({@code --sweep}).
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cross-validates a linear probe (L2 logistic regression) on layer activations: accuracy, "
                + "macro-F1 and 95% CIs; selectivity with --control-types; --sweep probes every layer and writes "
                + "JSON, CSV and a PNG chart.")
final class ProbeCommand implements Callable<Integer>, Main.Verbose {
    /** Examples the zoo:stripes model generates when no --input is given. */
    static final int STRIPES_EXAMPLES = 400;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--activations", paramLabel = "FILE", description = "precomputed activations [n, d] (.npy)")
    Path activations;

    @Option(names = "--labels", paramLabel = "FILE", description = "one integer class per example (.npy); "
            + "optional with zoo:stripes (its generated labels)")
    Path labels;

    @Option(names = "--model", paramLabel = "MODEL", description = "model to extract activations from: zoo:stripes, "
            + "zoo:patch or a model file")
    String model;

    @Option(names = "--layer", paramLabel = "NAME", description = "layer to probe (without --sweep)")
    String layer;

    @Option(names = "--input", paramLabel = "FILE|DIR", description = "model inputs (.npy, or a folder of .npy)")
    Path input;

    @Option(names = "--sweep", description = "probe every layer (or --layers) and write per-layer JSON/CSV/PNG")
    boolean sweep;

    @Option(names = "--layers", split = ",", paramLabel = "A,B", description = "layers for --sweep (default all)")
    List<String> layers;

    @picocli.CommandLine.Mixin
    PoolingOption pooling;

    @Option(names = "--control-types", paramLabel = "FILE",
            description = "input type id of each example (.npy) for a control task; prints selectivity")
    Path controlTypes;

    @Option(names = "--folds", defaultValue = "5", description = "cross-validation folds (default 5)")
    int folds;

    @Option(names = "--l2", defaultValue = "0.01", description = "L2 strength of the probe (default 0.01)")
    double l2;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the folds and control labels (default 0)")
    long seed;

    @Option(names = "--cache", paramLabel = "DIR", description = "activation cache folder (default: none)")
    Path cache;

    @Option(names = "--out", paramLabel = "PATH", description = "JSON file; with --sweep a folder "
            + "(default probe.json / probe-sweep)")
    Path out;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        LinearProbe probe = LinearProbe.builder().optL2(l2).build();
        CrossValidation cv = CrossValidation.builder().optFolds(folds).optSeed(seed).build();
        PrintWriter w = spec.commandLine().getOut();
        if (activations != null) {
            if (model != null || sweep) {
                throw new InvalidOptionException("--activations are probed as given; drop --model/--sweep, or drop "
                        + "--activations to extract them with --model");
            }
            requireLabels();
            return probeRows(w, probe, cv, Npy.read(activations), ProbeFiles.labels(labels, "labels"));
        }
        if (model == null) {
            throw new InvalidOptionException("nothing to probe: pass --activations FILE, or --model with --layer "
                    + "(or --sweep) and --input");
        }
        ActivationExtractor extractor = ActivationExtractor.builder().optPooling(pooling.parse())
                .optCacheDir(cache).build();
        try (io.attrib4j.models.LoadedModel loaded = io.attrib4j.models.Models.load(model)) {
            Tensor x;
            int[] y;
            if (input == null && model.equals("zoo:stripes")) {
                StripesModel.Samples s = StripesModel.samples(STRIPES_EXAMPLES, seed + 1);
                x = s.images();
                y = labels == null ? s.labels() : ProbeFiles.labels(labels, "labels");
            } else {
                if (input == null) {
                    throw new InvalidOptionException("--model needs --input FILE|DIR with the examples to probe "
                            + "(only zoo:stripes generates its own)");
                }
                requireLabels();
                x = ProbeFiles.examples(input, "input");
                y = ProbeFiles.labels(labels, "labels");
            }
            if (sweep) {
                return sweep(w, LayerSweep.builder().optProbe(probe).optCrossValidation(cv).optExtractor(extractor)
                        .optLayers(layers).build().run(loaded.model(), ExampleSource.of(x), y));
            }
            if (layer == null) {
                throw new InvalidOptionException("--model needs --layer NAME (or --sweep for every layer)");
            }
            return probeRows(w, probe, cv, extractor.extract(loaded.model(), layer, x), y);
        }
    }

    private void requireLabels() {
        if (labels == null) {
            throw new InvalidOptionException("--labels FILE is required: one integer class per example (.npy)");
        }
    }

    private int probeRows(PrintWriter w, LinearProbe probe, CrossValidation cv, Tensor rows, int[] y) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("layer", layer);
        json.put("examples", rows.batch());
        json.put("features", rows.shape().dim(1));
        json.put("folds", folds);
        json.put("l2", l2);
        CrossValidationResult r;
        if (controlTypes != null) {
            ControlTaskResult c = ControlTask.withSeed(seed).run(probe, cv, rows, y,
                    ProbeFiles.labels(controlTypes, "control types"));
            r = c.task();
            ProbeJson.putScores(json.putObject("control"), c.control());
            json.put("selectivity", c.selectivity());
            json.put("selectivityLow", c.selectivityInterval().low());
            json.put("selectivityHigh", c.selectivityInterval().high());
        } else {
            r = cv.run(probe, rows, y);
        }
        ProbeJson.putScores(json, r);
        w.printf("probe: %d examples x %d features, %d-fold CV%n", rows.batch(), rows.shape().dim(1), folds);
        w.printf("accuracy %.4f (95%% CI %.4f..%.4f), macro-F1 %.4f (95%% CI %.4f..%.4f)%n", r.meanAccuracy(),
                r.accuracy().low(), r.accuracy().high(), r.meanMacroF1(), r.macroF1().low(), r.macroF1().high());
        if (json.has("selectivity")) {
            w.printf("control accuracy %.4f, selectivity %.4f (95%% CI %.4f..%.4f)%n",
                    json.get("control").get("accuracy").get("mean").asDouble(), json.get("selectivity").asDouble(),
                    json.get("selectivityLow").asDouble(), json.get("selectivityHigh").asDouble());
        }
        Path file = out == null ? Path.of("probe.json") : out;
        ProbeJson.write(file, json);
        w.println("probe: wrote " + file);
        return 0;
    }

    private int sweep(PrintWriter w, LayerSweepResult result) {
        Path dir = out == null ? Path.of("probe-sweep") : out;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        result.writeJson(dir.resolve("layers.json"));
        result.writeCsv(dir.resolve("layers.csv"));
        result.writePng(dir.resolve("layers.png"));
        for (LayerSweepResult.Row r : result.rows()) {
            w.printf("%-12s %6d features  accuracy %.4f ± %.4f  macro-F1 %.4f ± %.4f%n", r.layer(), r.features(),
                    r.scores().meanAccuracy(), r.scores().accuracy().halfWidth(), r.scores().meanMacroF1(),
                    r.scores().macroF1().halfWidth());
        }
        w.println("probe: best layer " + result.best().layer() + "; wrote layers.json, layers.csv, layers.png to " + dir);
        return 0;
    }
}
