package io.attrib4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The acceptance comparison of issue 23 (slow, not part of CI): for every model exported by
 * {@code models/src/test/resources/onnx-coverage/export_models.py}, Saliency and Integrated Gradients through
 * the {@code .onnx} file ({@link OnnxModel}) against the same method through the TorchScript trace of the same
 * model ({@link TorchScriptModel}), to 1e-4 of the largest TorchScript attribution. Both run float32 kernels of
 * the same libtorch; 1e-4 leaves room for the different summation orders of deep graphs. Run with
 * <pre>
 * nice /usr/bin/python3 models/src/test/resources/onnx-coverage/export_models.py /tmp/onnx-coverage
 * nice mvn -B -ntp -o -pl bench -am test -Dtest=OnnxCoverageComparisonTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dattrib4j.onnxCoverage=/tmp/onnx-coverage [-Dattrib4j.onnxCoverage.opsets=11,13,17] [-Dattrib4j.onnxCoverage.models=a,b]
 * </pre>
 * It prints one line per model and opset: the operators, the relative differences, and the verdict.
 */
@EnabledIfSystemProperty(named = "attrib4j.onnxCoverage", matches = ".+")
class OnnxCoverageComparisonTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void onnxGradientsEqualTorchScriptGradients() throws IOException {
        Path dir = Path.of(System.getProperty("attrib4j.onnxCoverage"));
        List<String> opsets = List.of(System.getProperty("attrib4j.onnxCoverage.opsets", "13").split(","));
        String only = System.getProperty("attrib4j.onnxCoverage.models", "");
        ObjectMapper json = new ObjectMapper();
        JsonNode listing = json.readTree(dir.resolve("operators.json").toFile());
        List<String> failures = new ArrayList<>();
        System.out.println("| model | opset | operators | Saliency rel. diff | IG rel. diff | result |");
        System.out.println("|---|---|---|---|---|---|");
        for (Iterator<Map.Entry<String, JsonNode>> it = listing.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (!only.isEmpty() && !List.of(only.split(",")).contains(name)) {
                continue;
            }
            JsonNode meta = json.readTree(dir.resolve(name + ".json").toFile());
            Tensor x = input(meta);
            for (String opset : opsets) {
                JsonNode ops = e.getValue().get(opset);
                String row = compare(dir, name, opset, x);
                String operators = ops == null ? "-" : ops.isArray() ? String.join(" ", strings(ops)) : ops.asText();
                System.out.println("| " + name + " | " + opset + " | " + operators + " | " + row + " |");
                System.out.flush();
                if (!row.contains("| equal")) {
                    failures.add(name + " opset " + opset + ": " + row);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static String compare(Path dir, String name, String opset, Tensor x) {
        Path onnx = dir.resolve(name + "_op" + opset + ".onnx");
        if (!Files.exists(onnx)) {
            return "- | - | export failed";
        }
        try (ForwardModel torch = TorchScriptModel.load(dir.resolve(name + ".pt"));
                ForwardModel ours = OnnxModel.load(onnx)) {
            Target target = Target.perExample(argmax(torch.forward(x)));
            Tensor torchSaliency = Saliency.withDefaults().attribute(torch, x, target).values();
            double saliency = relative(torchSaliency, Saliency.withDefaults().attribute(ours, x, target).values());
            IntegratedGradients ig = IntegratedGradients.builder().optSteps(8).build();
            double integrated = relative(ig.attribute(torch, x, target).values(), ig.attribute(ours, x, target).values());
            if (torchSaliency.maxAbs() == 0) {
                return "- | - | vacuous: every TorchScript gradient is 0";
            }
            boolean equal = saliency <= TOLERANCE && integrated <= TOLERANCE;
            return String.format("%.1e | %.1e | %s (max saliency %.1e)", saliency, integrated,
                    equal ? "equal" : "DIFFERENT", torchSaliency.maxAbs());
        } catch (AttributionException ex) {
            return "- | - | " + ex.getClass().getSimpleName() + ": " + ex.getMessage().lines().findFirst().orElse("");
        }
    }

    /** max |a - b| / max |a|. */
    private static double relative(Tensor reference, Tensor got) {
        float[] a = reference.data();
        float[] b = got.data();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / Math.max(1e-12, reference.maxAbs());
    }

    private static int argmax(Tensor logits) {
        float[] v = logits.data();
        int best = 0;
        for (int i = 1; i < logits.rowSize(); i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    private static Tensor input(JsonNode meta) {
        JsonNode s = meta.get("shape");
        int[] dims = new int[s.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = s.get(i).asInt();
        }
        JsonNode v = meta.get("input");
        float[] data = new float[v.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) v.get(i).asDouble();
        }
        return Tensor.of(data, Shape.of(dims));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
