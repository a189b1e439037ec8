package io.attrib4j.engine.model;

import io.attrib4j.engine.Shape;
import java.util.Optional;

/**
 * What a model is, for provenance and for early shape checks.
 *
 * @param name a display name (the file name, or the zoo name)
 * @param format the format or engine ("torchscript", "djl-block", "onnx", ...)
 * @param contentHash SHA-256 of the model's bytes (file or parameters), hex: two runs with the same
 *     hash used the same model
 * @param exampleShape the shape of one example without the batch dimension, when known; methods then
 *     check inputs against it before calling the model
 */
public record ModelInfo(String name, String format, String contentHash, Optional<Shape> exampleShape) {

    public ModelInfo {
        if (name == null || format == null || contentHash == null || exampleShape == null) {
            throw new IllegalArgumentException("ModelInfo fields must not be null");
        }
    }

    public static ModelInfo of(String name, String format, String contentHash) {
        return new ModelInfo(name, format, contentHash, Optional.empty());
    }

    public ModelInfo withExampleShape(Shape shape) {
        return new ModelInfo(name, format, contentHash, Optional.of(shape));
    }
}
