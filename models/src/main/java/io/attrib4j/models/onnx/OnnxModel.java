package io.attrib4j.models.onnx;

import io.attrib4j.models.ModelSupport;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.MultiOutput;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Models;
import io.attrib4j.models.GradientLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An ONNX model with input gradients: the graph is parsed in Java and executed node by node with DJL
 * NDArray operations on the PyTorch engine, so PyTorch's autograd differentiates it. ONNX Runtime
 * cannot give gradients of an inference graph; this executor can, for the operators listed in
 * {@link OnnxOps} (Gemm, MatMul, Conv, pooling, normalization, activations, shape operators; see the
 * table there). A graph with any other operator is refused at {@link #load} with the operator and node
 * names; forward-only methods can still run it through {@link OnnxRuntimeModel}.
 *
 * <p>Outputs agree with ONNX Runtime's to float32 rounding (tested on the oracle models and on
 * generated residual and transformer-style graphs). The model is explained through its <b>first
 * output</b>, taken as the logits, and must have exactly one data input.
 *
 * <p>Every call runs in its own {@link NDManager}, closed on every path; weights live in the model's
 * manager until {@link #close()}. Gradient calls are serialized by the {@link GradientLock}. Every
 * intermediate value name is a layer ({@link #layerNames()}) at which the graph can be split, if no
 * later node also reads the model input directly. A graph that is a chain of nodes can be seen as
 * stages for DeepLIFT with {@link OnnxStages#of}.
 */
public final class OnnxModel implements LayerModel, MultiOutput {
    private static final String ENGINE = "PyTorch";

    private final OnnxGraph graph;
    private final NDManager weightsManager;
    private final Map<String, NDArray> weights;
    private final ModelInfo info;
    private final List<String> layerNames;

    private OnnxModel(OnnxGraph graph, NDManager weightsManager, Map<String, NDArray> weights, ModelInfo info) {
        this.graph = graph;
        this.weightsManager = weightsManager;
        this.weights = weights;
        this.info = info;
        List<String> names = new ArrayList<>();
        for (OnnxGraph.Node n : graph.nodes) {
            n.outputs().stream().filter(o -> !o.isEmpty() && !o.equals(graph.outputName)).forEach(names::add);
        }
        this.layerNames = List.copyOf(names);
    }

    /**
     * Loads an ONNX file.
     *
     * @throws io.attrib4j.engine.ModelLoadException if the file is missing, unreadable or not ONNX
     * @throws UnsupportedModelException if the graph uses operators this executor does not implement,
     *     or has more than one data input
     */
    public static OnnxModel load(Path file) {
        Path path = file.toAbsolutePath();
        byte[] bytes = OnnxFiles.read(path);
        String name = path.getFileName().toString();
        OnnxGraph graph = OnnxGraph.parse(bytes, name);
        checkOperators(graph, name);
        ModelInfo info = graph.info(name, bytes);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), ENGINE);
        try {
            Map<String, NDArray> weights = new HashMap<>();
            graph.initializers.forEach((k, t) -> weights.put(k, NdValues.toNd(manager, t, "model '" + name + "'")));
            return new OnnxModel(graph, manager, weights, info);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void checkOperators(OnnxGraph graph, String name) {
        Map<String, List<String>> missing = new TreeMap<>();
        for (OnnxGraph.Node n : graph.nodes) {
            if (!n.domainIsOnnx() || !OnnxOps.TABLE.containsKey(n.op())) {
                missing.computeIfAbsent(n.op(), k -> new ArrayList<>()).add(n.label());
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder which = new StringBuilder();
            missing.forEach((op, nodes) -> which.append(which.isEmpty() ? "" : "; ").append(op).append(" (nodes ")
                    .append(nodes.size() > 5 ? nodes.subList(0, 5) + " and " + (nodes.size() - 5) + " more" : nodes)
                    .append(")"));
            throw new UnsupportedModelException("ONNX model '" + name + "' uses operators that OnnxModel cannot "
                    + "differentiate: " + which + ". Methods that need gradients (saliency, input x gradient, integrated "
                    + "gradients, GradientSHAP, SmoothGrad, DeepLIFT, Grad-CAM) cannot run on this file: use the "
                    + "TorchScript file of the same model instead (torch.jit.trace(model, example).save(\"model.pt\"), "
                    + "loaded with TorchScriptModel.load, differentiates every operator), or re-export without these "
                    + "operators; forward-only methods (occlusion, feature ablation, KernelSHAP, LIME) can still run "
                    + "it with OnnxRuntimeModel.load(path)");
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /**
     * Adds DeepLIFT's view: {@code capability(StagedModel.class)} is the graph as a chain of stages
     * ({@link OnnxStages}); a graph that is not a chain says which node breaks it (UnsupportedModelException).
     */
    @Override
    public <C> java.util.Optional<C> capability(Class<C> type) {
        if (type == io.attrib4j.engine.model.StagedModel.class) {
            return java.util.Optional.of(type.cast(OnnxStages.of(this)));
        }
        return LayerModel.super.capability(type);
    }

    @Override
    public Tensor forward(Tensor input) {
        Models.checkInputShape(this, input);
        try (NDManager call = weightsManager.newSubManager()) {
            return NdValues.toTensor(run(call, Map.of(graph.inputName, NdValues.toNd(call, input)), graph.outputName));
        }
    }

    /** Every graph output for a batch, in the graph's order (output 0 is {@link #forward}'s). */
    @Override
    public List<Tensor> outputs(Tensor input) {
        Models.checkInputShape(this, input);
        List<Tensor> out = new ArrayList<>();
        try (NDManager call = weightsManager.newSubManager()) {
            for (String name : graph.outputNames) {
                out.add(NdValues.toTensor(run(call, Map.of(graph.inputName, NdValues.toNd(call, input)), name)));
            }
        }
        return out;
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        requireFloat(input, "input");
        Models.checkInputShape(this, input);
        target.validateBatch(input.batch());
        return GradientLock.run(() -> backward(graph.inputName, input, target));
    }

    @Override
    public List<String> layerNames() {
        return layerNames;
    }

    @Override
    public Tensor layerActivation(Tensor input, String layer) {
        requireLayer(layer);
        Models.checkInputShape(this, input);
        try (NDManager call = weightsManager.newSubManager()) {
            return NdValues.toTensor(run(call, Map.of(graph.inputName, NdValues.toNd(call, input)), layer));
        }
    }

    @Override
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        requireLayer(layer);
        requireFloat(activation, "activation of '" + layer + "'");
        target.validateBatch(activation.batch());
        return GradientLock.run(() -> backward(layer, activation, target));
    }

    /** Runs from {@code start} (the input or a layer) to the output and backpropagates the target's seed. */
    private ModelGradients backward(String start, Tensor value, Target target) {
        try (NDManager call = weightsManager.newSubManager();
                GradientCollector collector = Engine.getEngine(ENGINE).newGradientCollector()) {
            NDArray x = NdValues.toNd(call, value);
            x.setRequiresGradient(true);
            NDArray out = run(call, Map.of(start, x), graph.outputName);
            Tensor output = NdValues.toTensor(out);
            Tensor seed = target.seed(output); // validates the target against the output shape
            collector.backward(out.mul(NdValues.toNd(call, seed)).sum());
            return new ModelGradients(output, NdValues.toTensor(x.getGradient()));
        }
    }

    /**
     * Computes {@code wanted} from the {@code given} values: only the nodes it depends on run, in
     * topological order. Weights are aliased into {@code call} so every result belongs to the call.
     */
    NDArray run(NDManager call, Map<String, NDArray> given, String wanted) {
        List<OnnxGraph.Node> plan = plan(given.keySet(), wanted);
        Map<String, NDArray> values = new HashMap<>(given);
        for (OnnxGraph.Node node : plan) {
            List<NDArray> inputs = new ArrayList<>(node.inputs().size());
            for (String in : node.inputs()) {
                inputs.add(in.isEmpty() ? null : values.computeIfAbsent(in, k -> alias(k, call)));
            }
            NDList outputs = execute(node, inputs, call);
            for (int i = 0; i < node.outputs().size() && i < outputs.size(); i++) {
                values.put(node.outputs().get(i), outputs.get(i));
            }
        }
        NDArray result = values.get(wanted);
        if (result == null) {
            throw new ModelExecutionException("ONNX model '" + info.name() + "' did not produce '" + wanted
                    + "'; the graph is malformed: re-export the model");
        }
        return result;
    }

    /** The nodes needed for {@code wanted} given {@code known}, in topological order. */
    private List<OnnxGraph.Node> plan(Set<String> known, String wanted) {
        Set<String> needed = new HashSet<>(Set.of(wanted));
        List<OnnxGraph.Node> reversed = new ArrayList<>();
        for (int i = graph.nodes.size() - 1; i >= 0; i--) {
            OnnxGraph.Node n = graph.nodes.get(i);
            if (n.outputs().stream().anyMatch(o -> needed.contains(o) && !known.contains(o))) {
                reversed.add(n);
                n.inputs().stream().filter(in -> !in.isEmpty() && !known.contains(in) && !weights.containsKey(in))
                        .forEach(needed::add);
            }
        }
        if (needed.contains(graph.inputName) && !known.contains(graph.inputName)) {
            throw new InvalidInputException("ONNX model '" + info.name() + "' cannot be split at '" + known.iterator().next()
                    + "': a later node also reads the model input '" + graph.inputName + "' directly (a skip connection "
                    + "or a shape computation); choose a layer after which only that layer's value is used");
        }
        List<OnnxGraph.Node> plan = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            plan.add(reversed.get(i));
        }
        return plan;
    }

    /** A view of a weight owned by the call, so results computed from it are released with the call. */
    private NDArray alias(String name, NDManager call) {
        NDArray w = weights.get(name);
        if (w == null) {
            throw new ModelExecutionException("ONNX model '" + info.name() + "' reads value '" + name + "', which no "
                    + "node produces and no initializer holds; the graph is malformed: re-export the model");
        }
        NDArray view = w.reshape(w.getShape());
        view.attach(call);
        return view;
    }

    private NDList execute(OnnxGraph.Node node, List<NDArray> inputs, NDManager call) {
        try {
            return OnnxOps.TABLE.get(node.op()).apply(new OpCall(node, inputs, call, graph.opset));
        } catch (AttributionException e) {
            throw e;
        } catch (RuntimeException e) {
            List<String> shapes = inputs.stream().map(a -> a == null ? "-" : a.getShape().toString()).toList();
            throw new ModelExecutionException("ONNX model '" + info.name() + "' failed at node '" + node.label() + "' ("
                    + node.op() + ") on inputs of shapes " + shapes + ": " + ModelSupport.firstLine(e.getMessage())
                    + "; check that the input has the shape and dtype the model was exported for"
                    + info.exampleShape().map(s -> " (examples of shape " + s + ")").orElse(""), e);
        }
    }

    private void requireLayer(String layer) {
        if (!layerNames.contains(layer)) {
            throw new InvalidInputException("ONNX model '" + info.name() + "' has no value named '" + layer
                    + "'; layers are node output names, e.g. "
                    + (layerNames.size() > 20 ? layerNames.subList(0, 20) + " ..." : layerNames));
        }
    }

    private void requireFloat(Tensor t, String what) {
        if (t.dtype() == DType.INT64) {
            throw new UnsupportedModelException("model '" + info.name() + "' got an integer (INT64) " + what + " "
                    + t.shape() + ", which has no gradient; attribute to a float layer after the embedding "
                    + "(a layer method on it), or use a gradient-free method");
        }
    }

    /** The parsed graph, for the staged view ({@link OnnxStages}). */
    OnnxGraph graph() {
        return graph;
    }

    /** A manager for one call, under the weights' manager (so on the PyTorch engine). */
    NDManager newCallManager() {
        return weightsManager.newSubManager();
    }

    @Override
    public void close() {
        weightsManager.close();
    }

    @Override
    public String toString() {
        return "OnnxModel(" + info.name() + ")";
    }
}
