package io.attrib4j.trees;

import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.ForwardModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SHAP interaction values of a tree ensemble (the Shapley interaction index, Lundberg et al. 2020, section
 * "SHAP interaction values", after Fujimoto, Kojadinovic and Marichal 2006), path-dependent, in margin units:
 * <pre>
 *   Phi_ij = (phi_j(x | x_i known) - phi_j(x | x_i unknown)) / 2          for i != j
 *   Phi_ii = phi_i(x) - sum_{j != i} Phi_ij
 * </pre>
 * where {@code phi_j(x | x_i known)} is TreeSHAP with feature {@code i} fixed to its value (Algorithm 2 with
 * condition +1) and {@code unknown} with it integrated out by cover (condition -1). Each row of the
 * {@code [rows, features, features]} result sums to the row's SHAP values, and the whole matrix to
 * {@code margin - E}; the matrix is symmetric. Equal to XGBoost's {@code pred_interactions} (whose bias entry is
 * the expected value, recorded here as {@code expectedValue}). Only the features a tree splits on are conditioned
 * on for that tree: {@code O(trees * features-per-tree * leaves * depth^2)} per row. The convergence delta is
 * {@code sum(Phi) + E - margin} per row.
 */
public final class TreeShapInteractions extends ShapMethod<TreeShapInteractions.Options> {
    /** Name recorded in provenance. */
    public static final String NAME = "TreeShapInteractions";

    /**
     * Options of {@link TreeShapInteractions}.
     *
     * @param threads rows explained in parallel (default: the number of processors)
     */
    public record Options(@Doc("rows explained in parallel; 0: one thread per processor") int threads) implements MethodOptions {
        /** The default: one thread per processor. */
        public static final Options DEFAULTS = new Options(0);

        public Options {
            TreeMethods.requireThreads(threads);
        }

        /** A builder with the default: one thread per processor. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder of {@link Options}. */
        public static final class Builder {
            private int threads = 0;

            private Builder() {}

            public Builder optThreads(int threads) {
                this.threads = threads;
                return this;
            }

            /** @throws io.attrib4j.engine.InvalidOptionException for fewer than one thread */
            public Options build() {
                return new Options(threads);
            }
        }
    }

    public TreeShapInteractions(Options options) {
        super(NAME, options);
    }

    @Override
    public MethodSpec spec() {
        return TreeMethodsProvider.INTERACTIONS.spec(options());
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        TreeMethods.Plan plan = TreeMethods.plan(model, input, target, NAME, true);
        Forest forest = plan.forest();
        int f = forest.features();
        int n = input.batch();
        int[] groups = plan.groups();
        MethodRun run = plan.run();
        double[] out = new double[n * f * f];
        float[] x = input.data();
        TreeMethods.forEachRow(n, options().threads(), i -> {
            double[] m = interactions(forest, x, i * f, groups[i]);
            System.arraycopy(m, 0, out, i * f * f, f * f);
        });
        double[] expected = TreeShap.expectedValues(forest, groups);
        float[] delta = TreeMethods.delta(out, f * f, expected, TreeMethods.margins(forest, input, groups));
        return TreeMethods.wrap(run, this, Map.of(), TreeMethods.tensor(out, n, f, f), delta, expected, target, model);
    }

    /** The {@code [features * features]} interaction matrix of the row at {@code offset}, group {@code g}. */
    static double[] interactions(Forest forest, float[] x, int offset, int g) {
        int f = forest.features();
        double[] phi = new double[f];
        TreeShap.explainRows(forest, null, x, offset, new int[] {g}, phi);
        double[] m = new double[f * f];
        double[] on = new double[f];
        double[] off = new double[f];
        ShapPath path = new ShapPath(Trees.maxDepth(forest));
        for (DecisionTree t : forest.trees()) {
            int k = Trees.valueIndex(t, g);
            if (k < 0 || t.isLeaf(0)) {
                continue;
            }
            int[] used = Trees.splitFeatures(t);
            for (int i : used) {
                for (int j : used) {
                    on[j] = 0;
                    off[j] = 0;
                }
                PathDependentShap.accumulate(t, x, offset, on, 0, k, forest.scale(), 1, i, path);
                PathDependentShap.accumulate(t, x, offset, off, 0, k, forest.scale(), -1, i, path);
                for (int j : used) {
                    if (j != i) {
                        m[i * f + j] += (on[j] - off[j]) / 2;
                    }
                }
            }
        }
        for (int i = 0; i < f; i++) {
            double rest = 0;
            for (int j = 0; j < f; j++) {
                if (j != i) {
                    rest += m[i * f + j];
                }
            }
            m[i * f + i] = phi[i] - rest;
        }
        return m;
    }
}
