package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.List;

/** What the layer methods share: reaching the model's layer seam and choosing the layer. */
final class LayerPass {
    private LayerPass() {}

    /** Validates input and target and returns the model's layer view (or a typed error). */
    static LayerModel validate(ForwardModel model, Tensor input, Target target, String method) {
        MethodRun.validate(model, input, target);
        return model.capability(LayerModel.class).orElseThrow(() -> new UnsupportedModelException(method
                + " needs a model that can be split at a layer, but model '" + model.info().name() + "' ("
                + model.info().format() + ") cannot; load it as a DJL Block, as two TorchScript files (features and "
                + "head) or as a TorchScript module exporting features(x) and head(a)"));
    }

    /** Rejects a blank layer name at build time ({@code null} means: the model's only layer). */
    static String checkName(String layer) {
        if (layer != null && layer.isBlank()) {
            throw new InvalidOptionException("layer name is blank; give a name from the model's layerNames(), or "
                    + "leave it unset for a model split in two files");
        }
        return layer;
    }

    /**
     * The layer to use: the one asked for, or, when none was, the model's only layer (a model split in
     * two files). The model checks the name itself when it is used.
     */
    static String layer(LayerModel model, String asked, String method) {
        if (asked != null) {
            return asked;
        }
        List<String> names = model.layerNames();
        if (names.size() == 1) {
            return names.get(0);
        }
        throw new InvalidOptionException(method + " needs a layer: model '" + model.info().name() + "' has "
                + (names.isEmpty() ? "no named layers" : "layers " + names) + "; choose one with optLayer(name) (--layer NAME on the command line)");
    }

    /**
     * The rest of the model after {@code layer} as a {@link GradientModel} whose input is the layer's
     * activation, so input-gradient code (Integrated Gradients' quadrature) runs at the layer and its
     * model calls are counted by the {@link MethodRun}.
     */
    static GradientModel fromLayer(LayerModel model, String layer) {
        ModelInfo base = model.info();
        ModelInfo info = ModelInfo.of(base.name() + " after " + layer, base.format(), base.contentHash());
        return new GradientModel() {
            @Override
            public ModelGradients gradients(Tensor activation, Target target) {
                return model.gradientsFromLayer(layer, activation, target);
            }

            @Override
            public ModelInfo info() {
                return info;
            }

            /** The head's output (one pass with a zero seed: the seam has no forward-only call from a layer). */
            @Override
            public Tensor forward(Tensor activation) {
                return model.gradientsFromLayer(layer, activation, Target.of(ZERO)).output();
            }

            @Override
            public void close() {
                // a view: the model belongs to the caller
            }
        };
    }

    private static final Target.OutputScalar ZERO = new Target.OutputScalar() {
        @Override
        public float value(float[] out) {
            return 0f;
        }

        @Override
        public void gradient(float[] out, float[] grad) {
            java.util.Arrays.fill(grad, 0f);
        }
    };
}
