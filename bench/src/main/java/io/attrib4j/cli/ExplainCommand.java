package io.attrib4j.cli;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.export.ExplanationJson;
import io.attrib4j.engine.export.Heatmap;
import io.attrib4j.engine.export.HeatmapOptions;
import io.attrib4j.engine.export.ImageOptions;
import io.attrib4j.engine.export.Images;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.export.TextHeatmap;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.Models;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code attrib4j explain}: attributions of a TorchScript model's outputs for an {@code .npy} or image
 * input. Writes {@code attributions.npy} (same shape as the input), {@code explanation.json} (the
 * provenance and the predictions) and, for images, {@code heatmap.png} (one row per example).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain a TorchScript model's outputs on an input (.npy or image).")
final class ExplainCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--method", defaultValue = "ig", paramLabel = "METHOD",
            description = "Attribution method, a name or a spec such as 'ig(steps=32, rule=riemann_trapezoid)': "
                    + "ig, adaptive-ig, saliency, ixg, smoothgrad, gradshap, deeplift, deepliftshap, "
                    + "gradcam, gradcam++, hirescam, layer-ig, occlusion, ablation, kernelshap, lime; on token ids: rollout, "
                    + "grad-rollout, ig-embeddings; 'attrib4j methods' lists every option "
                    + "(default: ${DEFAULT-VALUE}).")
    String methodName;

    @Option(names = "--target", split = ",", arity = "1..*", paramLabel = "T",
            description = "Output index: none = predicted class per example; one = that class for all; "
                    + "several = one per example.")
    int[] targets;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--upsample", defaultValue = "nearest", paramLabel = "nearest|bilinear",
            description = "How a layer map is resized to the input for attributions_upsampled.npy and the heatmap "
                    + "(default: ${DEFAULT-VALUE}, Captum's default).")
    String upsample;

    @Option(names = "--out", defaultValue = "attrib4j-out", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--verbose", description = "Print stack traces and the method's parameters.")
    boolean verbose;

    private MethodSpec method;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        ImageOptions imageOptions = inputOptions.imageOptions();
        boolean image = inputOptions.isImageFile();
        Tensor x = inputOptions.read();
        Path input = inputOptions.input;
        method = methodOptions.toSpec(methodName);
        AttributionMethod attributionMethod = Methods.create(method, backend());

        try (LoadedModel loaded = Models.load(modelOptions.spec(methodOptions.attentionOutput))) {
            ForwardModel m = loaded.model();
            Tensor logits = m.forward(x);
            int[] predicted = logits.argmaxRows();
            Target target = target(predicted, x.batch());
            target.validate(logits.shape());
            if (MethodViews.text(method.name())) {
                explainText(console, m, x, logits, target, attributionMethod, loaded);
                return 0;
            }
            Attribution a = attributionMethod.attribute(m, x, target);

            int[] explained = new int[x.batch()];
            for (int i = 0; i < explained.length; i++) {
                explained[i] = target.indexOf(i);
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("input", input.toString());
            extra.put("predictions", Predictions.of(logits, predicted, loaded.classNames()));
            extra.put("explained", Predictions.of(logits, explained, loaded.classNames()));
            Npy.write(out.resolve("attributions.npy"), a.values());
            Tensor inputSized = a.values();
            if (!a.values().shape().equals(x.shape()) && a.values().shape().rank() == 4 && x.shape().rank() == 4) {
                inputSized = MethodViews.upsample(upsample).toInputSize(backend(), a.values(), x); // a layer map: Grad-CAM family, layer IG
                Npy.write(out.resolve("attributions_upsampled.npy"), inputSized);
            }
            ExplanationJson.write(out.resolve("explanation.json"), a, extra);
            boolean heatmap = (image || InputOptions.isImageLike(x)) && inputSized.shape().dropBatch().dims()[1] == x.shape().dims()[2];
            if (heatmap) {
                Images.writePng(heatmaps(x, a, inputSized, logits, explained, imageOptions), out.resolve("heatmap.png"));
            }
            summary(console, a, logits, predicted, explained, heatmap);
        }
        return 0;
    }

    /** Token scores of a text method: attributions.npy, rollout.npy (rollouts), tokens.html and tokens.json. */
    private void explainText(PrintWriter console, ForwardModel m, Tensor ids, Tensor logits, Target target,
            AttributionMethod attributionMethod, LoadedModel loaded) {
        List<String> classNames = loaded.classNames();
        Attribution a = TextExplanation.explain(attributionMethod, m, ids, target, out);
        int[] explained = new int[ids.batch()];
        for (int i = 0; i < explained.length; i++) {
            explained[i] = target.indexOf(i);
        }
        List<String> vocabulary = methodOptions.vocab != null ? TextExplanation.readVocabulary(methodOptions.vocab)
                : loaded.vocabulary();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("input", inputOptions.input.toString());
        extra.put("explained", Predictions.of(logits, explained, classNames));
        ExplanationJson.write(out.resolve("explanation.json"), a, extra);
        TextHeatmap.of(a.provenance().method() + " on " + a.provenance().modelName(),
                TextExplanation.examples(ids, vocabulary, classNames, logits, explained,
                        Map.of(a.provenance().method(), a.values()))).write(out, "tokens");
        summary(console, a, logits, logits.argmaxRows(), explained, false);
        console.println("  wrote " + out.resolve("tokens.html") + (MethodViews.rollout(method.name())
                ? ", " + out.resolve("rollout.npy") : ""));
    }

    private Backend backend() {
        return modelOptions.backend();
    }

    private Target target(int[] predicted, int batch) {
        if (targets == null || targets.length == 0) {
            return Target.perExample(predicted);
        }
        if (targets.length == 1) {
            return Target.classIndex(targets[0]);
        }
        Target t = Target.perExample(targets);
        t.validateBatch(batch);
        return t;
    }

    /** One heatmap per example, stacked top to bottom. */
    private BufferedImage heatmaps(Tensor x, Attribution a, Tensor values, Tensor logits, int[] explained,
            ImageOptions o) {
        HeatmapOptions h = HeatmapOptions.builder().optSign(MethodViews.sign(method.name())).build();
        List<BufferedImage> rows = new ArrayList<>();
        for (int i = 0; i < x.batch(); i++) {
            BufferedImage base = Images.toImage(x.row(i), o);
            String caption = String.format(Locale.ROOT, "%s - example %d, class %d (p=%.2f)",
                    a.provenance().method(), i, explained[i], Predictions.probability(logits, i, explained[i]));
            rows.add(Heatmap.render(values.row(i), base, h, caption));
        }
        return stack(rows);
    }

    private static BufferedImage stack(List<BufferedImage> rows) {
        int w = rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = rows.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            int y = 0;
            for (BufferedImage r : rows) {
                g.drawImage(r, 0, y, null);
                y += r.getHeight();
            }
        } finally {
            g.dispose();
        }
        return all;
    }

    private void summary(PrintWriter console, Attribution a, Tensor logits, int[] predicted, int[] explained,
            boolean heatmap) {
        var p = a.provenance();
        console.printf(Locale.ROOT, "%s on %s (%s), input %s%n", p.method(), p.modelName(), inputOptions.input,
                a.values().shape());
        if (verbose) {
            console.println("  method: " + (p.spec() == null ? p.method() : p.spec().toText()) + ", backend " + p.backend());
        }
        float[] delta = a.convergenceDelta().orElse(null);
        for (int i = 0; i < explained.length; i++) {
            console.printf(Locale.ROOT, "  example %d: target %d (p=%.3f), predicted %d (p=%.3f)%s%n", i, explained[i],
                    Predictions.probability(logits, i, explained[i]), predicted[i],
                    Predictions.probability(logits, i, predicted[i]),
                    delta == null ? "" : String.format(Locale.ROOT, ", delta %.3g", delta[i]));
        }
        console.printf(Locale.ROOT, "  time %.1f ms (model %.1f ms, %d calls)%n", p.timing().totalMillis(),
                p.timing().modelMillis(), p.timing().modelCalls());
        console.println("  wrote " + out.resolve("attributions.npy") + ", " + out.resolve("explanation.json")
                + (heatmap ? ", " + out.resolve("heatmap.png") : ""));
    }
}
