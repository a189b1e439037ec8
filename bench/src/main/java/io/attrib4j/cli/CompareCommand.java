package io.attrib4j.cli;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.export.HeatmapOptions;
import io.attrib4j.engine.export.Images;
import io.attrib4j.engine.export.Sheet;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.gradients.Upsample;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.Models;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code attrib4j compare}: several methods side by side on each image of the input, one PNG sheet per
 * example ({@code compare_<i>.png}): the image, then one heatmap per method, captioned with the
 * predicted class and its probability. Layer maps (Grad-CAM) are resized to the image first.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare attribution methods side by side on image inputs (one PNG sheet per example).")
final class CompareCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    InputOptions inputOptions;

    @Option(names = "--methods", required = true, split = ",", paramLabel = "M1,M2,...",
            description = "Methods to compare, names or specs, e.g. ig,gradcam,smoothgrad or 'ig(steps=8)',saliency.")
    List<String> methods;

    @Option(names = "--target", paramLabel = "T", description = "Output index for every example (default: predicted).")
    Integer target;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--upsample", defaultValue = "nearest", paramLabel = "nearest|bilinear",
            description = "How layer maps are resized to the image (default: ${DEFAULT-VALUE}, Captum's default).")
    String upsample;

    @Option(names = "--out", defaultValue = "attrib4j-compare", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        List<MethodSpec> choices = specs();
        Tensor x = inputOptions.read();
        if (!InputOptions.isImageLike(x)) {
            throw new InvalidInputException("compare draws heatmaps over images, but the input has shape " + x.shape()
                    + "; give an image or an .npy batch of shape [N, 1 or 3, H, W]");
        }
        Upsample resize = MethodViews.upsample(upsample);
        Backend b = modelOptions.backend();

        try (LoadedModel loaded = Models.load(modelOptions.spec(null))) {
            Tensor logits = loaded.model().forward(x);
            int[] predicted = logits.argmaxRows();
            Target t = target == null ? Target.perExample(predicted) : Target.classIndex(target);
            t.validate(logits.shape());
            List<Sheet.Panel>[] panels = panelLists(x.batch());
            for (MethodSpec c : choices) {
                Attribution a = Methods.create(c, b).attribute(loaded.model(), x, t);
                Tensor values = a.values().shape().equals(x.shape()) ? a.values() : resize.toInputSize(b, a.values(), x);
                HeatmapOptions h = HeatmapOptions.builder().optSign(MethodViews.sign(c.name())).build();
                for (int i = 0; i < x.batch(); i++) {
                    panels[i].add(new Sheet.Panel(a.provenance().method() + String.format(Locale.ROOT, " (%.0f ms)",
                            a.provenance().timing().totalMillis()), values.row(i), h));
                }
            }
            for (int i = 0; i < x.batch(); i++) {
                int cls = t.indexOf(i);
                String title = String.format(Locale.ROOT, "example %d - explaining %s (p=%.2f), predicted %s (p=%.2f)",
                        i, Predictions.label(loaded.classNames(), cls), Predictions.probability(logits, i, cls),
                        Predictions.label(loaded.classNames(), predicted[i]),
                        Predictions.probability(logits, i, predicted[i]));
                Path png = out.resolve(String.format(Locale.ROOT, "compare_%d.png", i));
                Images.writePng(Sheet.render(Images.toImage(x.row(i), inputOptions.imageOptions()), panels[i], title),
                        png);
                console.println("wrote " + png);
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Sheet.Panel>[] panelLists(int n) {
        List<Sheet.Panel>[] lists = new List[n];
        for (int i = 0; i < n; i++) {
            lists[i] = new ArrayList<>();
        }
        return lists;
    }

    /**
     * Each method with the flags it takes; a flag no chosen method takes is a mistake worth naming, and a
     * method is given only the flags it takes.
     */
    private List<MethodSpec> specs() {
        List<MethodSpec> parsed = new ArrayList<>();
        methods.forEach(m -> parsed.add(MethodSpec.parse(m.trim())));
        Map<String, Object> flags = methodOptions.given();
        for (String flag : flags.keySet()) {
            if (parsed.stream().noneMatch(c -> MethodOptions.takes(c.name(), flag))) {
                throw new InvalidOptionException(flag + " is not used by any of " + methods
                        + "; remove it or add a method that uses it");
            }
        }
        List<MethodSpec> specs = new ArrayList<>();
        for (MethodSpec c : parsed) {
            Map<String, Object> own = new LinkedHashMap<>();
            flags.forEach((flag, value) -> {
                if (MethodOptions.takes(c.name(), flag)) {
                    own.put(flag, value);
                }
            });
            specs.add(MethodOptions.toSpec(c, own));
        }
        return specs;
    }
}
