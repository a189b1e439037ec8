package io.attrib4j.engine.model;

import java.util.Arrays;

/**
 * One decision tree, format-free: flat node arrays indexed by node id, node 0 the root. Built by model loaders
 * (XGBoost, LightGBM, ONNX-ML), read by the tree algorithms; immutable (the arrays are copied in).
 *
 * <p>An internal node {@code n} tests feature {@link #feature(int)}: a numerical node sends {@code x} to
 * {@link #left(int)} when {@code x < threshold} ({@link Comparison#LESS}, XGBoost) or {@code x <= threshold}
 * ({@link Comparison#LESS_OR_EQUAL}, LightGBM, sklearn/ONNX), else to {@link #right(int)}; a categorical node
 * (one with a category set) sends {@code x} left when {@code (int) x} is in the set. A missing value (NaN)
 * goes to the default child ({@link #defaultLeft(int)}). A leaf has {@code left == -1} and holds
 * {@link #width()} values, added to the output groups {@code firstGroup .. firstGroup + width - 1}: one value
 * for an XGBoost or LightGBM tree (its class), one per class for a multi-output ONNX/sklearn tree.
 *
 * <p>{@link #cover(int)} is the training weight (hessian sum or sample count) that reached the node; the
 * path-dependent TreeSHAP reads it as the conditional distribution of the features. A tree loaded from a file
 * without covers has {@link #hasCovers()} false.
 */
public final class DecisionTree {

    /** The comparison of a numerical split. */
    public enum Comparison {
        /** left when {@code x < threshold} (XGBoost). */
        LESS,
        /** left when {@code x <= threshold} (LightGBM, sklearn, ONNX BRANCH_LEQ). */
        LESS_OR_EQUAL
    }

    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final double[] threshold;
    private final boolean[] defaultLeft;
    private final double[] cover;
    private final double[] values;
    private final int[][] categories;
    private final int width;
    private final int firstGroup;
    private final Comparison comparison;
    private final boolean hasCovers;

