package io.attrib4j.models.tf;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Writes a ReLU multilayer perceptron as a TensorFlow SavedModel, with TensorFlow Java alone (no Python):
 * {@code h_0 = input}, {@code h_l = relu(h_{l-1} · W_l^T + b_l)}, {@code logits = h_{k-1} · W_k^T + b_k}.
 * Weights come in PyTorch's {@code Linear} layout {@code [out, in]}, so a network trained in PyTorch (or
 * the oracle's {@code mlp}) exports unchanged; they are stored as graph Variables (restored from
 * {@code variables/} on load).
 *
 * <p>The graph: placeholder {@code input} {@code [-1, in]}; per layer {@code l = 1..k} operations
 * {@code matmul<l>}, {@code fc<l>} (the affine output) and, except after the last, {@code relu<l>}; the output
 * {@code logits}. Signature {@code serving_default}: input {@code input}, output {@code logits}. Used by
 * the tests and demos as a SavedModel fixture; {@link TensorFlowModel#load} reads it back.
 */
public final class DenseSavedModel {
    private DenseSavedModel() {}

    /**
     * Exports the network to {@code dir} (created; must not already hold a SavedModel).
     *
     * @param weights per layer, {@code [out, in]}; layer {@code l}'s {@code in} equals layer {@code l-1}'s {@code out}
     * @param biases per layer, {@code [out]}
     * @return {@code dir}
     */
    public static Path export(Path dir, List<Tensor> weights, List<Tensor> biases) {
        checkLayers(weights, biases);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            long in = weights.get(0).shape().dim(1);
            Operand<TFloat32> input = tf.withName("input").placeholder(TFloat32.class,
                    org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, in)));
            Operand<TFloat32> h = input;
            for (int l = 0; l < weights.size(); l++) {
                String n = Integer.toString(l + 1);
                Operand<TFloat32> w = tf.withName("w" + n).variable(constant(tf, weights.get(l)));
                Operand<TFloat32> b = tf.withName("b" + n).variable(constant(tf, biases.get(l)));
                h = tf.withName("fc" + n).math.add(tf.withName("matmul" + n).linalg.matMul(h, w, MatMul.transposeB(true)), b);
                if (l < weights.size() - 1) {
                    h = tf.withName("relu" + n).nn.relu(h);
                }
            }
            Operand<TFloat32> logits = tf.withName("logits").identity(h);
            try (Session session = new Session(graph)) {
                session.initialize();
                Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
                        .input("input", input).output("logits", logits).build();
                SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
            }
        } catch (IOException e) {
            throw new ModelLoadException("could not write the SavedModel to '" + dir + "': " + e.getMessage()
                    + "; check that the directory is writable", e);
        }
        return dir;
    }

    private static Operand<TFloat32> constant(Ops tf, Tensor t) {
        return tf.constant(Shape.of(t.shape().toLongArray()), DataBuffers.of(t.data(), true, false));
    }

    private static void checkLayers(List<Tensor> weights, List<Tensor> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new InvalidInputException("got " + weights.size() + " weight matrices and " + biases.size()
                    + " bias vectors; give one [out, in] weight and one [out] bias per layer (at least one layer)");
        }
        for (int l = 0; l < weights.size(); l++) {
            Tensor w = weights.get(l);
            Tensor b = biases.get(l);
            boolean chained = l == 0 || w.shape().rank() != 2 || w.shape().dim(1) == weights.get(l - 1).shape().dim(0);
            if (w.shape().rank() != 2 || b.shape().rank() != 1 || b.shape().dim(0) != w.shape().dim(0) || !chained) {
                throw new InvalidInputException("layer " + (l + 1) + " has weight " + w.shape() + " and bias " + b.shape()
                        + "; each weight must be [out, in] with in = the previous layer's out, and its bias [out]");
            }
        }
    }
}
