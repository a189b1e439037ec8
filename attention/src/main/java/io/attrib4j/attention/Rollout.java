package io.attrib4j.attention;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;

/**
 * The host-side pieces of every rollout, beside the backend's map operations ({@code fuseHeads},
 * {@code positiveGradientMean}, {@code mixResidual}, {@code chainProduct}): the identity block, the check
 * that every mixed row could be normalized, and pooling a rollout into one relevance per token (each a
 * single pass over {@code [maps, seq, seq]} floats); the attention capability of a model; and what the
 * provenance of a rollout of maps given directly names as its model and target.
 */
final class Rollout {
    /** The target of a class-agnostic rollout, as its provenance records it. */
    static final Target CLASS_AGNOSTIC = described("none (class-agnostic)");
    /** The target of a gradient-weighted rollout of given maps, as its provenance records it. */
    static final Target FROM_GRADIENTS = described("given by the attention gradients");

    /** What the provenance of a rollout of attention maps given directly names as its model; it never runs. */
    static final ForwardModel GIVEN_MAPS = new ForwardModel() {
        private final ModelInfo info = ModelInfo.of("attention maps", "attention", "none");

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("attention maps given directly are not a model to run");
        }

        @Override
        public void close() {}
    };

    private Rollout() {}

    /** The model's attention capability, or a typed error naming {@code method} and what to load instead. */
    static AttentionModel requireAttention(ForwardModel model, String method) {
        return model.capability(AttentionModel.class).orElseThrow(() -> new UnsupportedModelException(method
                + " needs the attention of model '" + model.info().name() + "', which does not expose it; rollouts "
                + "need a model with attention outputs: a TorchScript model returning its attention probabilities "
                + "as an extra output (CLI: --attention-output K), or a DJL-block transformer such as "
                + "zoo:transformer"));
    }

    /** A target that only describes itself: rollouts of given maps select no output. */
    private static Target described(String description) {
        return Target.of(new Target.OutputScalar() {
            @Override
            public float value(float[] out) {
                throw new UnsupportedOperationException(description);
            }

            @Override
            public void gradient(float[] out, float[] grad) {
                throw new UnsupportedOperationException(description);
            }

            @Override
            public String describe() {
                return description;
            }
        });
    }

    /** {@code maps} identity maps, {@code [maps, seq, seq]}. */
    static Tensor identities(int maps, int seq) {
        float[] d = new float[maps * seq * seq];
        for (int m = 0; m < maps; m++) {
            for (int i = 0; i < seq; i++) {
                d[(m * seq + i) * seq + i] = 1;
            }
        }
        return Tensor.of(d, Shape.of(maps, seq, seq));
    }

    /**
     * Rejects the first row that {@code mixResidual} could not normalize (its sum was 0, so it came back
     * NaN).
     *
     * @param mixed {@code [layers * batch, seq, seq]}, layer-major
     */
    static void requireNormalized(Tensor mixed, int batch) {
        int seq = mixed.shape().dim(1);
        float[] d = mixed.data();
        for (int k = 0; k < d.length; k++) {
            if (Float.isNaN(d[k])) {
                int m = k / (seq * seq);
                int i = k / seq % seq;
                throw new InvalidInputException("row " + i + " of the fused attention of layer " + m / batch
                        + ", example " + m % batch + " sums to 0 and cannot be normalized; use a residual weight"
                        + " above 0, MEAN or MAX head fusion, or a smaller discard ratio");
            }
        }
    }

    /** One relevance per token from a {@code [batch, seq, seq]} rollout block: {@code [batch, seq]}. */
    static float[] tokenRelevance(float[] rollout, int batch, int seq, TokenPooling pooling) {
        float[] out = new float[batch * seq];
        for (int b = 0; b < batch; b++) {
            int base = b * seq * seq;
            for (int j = 0; j < seq; j++) {
                double v;
                if (pooling == TokenPooling.CLS) {
                    v = rollout[base + j];
                } else {
                    double s = 0;
                    for (int i = 0; i < seq; i++) {
                        s += rollout[base + i * seq + j];
                    }
                    v = s / seq;
                }
                out[b * seq + j] = (float) v;
            }
        }
        return out;
    }
}
