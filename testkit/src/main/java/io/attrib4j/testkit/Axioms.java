package io.attrib4j.testkit;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.util.SplittableRandom;

/**
 * The attribution axioms as checks on any method (Sundararajan, Taly &amp; Yan 2017; Lundberg &amp; Lee 2017), over
 * {@link StagedMlp} networks built here: tanh networks with seeded weights, their weighted sums, a functionally equal
 * network of another structure, a network that ignores a feature and one symmetric in two features. Each check
 * returns the largest violation so the caller asserts it against a tolerance it justifies.
 */
public final class Axioms {
    /** Features of the axiom networks. */
    public static final int FEATURES = 6;
    private static final int HIDDEN = 5;
    private static final int OUTPUTS = 2;

    /** The feature {@link Net#ignoring} drops in the dummy checks callers run. */
    public static final int DUMMY = 2;
    /** The pair {@link #symmetry} checks: features 1 and 4. */
    public static final int SYMMETRIC_I = 1;
    public static final int SYMMETRIC_J = 4;

    private Axioms() {}

    /** Three baselines {@code [3, FEATURES]}, symmetric in {@link #SYMMETRIC_I} and {@link #SYMMETRIC_J}, away from 0. */
    public static Tensor baselines() {
        return Tensor.of(new float[] {
            0.2f, -0.3f, 0.1f, 0.4f, -0.3f, 0.0f,
            -0.1f, 0.5f, 0.3f, -0.2f, 0.5f, 0.2f,
            0.3f, 0.1f, -0.4f, 0.1f, 0.1f, -0.1f}, 3, FEATURES);
    }

    /** The first of {@link #baselines()}, as one reference {@code [FEATURES]}. */
    public static Tensor baseline() {
        return Tensor.of(java.util.Arrays.copyOf(baselines().data(), FEATURES), FEATURES);
    }

    /** A tanh network with seeded weights in [-1, 1]. */
    public static Net net(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Net(matrix(r, HIDDEN, FEATURES), vector(r, HIDDEN, 0.5), matrix(r, OUTPUTS, HIDDEN),
                vector(r, OUTPUTS, 0.5));
    }

