package io.attrib4j.models.formats;

import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.trees.TreeModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Tree ensembles and linear models: XGBoost JSON ({@code .json}) and UBJSON ({@code .ubj}), LightGBM text
 * ({@code .txt}), and ONNX-ML graphs ({@code .onnx} files whose operators are in the {@code ai.onnx.ml} domain:
 * TreeEnsembleClassifier/Regressor, LinearClassifier/Regressor, as sklearn exports them).
 */
public final class TreeFormat implements ModelFormat {
    private static final byte[] ML_DOMAIN = "ai.onnx.ml".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "trees";
    }

    @Override
    public String description() {
        return "XGBoost .json/.ubj, LightGBM .txt, ONNX-ML tree ensembles and linear models (TreeSHAP, Linear SHAP)";
    }

    @Override
    public int priority() {
        return 15;
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        if (spec.zooName().isPresent() || !Files.isRegularFile(spec.path())) {
            return false;
        }
        return spec.hasSuffix(".json") || spec.hasSuffix(".ubj") || spec.hasSuffix(".ubjson") || spec.hasSuffix(".txt")
                || spec.hasSuffix(".onnx") && mentionsMlDomain(spec);
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        Formats.requirePlainCpuModel(spec, "a tree or linear model", "tree models have no attention");
        return LoadedModel.of(TreeModels.load(spec.path()));
    }

    /** Whether the file names the ONNX-ML operator domain (its opset import does, in the first kilobytes). */
    private static boolean mentionsMlDomain(ModelSpec spec) {
        try (InputStream in = Files.newInputStream(spec.path())) {
            byte[] head = in.readNBytes(1 << 16);
            outer:
            for (int i = 0; i + ML_DOMAIN.length <= head.length; i++) {
                for (int j = 0; j < ML_DOMAIN.length; j++) {
                    if (head[i + j] != ML_DOMAIN[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false; // the ONNX format then reports the unreadable file
        }
    }
}
