package io.attrib4j.models.trees;

import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.OutputTransform;
import io.attrib4j.models.ModelSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads the ONNX-ML operators a tree or linear model exports to: {@code TreeEnsembleRegressor},
 * {@code TreeEnsembleClassifier} (into a {@link Forest}) and {@code LinearRegressor}, {@code LinearClassifier}
 * (into {@link LinearModel}). The graph holds exactly one of them (plus {@code ZipMap}, {@code Cast} or
 * {@code Identity} nodes, which do not change the scores).
 *
 * <p>Trees: a node goes to its true branch when the comparison ({@code BRANCH_LEQ}, {@code BRANCH_LT},
 * {@code BRANCH_GTE}, {@code BRANCH_GT}) holds; everything is stored as {@code x <= t} with the children and the
 * threshold adjusted ({@code x < t} is {@code x <= nextDown(t)} for float inputs); NaN goes to the true branch when
 * {@code nodes_missing_value_tracks_true} says so, else to the false branch. ONNX has no covers: when
 * {@code nodes_hitrates} is present it is read as the covers, otherwise the trees have none and only
 * interventional TreeSHAP applies. Nodes are renumbered breadth-first so children follow parents.
 */
final class OnnxMlReader {
    private static final Set<String> PASSIVE = Set.of("ZipMap", "Cast", "Identity");

    private final String file;

    private OnnxMlReader(String file) {
        this.file = file;
    }

    /** The tree ensemble or linear model of an ONNX file: a {@link Forest} or {@link LinearModel.Weights}. */
    static Object read(byte[] bytes, String file) {
        return new OnnxMlReader(file).model(bytes);
    }

