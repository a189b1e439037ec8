package io.attrib4j.models.zoo;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.GradientLock;
import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's transformer as both a {@link LayerModel} (cut at {@value MarkerTransformer#EMBEDDING}, by the
 * wrapped {@link DjlBlockModel}) and an {@link AttentionModel}: its encoder returns the attention
 * probabilities as a second output, and their gradients come from zero probes added to each layer's
 * attention (see {@link TransformerEncoder#run}). Every call runs in its own NDManager, closed on every path.
 */
public final class TextClassifier implements LayerModel, AttentionModel {
    private final Model model;
    private final DjlBlockModel blocks;
    private final TokenEmbedding embedding;
    private final TransformerEncoder encoder;

    TextClassifier(Model model, DjlBlockModel blocks, TokenEmbedding embedding, TransformerEncoder encoder) {
        this.model = model;
        this.blocks = blocks;
        this.embedding = embedding;
        this.encoder = encoder;
    }

    @Override
    public Tensor attention(Tensor ids) {
        checkIds(ids);
        try (NDManager call = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(call, false);
            NDArray x = embedding.forward(store, new NDList(toNd(call, ids)), false).head();
            return toTensor(encoder.run(store, x, null, false).get(1));
        }
    }

    @Override
    public AttentionGradients attentionGradients(Tensor ids, Target target) {
        checkIds(ids);
        target.validateBatch(ids.batch());
        return GradientLock.run(() -> {
            try (NDManager call = model.getNDManager().newSubManager();
                    GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                ParameterStore store = new ParameterStore(call, false);
                NDArray x = embedding.forward(store, new NDList(toNd(call, ids)), false).head();
                int seq = ids.shape().dim(1);
                List<NDArray> probes = new ArrayList<>();
                for (int l = 0; l < encoder.layers(); l++) {
                    NDArray p = call.zeros(new ai.djl.ndarray.types.Shape(ids.batch(), encoder.heads(), seq, seq));
                    p.setRequiresGradient(true);
                    probes.add(p);
                }
                NDList out = encoder.run(store, x, probes, false);
                Tensor logits = toTensor(out.get(0));
                collector.backward(out.get(0).mul(toNd(call, target.seed(logits))).sum());
                List<NDArray> grads = new ArrayList<>();
                for (NDArray p : probes) {
                    grads.add(p.getGradient());
                }
                return new AttentionGradients(logits, toTensor(out.get(1)),
                        toTensor(ai.djl.ndarray.NDArrays.stack(new NDList(grads))));
            }
        });
    }

    private static void checkIds(Tensor ids) {
        if (ids.dtype() != DType.INT64) {
            throw new InvalidInputException("the text classifier got a float input " + ids.shape()
                    + "; give token ids as an INT64 tensor [batch, seq] (Tensor.ofInt64, or an int64 .npy file)");
        }
    }

    @Override
    public List<String> layerNames() {
        return blocks.layerNames();
    }

    @Override
    public Tensor layerActivation(Tensor input, String layer) {
        return blocks.layerActivation(input, layer);
    }

    @Override
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        return blocks.gradientsFromLayer(layer, activation, target);
    }

    @Override
    public LayerGradients layerGradients(Tensor input, String layer, Target target) {
        return blocks.layerGradients(input, layer, target);
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        return blocks.gradients(input, target);
    }

    @Override
    public ModelInfo info() {
        return blocks.info();
    }

    @Override
    public Tensor forward(Tensor input) {
        return blocks.forward(input);
    }

    /** The zoo model is shared for the life of the JVM: closing does nothing. */
    @Override
    public void close() {
        blocks.close();
    }

    private static NDArray toNd(NDManager m, Tensor t) {
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(t.shape().toLongArray());
        return t.dtype() == DType.INT64 ? m.create(t.toLongArray(), s) : m.create(t.data(), s);
    }

    private static Tensor toTensor(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return Tensor.of(f.toFloatArray(), Shape.of(a.getShape().getShape()));
    }
}
