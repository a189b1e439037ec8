package io.attrib4j.trees;

import io.attrib4j.engine.model.DecisionTree;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The precomputation of Fast TreeSHAP v2 (Yang 2021, "Fast TreeSHAP: Accelerating SHAP Value Computation for
 * Trees", Algorithm "v2"): for each leaf {@code l} with the distinct features {@code u_1..u_k} on its path and their
 * zero fractions {@code z_p}, and for each subset {@code S} of them (a bit mask: the features whose every split on
 * the path the row follows), the unit contributions
 * <pre>
 *   c_l[S][p] = W_p(S) * (1[p in S] - z_p)       (W_p: the unwound permutation weight of Algorithm 2)
 * </pre>
 * depend on the tree alone, so explaining a row only walks the tree once, keeping the mask, and adds
 * {@code value_l * c_l[S][.]} at each leaf: {@code O(leaves * depth)} per row instead of
 * {@code O(leaves * depth^2)}. Memory is {@code 2^k * k} doubles per leaf, which is why
 * {@link TreeShap.Algorithm#AUTO} uses it only for shallow trees. Tables are cached per tree (weakly).
 */
final class FastTreeShapTables {
    /** Deepest distinct-feature path the tables are built for (2^12 * 12 doubles per leaf at most). */
    static final int MAX_PATH = 12;

    private static final Map<DecisionTree, FastTreeShapTables> CACHE = new WeakHashMap<>();

    /** Per internal node: position of its feature in the distinct-feature list of the path to it. */
    private final int[] position;
    /** Per internal node: whether its feature is new on the path (not split on above). */
    private final boolean[] fresh;
    /** Per leaf node: the distinct features of its path, in order. */
    private final int[][] leafFeatures;
    /** Per leaf node: {@code c[S * k + p]}. */
    private final double[][] table;

    private FastTreeShapTables(DecisionTree tree) {
        int n = tree.nodeCount();
        position = new int[n];
        fresh = new boolean[n];
        leafFeatures = new int[n][];
        table = new double[n][];
        build(tree, 0, new int[MAX_PATH + 1], new double[MAX_PATH + 1], 0, new ShapPath(MAX_PATH + 1));
    }

    /** Whether the tables of {@code tree} fit (its paths have at most {@link #MAX_PATH} distinct features). */
    static boolean fits(DecisionTree tree) {
        return Trees.maxDistinctPath(tree) <= MAX_PATH;
    }

    /** The tables of {@code tree}, built once. */
    static FastTreeShapTables of(DecisionTree tree) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(tree, FastTreeShapTables::new);
        }
    }

    private void build(DecisionTree tree, int node, int[] feats, double[] zeros, int k, ShapPath path) {
        if (tree.isLeaf(node)) {
            leafFeatures[node] = java.util.Arrays.copyOf(feats, k);
            table[node] = leafTable(zeros, k, path);
            return;
        }
        int f = tree.feature(node);
        int pos = 0;
        while (pos < k && feats[pos] != f) {
            pos++;
        }
        position[node] = pos;
        fresh[node] = pos == k;
        double cover = tree.cover(node);
        for (int child : new int[] {tree.left(node), tree.right(node)}) {
            double ratio = tree.cover(child) / cover;
            if (fresh[node]) {
                feats[k] = f;
                zeros[k] = ratio;
                build(tree, child, feats, zeros, k + 1, path);
            } else {
                double before = zeros[pos];
                zeros[pos] = before * ratio;
                build(tree, child, feats, zeros, k, path);
                zeros[pos] = before;
            }
        }
    }

    private static double[] leafTable(double[] zeros, int k, ShapPath path) {
        double[] c = new double[(1 << k) * k];
        for (int s = 0; s < 1 << k; s++) {
            path.extend(0, 0, 1, 1, -1);
            for (int p = 0; p < k; p++) {
                path.extend(0, p + 1, zeros[p], (s >> p) & 1, p);
            }
            for (int p = 0; p < k; p++) {
                double diff = ((s >> p) & 1) - zeros[p];
                if (diff != 0) {
                    c[s * k + p] = path.unwoundSum(0, k, p + 1) * diff;
                }
            }
        }
        return c;
    }

    /**
     * Adds {@code scale *} the SHAP values of leaf value {@code valueIndex} for row {@code x} (from {@code offset})
     * into {@code phi} (from {@code phiOffset}); {@code tree} is the tree these tables were built for (not held
     * here, so the weak cache can let it go).
     */
    void accumulate(DecisionTree tree, float[] x, int offset, double[] phi, int phiOffset, int valueIndex,
            double scale) {
        walk(tree, 0, 0, x, offset, phi, phiOffset, valueIndex, scale);
    }

    private void walk(DecisionTree tree, int node, int mask, float[] x, int offset, double[] phi, int po,
            int valueIndex, double scale) {
        if (tree.isLeaf(node)) {
            int[] feats = leafFeatures[node];
            int k = feats.length;
            double v = tree.value(node, valueIndex) * scale;
            if (v == 0 || k == 0) {
                return;
            }
            double[] c = table[node];
            int base = mask * k;
            for (int p = 0; p < k; p++) {
                phi[po + feats[p]] += v * c[base + p];
            }
            return;
        }
        int hot = tree.next(node, x[offset + tree.feature(node)]);
        int bit = 1 << position[node];
        int left = tree.left(node);
        int right = tree.right(node);
        if (fresh[node]) {
            walk(tree, left, hot == left ? mask | bit : mask, x, offset, phi, po, valueIndex, scale);
            walk(tree, right, hot == right ? mask | bit : mask, x, offset, phi, po, valueIndex, scale);
        } else {
            walk(tree, left, hot == left ? mask : mask & ~bit, x, offset, phi, po, valueIndex, scale);
            walk(tree, right, hot == right ? mask : mask & ~bit, x, offset, phi, po, valueIndex, scale);
        }
    }
}
