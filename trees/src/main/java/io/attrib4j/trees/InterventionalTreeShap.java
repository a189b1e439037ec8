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
 * Interventional TreeSHAP: the exact Shapley values of a tree ensemble's margin when a feature outside the
 * coalition takes its value from a background row, averaged over a background set {@code B},
 * <pre>
 *   phi_j(x) = 1/|B| sum_{z in B} sum_{S subset of F \ {j}} |S|! (M - |S| - 1)! / M!
 *                  * (f(x_{S+j}, z_rest) - f(x_S, z_rest))
 * </pre>
 * with expected value {@code E = 1/|B| sum_z margin(z)}, so {@code sum(phi) + E = margin(x)}. Per (row,
 * background row, tree) one walk: where {@code x} and {@code z} take the same branch it follows it; where they part
 * on a feature not yet decided it follows both, putting the feature in {@code A} (x's side) or {@code B} (z's side);
 * a leaf of value {@code v} adds {@code v (|A|-1)! |B|! / (|A|+|B|)!} to each feature of {@code A} and subtracts
 * {@code v |A|! (|B|-1)! / (|A|+|B|)!} from each of {@code B} (the Shapley values of the game
 * {@code [A in S][B outside S]}). Lundberg et al. 2020, "From local explanations to global understanding with
 * explainable AI for trees", Methods ("Interventional Tree SHAP"); shap's {@code TreeExplainer(data=...,
 * feature_perturbation="interventional")}. Needs no covers, so it explains ONNX-ML trees too. Cost
 * {@code O(|B| * trees * leaves)} per row.
 */
public final class InterventionalTreeShap extends ShapMethod<InterventionalTreeShap.Options> {
    /** Name recorded in provenance. */
    public static final String NAME = "InterventionalTreeShap";
    private static final double[] FACTORIAL = new double[171];

    static {
        FACTORIAL[0] = 1;
        for (int i = 1; i < FACTORIAL.length; i++) {
            FACTORIAL[i] = FACTORIAL[i - 1] * i;
        }
    }

    /**
     * Options of {@link InterventionalTreeShap}.
     *
     * @param background {@code [backgroundRows, features]}, NaN allowed (shap recommends about 100 rows)
     * @param threads rows explained in parallel (default: the number of processors)
     */
    public record Options(@Doc("the background set [rows, features] (required), a .npy file") Tensor background,
            @Doc("rows explained in parallel; 0: one thread per processor") int threads) implements MethodOptions {
        /** The defaults: no background (one must be given), one thread per processor. */
        public static final Options DEFAULTS = new Options(null, 0);

        public Options {
            if (background != null && (background.shape().rank() != 2 || background.batch() == 0)) {
                throw new InvalidOptionException("background is " + (background == null ? "null"
                        : "of shape " + background.shape()) + "; give a non-empty [rows, features] background set "
                        + "(for example 100 training rows)");
            }
            TreeMethods.requireThreads(threads);
        }

        /** A builder: the background is required, threads default to the number of processors. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder of {@link Options}. */
        public static final class Builder {
            private Tensor background;
            private int threads = 0;

            private Builder() {}

            public Builder setBackground(Tensor background) {
                this.background = background;
                return this;
            }

            public Builder optThreads(int threads) {
                this.threads = threads;
                return this;
            }

            /** @throws InvalidOptionException for a missing or empty background or fewer than one thread */
            public Options build() {
                return new Options(background, threads);
            }
        }
    }

    /** @throws InvalidOptionException without a background set */
    public InterventionalTreeShap(Options options) {
        super(NAME, options);
        if (options.background() == null) {
            throw new InvalidOptionException("interventional-treeshap needs a background set: a non-empty [rows, "
                    + "features] tensor (for example 100 training rows), e.g. interventional-treeshap(background=bg.npy)");
        }
    }

