package io.attrib4j.models;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.MultiOutput;
import java.util.Optional;

/**
 * A model whose forward returns its attention probabilities as extra outputs ({@code return logits,
 * attentions}), viewed as an {@link AttentionModel}: output {@code k}, named by the user, holds them as laid out
 * in {@link AttentionOutputs}; output 0 stays the logits. Works for any model with {@link MultiOutput}: a
 * TorchScript file and an ONNX graph alike. Every other capability of the model (gradients, layers) is
 * forwarded.
 *
 * <p>Gradient-weighted rollout needs the gradient with respect to the attention, an intermediate tensor that
 * such outputs do not give; {@link #attentionGradients} therefore says so. Use attention rollout with such a
 * model, or build it from DJL blocks (as the zoo's transformer is).
 */
public final class OutputAttentionModel implements AttentionModel {
    private final ForwardModel model;
    private final MultiOutput outputs;
    private final int attentionOutput;

    private OutputAttentionModel(ForwardModel model, MultiOutput outputs, int attentionOutput) {
        this.model = model;
        this.outputs = outputs;
        this.attentionOutput = attentionOutput;
    }

    /**
     * Views {@code model} as an attention model whose output {@code k} holds the attention (takes ownership).
     *
     * @throws UnsupportedModelException when the model cannot return more than one output
     */
    public static OutputAttentionModel of(ForwardModel model, int k) {
        MultiOutput outputs = model.capability(MultiOutput.class).orElseThrow(() -> new UnsupportedModelException(
                "model '" + model.info().name() + "' (" + model.info().format() + ") returns one output only, so it "
                        + "cannot hand out its attention with --attention-output; use a TorchScript or ONNX model "
                        + "that returns the attention probabilities as an extra output"));
        return new OutputAttentionModel(model, outputs, k);
    }

    @Override
    public Tensor attention(Tensor input) {
        return AttentionOutputs.select(outputs.outputs(input), attentionOutput, model.info().name());
    }

    @Override
    public AttentionGradients attentionGradients(Tensor input, Target target) {
        throw new UnsupportedModelException("model '" + model.info().name() + "' hands out its attention as an output, "
                + "which does not give the gradient with respect to the attention (an intermediate tensor); use --method "
                + "rollout (no gradients needed) or ig-embeddings, or a DJL-block transformer for grad-rollout");
    }

    @Override
    public <C> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : model.capability(type);
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public Tensor forward(Tensor input) {
        return model.forward(input);
    }

    @Override
    public void close() {
        model.close();
    }
}
