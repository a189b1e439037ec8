package io.attrib4j.trees;

import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;

/** Structural facts about trees that several algorithms of this package need. */
final class Trees {
    private Trees() {}

    /** Number of edges on the longest root-to-leaf path. */
    static int depth(DecisionTree t) {
        return depth(t, 0);
    }

    private static int depth(DecisionTree t, int node) {
        return t.isLeaf(node) ? 0 : 1 + Math.max(depth(t, t.left(node)), depth(t, t.right(node)));
    }

    /** The deepest tree of the forest. */
    static int maxDepth(Forest f) {
        int d = 0;
        for (DecisionTree t : f.trees()) {
            d = Math.max(d, depth(t));
        }
        return d;
    }

    /** The largest number of distinct features on one root-to-leaf path. */
    static int maxDistinctPath(DecisionTree t) {
        return distinct(t, 0, new int[depth(t) + 1], 0);
    }

    private static int distinct(DecisionTree t, int node, int[] feats, int k) {
        if (t.isLeaf(node)) {
            return k;
        }
        int f = t.feature(node);
        boolean seen = false;
        for (int i = 0; i < k; i++) {
            seen |= feats[i] == f;
        }
        int next = k;
        if (!seen) {
            feats[k] = f;
            next = k + 1;
        }
        return Math.max(distinct(t, t.left(node), feats, next), distinct(t, t.right(node), feats, next));
    }

    /**
     * The cover-weighted mean of leaf value {@code k} (the tree's expected output under the path-dependent
     * distribution): {@code mean(n) = (cover(l) mean(l) + cover(r) mean(r)) / cover(n)}.
     */
    static double meanValue(DecisionTree t, int k) {
        return mean(t, 0, k);
    }

    private static double mean(DecisionTree t, int node, int k) {
        if (t.isLeaf(node)) {
            return t.value(node, k);
        }
        int l = t.left(node);
        int r = t.right(node);
        return (t.cover(l) * mean(t, l, k) + t.cover(r) * mean(t, r, k)) / t.cover(node);
    }

    /** Whether tree {@code t} feeds output group {@code g}, and through which leaf value ({@code -1}: it does not). */
    static int valueIndex(DecisionTree t, int g) {
        int k = g - t.firstGroup();
        return k >= 0 && k < t.width() ? k : -1;
    }

    /** The features the tree splits on, sorted. */
    static int[] splitFeatures(DecisionTree t) {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (int n = 0; n < t.nodeCount(); n++) {
            if (!t.isLeaf(n)) {
                s.add(t.feature(n));
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The expected margin of group {@code g} under the path-dependent (cover) distribution:
     * {@code base_g + scale * sum over the trees feeding g of meanValue}.
     */
    static double expectedMargin(Forest f, int g) {
        double e = 0;
        for (DecisionTree t : f.trees()) {
            int k = valueIndex(t, g);
            if (k >= 0) {
                e += meanValue(t, k);
            }
        }
        return f.baseMargin(g) + f.scale() * e;
    }

    /** Rejects a forest without covers, which the path-dependent algorithms need. */
    static void requireCovers(Forest f, String method) {
        if (!f.hasCovers()) {
            throw new io.attrib4j.engine.UnsupportedModelException(method + " needs the training cover of every "
                    + "node (path-dependent SHAP integrates unknown features by it), but this model's trees have none "
                    + "(ONNX-ML files without nodes_hitrates): use InterventionalTreeShap with a background set");
        }
    }
}