    private DecisionTree(Builder b) {
        int n = b.left.length;
        if (n == 0) {
            throw new IllegalArgumentException("a tree needs at least one node");
        }
        for (int[] a : new int[][] {b.right, b.feature}) {
            check(a.length == n, "node arrays differ in length");
        }
        check(b.threshold.length == n && b.defaultLeft.length == n, "node arrays differ in length");
        check(b.values.length == (long) n * b.width, "values need width * nodes entries");
        check(b.cover == null || b.cover.length == n, "covers need one entry per node");
        check(b.categories == null || b.categories.length == n, "categories need one entry per node (null: numerical)");
        this.left = b.left.clone();
        this.right = b.right.clone();
        this.feature = b.feature.clone();
        this.threshold = b.threshold.clone();
        this.defaultLeft = b.defaultLeft.clone();
        this.hasCovers = b.cover != null;
        this.cover = b.cover == null ? new double[n] : b.cover.clone();
        this.values = b.values.clone();
        this.width = b.width;
        this.firstGroup = b.firstGroup;
        this.comparison = b.comparison;
        int[][] cats = null;
        if (b.categories != null) {
            cats = new int[n][];
            for (int i = 0; i < n; i++) {
                if (b.categories[i] != null) {
                    cats[i] = b.categories[i].clone();
                    Arrays.sort(cats[i]);
                }
            }
        }
        this.categories = cats;
        for (int i = 0; i < n; i++) {
            boolean leaf = left[i] < 0;
            check(leaf == (right[i] < 0), "node " + i + " has only one child");
            check(leaf || (left[i] > i && right[i] > i && left[i] < n && right[i] < n),
                    "node " + i + " has children out of order (children must follow their parent)");
            check(leaf || feature[i] >= 0, "internal node " + i + " has no feature");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder over the node arrays (each copied at {@link Builder#build()}). */
    public static Builder builder() {
        return new Builder();
    }

    public int nodeCount() {
        return left.length;
    }

    public boolean isLeaf(int node) {
        return left[node] < 0;
    }

    public int left(int node) {
        return left[node];
    }

    public int right(int node) {
        return right[node];
    }

    /** The split feature of an internal node, -1 at a leaf. */
    public int feature(int node) {
        return left[node] < 0 ? -1 : feature[node];
    }

    public double threshold(int node) {
        return threshold[node];
    }

    /** Whether a missing value (NaN) goes to the left child. */
    public boolean defaultLeft(int node) {
        return defaultLeft[node];
    }

    /** Training weight that reached the node (0 when the file had none; see {@link #hasCovers()}). */
    public double cover(int node) {
        return cover[node];
    }

    public boolean hasCovers() {
        return hasCovers;
    }

    /** Leaf value {@code k} of {@code node} (group {@code firstGroup + k}). */
    public double value(int node, int k) {
        return values[node * width + k];
    }

    /** How many output groups each leaf feeds. */
    public int width() {
        return width;
    }

    /** The first output group a leaf's values go to. */
    public int firstGroup() {
        return firstGroup;
    }

    public Comparison comparison() {
        return comparison;
    }

    /** Whether the node splits on a category set. */
    public boolean isCategorical(int node) {
        return categories != null && categories[node] != null;
    }

    /** The categories that go left at a categorical node, sorted (a copy). */
    public int[] categories(int node) {
        return isCategorical(node) ? categories[node].clone() : new int[0];
    }

    /** The child of internal node {@code node} that value {@code x} of its feature goes to. */
    public int next(int node, float x) {
        if (Float.isNaN(x)) {
            return defaultLeft[node] ? left[node] : right[node];
        }
        boolean goLeft;
        if (categories != null && categories[node] != null) {
            goLeft = x >= 0 && Arrays.binarySearch(categories[node], (int) x) >= 0;
        } else {
            goLeft = comparison == Comparison.LESS ? x < threshold[node] : x <= threshold[node];
        }
        return goLeft ? left[node] : right[node];
    }

    /** The leaf that row {@code x} (features from {@code offset}) reaches. */
    public int leaf(float[] x, int offset) {
        int n = 0;
        while (left[n] >= 0) {
            n = next(n, x[offset + feature[n]]);
        }
        return n;
    }

    /** The largest feature index this tree splits on, -1 for a single leaf. */
    public int maxFeature() {
        int m = -1;
        for (int i = 0; i < left.length; i++) {
            if (left[i] >= 0) {
                m = Math.max(m, feature[i]);
            }
        }
        return m;
    }

    /** Options of one tree; {@link #build()} checks the arrays agree. */
    public static final class Builder {
        private int[] left;
        private int[] right;
        private int[] feature;
        private double[] threshold;
        private boolean[] defaultLeft;
        private double[] cover;
        private double[] values;
        private int[][] categories;
        private int width = 1;
        private int firstGroup;
        private Comparison comparison = Comparison.LESS;

        private Builder() {}

        /** Children per node, -1 for both at a leaf; children must have larger ids than their parent. */
        public Builder setChildren(int[] left, int[] right) {
            this.left = left;
            this.right = right;
            return this;
        }

        /** Split feature and threshold per node (ignored at leaves). */
        public Builder setSplits(int[] feature, double[] threshold, boolean[] defaultLeft) {
            this.feature = feature;
            this.threshold = threshold;
            this.defaultLeft = defaultLeft;
            return this;
        }

        /** Leaf values, {@code width} per node (internal nodes' entries are ignored). */
        public Builder setValues(double[] values, int width, int firstGroup) {
            this.values = values;
            this.width = width;
            this.firstGroup = firstGroup;
            return this;
        }

        public Builder optCovers(double[] cover) {
            this.cover = cover;
            return this;
        }

        /** Per node the categories that go left, null for a numerical node. */
        public Builder optCategories(int[][] categories) {
            this.categories = categories;
            return this;
        }

        public Builder optComparison(Comparison comparison) {
            this.comparison = comparison;
            return this;
        }

        /** @throws IllegalArgumentException when arrays are missing or disagree */
        public DecisionTree build() {
            check(left != null && right != null && feature != null && threshold != null && defaultLeft != null
                    && values != null, "children, splits and values are required");
            check(width >= 1 && firstGroup >= 0, "width must be positive and firstGroup non-negative");
            return new DecisionTree(this);
        }
    }
}
