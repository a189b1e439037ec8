package io.attrib4j.cli;

import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.Zoo;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --model} names: a built-in zoo model ({@code zoo:patch}, {@code zoo:resnet18}) or a
 * TorchScript file.
 */
final class ModelLoader {
    private ModelLoader() {}

    /** A loaded model with its class names, when it has them. */
    record Loaded(ForwardModel model, List<String> classNames) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    static Loaded load(String spec) {
        if (spec.startsWith("zoo:")) {
            return zoo(spec.substring(4));
        }
        return new Loaded(TorchScriptModel.load(Path.of(spec)), null);
    }

    private static Loaded zoo(String name) {
        switch (name) {
            case "patch": {
                PatchModel p = Zoo.patchClassifier();
                return new Loaded(p.model(), p.classNames());
            }
            case "resnet18":
                return new Loaded(Zoo.resnet18(1000, 224, 42L), null);
            default:
                throw new io.attrib4j.engine.ModelLoadException("unknown zoo model '" + name
                        + "'; built-in models are zoo:patch (3x32x32 colour-square classifier, trained in-process) and "
                        + "zoo:resnet18 (ResNet-18, 3x224x224, random seeded weights)");
        }
    }
}
