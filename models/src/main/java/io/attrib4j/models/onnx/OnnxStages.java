package io.attrib4j.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.models.NdStage;
import io.attrib4j.models.StagedView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link StagedModel} view of an {@link OnnxModel} whose graph is a chain: every node reads the
 * previous node's single output (the first reads the model input) and otherwise only initializers and
 * constants. Each node becomes one {@link Stage} run by {@link OnnxModel}'s executor: its forward is the
 * node alone on a batch, its backward the node's vector-Jacobian product (see {@link NdStage}). Nodes
 * that read only constants (a {@code Constant} shape for a {@code Reshape}) are not stages: they are
 * recomputed with the node that reads them. This is what DeepLIFT needs to see the model's
 * nonlinearities.
 *
 * <p>Node kinds: see {@link #supportedOperators()}. Affine nodes (Gemm, MatMul, Einsum, Conv, Add/Sub/Mul with a
 * constant, pooling by average, reductions by sum or mean, batch normalization) and the operators that only move or
 * copy elements (Pad in every mode, Slice, Gather of the chain value, Concat with constants, Expand, Resize,
 * Reshape and its relatives) are {@code LINEAR}. Any other operator,
 * a branch (a residual connection, a value read twice) or a graph whose output is not the end of the
 * chain raises {@link UnsupportedModelException} naming the node.
 *
 * <p>The view is a {@link StagedView}: forward, gradients, info and close are the wrapped model's.
 */
public final class OnnxStages {
    private static final Map<String, Stage.Kind> KINDS = kinds();
    /** Operators that are affine in any one input when the others are constants. */
    private static final Set<String> ANY_INPUT = Set.of("Add", "Sub", "Mul", "MatMul", "Gemm", "Einsum", "Concat");

    private OnnxStages() {}

    /**
     * The staged view of {@code model}.
     *
     * @throws UnsupportedModelException when the graph is not a chain of supported operators
     */
    public static StagedModel of(OnnxModel model) {
        OnnxGraph graph = model.graph();
        Set<String> constants = new HashSet<>(graph.initializers.keySet());
        String current = graph.inputName;
        List<Stage> stages = new ArrayList<>();
        for (OnnxGraph.Node node : graph.nodes) {
            List<String> data = node.inputs().stream().filter(in -> !in.isEmpty() && !constants.contains(in)).toList();
            if (data.isEmpty()) {
                constants.addAll(node.outputs());
                continue;
            }
            if (!data.equals(List.of(current))) {
                throw notAChain(model, "node '" + node.label() + "' (" + node.op() + ") reads " + data
                        + ", but a chain node reads only the previous value '" + current + "' (once) and constants");
            }
            List<String> outputs = node.outputs().stream().filter(o -> !o.isEmpty()).toList();
            if (outputs.size() != 1) {
                throw notAChain(model, "node '" + node.label() + "' (" + node.op() + ") has outputs " + outputs);
            }
            stages.add(new OnnxStage(model, node, current, kindOf(model, node, current)));
            current = outputs.get(0);
        }
        if (!current.equals(graph.outputName)) {
            throw notAChain(model, "the chain ends at '" + current + "', not at the model output '"
                    + graph.outputName + "'");
        }
        return StagedView.of(model, stages);
    }

    /** The ONNX operators this view recognizes, with the kind each becomes (for messages and docs). */
    public static String supportedOperators() {
        return new TreeMap<>(KINDS).toString();
    }

    private static Stage.Kind kindOf(OnnxModel model, OnnxGraph.Node node, String chainValue) {
        Stage.Kind kind = node.domainIsOnnx() ? KINDS.get(node.op()) : null;
        if (kind == null) {
            throw new UnsupportedModelException("ONNX model '" + model.info().name() + "' has node '" + node.label()
                    + "' (" + node.op() + "), which DeepLIFT has no rule for; supported: " + supportedOperators()
                    + ". Re-export the model with those operators, or use a gradient method such as "
                    + "IntegratedGradients, which runs on any OnnxModel");
        }
        if (!ANY_INPUT.contains(node.op()) && !node.inputs().get(0).equals(chainValue)) {
            throw new UnsupportedModelException("ONNX model '" + model.info().name() + "' has node '" + node.label()
                    + "' (" + node.op() + ") whose data '" + chainValue + "' is not its first input, so it is not "
                    + "affine in it; DeepLIFT cannot treat it as a layer. Use IntegratedGradients instead");
        }
        return kind;
    }

    private static UnsupportedModelException notAChain(OnnxModel model, String why) {
        return new UnsupportedModelException("ONNX model '" + model.info().name() + "' is not a chain of layers: "
                + why + ". DeepLIFT on ONNX graphs needs a chain (no residual or parallel branches): use a gradient "
                + "method such as IntegratedGradients or GradientShap, which run on any OnnxModel");
    }

    private static Map<String, Stage.Kind> kinds() {
        Map<String, Stage.Kind> k = new TreeMap<>();
        k.put("Relu", Stage.Kind.RELU);
        k.put("LeakyRelu", Stage.Kind.LEAKY_RELU);
        k.put("Elu", Stage.Kind.ELU);
        k.put("Sigmoid", Stage.Kind.SIGMOID);
        k.put("Tanh", Stage.Kind.TANH);
        k.put("Softplus", Stage.Kind.SOFTPLUS);
        k.put("Softmax", Stage.Kind.SOFTMAX);
        k.put("MaxPool", Stage.Kind.MAX_POOL);
        k.put("GlobalMaxPool", Stage.Kind.MAX_POOL);
        // affine in the chain value, or only moving its elements (shape operators, Pad in every mode, Resize)
        for (String linear : List.of("Gemm", "MatMul", "Einsum", "Conv", "Add", "Sub", "Mul", "Div", "Neg", "Flatten",
                "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Gather", "Expand", "Concat", "Pad", "Resize",
                "GlobalAveragePool", "AveragePool", "ReduceMean", "ReduceSum", "BatchNormalization", "Identity",
                "Dropout")) {
            k.put(linear, Stage.Kind.LINEAR);
        }
        return Map.copyOf(k);
    }

    /** One node run on its own, with the constants it reads. */
    private static final class OnnxStage extends NdStage {
        private final OnnxModel model;
        private final OnnxGraph.Node node;
        private final String input;

        OnnxStage(OnnxModel model, OnnxGraph.Node node, String input, Kind kind) {
            super(model.info().name(), node.label(), kind);
            this.model = model;
            this.node = node;
            this.input = input;
        }

        @Override
        protected NDManager newCallManager() {
            return model.newCallManager();
        }

        @Override
        protected NDArray run(NDManager call, NDArray x) {
            NDArray y = model.run(call, Map.of(input, x), node.outputs().get(0));
            if (kind() == Kind.SOFTMAX && !lastAxisSoftmax(x.getShape().dimension())) {
                throw new UnsupportedModelException("ONNX model '" + modelName() + "' has Softmax node '" + name()
                        + "' over axis " + (node.attributes().containsKey("axis") ? node.attributes().get("axis").getI()
                        : "(default)") + " of a rank-"
                        + x.getShape().dimension() + " value; DeepLIFT's softmax rule needs the last axis: re-export "
                        + "with softmax over the last axis, or use IntegratedGradients");
            }
            return y;
        }

        private boolean lastAxisSoftmax(int rank) {
            var axis = node.attributes().get("axis");
            if (axis == null) {
                return model.graph().opset >= 13 || rank == 2;
            }
            long a = axis.getI() < 0 ? axis.getI() + rank : axis.getI();
            return a == rank - 1;
        }
    }
}