    @Override
    public MethodSpec spec() {
        return TreeMethodsProvider.INTERVENTIONAL.spec(options());
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        TreeMethods.Plan plan = TreeMethods.plan(model, input, target, NAME, false);
        Forest forest = plan.forest();
        int f = forest.features();
        Tensor bg = options().background();
        if (bg.shape().dim(1) != f) {
            throw new InvalidOptionException("background rows have " + bg.shape().dim(1) + " features but model '"
                    + model.info().name() + "' reads " + f + "; give a [rows, " + f + "] background");
        }
        int n = input.batch();
        int[] groups = plan.groups();
        MethodRun run = plan.run();
        double[] phi = new double[n * f];
        float[] x = input.data();
        TreeMethods.forEachRow(n, options().threads(), i -> {
            double[] row = new double[f];
            Walk w = new Walk(forest, x, i * f, bg.data(), row);
            for (int b = 0; b < bg.batch(); b++) {
                w.background(b * f, groups[i]);
            }
            for (int j = 0; j < f; j++) {
                phi[i * f + j] = row[j] / bg.batch();
            }
        });
        double[] expected = expectedValues(forest, bg, groups);
        float[] delta = TreeMethods.delta(phi, f, expected, TreeMethods.margins(forest, input, groups));
        return TreeMethods.wrap(run, this, Map.of(), TreeMethods.tensor(phi, n, f), delta, expected, target, model);
    }

    private static double[] expectedValues(Forest forest, Tensor bg, int[] groups) {
        double[] perGroup = new double[forest.groups()];
        double[] m = new double[forest.groups()];
        for (int b = 0; b < bg.batch(); b++) {
            forest.margins(bg.data(), b * forest.features(), m);
            for (int g = 0; g < m.length; g++) {
                perGroup[g] += m[g] / bg.batch();
            }
        }
        double[] e = new double[groups.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = perGroup[groups[i]];
        }
        return e;
    }

    /** The walks of one explained row against background rows; not thread-safe. */
    private static final class Walk {
        private final Forest forest;
        private final float[] x;
        private final int xOff;
        private final float[] z;
        private final double[] phi;
        /** Per feature: 0 undecided, 1 in A (x's value), 2 in B (z's value). */
        private final byte[] side;
        private final int[] stackA;
        private final int[] stackB;
        private int zOff;
        private DecisionTree tree;
        private int valueIndex;

        Walk(Forest forest, float[] x, int xOff, float[] z, double[] phi) {
            this.forest = forest;
            this.x = x;
            this.xOff = xOff;
            this.z = z;
            this.phi = phi;
            this.side = new byte[forest.features()];
            int depth = Trees.maxDepth(forest) + 1;
            this.stackA = new int[depth];
            this.stackB = new int[depth];
        }

        void background(int zOffset, int g) {
            this.zOff = zOffset;
            for (DecisionTree t : forest.trees()) {
                int k = Trees.valueIndex(t, g);
                if (k >= 0 && !t.isLeaf(0)) {
                    tree = t;
                    valueIndex = k;
                    walk(0, 0, 0);
                }
            }
        }

        private void walk(int node, int a, int b) {
            if (tree.isLeaf(node)) {
                if (a + b == 0) {
                    return;
                }
                double v = tree.value(node, valueIndex) * forest.scale();
                double n = FACTORIAL[a + b];
                if (a > 0) {
                    double wa = v * FACTORIAL[a - 1] * FACTORIAL[b] / n;
                    for (int i = 0; i < a; i++) {
                        phi[stackA[i]] += wa;
                    }
                }
                if (b > 0) {
                    double wb = v * FACTORIAL[a] * FACTORIAL[b - 1] / n;
                    for (int i = 0; i < b; i++) {
                        phi[stackB[i]] -= wb;
                    }
                }
                return;
            }
            int f = tree.feature(node);
            int xc = tree.next(node, x[xOff + f]);
            int zc = tree.next(node, z[zOff + f]);
            if (side[f] == 1) {
                walk(xc, a, b);
            } else if (side[f] == 2) {
                walk(zc, a, b);
            } else if (xc == zc) {
                walk(xc, a, b);
            } else {
                side[f] = 1;
                stackA[a] = f;
                walk(xc, a + 1, b);
                side[f] = 2;
                stackB[b] = f;
                walk(zc, a, b + 1);
                side[f] = 0;
            }
        }
    }
}
