package io.attrib4j.cli;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.engine.export.ExplanationJson;
import io.attrib4j.engine.export.HeatmapOptions;
import io.attrib4j.engine.export.HtmlReport;
import io.attrib4j.engine.export.ImageOptions;
import io.attrib4j.engine.export.Images;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.export.Sheet;
import io.attrib4j.gradients.Upsample;
import io.attrib4j.engine.export.TextHeatmap;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.zoo.MarkerTransformer;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.Zoo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code attrib4j demo}: explains the built-in patch classifier's predictions on built-in images with
 * Integrated Gradients, Saliency, Input x Gradient, SmoothGrad and Grad-CAM, and writes a self-contained
 * summary page.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain the built-in model on built-in images; writes PNG sheets, NPY, JSON and index.html.")
final class DemoCommand implements Callable<Integer>, Main.Verbose {
    /** Seed of the built-in images; its first four are blue, red, red, green. */
    private static final long SEED = 1L;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "attrib4j-demo", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--samples", defaultValue = "4", paramLabel = "N", description = "Number of images (default 4).")
    int samples;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    /** The methods the demo shows, in sheet order; IG first (its attributions are saved). */
    /** Captum's defaults, except SmoothGrad's noise, scaled to images in [0, 1], and Grad-CAM's layer. */
    private static final List<MethodSpec> DEMO_METHODS = List.of(MethodSpec.of("ig"), MethodSpec.of("saliency"),
            MethodSpec.of("ixg"), MethodSpec.parse("smoothgrad(stdevs=0.1, samples=16)"),
            // the last ReLU, 16x16, resized to the image for the sheet
            MethodSpec.parse("gradcam(layer=features.4)"));

    private record Run(MethodSpec spec, Attribution attribution) {}

    @Override
    public Integer call() {
        if (samples < 1 || samples > 64) {
            throw new InvalidOptionException("--samples " + samples + " is outside 1..64");
        }
        PrintWriter console = spec.commandLine().getOut();
        PatchModel zoo = Zoo.patchClassifier();
        List<String> names = zoo.classNames();
        PatchModel.Samples data = PatchModel.samples(samples, SEED);
        Tensor x = data.images();
        int[] truth = data.labels();

        try (DjlBlockModel m = zoo.model()) {
            Tensor logits = m.forward(x);
            int[] predicted = logits.argmaxRows();
            Target target = Target.perExample(predicted);
            List<Run> runs = new ArrayList<>();
            Backend backend = Backends.get();
            for (MethodSpec c : DEMO_METHODS) {
                AttributionMethod method = Methods.create(c, backend);
                runs.add(new Run(c, method.attribute(m, x, target)));
            }
            Attribution ig = runs.get(0).attribution();

            Npy.write(out.resolve("attributions.npy"), ig.values());
            Npy.write(out.resolve("inputs.npy"), x);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("predictions", Predictions.of(logits, predicted, names));
            extra.put("trueLabels", trueLabels(truth, names));
            extra.put("otherMethods", otherMethods(runs));
            ExplanationJson.write(out.resolve("explanation.json"), ig, extra);

            HtmlReport.Builder html = HtmlReport.builder("attrib4j demo")
                    .paragraph("Model: " + ig.provenance().modelName() + " (" + ig.provenance().modelFormat()
                            + "), " + samples + " built-in images of " + x.shape().dropBatch()
                            + ". Each row shows the input, then Integrated Gradients (signed: red raises the "
                            + "predicted class, blue lowers it), Saliency (gradient magnitude), Input x Gradient, "
                            + "SmoothGrad (saliency averaged over 16 noisy copies, noise sd 0.1) and Grad-CAM on the "
                            + "last ReLU (features.4), resized to the image.")
                    .table(List.of("sample", "true", "predicted", "probability", "IG convergence delta"),
                            sampleRows(logits, predicted, truth, names, ig))
                    .heading("Timing")
                    .table(List.of("method", "total ms", "model ms", "model calls", "examples evaluated"),
                            timingRows(runs));
            for (int i = 0; i < samples; i++) {
                BufferedImage sheet = sheet(x, runs, i, truth, predicted, names, logits);
                Images.writePng(sheet, out.resolve(String.format(Locale.ROOT, "sample_%d.png", i)));
                html.image(sheet, "sample " + i + ": true " + names.get(truth[i]) + ", predicted "
                        + Predictions.label(names, predicted[i]));
            }
            html.paragraph("attrib4j " + ig.provenance().libraryVersion() + ", backend " + ig.provenance().backend()
                    + ", model SHA-256 " + ig.provenance().modelHash());
            String text = textSection(console);
            writeIndex(html.heading("Text").paragraph(text).build().replace("</body>",
                    "<p><a href=\"tokens.html\">tokens.html: the text model's token heatmaps</a></p>\n</body>"));

            float[] delta = ig.convergenceDelta().orElse(new float[samples]);
            for (int i = 0; i < samples; i++) {
                console.printf(Locale.ROOT, "sample %d: true %s, predicted %s (p=%.2f), IG delta %.2g%n", i,
                        names.get(truth[i]), Predictions.label(names, predicted[i]),
                        Predictions.probability(logits, i, predicted[i]), delta[i]);
            }
            console.println("wrote " + out.resolve("index.html") + " and " + samples + " sample PNGs to " + out);
        }
        return 0;
    }