    private Object model(byte[] bytes) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("'" + file + "' is neither an XGBoost JSON/UBJSON, a LightGBM text nor a "
                    + "readable ONNX model: " + ModelSupport.firstLine(e.getMessage()), e);
        }
        Onnx.NodeProto found = null;
        for (Onnx.NodeProto n : model.getGraph().getNodeList()) {
            if (PASSIVE.contains(n.getOpType())) {
                continue;
            }
            if (found != null || !Set.of("TreeEnsembleRegressor", "TreeEnsembleClassifier", "LinearRegressor",
                    "LinearClassifier").contains(n.getOpType())) {
                throw new UnsupportedModelException("ONNX model '" + file + "' has a node '" + n.getOpType()
                        + "' besides its model operator; tree and linear SHAP read graphs of one TreeEnsemble* or "
                        + "Linear* operator (plus ZipMap/Cast); explain other graphs with kernelshap or gradients");
            }
            found = n;
        }
        if (found == null) {
            throw new UnsupportedModelException("ONNX model '" + file + "' has no TreeEnsembleRegressor/Classifier "
                    + "or LinearRegressor/Classifier node; load it as a neural network (format onnx) instead");
        }
        Map<String, Onnx.AttributeProto> a = new HashMap<>();
        found.getAttributeList().forEach(x -> a.put(x.getName(), x));
        int width = inputWidth(model);
        return switch (found.getOpType()) {
            case "LinearRegressor", "LinearClassifier" -> linear(a, found.getOpType(), width);
            default -> forest(a, found.getOpType().equals("TreeEnsembleClassifier"), width);
        };
    }

    private static int inputWidth(Onnx.ModelProto model) {
        var inputs = model.getGraph().getInputList();
        if (inputs.isEmpty()) {
            return -1;
        }
        var dims = inputs.get(0).getType().getTensorType().getShape().getDimList();
        return dims.size() == 2 && dims.get(1).hasDimValue() ? (int) dims.get(1).getDimValue() : -1;
    }

    private OutputTransform transform(Map<String, Onnx.AttributeProto> a, boolean allowSigmoid) {
        String pt = a.containsKey("post_transform") ? a.get("post_transform").getS().toStringUtf8() : "NONE";
        return switch (pt) {
            case "NONE" -> OutputTransform.IDENTITY;
            case "SOFTMAX" -> OutputTransform.SOFTMAX;
            case "LOGISTIC" -> {
                if (!allowSigmoid) {
                    throw unsupported("post_transform LOGISTIC on a regressor");
                }
                yield OutputTransform.SIGMOID;
            }
            default -> throw unsupported("post_transform " + pt + " (supported: NONE, LOGISTIC, SOFTMAX)");
        };
    }

    private UnsupportedModelException unsupported(String what) {
        return new UnsupportedModelException("ONNX model '" + file + "' uses " + what + ", which is not supported");
    }

    private LinearModel.Weights linear(Map<String, Onnx.AttributeProto> a, String op, int width) {
        float[] coef = floats(a, "coefficients");
        float[] icpt = a.containsKey("intercepts") ? floats(a, "intercepts") : new float[0];
        int outputs;
        if (op.equals("LinearRegressor")) {
            outputs = a.containsKey("targets") ? (int) a.get("targets").getI() : 1;
        } else {
            outputs = Math.max(a.containsKey("classlabels_ints") ? a.get("classlabels_ints").getIntsCount() : 0,
                    a.containsKey("classlabels_strings") ? a.get("classlabels_strings").getStringsCount() : 0);
            if (outputs == 2 && coef.length == (width > 0 ? width : coef.length)) {
                outputs = 1; // binary with one score column
            }
        }
        int features = coef.length / outputs;
        if (features * outputs != coef.length || (width > 0 && width != features)) {
            throw new ModelLoadException("ONNX " + op + " in '" + file + "' has " + coef.length + " coefficients for "
                    + outputs + " outputs and input width " + width + "; the file is inconsistent");
        }
        double[] w = new double[coef.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = coef[i];
        }
        double[] b = new double[outputs];
        for (int o = 0; o < outputs && o < icpt.length; o++) {
            b[o] = icpt[o];
        }
        return new LinearModel.Weights(w, b, outputs, features, transform(a, op.equals("LinearClassifier")));
    }

    private Forest forest(Map<String, Onnx.AttributeProto> a, boolean classifier, int width) {
        long[] treeIds = longs(a, "nodes_treeids");
        long[] nodeIds = longs(a, "nodes_nodeids");
        long[] featureIds = longs(a, "nodes_featureids");
        float[] values = floats(a, "nodes_values");
        List<String> modes = a.get("nodes_modes").getStringsList().stream().map(s -> s.toStringUtf8()).toList();
        long[] trueIds = longs(a, "nodes_truenodeids");
        long[] falseIds = longs(a, "nodes_falsenodeids");
        long[] tracksTrue = a.containsKey("nodes_missing_value_tracks_true")
                ? longs(a, "nodes_missing_value_tracks_true") : new long[treeIds.length];
        float[] hitrates = a.containsKey("nodes_hitrates") ? floats(a, "nodes_hitrates") : null;
        String p = classifier ? "class_" : "target_";
        long[] wTree = longs(a, p + "treeids");
        long[] wNode = longs(a, p + "nodeids");
        long[] wId = longs(a, p + "ids");
        float[] wVal = floats(a, p + "weights");
        int groups = 0;
        for (long id : wId) {
            groups = Math.max(groups, (int) id + 1);
        }
        if (!classifier && a.containsKey("n_targets")) {
            groups = Math.max(groups, (int) a.get("n_targets").getI());
        }
        OutputTransform transform = transform(a, classifier);
        if (transform == OutputTransform.SIGMOID && groups != 1) {
            throw unsupported("post_transform LOGISTIC with " + groups + " score columns (supported: one)");
        }
        String aggregate = a.containsKey("aggregate_function") ? a.get("aggregate_function").getS().toStringUtf8()
                : "SUM";
        if (!aggregate.equals("SUM") && !aggregate.equals("AVERAGE")) {
            throw unsupported("aggregate_function " + aggregate + " (supported: SUM, AVERAGE)");
        }
        // per tree: ONNX node id -> position in the attribute arrays
        TreeMap<Long, Map<Long, Integer>> byTree = new TreeMap<>();
        for (int i = 0; i < treeIds.length; i++) {
            byTree.computeIfAbsent(treeIds[i], k -> new HashMap<>()).put(nodeIds[i], i);
        }
        Map<Long, Map<Long, double[]>> leafWeights = new HashMap<>();
        for (int i = 0; i < wTree.length; i++) {
            double[] v = leafWeights.computeIfAbsent(wTree[i], k -> new HashMap<>())
                    .computeIfAbsent(wNode[i], k -> new double[0]);
            if (v.length == 0) {
                v = new double[Math.max(groups, 1)];
                leafWeights.get(wTree[i]).put(wNode[i], v);
            }
            v[(int) wId[i]] += wVal[i];
        }
        int features = width;
        for (long f : featureIds) {
            features = Math.max(features, (int) f + 1);
        }
        List<DecisionTree> trees = new ArrayList<>();
        for (var e : byTree.entrySet()) {
            trees.add(tree(e.getKey(), e.getValue(), featureIds, values, modes, trueIds, falseIds, tracksTrue,
                    hitrates, leafWeights.getOrDefault(e.getKey(), Map.of()), groups));
        }
        double[] base = new double[groups];
        if (a.containsKey("base_values")) {
            float[] bv = floats(a, "base_values");
            for (int g = 0; g < groups && g < bv.length; g++) {
                base[g] = bv[g];
            }
        }
        double scale = aggregate.equals("AVERAGE") ? 1.0 / trees.size() : 1.0;
        return new Forest(trees, features, groups, base, scale, transform);
    }

    private DecisionTree tree(long treeId, Map<Long, Integer> pos, long[] featureIds, float[] values,
            List<String> modes, long[] trueIds, long[] falseIds, long[] tracksTrue, float[] hitrates,
            Map<Long, double[]> leafWeights, int groups) {
        Set<Long> children = new java.util.HashSet<>();
        for (int i : pos.values()) {
            if (!modes.get(i).equals("LEAF")) {
                children.add(trueIds[i]);
                children.add(falseIds[i]);
            }
        }
        long root = pos.keySet().stream().filter(id -> !children.contains(id)).findFirst()
                .orElseThrow(() -> new ModelLoadException("ONNX tree " + treeId + " in '" + file + "' has no root"));
        // breadth-first renumbering: children get larger ids than their parent
        List<Long> order = new ArrayList<>();
        Map<Long, Integer> newId = new HashMap<>();
        Deque<Long> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            long id = queue.poll();
            newId.put(id, order.size());
            order.add(id);
            int i = pos.get(id);
            if (!modes.get(i).equals("LEAF")) {
                queue.add(trueIds[i]);
                queue.add(falseIds[i]);
            }
        }
        int n = order.size();
        int[] left = new int[n];
        int[] right = new int[n];
        int[] feature = new int[n];
        double[] threshold = new double[n];
        boolean[] defaultLeft = new boolean[n];
        double[] cover = hitrates == null ? null : new double[n];
        double[] leaf = new double[n * groups];
        for (int k = 0; k < n; k++) {
            long id = order.get(k);
            int i = pos.get(id);
            String mode = modes.get(i);
            if (cover != null) {
                cover[k] = hitrates[i];
            }
            if (mode.equals("LEAF")) {
                left[k] = -1;
                right[k] = -1;
                double[] v = leafWeights.getOrDefault(id, new double[groups]);
                System.arraycopy(v, 0, leaf, k * groups, groups);
                continue;
            }
            int t = newId.get(trueIds[i]);
            int f = newId.get(falseIds[i]);
            float v = values[i];
            boolean trueIsLeft;
            switch (mode) {
                case "BRANCH_LEQ" -> { trueIsLeft = true; threshold[k] = v; }
                case "BRANCH_LT" -> { trueIsLeft = true; threshold[k] = Math.nextDown(v); }
                case "BRANCH_GT" -> { trueIsLeft = false; threshold[k] = v; }
                case "BRANCH_GTE" -> { trueIsLeft = false; threshold[k] = Math.nextDown(v); }
                default -> throw unsupported("node mode " + mode + " (tree " + treeId + "; supported: BRANCH_LEQ, "
                        + "BRANCH_LT, BRANCH_GTE, BRANCH_GT, LEAF)");
            }
            left[k] = trueIsLeft ? t : f;
            right[k] = trueIsLeft ? f : t;
            feature[k] = (int) featureIds[i];
            defaultLeft[k] = (tracksTrue[i] != 0) == trueIsLeft;
        }
        if (cover != null && java.util.Arrays.stream(cover).anyMatch(c -> !(c > 0))) {
            cover = null;
        }
        return DecisionTree.builder().setChildren(left, right).setSplits(feature, threshold, defaultLeft)
                .setValues(leaf, groups, 0).optCovers(cover)
                .optComparison(DecisionTree.Comparison.LESS_OR_EQUAL).build();
    }

    private long[] longs(Map<String, Onnx.AttributeProto> a, String name) {
        Onnx.AttributeProto p = attr(a, name);
        return p.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private float[] floats(Map<String, Onnx.AttributeProto> a, String name) {
        Onnx.AttributeProto p = attr(a, name);
        float[] out = new float[p.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.getFloats(i);
        }
        return out;
    }

    private Onnx.AttributeProto attr(Map<String, Onnx.AttributeProto> a, String name) {
        Onnx.AttributeProto p = a.get(name);
        if (p == null) {
            throw new ModelLoadException("ONNX model '" + file + "' lacks attribute '" + name + "' of its tree or "
                    + "linear operator; re-export it (skl2onnx, onnxmltools)");
        }
        return p;
    }
}
