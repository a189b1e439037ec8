package io.attrib4j.trees;

import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.ForwardModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Path-dependent TreeSHAP: the exact Shapley values of a tree ensemble's margin when a feature outside the
 * coalition is integrated out along the training distribution the tree recorded (its covers),
 * <pre>
 *   phi_j(x) = sum_{S subset of F \ {j}} |S|! (M - |S| - 1)! / M! * (f_x(S + j) - f_x(S)),
 *   f_x(S) = E[f(X) | X_S = x_S] computed down the tree: at a split on a feature outside S both children are
 *            followed, weighted cover(child) / cover(node)
 * </pre>
 * in margin units (log-odds for a logistic model), with the expected value {@code E = f_x(empty)} (the
 * cover-weighted mean leaf plus the base margin): {@code sum(phi) + E = margin(x)}. Lundberg, Erion, Chen et al.
 * 2020, "From local explanations to global understanding with explainable AI for trees" (Nature Machine
 * Intelligence), Algorithm 2, in {@code O(trees * leaves * depth^2)} per row; with the precomputation of Fast
 * TreeSHAP v2 (Yang 2021) in {@code O(trees * leaves * depth)} per row. The numbers equal XGBoost's
 * {@code pred_contribs} (its last column is the expected value) and LightGBM's {@code pred_contrib}.
 *
 * <p>The target picks the output group (class) to explain: one attribution set per class, by calling with
 * {@code Target.classIndex(k)} for each {@code k}. NaN in the input is a missing value (the node's default
 * direction). The convergence delta is {@code sum(phi) + E - margin} per row; the expected value is recorded in
 * the provenance parameters as {@code expectedValue}. Rows are explained in parallel on
 * {@link Options#threads()} threads. Use it for any model with covers (XGBoost, LightGBM; ONNX only with
 * {@code nodes_hitrates}); {@link InterventionalTreeShap} when the features are to be broken apart from their
 * training correlations against a chosen background.
 */
public final class TreeShap extends ShapMethod<TreeShap.Options> {
    /** Name recorded in provenance. */
    public static final String NAME = "TreeShap";

    /** Which implementation of the same numbers. */
    public enum Algorithm {
        /**
         * Fast TreeSHAP v2 when the tables fit ({@link Options#AUTO_TABLE_BYTES}): they are built on the first call
         * and cached per tree for the model's lifetime, so a service explaining one row at a time pays once.
         */
        AUTO,
        /** Algorithm 2, recursive. */
        RECURSIVE,
        /** Fast TreeSHAP v2: per-leaf tables built once per tree. */
        FAST_V2
    }

    /**
     * Options of {@link TreeShap}.
     *
     * @param algorithm which implementation (same numbers up to rounding)
     * @param threads rows explained in parallel (default: the number of processors)
     */
    public record Options(@Doc("auto (Fast TreeSHAP v2 when its tables fit), recursive or fast_v2: the same numbers")
            Algorithm algorithm, @Doc("rows explained in parallel; 0: one thread per processor") int threads) implements MethodOptions {
        /** The defaults: AUTO, one thread per processor. */
        public static final Options DEFAULTS = new Options(Algorithm.AUTO, 0);

        /** The largest table memory {@link Algorithm#AUTO} spends on Fast TreeSHAP v2. */
        public static final long AUTO_TABLE_BYTES = 128L << 20;

        public Options {
            if (algorithm == null) {
                throw new InvalidOptionException("algorithm is null; use AUTO, RECURSIVE or FAST_V2");
            }
            TreeMethods.requireThreads(threads);
        }

        /** A builder with the defaults: AUTO, one thread per processor. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder of {@link Options}. */
        public static final class Builder {
            private Algorithm algorithm = Algorithm.AUTO;
            private int threads = 0;

            private Builder() {}

            public Builder optAlgorithm(Algorithm algorithm) {
                this.algorithm = algorithm;
                return this;
            }

            public Builder optThreads(int threads) {
                this.threads = threads;
                return this;
            }

            /** @throws InvalidOptionException for a null algorithm or fewer than one thread */
            public Options build() {
                return new Options(algorithm, threads);
            }
        }
    }

    /** Rows explained together, tree by tree. */
    private static final int BLOCK = 64;

    /** TreeSHAP with {@code options}. */
    public TreeShap(Options options) {
        super(NAME, options);
    }

    @Override
    public MethodSpec spec() {
        return TreeMethodsProvider.TREESHAP.spec(options());
    }

