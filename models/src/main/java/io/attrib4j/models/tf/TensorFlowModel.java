package io.attrib4j.models.tf;

import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow SavedModel run by TensorFlow Java ({@code tensorflow-core-api}, TensorFlow 2.18) on the
 * CPU, with input and layer gradients computed in graph mode.
 *
 * <p><b>Route.</b> {@link SavedModelBundle} loads the model's MetaGraph (tag {@code serve}) into a
 * {@link Graph} and a {@link Session}; the chosen signature ({@code serving_default} unless told
 * otherwise) names one float input tensor and one float output tensor. For the gradient the graph is
 * extended once per differentiated tensor {@code z} (the input, or a layer) with
 * {@code Graph.addGradients(output, z, dy = seed)}: the symbolic vector-Jacobian product
 * {@code seed · ∂output/∂z}, which equals {@code ∂ sum(seed ⊙ output) / ∂z}. The seed is a second
 * placeholder, so one gradient graph serves every {@link Target}: a call runs the forward pass, computes
 * {@code target.seed(output)} in Java, then runs the gradient ops with the input and the seed fed. Row
 * {@code i} of the result is d scalar_i / d input_i because each row's scalar depends only on its own row.
 *
 * <p><b>Which SavedModels give gradients.</b> {@code addGradients} uses TensorFlow's C++ gradient
 * registry, which covers the ordinary graph ops (MatMul, Conv2D, BiasAdd, Relu, Sigmoid, Tanh, Softmax,
 * pooling, Reshape, ...). SavedModels exported by TensorFlow Java (and TF1-style graphs) keep their ops
 * in the MetaGraph and work. A Python TF2 {@code tf.saved_model.save} model instead wraps its body in a
 * {@code StatefulPartitionedCall} to a library function, whose gradient the C++ registry may lack; such
 * a model still loads and runs forward, and {@link #gradients} then throws an
 * {@link UnsupportedModelException} naming TensorFlow's reason.
 *
 * <p><b>Layers.</b> A layer is output 0 of a named graph operation that lies between the input and the
 * output ({@link #layerNames()}, in graph order). Its activation is fetched; the rest of the model is run
 * from given activations by feeding that tensor in place of its computed value.
 *
 * <p>Every TensorFlow tensor is released with try-with-resources on every path. Calls may come from
 * several threads (TensorFlow sessions are thread-safe; graph extension is synchronized).
 */
public final class TensorFlowModel implements LayerModel {
    /** The format string of {@link ModelInfo#format()}. */
    public static final String FORMAT = "tensorflow-savedmodel";
    /** The signature key used when none is given. */
    public static final String DEFAULT_SIGNATURE = Signature.DEFAULT_KEY;

    private final SavedModelBundle bundle;
    private final Graph graph;
    private final Session session;
    private final Output<TFloat32> input;
    private final Output<TFloat32> output;
    private final org.tensorflow.ndarray.Shape inputShape;
    private final List<String> layerNames;
    private final ModelInfo info;
    /** Seed placeholder (same shape as the output) and one gradient op per differentiated tensor. */
    private Output<TFloat32> seed;
    private final Map<String, Output<TFloat32>> gradientOps = new HashMap<>();

    private TensorFlowModel(SavedModelBundle bundle, Output<TFloat32> input, Output<TFloat32> output, ModelInfo info) {
        this.bundle = bundle;
        this.graph = bundle.graph();
        this.session = bundle.session();
        this.input = input;
        this.output = output;
        this.inputShape = input.shape();
        this.layerNames = List.copyOf(operationsBetween(input, output));
        this.info = info;
    }

    /** Loads the SavedModel in {@code savedModelDir} and explains its {@code serving_default} signature. */
    public static TensorFlowModel load(Path savedModelDir) {
        return load(savedModelDir, DEFAULT_SIGNATURE);
    }

    /**
     * Loads a SavedModel (tag {@code serve}).
     *
     * @param savedModelDir the directory holding {@code saved_model.pb} and {@code variables/}
     * @param signatureKey the signature to explain; it must have one float input and one float output
     * @throws ModelLoadException if the directory is missing, is not a SavedModel, lacks the signature,
     *     or the signature is not one float tensor in and one float tensor out
     */
    public static TensorFlowModel load(Path savedModelDir, String signatureKey) {
        Path dir = savedModelDir.toAbsolutePath();
        checkSavedModelDir(dir);
        String hash = SavedModelHash.of(dir);
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        } catch (TensorFlowException | IllegalArgumentException e) {
            throw new ModelLoadException("TensorFlow could not load the SavedModel in '" + dir + "': "
                    + io.attrib4j.models.ModelSupport.firstLine(e.getMessage()) + "; export it with the tag '" + SavedModelBundle.DEFAULT_TAG
                    + "' (tf.saved_model.save or SavedModelBundle.exporter)", e);
        }
        try {
            Signature signature = signature(bundle, signatureKey, dir);
            Output<TFloat32> in = floatTensor(bundle.graph(), single(signature.getInputs(), "input", signature, dir), dir);
            Output<TFloat32> out = floatTensor(bundle.graph(), single(signature.getOutputs(), "output", signature, dir), dir);
            ModelInfo info = ModelInfo.of(dir.getFileName().toString(), FORMAT, hash);
            Shape example = exampleShape(in.shape());
            return new TensorFlowModel(bundle, in, out, example == null ? info : info.withExampleShape(example));
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return run(input, x, output);
    }

    @Override
    public ModelGradients gradients(Tensor x, Target target) {
        checkInput(x);
        target.validateBatch(x.batch());
        return gradientsAt(input, x, target);
    }

    @Override
    public List<String> layerNames() {
        return layerNames;
    }

    @Override
    public Tensor layerActivation(Tensor x, String layer) {
        Output<TFloat32> at = layer(layer);
        checkInput(x);
        return run(input, x, at);
    }

    @Override
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        Output<TFloat32> at = layer(layer);
        target.validateBatch(activation.batch());
        return gradientsAt(at, activation, target);
    }

    @Override
    public void close() {
        bundle.close();
    }

    @Override
    public String toString() {
        return "TensorFlowModel(" + info.name() + ")";
    }

    /** Forward from {@code value} fed at {@code at}, then {@code seed · ∂output/∂at} with the seed fed too. */
    private ModelGradients gradientsAt(Output<TFloat32> at, Tensor value, Target target) {
        Tensor out = run(at, value, output);
        Tensor s = target.seed(out); // validates the target against the output
        Output<TFloat32> grad = gradientOp(at);
        try (TFloat32 fed = toTf(value);
                TFloat32 seedTf = toTf(s);
                Result r = session.runner().feed(at, fed).feed(seed, seedTf).fetch(grad).run()) {
            return new ModelGradients(out, toTensor((TFloat32) r.get(0)));
        } catch (TensorFlowException e) {
            throw failed(value, e);
        }
    }

    private Tensor run(Output<TFloat32> feedAt, Tensor value, Output<TFloat32> fetch) {
        try (TFloat32 fed = toTf(value); Result r = session.runner().feed(feedAt, fed).fetch(fetch).run()) {
            return toTensor((TFloat32) r.get(0));
        } catch (TensorFlowException e) {
            throw failed(value, e);
        }
    }

    /** The gradient op for {@code at}, added to the graph on first use. */
    private synchronized Output<TFloat32> gradientOp(Output<TFloat32> at) {
        Output<TFloat32> grad = gradientOps.get(at.op().name());
        if (grad != null) {
            return grad;
        }
        try {
            if (seed == null) {
                seed = Ops.create(graph).withName("attrib4j_seed").placeholder(TFloat32.class).output();
            }
            grad = graph.addGradients("attrib4j_grad_" + gradientOps.size(), new Output<?>[] {output},
                    new Output<?>[] {at}, new Output<?>[] {seed})[0].expect(TFloat32.class);
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new UnsupportedModelException("TensorFlow cannot differentiate SavedModel '" + info.name()
                    + "' with respect to '" + at.op().name() + "': " + io.attrib4j.models.ModelSupport.firstLine(e.getMessage())
                    + "; export the model as a plain graph (TF1-style, or with TensorFlow Java) so its ops have "
                    + "registered gradients, or use a gradient-free method", e);
        }
        gradientOps.put(at.op().name(), grad);
        return grad;
    }

    private Output<TFloat32> layer(String name) {
        if (!layerNames.contains(name)) {
            throw new InvalidInputException("model '" + info.name() + "' has no layer '" + name
                    + "'; use one of its graph operations between input and output: " + layerNames);
        }
        return graph.operation(name).output(0).expect(TFloat32.class);
    }

    private void checkInput(Tensor x) {
        if (x.dtype() == DType.INT64) {
            throw new UnsupportedModelException("model '" + info.name() + "' got an integer (INT64) input " + x.shape()
                    + ", but its signature takes float32; pass a float tensor, or attribute to a layer output");
        }
        boolean ok = x.shape().rank() == inputShape.numDimensions();
        for (int d = 0; ok && d < x.shape().rank(); d++) {
            long want = inputShape.get(d);
            ok = want < 0 || want == x.shape().dim(d);
        }
        if (!ok) {
            throw new ModelExecutionException("model '" + info.name() + "' takes input of shape " + inputShape
                    + " (-1 = any size) but got " + x.shape() + "; reshape the input to match the signature");
        }
    }

    private ModelExecutionException failed(Tensor value, TensorFlowException e) {
        return new ModelExecutionException("TensorFlow failed running model '" + info.name() + "' on a tensor of shape "
                + value.shape() + " (signature input " + inputShape + "): " + io.attrib4j.models.ModelSupport.firstLine(e.getMessage())
                + "; check that the input has the shape the model was built for", e);
    }

    /** Float operations that depend on {@code in} and feed {@code out} ({@code out} included), in graph order. */
    private List<String> operationsBetween(Output<?> in, Output<?> out) {
        Set<String> ancestors = new HashSet<>();
        List<GraphOperation> todo = new ArrayList<>(List.of((GraphOperation) out.op()));
        while (!todo.isEmpty()) {
            GraphOperation op = todo.remove(todo.size() - 1);
            if (ancestors.add(op.name())) {
                for (Operand<?> o : op.inputs()) {
                    todo.add((GraphOperation) o.op());
                }
            }
        }
        Set<String> dependent = new HashSet<>(Set.of(in.op().name()));
        List<String> between = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            boolean dependsOnInput = op.inputs().stream().anyMatch(o -> dependent.contains(o.op().name()));
            if (dependsOnInput) {
                dependent.add(op.name());
                if (ancestors.contains(op.name()) && op.numOutputs() > 0
                        && op.output(0).dataType() == DataType.DT_FLOAT) {
                    between.add(op.name());
                }
            }
        }
        return between;
    }

    private static void checkSavedModelDir(Path dir) {
        if (!Files.exists(dir)) {
            throw new ModelLoadException("SavedModel directory '" + dir + "' does not exist; check the path (relative "
                    + "paths resolve against the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("'" + dir + "' is a file, but a TensorFlow SavedModel is a directory; give "
                    + "the directory that holds saved_model.pb");
        }
        if (!Files.exists(dir.resolve("saved_model.pb")) && !Files.exists(dir.resolve("saved_model.pbtxt"))) {
            throw new ModelLoadException("'" + dir + "' has no saved_model.pb, so it is not a TensorFlow SavedModel; "
                    + "give the directory written by tf.saved_model.save (or SavedModelBundle.exporter)");
        }
    }

    private static Signature signature(SavedModelBundle bundle, String key, Path dir) {
        Set<String> keys = new TreeSet<>();
        for (Signature s : bundle.signatures()) {
            if (s.key().equals(key)) {
                return s;
            }
            keys.add(s.key());
        }
        throw new ModelLoadException("SavedModel '" + dir + "' has no signature '" + key + "'; choose one of " + keys);
    }

    private static Signature.TensorDescription single(Map<String, Signature.TensorDescription> tensors, String role,
            Signature signature, Path dir) {
        if (tensors.size() != 1) {
            throw new ModelLoadException("signature '" + signature.key() + "' of SavedModel '" + dir + "' has "
                    + tensors.size() + " " + role + "s " + new TreeSet<>(tensors.keySet()) + "; attrib4j explains a "
                    + "signature with exactly one " + role + ": export one, or choose another signature");
        }
        return tensors.values().iterator().next();
    }

    private static Output<TFloat32> floatTensor(Graph graph, Signature.TensorDescription d, Path dir) {
        if (d.dataType != DataType.DT_FLOAT) {
            throw new ModelLoadException("tensor '" + d.name + "' of SavedModel '" + dir + "' is " + d.dataType
                    + ", but attrib4j explains float32 inputs and outputs; export the signature with float32 tensors");
        }
        Output<?> o = graph.output(d.name);
        if (o == null) {
            throw new ModelLoadException("SavedModel '" + dir + "' names tensor '" + d.name + "' in its signature, "
                    + "but its graph has no such tensor; re-export the model");
        }
        return o.expect(TFloat32.class);
    }

    /** The example shape (batch dropped) when every non-batch dimension is known, else {@code null}. */
    private static Shape exampleShape(org.tensorflow.ndarray.Shape s) {
        if (s.isUnknown() || s.numDimensions() < 1) {
            return null;
        }
        int[] dims = new int[s.numDimensions() - 1];
        for (int d = 0; d < dims.length; d++) {
            long v = s.get(d + 1);
            if (v < 0) {
                return null;
            }
            dims[d] = Math.toIntExact(v);
        }
        return Shape.of(dims);
    }

    private static TFloat32 toTf(Tensor t) {
        float[] data = t.data();
        return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(t.shape().toLongArray()),
                org.tensorflow.ndarray.buffer.DataBuffers.of(data, true, false));
    }

    private static Tensor toTensor(TFloat32 t) {
        long[] dims = t.shape().asArray();
        float[] data = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(data, false, false));
        return Tensor.of(data, Shape.of(dims));
    }
}
