package io.attrib4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript model whose forward returns its attention probabilities as extra outputs, e.g.
 * {@code return logits, attentions}: output {@code k} (named by the user) holds them, as laid out in
 * {@link AttentionOutputs}. Output 0 stays the logits.
 *
 * <p>Gradient-weighted rollout needs the gradient with respect to the attention, an intermediate
 * tensor that TorchScript does not expose; {@link #attentionGradients} therefore says so. Use attention
 * rollout with such a model, or build it from DJL blocks (as the zoo's transformer is).
 */
public final class TorchScriptAttentionModel implements AttentionModel {
    private final TorchScriptModel model;
    private final int attentionOutput;

    private TorchScriptAttentionModel(TorchScriptModel model, int attentionOutput) {
        this.model = model;
        this.attentionOutput = attentionOutput;
    }

    /** Views {@code model} as an attention model whose output {@code k} holds the attention (takes ownership). */
    public static TorchScriptAttentionModel of(TorchScriptModel model, int k) {
        return new TorchScriptAttentionModel(model, k);
    }

    @Override
    public Tensor attention(Tensor input) {
        try (NDManager call = model.djlModel().getNDManager().newSubManager()) {
            NDList out;
            try {
                out = model.run(new NDList(DjlModel.toNd(call, input)), false);
            } catch (RuntimeException e) {
                throw new ModelExecutionException("model '" + model.info().name() + "' failed on input " + input.shape()
                        + ": " + ModelSupport.firstLine(e.getMessage()) + "; check the token ids' shape, dtype and range", e);
            }
            List<Tensor> outputs = new ArrayList<>();
            for (NDArray a : out) {
                outputs.add(DjlModel.toTensor(a));
            }
            return AttentionOutputs.select(outputs, attentionOutput, model.info().name());
        }
    }

    @Override
    public AttentionGradients attentionGradients(Tensor input, Target target) {
        throw new UnsupportedModelException("model '" + model.info().name() + "' is TorchScript, which does not expose "
                + "the gradient with respect to its attention (an intermediate tensor); use --method rollout (no "
                + "gradients needed) or ig-embeddings, or a DJL-block transformer for grad-rollout");
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