    /** An input away from zero and from the baselines used here. */
    public static Tensor input(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) r.nextDouble(-1.5, 1.5);
        }
        return Tensor.of(x, n, FEATURES);
    }

    /** Linearity: {@code attr(a F + b G) - (a attr(F) + b attr(G))}, max absolute. */
    public static double linearity(AttributionMethod m, Net f, Net g, double a, double b, Tensor x, Target t) {
        float[] sum = m.attribute(f.plus(a, g, b).model(), x, t).values().data();
        float[] af = m.attribute(f.model(), x, t).values().data();
        float[] bg = m.attribute(g.model(), x, t).values().data();
        double worst = 0;
        for (int e = 0; e < sum.length; e++) {
            worst = Math.max(worst, Math.abs(sum[e] - (a * af[e] + b * bg[e])));
        }
        return worst;
    }

    /** Implementation invariance: the network against {@link Net#restructured()}, max absolute difference. */
    public static double implementationInvariance(AttributionMethod m, Net f, Tensor x, Target t) {
        return maxDiff(m.attribute(f.model(), x, t).values().data(),
                m.attribute(f.restructured(), x, t).values().data());
    }

    /** Dummy: the attribution of a feature the network ignores, max absolute over examples. */
    public static double dummy(AttributionMethod m, Net f, int feature, Tensor x, Target t) {
        float[] v = m.attribute(f.ignoring(feature).model(), x, t).values().data();
        double worst = 0;
        for (int i = 0; i < x.batch(); i++) {
            worst = Math.max(worst, Math.abs(v[i * FEATURES + feature]));
        }
        return worst;
    }

    /**
     * Symmetry: features {@code i} and {@code j} enter the network alike and hold equal values in {@code x} (set
     * here); the largest difference of their attributions (the method's baseline must be symmetric too).
     */
    public static double symmetry(AttributionMethod m, Net f, int i, int j, Tensor x, Target t) {
        float[] data = x.data().clone();
        for (int r = 0; r < x.batch(); r++) {
            data[r * FEATURES + j] = data[r * FEATURES + i];
        }
        float[] v = m.attribute(f.symmetricIn(i, j).model(), Tensor.of(data, x.shape()), t).values().data();
        double worst = 0;
        for (int r = 0; r < x.batch(); r++) {
            worst = Math.max(worst, Math.abs(v[r * FEATURES + i] - v[r * FEATURES + j]));
        }
        return worst;
    }

    private static double maxDiff(float[] a, float[] b) {
        double worst = 0;
        for (int e = 0; e < a.length; e++) {
            worst = Math.max(worst, Math.abs(a[e] - b[e]));
        }
        return worst;
    }

    private static double[][] matrix(SplittableRandom r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble(-1, 1);
            }
        }
        return m;
    }

    private static double[] vector(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextDouble(-scale, scale);
        }
        return v;
    }

    /** {@code V tanh(U x + a) + c} as weights, to derive the networks the axioms compare. */
    public record Net(double[][] u, double[] a, double[][] v, double[] c) {
        public StagedMlp model() {
            return StagedMlp.tanh("axiom-net", u, a, v, c);
        }

        /**
         * {@code wf F + wg G} as one tanh network: the hidden layers side by side, the output layers scaled.
         */
        public Net plus(double wf, Net g, double wg) {
            int h = u.length;
            int hg = g.u.length;
            double[][] uu = new double[h + hg][];
            double[] aa = new double[h + hg];
            for (int k = 0; k < h; k++) {
                uu[k] = u[k].clone();
                aa[k] = a[k];
            }
            for (int k = 0; k < hg; k++) {
                uu[h + k] = g.u[k].clone();
                aa[h + k] = g.a[k];
            }
            double[][] vv = new double[v.length][h + hg];
            double[] cc = new double[c.length];
            for (int o = 0; o < v.length; o++) {
                for (int k = 0; k < h; k++) {
                    vv[o][k] = wf * v[o][k];
                }
                for (int k = 0; k < hg; k++) {
                    vv[o][h + k] = wg * g.v[o][k];
                }
                cc[o] = wf * c[o] + wg * g.c[o];
            }
            return new Net(uu, aa, vv, cc);
        }

        /**
         * The same function, another structure: the first affine map split in two ({@code x -> 3x -> (U/3)(3x) + a}),
         * every hidden unit duplicated with a quarter and three quarters of its output weight, and the hidden units
         * in reverse order (factors that are not powers of two, so the rounding differs too).
         */
        public StagedMlp restructured() {
            int h = u.length;
            int d = u[0].length;
            double[][] thrice = new double[d][d];
            for (int j = 0; j < d; j++) {
                thrice[j][j] = 3;
            }
            double[][] uu = new double[2 * h][d];
            double[] aa = new double[2 * h];
            double[][] vv = new double[v.length][2 * h];
            for (int k = 0; k < h; k++) {
                int src = h - 1 - k;
                for (int copy = 0; copy < 2; copy++) {
                    for (int j = 0; j < d; j++) {
                        uu[2 * k + copy][j] = u[src][j] / 3;
                    }
                    aa[2 * k + copy] = a[src];
                    for (int o = 0; o < v.length; o++) {
                        vv[o][2 * k + copy] = v[o][src] * (copy == 0 ? 0.25 : 0.75);
                    }
                }
            }
            return StagedMlp.of("axiom-net-restructured", d, StagedMlp.affine("scale", thrice, new double[d]),
                    StagedMlp.affine("fc1", uu, aa), StagedMlp.tanh("tanh"), StagedMlp.affine("fc2", vv, c));
        }

        /** This network with feature {@code j}'s input weights set to zero: it ignores {@code x_j}. */
        public Net ignoring(int j) {
            double[][] uu = new double[u.length][];
            for (int k = 0; k < u.length; k++) {
                uu[k] = u[k].clone();
                uu[k][j] = 0;
            }
            return new Net(uu, a, v, c);
        }

        /** This network with feature {@code j}'s input weights equal to feature {@code i}'s. */
        public Net symmetricIn(int i, int j) {
            double[][] uu = new double[u.length][];
            for (int k = 0; k < u.length; k++) {
                uu[k] = u[k].clone();
                uu[k][j] = uu[k][i];
            }
            return new Net(uu, a, v, c);
        }
    }
}
