package io.attrib4j.recourse;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.models.TorchScriptModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixture of {@code src/test/resources/breast-cancer/} (written by its {@code make_fixture.py}): a 30-16-2 ReLU
 * MLP trained with PyTorch on sklearn's standardised breast-cancer data (test accuracy 0.958), and its rows.
 */
final class BreastCancer {
    static final List<String> CLASSES = List.of("malignant", "benign");

    private BreastCancer() {}

    static Path file(String name) {
        try {
            return Path.of(BreastCancer.class.getResource("/breast-cancer/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TorchScriptModel model() {
        return TorchScriptModel.load(file("mlp.pt"));
    }

    static Tensor train() {
        return Npy.read(file("train_x.npy"));
    }

    static Tensor test() {
        return Npy.read(file("test_x.npy"));
    }

    static List<String> names() {
        try {
            return Files.readAllLines(file("features.txt")).stream().filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FeatureSpace space() {
        return FeatureSpace.of(train(), names()).withClassNames(CLASSES);
    }

    /** The model seen without its gradients: only {@code forward}, as a forward-only ONNX Runtime model would be. */
    static ForwardModel forwardOnly(ForwardModel m) {
        return new ForwardModel() {
            @Override
            public ModelInfo info() {
                return m.info();
            }

            @Override
            public Tensor forward(Tensor input) {
                return m.forward(input);
            }

            @Override
            public void close() {}
        };
    }
}
