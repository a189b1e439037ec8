package io.attrib4j.models;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.List;

/**
 * Picks the attention probabilities out of a model's outputs: output {@code k} is either one tensor
 * {@code [layers, batch, heads, seq, seq]}, or the first of one {@code [batch, heads, seq, seq]} tensor
 * per layer (a tuple or list of layers, which the engine flattens into consecutive outputs {@code k,
 * k+1, …} up to the end), stacked here into the one-tensor layout.
 */
public final class AttentionOutputs {
    private AttentionOutputs() {}

    /**
     * @param outputs every output of one forward pass, flattened
     * @param k index of the (first) attention output, named by the user
     * @param model the model's name, for messages
     * @return attention {@code [layers, batch, heads, seq, seq]}
     * @throws InvalidOptionException if {@code k} is out of range
     * @throws InvalidInputException if the outputs are not attention maps or have inconsistent shapes
     */
    public static Tensor select(List<Tensor> outputs, int k, String model) {
        if (k < 0 || k >= outputs.size()) {
            throw new InvalidOptionException("attention output " + k + " is out of range: model '" + model + "' has "
                    + outputs.size() + " output" + (outputs.size() == 1 ? "" : "s") + " (0 to " + (outputs.size() - 1)
                    + "); name the output that holds the attention probabilities with --attention-output K, and "
                    + "make the model return them (e.g. return logits, attentions)");
        }
        Tensor first = outputs.get(k);
        int rank = first.shape().rank();
        if (rank == 5) {
            return first;
        }
        if (rank != 4) {
            throw new InvalidInputException("output " + k + " of model '" + model + "' has shape " + first.shape()
                    + ", which is not attention: expected [layers, batch, heads, seq, seq], or one [batch, heads, seq, "
                    + "seq] tensor per layer; check --attention-output");
        }
        Shape layer = first.shape();
        List<Tensor> layers = outputs.subList(k, outputs.size());
        float[] data = new float[layer.size() * layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Tensor t = layers.get(l);
            if (!t.shape().equals(layer)) {
                throw new InvalidInputException("attention outputs of model '" + model + "' have inconsistent shapes: "
                        + "output " + (k + l) + " is " + t.shape() + " but output " + k + " is " + layer + "; every "
                        + "layer's attention must be [batch, heads, seq, seq] with the same sizes, and the attention "
                        + "outputs must come last");
            }
            System.arraycopy(t.data(), 0, data, l * layer.size(), layer.size());
        }
        return Tensor.of(data, layer.prependBatch(layers.size()));
    }
}
