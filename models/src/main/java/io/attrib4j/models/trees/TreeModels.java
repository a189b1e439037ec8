package io.attrib4j.models.trees;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.ModelSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a tree-ensemble or linear model file, detecting its format from the content: XGBoost JSON
 * ({@code {"learner": ...}}), XGBoost UBJSON ({@code {L...}} or {@code {i...}}), LightGBM text ({@code tree} /
 * {@code version=v3} on its first lines), otherwise ONNX-ML ({@code TreeEnsemble*}, {@code Linear*}). The result is
 * a {@link TreeEnsembleModel} or a {@link LinearModel}, whose {@code info()} carries the SHA-256 of the file.
 * Unsupported objectives, versions and operators are refused with a {@link ModelLoadException} or
 * {@link io.attrib4j.engine.UnsupportedModelException} naming them.
 */
public final class TreeModels {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private TreeModels() {}

    /** The model in {@code path} (format detected from the content). */
    public static ForwardModel load(Path path) {
        byte[] bytes = read(path);
        String name = path.getFileName().toString();
        String hash = io.attrib4j.engine.ContentHash.sha256Hex(bytes);
        Format format = detect(bytes);
        Object model = switch (format) {
            case XGBOOST_JSON -> XgboostReader.read(json(bytes, name), name);
            case XGBOOST_UBJSON -> XgboostReader.read(Ubjson.parse(bytes, name), name);
            case LIGHTGBM -> LightGbmReader.read(new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n"),
                    name);
            case ONNX -> OnnxMlReader.read(bytes, name);
        };
        if (model instanceof Forest f) {
            return TreeEnsembleModel.of(f, name, format.id, hash);
        }
        return LinearModel.of((LinearModel.Weights) model, name, format.id, hash);
    }

    /** The formats {@link #load} reads, with the name recorded in {@code ModelInfo.format()}. */
    public enum Format {
        XGBOOST_JSON("xgboost-json"),
        XGBOOST_UBJSON("xgboost-ubjson"),
        LIGHTGBM("lightgbm"),
        ONNX("onnx-ml");

        /** The format's name in provenance. */
        public final String id;

        Format(String id) {
            this.id = id;
        }
    }

    /** The format of a model file's content. */
    public static Format detect(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        if (i < bytes.length && bytes[i] == '{') {
            int j = i + 1;
            if (j < bytes.length && "iUIlL$#".indexOf(bytes[j]) >= 0) {
                return Format.XGBOOST_UBJSON;
            }
            return Format.XGBOOST_JSON;
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.ISO_8859_1);
        if (head.startsWith("tree\n") || head.startsWith("tree\r\n") || head.startsWith("version=v")) {
            return Format.LIGHTGBM;
        }
        return Format.ONNX;
    }

    /** Rejects an input that is not {@code [rows, features]}, saying both widths. */
    static void checkWidth(Tensor input, int features, String model) {
        if (input.shape().rank() != 2 || input.shape().dim(1) != features) {
            throw new InvalidInputException("input has shape " + input.shape() + " but model '" + model + "' reads "
                    + features + " features per row: give a [rows, " + features + "] batch");
        }
    }

    private static Map<?, ?> json(byte[] bytes, String name) {
        try {
            return JSON.readValue(bytes, Map.class);
        } catch (IOException e) {
            throw new ModelLoadException("'" + name + "' is not readable XGBoost JSON: "
                    + ModelSupport.firstLine(e.getMessage()) + "; save the booster with save_model(\"model.json\")", e);
        }
    }

    private static byte[] read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelLoadException("model file '" + path + "' does not exist or is a directory; give the "
                    + "model file itself (XGBoost .json/.ubj, LightGBM .txt, ONNX-ML .onnx)");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ModelLoadException("could not read model file '" + path + "': " + e.getMessage(), e);
        }
    }
}