    /** Held-out sentences for the text section; seeds other than the transformer's training seed. */
    private static final long TEXT_SEED = 4242L;
    private static final int TEXT_SAMPLES = 6;

    /**
     * The zoo transformer explained on a few held-out sentences with IG on the embeddings, gradient-weighted
     * rollout and plain rollout ([CLS] row): writes tokens.html and tokens.json; returns a summary line.
     */
    private String textSection(PrintWriter console) {
        MarkerTransformer t = Zoo.markerTransformer();
        MarkerTransformer.Samples s = MarkerTransformer.samples(TEXT_SAMPLES, TEXT_SEED);
        Tensor logits = t.model().forward(s.ids());
        int[] predicted = logits.argmaxRows();
        Target target = Target.perExample(predicted);
        Map<String, Tensor> scores = new LinkedHashMap<>();
        for (MethodSpec c : List.of(MethodSpec.of("ig-embeddings").with("layer", MarkerTransformer.EMBEDDING),
                MethodSpec.parse("grad-rollout(pooling=cls)"), MethodSpec.parse("rollout(pooling=cls)"))) {
            scores.put(c.name(), Methods.create(c).attribute(t.model(), s.ids(), target).values());
        }
        TextHeatmap.of("attrib4j demo: marker-word transformer", TextExplanation.examples(s.ids(), t.vocabulary(),
                t.classNames(), logits, predicted, scores)).write(out, "tokens");
        String summary = String.format(Locale.ROOT, "Text: the zoo transformer (held-out accuracy %.3f) on %d held-out "
                + "sentences; its label is set by the marker word 'good' or 'bad'. tokens.html shows IG on the "
                + "embeddings (baseline: [PAD]), gradient-weighted rollout and rollout ([CLS] row) per sentence.",
                t.heldOutAccuracy(), TEXT_SAMPLES);
        console.println("wrote " + out.resolve("tokens.html") + " (text model, " + TEXT_SAMPLES + " sentences)");
        return summary;
    }

    private void writeIndex(String page) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("index.html"), page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("index.html"), e);
        }
    }

    private static BufferedImage sheet(Tensor x, List<Run> runs, int i, int[] truth, int[] predicted,
            List<String> names, Tensor logits) {
        List<Sheet.Panel> panels = new ArrayList<>();
        for (Run r : runs) {
            HeatmapOptions o = HeatmapOptions.builder().optSign(MethodViews.sign(r.spec().name())).build();
            Tensor values = r.attribution().values();
            if (!values.shape().equals(x.shape())) {
                values = Upsample.BILINEAR.toInputSize(Backends.get(), values, x); // a layer map (Grad-CAM)
            }
            panels.add(new Sheet.Panel(r.attribution().provenance().method(), values.row(i), o));
        }
        String title = String.format(Locale.ROOT, "sample %d - true: %s, predicted: %s (%.2f)", i,
                names.get(truth[i]), Predictions.label(names, predicted[i]),
                Predictions.probability(logits, i, predicted[i]));
        return Sheet.render(Images.toImage(x.row(i), ImageOptions.defaults()), panels, title);
    }

    private static List<List<String>> sampleRows(Tensor logits, int[] predicted, int[] truth, List<String> names,
            Attribution ig) {
        float[] delta = ig.convergenceDelta().orElse(null);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < predicted.length; i++) {
            rows.add(List.of(String.valueOf(i), names.get(truth[i]), Predictions.label(names, predicted[i]),
                    String.format(Locale.ROOT, "%.3f", Predictions.probability(logits, i, predicted[i])),
                    delta == null ? "-" : String.format(Locale.ROOT, "%.3g", delta[i])));
        }
        return rows;
    }

    private static List<List<String>> timingRows(List<Run> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            var t = r.attribution().provenance().timing();
            rows.add(List.of(r.attribution().provenance().method(), String.format(Locale.ROOT, "%.1f", t.totalMillis()),
                    String.format(Locale.ROOT, "%.1f", t.modelMillis()), String.valueOf(t.modelCalls()),
                    String.valueOf(t.modelEvaluations())));
        }
        return rows;
    }

    private static List<String> trueLabels(int[] truth, List<String> names) {
        List<String> out = new ArrayList<>();
        for (int t : truth) {
            out.add(names.get(t));
        }
        return out;
    }

    private static List<Map<String, Object>> otherMethods(List<Run> runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Run r : runs.subList(1, runs.size())) {
            var p = r.attribution().provenance();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", p.method());
            m.put("spec", p.spec() == null ? p.method() : p.spec().toText());
            m.put("totalMs", p.timing().totalMillis());
            m.put("modelMs", p.timing().modelMillis());
            m.put("modelCalls", p.timing().modelCalls());
            out.add(m);
        }
        return out;
    }
}
