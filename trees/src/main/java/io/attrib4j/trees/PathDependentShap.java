package io.attrib4j.trees;

import io.attrib4j.engine.model.DecisionTree;

/**
 * The recursive path-dependent TreeSHAP of one tree for one row (Lundberg et al. 2020, Algorithm 2), with the
 * conditioning used for interaction values: {@code condition = +1} explains with feature {@code conditionFeature}
 * fixed to the row's value, {@code -1} with it unknown (integrated out by cover), 0 plain. Cost
 * {@code O(leaves * depth^2)} per row and tree.
 */
final class PathDependentShap {
    private final DecisionTree tree;
    private final float[] x;
    private final int offset;
    private final double[] phi;
    private final int phiOffset;
    private final int valueIndex;
    private final double scale;
    private final int condition;
    private final int conditionFeature;
    private final ShapPath path;

    private PathDependentShap(DecisionTree tree, float[] x, int offset, double[] phi, int phiOffset, int valueIndex,
            double scale, int condition, int conditionFeature, ShapPath path) {
        this.tree = tree;
        this.x = x;
        this.offset = offset;
        this.phi = phi;
        this.phiOffset = phiOffset;
        this.valueIndex = valueIndex;
        this.scale = scale;
        this.condition = condition;
        this.conditionFeature = conditionFeature;
        this.path = path;
    }

    /**
     * Adds {@code scale *} the SHAP values of {@code tree}'s leaf value {@code valueIndex} for row {@code x} (from
     * {@code offset}) into {@code phi} (from {@code phiOffset}).
     */
    static void accumulate(DecisionTree tree, float[] x, int offset, double[] phi, int phiOffset, int valueIndex,
            double scale, int condition, int conditionFeature, ShapPath path) {
        new PathDependentShap(tree, x, offset, phi, phiOffset, valueIndex, scale, condition, conditionFeature, path)
                .recurse(0, 0, 0, 1, 1, -1, 1);
    }

    private void recurse(int node, int depth, int parent, double pz, double po, int pf, double conditionFraction) {
        if (conditionFraction == 0) {
            return;
        }
        int p = parent + depth + 1;
        path.copy(parent, p, depth + 1);
        if (condition == 0 || conditionFeature != pf) {
            path.extend(p, depth, pz, po, pf);
        }
        if (tree.isLeaf(node)) {
            double v = tree.value(node, valueIndex) * scale * conditionFraction;
            for (int i = 1; i <= depth; i++) {
                double w = path.unwoundSum(p, depth, i);
                phi[phiOffset + path.feature[p + i]] += w * (path.one[p + i] - path.zero[p + i]) * v;
            }
            return;
        }
        int split = tree.feature(node);
        int hot = tree.next(node, x[offset + split]);
        int cold = hot == tree.left(node) ? tree.right(node) : tree.left(node);
        double cover = tree.cover(node);
        double hotZero = tree.cover(hot) / cover;
        double coldZero = tree.cover(cold) / cover;
        double inZero = 1;
        double inOne = 1;
        int d = depth;
        int index = 0;
        while (index <= d && path.feature[p + index] != split) {
            index++;
        }
        if (index != d + 1) {
            inZero = path.zero[p + index];
            inOne = path.one[p + index];
            path.unwind(p, d, index);
            d--;
        }
        double hotFraction = conditionFraction;
        double coldFraction = conditionFraction;
        if (condition > 0 && split == conditionFeature) {
            coldFraction = 0;
            d--;
        } else if (condition < 0 && split == conditionFeature) {
            hotFraction *= hotZero;
            coldFraction *= coldZero;
            d--;
        }
        recurse(hot, d + 1, p, hotZero * inZero, inOne, split, hotFraction);
        if (coldZero * inZero != 0) {
            // a cold branch no training weight reaches contributes nothing (and would divide by zero)
            recurse(cold, d + 1, p, coldZero * inZero, 0, split, coldFraction);
        }
    }
}
