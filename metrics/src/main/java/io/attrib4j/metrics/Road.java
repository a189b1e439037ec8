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
 * (the paper's weights; neighbours outside the image are left out). This sparse linear system over the
 * removed pixels is solved by Gauss-Seidel iteration: start from the channel mean of the known pixels,
 * sweep the removed pixels in row-major order replacing each by the weighted mean of its neighbours'
 * current values, and stop when no value moves by more than {@code tolerance} or after
 * {@code iterations} sweeps. The system is diagonally dominant wherever a removed region touches a known
 * pixel, so the iteration converges; a fully removed image keeps its starting values. Gaussian noise of
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

    /** The ROAD curves of each image of {@code input} ({@code [N, C, H, W]}). */
    public ScoreCurves evaluate(ForwardModel model, Tensor input, Target target, Tensor attributions) {
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
                float[] imputed = impute(image, removed, c, h, w, random);
                System.arraycopy(imputed, 0, variants, (i * (steps + 1) + k) * d, d);
            }
        }
        Tensor batch = Tensor.of(variants, input.shape().withBatch(n * (steps + 1)));
        float[] s = MetricInputs.scores(model, batch, target, steps + 1, batchSize);
        float[][] scores = new float[n][steps + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * (steps + 1), scores[i], 0, steps + 1);
        }
        return ScoreCurves.of(fractions, scores);
    }

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
    float[] impute(float[] image, boolean[] removed, int channels, int h, int w, SplittableRandom random) {
        float[] out = image.clone();
        int plane = h * w;
        for (int ch = 0; ch < channels; ch++) {
            int off = ch * plane;
            double[] v = new double[plane];
            double knownSum = 0;
            int known = 0;
            for (int p = 0; p < plane; p++) {
                v[p] = image[off + p];
                if (!removed[p]) {
                    knownSum += v[p];
                    known++;
                }
            }
            double start = known == 0 ? 0 : knownSum / known;
            for (int p = 0; p < plane; p++) {
                if (removed[p]) {
                    v[p] = start;
                }
            }
            gaussSeidel(v, removed, h, w);
            for (int p = 0; p < plane; p++) {
                if (removed[p]) {
                    out[off + p] = (float) (v[p] + noiseStdev * random.nextGaussian());
                }
            }
        }
        return out;
    }

    private void gaussSeidel(double[] v, boolean[] removed, int h, int w) {
        for (int sweep = 0; sweep < iterations; sweep++) {
            double moved = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    if (!removed[p]) {
                        continue;
                    }
                    double num = 0;
                    double den = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if ((dy == 0 && dx == 0) || yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                continue;
                            }
                            double weight = dy == 0 || dx == 0 ? DIRECT : DIAGONAL;
                            num += weight * v[yy * w + xx];
                            den += weight;
                        }
                    }
                    double next = num / den;
                    moved = Math.max(moved, Math.abs(next - v[p]));
                    v[p] = next;
                }
            }
            if (moved <= tolerance) {
                return;
            }
        }
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private RemovalOrder order = RemovalOrder.MORF;
        private int steps = 10;
        private double noiseStdev = 0.01;
        private int iterations = 200;
        private double tolerance = 1e-5;
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

        /** Most Gauss-Seidel sweeps per channel (default 200). */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Stop sweeping when no imputed value moves by more than this (default 1e-5). */
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