    /** TreeSHAP with the default options. */
    public static TreeShap create() {
        return new TreeShap(Options.builder().build());
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        TreeMethods.Plan plan = TreeMethods.plan(model, input, target, NAME, true);
        Forest forest = plan.forest();
        int features = forest.features();
        int n = input.batch();
        int[] groups = plan.groups();
        MethodRun run = plan.run();
        boolean fast = useFast(forest);
        FastTreeShapTables[] tables = fast ? tables(forest) : null;
        double[] phi = new double[n * features];
        float[] x = input.data();
        int blocks = (n + BLOCK - 1) / BLOCK;
        TreeMethods.forEachRow(blocks, options().threads(), b -> {
            int from = b * BLOCK;
            int to = Math.min(n, from + BLOCK);
            double[] block = new double[(to - from) * features];
            explainRows(forest, tables, x, from * features, java.util.Arrays.copyOfRange(groups, from, to), block);
            System.arraycopy(block, 0, phi, from * features, block.length);
        });
        double[] expected = expectedValues(forest, groups);
        float[] delta = TreeMethods.delta(phi, features, expected, TreeMethods.margins(forest, input, groups));
        return TreeMethods.wrap(run, this, parameters(fast), TreeMethods.tensor(phi, n, features), delta, expected,
                target, model);
    }

    /** The expected value (margin units) of output group {@code group}: what the SHAP values of a row add to. */
    public static double expectedValue(ForwardModel model, int group) {
        Forest forest = TreeMethods.forest(model, NAME);
        Trees.requireCovers(forest, NAME);
        return Trees.expectedMargin(forest, group);
    }

    static double[] expectedValues(Forest forest, int[] groups) {
        double[] perGroup = new double[forest.groups()];
        for (int g = 0; g < perGroup.length; g++) {
            perGroup[g] = Trees.expectedMargin(forest, g);
        }
        double[] e = new double[groups.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = perGroup[groups[i]];
        }
        return e;
    }

    /**
     * Adds the SHAP values of consecutive rows (from {@code offset}, group {@code groups[r]} for row {@code r}) into
     * {@code phi} ({@code [groups.length, features]}), tree by tree so that one tree's tables stay in cache over
     * the block; {@code tables} null: the recursive algorithm.
     */
    static void explainRows(Forest forest, FastTreeShapTables[] tables, float[] x, int offset, int[] groups,
            double[] phi) {
        int f = forest.features();
        ShapPath path = tables != null ? null : new ShapPath(Trees.maxDepth(forest));
        java.util.List<DecisionTree> trees = forest.trees();
        for (int t = 0; t < trees.size(); t++) {
            DecisionTree tree = trees.get(t);
            if (tree.isLeaf(0)) {
                continue;
            }
            for (int r = 0; r < groups.length; r++) {
                int k = Trees.valueIndex(tree, groups[r]);
                if (k < 0) {
                    continue;
                }
                if (tables != null) {
                    tables[t].accumulate(tree, x, offset + r * f, phi, r * f, k, forest.scale());
                } else {
                    PathDependentShap.accumulate(tree, x, offset + r * f, phi, r * f, k, forest.scale(), 0, -1, path);
                }
            }
        }
    }

    private static FastTreeShapTables[] tables(Forest forest) {
        FastTreeShapTables[] out = new FastTreeShapTables[forest.trees().size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = FastTreeShapTables.of(forest.trees().get(t));
        }
        return out;
    }

    private boolean useFast(Forest forest) {
        return switch (options().algorithm()) {
            case RECURSIVE -> false;
            case FAST_V2 -> {
                for (DecisionTree t : forest.trees()) {
                    if (!FastTreeShapTables.fits(t)) {
                        throw new InvalidOptionException("algorithm FAST_V2 builds tables of 2^k entries per leaf, "
                                + "but a tree has paths with more than " + FastTreeShapTables.MAX_PATH
                                + " distinct features; use RECURSIVE or AUTO");
                    }
                }
                yield true;
            }
            case AUTO -> tableBytes(forest) <= Options.AUTO_TABLE_BYTES;
        };
    }

    private static long tableBytes(Forest forest) {
        long bytes = 0;
        for (DecisionTree t : forest.trees()) {
            int k = Trees.maxDistinctPath(t);
            if (k > FastTreeShapTables.MAX_PATH) {
                return Long.MAX_VALUE;
            }
            bytes += (long) ((t.nodeCount() + 1) / 2) * (1L << k) * k * Double.BYTES;
        }
        return bytes;
    }

    /** What the run measured besides the spec: the algorithm AUTO chose. */
    private static Map<String, Object> parameters(boolean fast) {
        return Map.of("used", fast ? "FAST_V2" : "RECURSIVE");
    }
}
