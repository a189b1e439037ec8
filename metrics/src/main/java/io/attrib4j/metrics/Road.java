package io.attrib4j.metrics;

import io.attrib4j.engine.Inputs;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * ROAD, RemOve And Debias (Rong, Leemann, Borisov, Kasneci &amp; Kasneci, "A Consistent and Efficient
 * Evaluation Strategy for Attribution Methods", ICML 2022): a deletion curve whose removed pixels are
 * filled by <em>noisy linear imputation</em> instead of a constant, so the perturbed image leaks less
 * about which pixels were removed and stays closer to the data.
 *
 * <p>Images are {@code [N, C, H, W]}; a pixel's relevance is the sum of its channels' attributions, and
 * pixels are ranked by {@link RemovalOrder}. At fraction {@code k / steps} ({@code k = 0..steps}) the
 * first {@code round(k H W / steps)} ranked pixels are removed and, channel by channel, imputed as the
 * weighted mean of their 8 neighbours, known or themselves imputed:
 * <pre>v_p = sum_q w_pq v_q / sum_q w_pq,   w = 1/6 for the 4 direct neighbours, 1/12 for the diagonals</pre>
 * (the paper's weights; neighbours outside the image are left out). Over the removed pixels this is the sparse
 * linear system {@code A v = b} with {@code A = D - W} ({@code D} the diagonal of each pixel's weight total,
 * {@code W} the weights between removed neighbours, {@code b} the weighted sum of each pixel's known
 * neighbours), symmetric and positive definite wherever a removed region touches a known pixel. It is solved by
 * conjugate gradients with the Jacobi preconditioner, matrix-free, from the channel mean of the known pixels,
 * until the residual {@code max_p |v_p - sum_q w_pq v_q / sum_q w_pq|} (how far any imputed value is from its
 * neighbours' weighted mean, in the image's units) is at most {@code tolerance}, or after {@code iterations}
 * steps; the worst residual of a run is reported with its curves ({@link RoadCurves}), so an unconverged solve
 * is never silent. A fully removed image has no known pixel and keeps its starting value 0. Gaussian noise of
 * standard deviation {@code noiseStdev} (seeded) is then added to the imputed pixels.
 *
 * <p>The target score is recorded at each fraction; the AUC uses the trapezoid rule. MoRF: lower is
 * better; LeRF: higher is better. Use ROAD instead of {@link DeletionInsertion} when the model is known
 * to react to the removal pattern itself (class information leaking through the mask).
 */
public final class Road {
    private static final double DIRECT = 1.0 / 6;
    private static final double DIAGONAL = 1.0 / 12;

    private final RemovalOrder order;
    private final int steps;
    private final double noiseStdev;
    private final int iterations;
    private final double tolerance;
    private final long seed;
    private final int batchSize;

    private Road(Builder b) {
        this.order = b.order;
        this.steps = b.steps;
        this.noiseStdev = b.noiseStdev;
        this.iterations = b.iterations;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The ROAD curves of each image of {@code input} ({@code [N, C, H, W]}), with the worst imputation residual
     * and the most solver iterations over every image, fraction and channel.
     */
    public RoadCurves evaluate(ForwardModel model, Tensor input, Target target, Tensor attributions) {
        Inputs.requireRank(input, 4, "input", "ROAD needs images [N, C, H, W]");
        MetricInputs.validate(model, input, target, attributions);
        int n = input.batch();
        int c = input.shape().dim(1);
        int h = input.shape().dim(2);
        int w = input.shape().dim(3);
        int d = input.rowSize();
        SplittableRandom random = new SplittableRandom(seed);
        float[] variants = new float[n * (steps + 1) * d];
        double[] fractions = new double[steps + 1];
        double worstResidual = 0;
        int mostIterations = 0;
        for (int i = 0; i < n; i++) {
            int[] ranked = order.rank(pixelRelevance(attributions.data(), i, c, h * w));
            float[] image = Arrays.copyOfRange(input.data(), i * d, (i + 1) * d);
            for (int k = 0; k <= steps; k++) {
                int m = (int) Math.round((double) k * h * w / steps);
                fractions[k] = (double) m / (h * w);
                boolean[] removed = new boolean[h * w];
                for (int j = 0; j < m; j++) {
                    removed[ranked[j]] = true;
                }
                Imputation imputed = impute(image, removed, c, h, w, random);
                worstResidual = Math.max(worstResidual, imputed.residual());
                mostIterations = Math.max(mostIterations, imputed.iterations());
                System.arraycopy(imputed.image(), 0, variants, (i * (steps + 1) + k) * d, d);
            }
        }
        Tensor batch = Tensor.of(variants, input.shape().withBatch(n * (steps + 1)));
        float[] s = MetricInputs.scores(model, batch, target, steps + 1, batchSize);
        float[][] scores = new float[n][steps + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * (steps + 1), scores[i], 0, steps + 1);
        }
        return new RoadCurves(ScoreCurves.of(fractions, scores), worstResidual, mostIterations, tolerance);
    }

    /**
     * ROAD's curves and how well their imputations were solved.
     *
     * @param curves the target score at each removed fraction, and the areas
     * @param residual the worst imputation residual (see {@link Road}) over every image, fraction and channel
     * @param iterations the most conjugate-gradient steps one channel's solve took
     * @param tolerance the residual the solves were asked for
     */
    public record RoadCurves(ScoreCurves curves, double residual, int iterations, double tolerance) {
        /** Whether every imputation reached the tolerance (false: raise {@code optIterations}). */
        public boolean converged() {
            return residual <= tolerance;
        }
    }

    /**
     * One image's imputation.
     *
     * @param image the image {@code [C, H, W]} with its removed pixels imputed (noise included)
     * @param residual the worst residual over the channels, before the noise
     * @param iterations the most conjugate-gradient steps over the channels
     */
    record Imputation(float[] image, double residual, int iterations) {}

    private static float[] pixelRelevance(float[] attr, int example, int channels, int plane) {
        float[] r = new float[plane];
        for (int ch = 0; ch < channels; ch++) {
            int off = (example * channels + ch) * plane;
            for (int p = 0; p < plane; p++) {
                r[p] += attr[off + p];
            }
        }
        return r;
    }

    /**
     * {@code image} ({@code [C, H, W]}) with the removed pixels of every channel replaced by the
     * noisy linear imputation described in the class comment.
     */
    Imputation impute(float[] image, boolean[] removed, int channels, int h, int w, SplittableRandom random) {
        float[] out = image.clone();
        int plane = h * w;
        Neighbourhood grid = new Neighbourhood(removed, h, w);
        double worstResidual = 0;
        int mostIterations = 0;
        for (int ch = 0; ch < channels; ch++) {
            int off = ch * plane;
            double[] v = new double[plane];
            for (int p = 0; p < plane; p++) {
                v[p] = image[off + p];
            }
            double[] x = grid.solve(v, tolerance, iterations);
            worstResidual = Math.max(worstResidual, grid.residual(v, x));
            mostIterations = Math.max(mostIterations, grid.lastIterations);
            for (int i = 0; i < x.length; i++) {
                out[off + grid.unknown[i]] = (float) (x[i] + noiseStdev * random.nextGaussian());
            }
        }
        return new Imputation(out, worstResidual, mostIterations);
    }

    /**
     * The imputation system of one mask: the removed pixels as unknowns, each with its in-image neighbours, their
     * weights and its weight total. Products with {@code A} and the right-hand side are computed from it.
     */
    static final class Neighbourhood {
        final int[] unknown; // pixel of each unknown
        private final int[][] neighbour; // pixel of each neighbour of each unknown
        private final double[][] weight;
        private final int[][] neighbourUnknown; // its unknown index, or -1 when known
        private final double[] total; // D
        private int lastIterations;

        Neighbourhood(boolean[] removed, int h, int w) {
            int[] index = new int[h * w];
            int count = 0;
            for (int p = 0; p < h * w; p++) {
                index[p] = removed[p] ? count++ : -1;
            }
            unknown = new int[count];
            neighbour = new int[count][];
            weight = new double[count][];
            neighbourUnknown = new int[count][];
            total = new double[count];
            int[] nb = new int[8];
            double[] wt = new double[8];
            for (int p = 0; p < h * w; p++) {
                int i = index[p];
                if (i < 0) {
                    continue;
                }
                unknown[i] = p;
                int y = p / w;
                int x = p % w;
                int k = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if ((dy == 0 && dx == 0) || yy < 0 || yy >= h || xx < 0 || xx >= w) {
                            continue;
                        }
                        nb[k] = yy * w + xx;
                        wt[k] = dy == 0 || dx == 0 ? DIRECT : DIAGONAL;
                        total[i] += wt[k];
                        k++;
                    }
                }
                neighbour[i] = Arrays.copyOf(nb, k);
                weight[i] = Arrays.copyOf(wt, k);
                neighbourUnknown[i] = new int[k];
                for (int j = 0; j < k; j++) {
                    neighbourUnknown[i][j] = index[nb[j]];
                }
            }
        }

        /** {@code b}: the weighted sum of each unknown's known neighbours in {@code image}. */
        double[] rhs(double[] image) {
            double[] b = new double[unknown.length];
            for (int i = 0; i < b.length; i++) {
                for (int j = 0; j < neighbour[i].length; j++) {
                    if (neighbourUnknown[i][j] < 0) {
                        b[i] += weight[i][j] * image[neighbour[i][j]];
                    }
                }
            }
            return b;
        }

        /** {@code A x = D x - W x}. */
        double[] times(double[] x) {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double s = total[i] * x[i];
                for (int j = 0; j < neighbour[i].length; j++) {
                    int u = neighbourUnknown[i][j];
                    if (u >= 0) {
                        s -= weight[i][j] * x[u];
                    }
                }
                out[i] = s;
            }
            return out;
        }

        /** {@code max_i |b - A x|_i / D_i}: the worst distance of an imputed value from its neighbours' mean. */
        double residual(double[] image, double[] x) {
            double[] b = rhs(image);
            double[] ax = times(x);
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(b[i] - ax[i]) / total[i]);
            }
            return worst;
        }

        /**
         * Jacobi-preconditioned conjugate gradients from the mean of the known pixels, until
         * {@code max_i |r_i| / D_i <= tolerance} or after {@code maxIterations} steps.
         */
        double[] solve(double[] image, double tolerance, int maxIterations) {
            int n = unknown.length;
            double knownSum = 0;
            int known = 0;
            boolean[] isUnknown = new boolean[image.length];
            for (int p : unknown) {
                isUnknown[p] = true;
            }
            for (int p = 0; p < image.length; p++) {
                if (!isUnknown[p]) {
                    knownSum += image[p];
                    known++;
                }
            }
            double[] x = new double[n];
            Arrays.fill(x, known == 0 ? 0 : knownSum / known);
            double[] r = rhs(image);
            double[] ax = times(x);
            double[] z = new double[n];
            double rz = 0;
            for (int i = 0; i < n; i++) {
                r[i] -= ax[i];
                z[i] = r[i] / total[i];
                rz += r[i] * z[i];
            }
            double[] dir = z.clone();
            lastIterations = 0;
            while (scaledMax(r) > tolerance && lastIterations < maxIterations) {
                double[] ad = times(dir);
                double dad = 0;
                for (int i = 0; i < n; i++) {
                    dad += dir[i] * ad[i];
                }
                if (!(dad > 0)) {
                    break; // singular direction: only a fully removed image, whose residual is already 0
                }
                double step = rz / dad;
                double rzNext = 0;
                for (int i = 0; i < n; i++) {
                    x[i] += step * dir[i];
                    r[i] -= step * ad[i];
                    z[i] = r[i] / total[i];
                    rzNext += r[i] * z[i];
                }
                double beta = rzNext / rz;
                rz = rzNext;
                for (int i = 0; i < n; i++) {
                    dir[i] = z[i] + beta * dir[i];
                }
                lastIterations++;
            }
            return x;
        }

        private double scaledMax(double[] r) {
            double worst = 0;
            for (int i = 0; i < r.length; i++) {
                worst = Math.max(worst, Math.abs(r[i]) / total[i]);
            }
            return worst;
        }
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private RemovalOrder order = RemovalOrder.MORF;
        private int steps = 10;
        private double noiseStdev = 0.01;
        private int iterations = 10_000;
        private double tolerance = 1e-6;
        private long seed = 42L;
        private int batchSize = 64;

        private Builder() {}

        /** MoRF (default) or LeRF. */
        public Builder optOrder(RemovalOrder order) {
            this.order = order;
            return this;
        }

        /** Number of removal chunks (default 10): the curve has steps + 1 points. */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Standard deviation of the noise added to imputed pixels (default 0.01; 0 for none). */
        public Builder optNoiseStdev(double noiseStdev) {
            this.noiseStdev = noiseStdev;
            return this;
        }

        /**
         * Most conjugate-gradient steps per channel (default 10,000; a hole of {@code n} pixels needs far fewer
         * than {@code n}: about 50 for a 32 x 32 hole and 100 for 64 x 64 at the default tolerance).
         */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * Stop when no imputed value is further than this from its neighbours' weighted mean (default 1e-6, in the
         * image's units: well below float32 image noise for inputs of order 1).
         */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Seed of the imputation noise (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Most perturbed images per model call (default 64). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Road build() {
            if (order == null) {
                throw new InvalidOptionException("order must not be null; use RemovalOrder.MORF or LERF");
            }
            if (steps < 1 || iterations < 1 || batchSize < 1) {
                throw new InvalidOptionException("steps, iterations and batchSize must be at least 1, got steps="
                        + steps + ", iterations=" + iterations + ", batchSize=" + batchSize);
            }
            if (!(noiseStdev >= 0) || !(tolerance >= 0)) {
                throw new InvalidOptionException("noiseStdev and tolerance must be >= 0, got noiseStdev=" + noiseStdev
                        + ", tolerance=" + tolerance);
            }
            return new Road(this);
        }
    }
}
