package io.attrib4j.models.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-attention encoder layers and a classifier on the first ([CLS]) position, written with NDArray
 * operations so the attention probabilities are an output: input embeddings {@code [batch, seq, dim]},
 * outputs {@code [logits [batch, classes], attention [layers, batch, heads, seq, seq]]}.
 *
 * <p>Per layer: {@code A = softmax(Q K^T / sqrt(d_head))} per head, {@code h = x + (A V) W_o},
 * {@code x' = h + relu(h W_1) W_2} (no layer norm: the toy task does not need it). Logits are
 * {@code x_L[:, 0, :] W_c + b_c}.
 *
 * <p>{@link #run} optionally adds a zero "probe" to each layer's attention before it is used; the gradient
 * of the output with respect to a probe is the gradient with respect to that attention (Chefer et al.'s
 * hook, without hooks).
 */
final class TransformerEncoder extends AbstractBlock {
    private final int layers;
    private final int heads;
    private final int dim;
    private final int classes;
    private final List<Parameter[]> weights = new ArrayList<>(); // per layer: q, k, v, o, ff1, ff2
    private final Parameter classifier;
    private final Parameter classifierBias;

    TransformerEncoder(int layers, int heads, int dim, int hidden, int classes) {
        this.layers = layers;
        this.heads = heads;
        this.dim = dim;
        this.classes = classes;
        String[] names = {"q", "k", "v", "o", "ff1", "ff2"};
        Shape[] shapes = {new Shape(dim, dim), new Shape(dim, dim), new Shape(dim, dim), new Shape(dim, dim),
                new Shape(dim, hidden), new Shape(hidden, dim)};
        for (int l = 0; l < layers; l++) {
            Parameter[] p = new Parameter[names.length];
            for (int i = 0; i < names.length; i++) {
                p[i] = addParameter(Parameter.builder().setName("layer" + l + "." + names[i])
                        .setType(Parameter.Type.WEIGHT).optShape(shapes[i]).build());
            }
            weights.add(p);
        }
        classifier = addParameter(Parameter.builder().setName("classifier").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(dim, classes)).build());
        classifierBias = addParameter(Parameter.builder().setName("classifier.bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes)).build());
    }

    int layers() {
        return layers;
    }

    int heads() {
        return heads;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return run(store, inputs.head(), null, training);
    }

    /**
     * The forward pass; with {@code probes} (one {@code [batch, heads, seq, seq]} array per layer, zeros)
     * each layer uses {@code A + probe} in place of {@code A}.
     *
     * @return logits and the stacked attention probabilities (without the probes)
     */
    NDList run(ParameterStore store, NDArray x, List<NDArray> probes, boolean training) {
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        int dHead = dim / heads;
        List<NDArray> attentions = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            NDArray[] w = new NDArray[6];
            for (int i = 0; i < 6; i++) {
                w[i] = store.getValue(weights.get(l)[i], x.getDevice(), training);
            }
            NDArray q = splitHeads(x.matMul(w[0]), batch, seq, dHead);
            NDArray k = splitHeads(x.matMul(w[1]), batch, seq, dHead);
            NDArray v = splitHeads(x.matMul(w[2]), batch, seq, dHead);
            NDArray a = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(dHead)).softmax(-1);
            attentions.add(a);
            NDArray used = probes == null ? a : a.add(probes.get(l));
            NDArray context = used.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, dim);
            NDArray h = x.add(context.matMul(w[3]));
            x = h.add(ai.djl.nn.Activation.relu(h.matMul(w[4])).matMul(w[5]));
        }
        NDArray cls = x.get(":, 0, :");
        NDArray logits = cls.matMul(store.getValue(classifier, x.getDevice(), training))
                .add(store.getValue(classifierBias, x.getDevice(), training));
        return new NDList(logits, NDArrays.stack(new NDList(attentions)));
    }

    private NDArray splitHeads(NDArray m, long batch, long seq, int dHead) {
        return m.reshape(batch, seq, heads, dHead).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), classes), new Shape(layers, in.get(0), heads, in.get(1), in.get(1))};
    }
}
