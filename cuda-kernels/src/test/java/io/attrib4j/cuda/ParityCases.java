package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.attention.AttentionRollout;
import io.attrib4j.attention.GradientWeightedRollout;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.HeadReduction;
import io.attrib4j.engine.backend.Resize;
import io.attrib4j.engine.backend.SampleSums;
import io.attrib4j.gradients.GradCam;
import io.attrib4j.gradients.GradientShap;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.NoiseTunnel;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.gradients.Upsample;
import io.attrib4j.testkit.PoolingHeadModel;
import io.attrib4j.testkit.ToyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The GPU parity cases: every {@link Backend} operation on deterministic inputs (a {@link SplittableRandom}
 * seeded with the case name's hash), each with the rule its GPU result is compared by. {@link CudaKernelParityTest}
 * runs every case on the GPU and compares it with the ND4J CPU backend, or with the outputs {@link ParityRecorder}
 * wrote from that backend ({@code -Dattrib4j.parity.reference=<dir>}) where ND4J's native library is absent.
 *
 * <p>Comparison rules ({@link Check}), with {@code REL = 1e-6}:
 * <ul>
 *   <li>{@link #RELATIVE}: per element {@code |got - ref| <= REL * max(1, |ref|)}, NaN exactly where the
 *       reference is NaN;</li>
 *   <li>{@link #EXACT}: the same float bits everywhere (resize, weightedChannelSum, and the NoiseTunnel sums);</li>
 *   <li>{@link #scaled}: {@code max|got - ref| <= REL * scale}, for the weighted step sum, whose BLAS reference
 *       sums in its own order: {@code scale = max_j sum_s |w[s] * g[s][j]|}, the summands' size;</li>
 *   <li>{@link #GAUSSIAN}: equal, except at most {@code 1 + n / 10^6} values one float ulp apart (Java
 *       {@code StrictMath} against CUDA's double {@code log}/{@code sincos}).</li>
 * </ul>
 */
final class ParityCases {
    static final double REL = 1e-6;

    private ParityCases() {}

    /** How a result is compared with its reference; throws {@link AssertionError} when they differ. */
    interface Check {
        void verify(Tensor ref, Tensor got, String what);
    }

    /** A case's operation, on inputs drawn once by {@link Case#setup}, and its check. */
    record Run(Function<Backend, Tensor> op, Check check) {}

    /** A named case: {@code name} is also its recorded file's name; {@code setup} draws the same inputs every time. */
    record Case(String name, Supplier<Run> setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Check RELATIVE = (ref, got, what) -> {
        assertEquals(ref.shape(), got.shape(), what + ": shape");
        for (int e = 0; e < ref.size(); e++) {
            float r = ref.data()[e];
            float g = got.data()[e];
            boolean ok = Float.isNaN(r) ? Float.isNaN(g) : Math.abs((double) g - r) <= REL * Math.max(1, Math.abs(r));
            if (!ok) {
                throw new AssertionError(what + ": element " + e + " is " + g + ", reference " + r
                        + " (|got-ref| <= 1e-6 * max(1, |ref|) fails)");
            }
        }
    };

    static final Check EXACT = (ref, got, what) -> {
        assertEquals(ref.shape(), got.shape(), what + ": shape");
        for (int e = 0; e < ref.size(); e++) {
            if (Float.floatToIntBits(ref.data()[e]) != Float.floatToIntBits(got.data()[e])) {
                throw new AssertionError(what + ": element " + e + " is " + got.data()[e] + ", reference "
                        + ref.data()[e] + " (bit-identical expected)");
            }
        }
    };

    static final Check GAUSSIAN = (ref, got, what) -> {
        assertEquals(ref.shape(), got.shape(), what + ": shape");
        int differing = 0;
        for (int e = 0; e < ref.size(); e++) {
            float r = ref.data()[e];
            float g = got.data()[e];
            if (r != g) {
                differing++;
                assertTrue(Math.abs(r - g) <= Math.ulp(r), what + ": value " + e + " is " + g + ", reference " + r);
            }
        }
        assertTrue(differing <= 1 + ref.size() / 1_000_000, what + ": " + differing + " values differ by one ulp");
    };

    /** {@code max|got - ref| <= REL * scale}. */
    static Check scaled(double scale) {
        return (ref, got, what) -> {
            assertEquals(ref.shape(), got.shape(), what + ": shape");
            double diff = 0;
            for (int e = 0; e < ref.size(); e++) {
                diff = Math.max(diff, Math.abs((double) got.data()[e] - ref.data()[e]));
            }
            assertTrue(diff <= REL * scale, what + ": max|got-ref| = " + diff + " > " + REL + " * " + scale);
        };
    }

    /** Every case, in a fixed order; names are unique and file-safe. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        elementwise(cases);
        integratedGradients(cases);
        noise(cases);
        classActivationMaps(cases);
        attention(cases);
        rollout(cases);
        methods(cases);
        return cases;
    }

    /**
     * Whole methods through each backend, on pure-Java models (no DJL, so the GPU bundle runs them): IG,
     * SmoothGrad, GradientShap, Grad-CAM and both rollouts. Every backend call of a method is one of the
     * operations above, so the methods agree "within float32 rounding": {@code max|got - ref| <= 1e-5 *
     * max(1, max|ref|)} (the tolerance scales with the attribution, as the weighted sum's order does).
     */
    private static void methods(List<Case> cases) {
        Check method = (ref, got, what) -> {
            double scale = 1;
            for (float r : ref.data()) {
                scale = Math.max(scale, Math.abs(r));
            }
            scaled(10 * scale).verify(ref, got, what);
        };
        ToyModels.Toy mlp = ToyModels.tanhMlp(6, 10, 3, 11);
        Target three = Target.perExample(0, 2, 1, 1);
        add(cases, "method_IntegratedGradients_mlp", rng -> {
            Tensor x = uniform(Shape.of(4, 6), rng, -1, 1);
            return new Run(backend -> IntegratedGradients.builder().optInternalBatchSize(16).optBackend(backend).build()
                    .attribute(mlp, x, three).values(), method);
        });
        add(cases, "method_SmoothGrad_mlp", rng -> {
            Tensor x = uniform(Shape.of(4, 6), rng, -1, 1);
            return new Run(backend -> NoiseTunnel.builder(Saliency.builder().optBackend(backend).build())
                    .optSamples(16).optStdev(0.3).optSamplesPerBatch(5).optSeed(7).optBackend(backend).build()
                    .attribute(mlp, x, three).values(), method);
        });
        add(cases, "method_GradientShap_mlp", rng -> {
            Tensor x = uniform(Shape.of(4, 6), rng, -1, 1);
            Tensor baselines = uniform(Shape.of(3, 6), rng, -0.5, 0.5);
            return new Run(backend -> GradientShap.builder().optBaselines(baselines).optSamples(20).optStdev(0.1)
                    .optSeed(3).optBackend(backend).build().attribute(mlp, x, three).values(), method);
        });
        add(cases, "method_GradCam_poolingHead", rng -> {
            double[][] w = new double[3][8];
            for (double[] row : w) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = rng.nextDouble(-1, 1);
                }
            }
            PoolingHeadModel model = new PoolingHeadModel(w, new double[] {0.1, -0.2, 0.3}, 7, 9);
            Tensor x = uniform(Shape.of(2, 8, 7, 9), rng, -1, 1);
            return new Run(backend -> GradCam.builder().optLayer("id").optRelu(true).optUpsample(Upsample.BILINEAR)
                    .optBackend(backend).build().attribute(model, x, Target.perExample(2, 0)).values(), method);
        });
        add(cases, "method_AttentionRollout_L4B2H3S9", rng -> {
            Tensor attention = softmaxRows(Shape.of(4, 2, 3, 9, 9), rng);
            return new Run(backend -> AttentionRollout.builder().optDiscardRatio(0.5).optBackend(backend).build()
                    .rollout(attention).rollout(), method);
        });
        add(cases, "method_GradientWeightedRollout_L4B2H3S9", rng -> {
            Tensor attention = softmaxRows(Shape.of(4, 2, 3, 9, 9), rng);
            Tensor gradients = uniform(attention.shape(), rng, -1, 1);
            return new Run(backend -> GradientWeightedRollout.builder().optBackend(backend).build()
                    .rollout(attention, gradients).rollout(), method);
        });
    }

    /** Random attention probabilities: each row of the last axis a softmax of uniform logits in [-2, 2). */
    private static Tensor softmaxRows(Shape shape, SplittableRandom rng) {
        int seq = shape.dim(shape.rank() - 1);
        float[] v = uniform(shape, rng, -2, 2).data();
        for (int row = 0; row < v.length; row += seq) {
            double sum = 0;
            for (int j = row; j < row + seq; j++) {
                sum += Math.exp(v[j]);
            }
            for (int j = row; j < row + seq; j++) {
                v[j] = (float) (Math.exp(v[j]) / sum);
            }
        }
        return Tensor.of(v, shape);
    }

    private static void elementwise(List<Case> cases) {
        for (Shape shape : List.of(Shape.of(1), Shape.of(7), Shape.of(30_011), Shape.of(3, 5, 7),
                Shape.of(2, 3, 28, 28))) {
            String dims = dims(shape);
            binary(cases, "add_" + dims, shape, Backend::add);
            binary(cases, "subtract_" + dims, shape, Backend::subtract);
            binary(cases, "multiply_" + dims, shape, Backend::multiply);
            add(cases, "abs_" + dims, rng -> {
                Tensor a = uniform(shape, rng, -3, 3);
                return new Run(b -> b.abs(a), RELATIVE);
            });
        }
    }

    private interface Binary {
        Tensor apply(Backend backend, Tensor a, Tensor b);
    }

    private static void binary(List<Case> cases, String name, Shape shape, Binary op) {
        add(cases, name, rng -> {
            Tensor a = uniform(shape, rng, -3, 3);
            Tensor b = uniform(shape, rng, -3, 3);
            return new Run(backend -> op.apply(backend, a, b), RELATIVE);
        });
    }

    /** {@code n} examples of {@code example} shape over {@code k} steps (or samples). */
    private record Plan(int n, Shape example, int k) {}

    /** interpolate, weightedStepSum and accumulateSamples (k samples) over 1 to 50 steps, odd sizes included. */
    private static void integratedGradients(List<Case> cases) {
        for (Plan plan : List.of(new Plan(1, Shape.of(1), 1), new Plan(1, Shape.of(7), 7), new Plan(3, Shape.of(5), 50),
                new Plan(2, Shape.of(3, 28, 28), 20), new Plan(1, Shape.of(40_009), 3), new Plan(5, Shape.of(1), 1))) {
            int n = plan.n();
            Shape example = plan.example();
            int k = plan.k();
            String tag = "n" + n + "_" + dims(example) + "_k" + k;
            add(cases, "interpolate_" + tag, rng -> {
                Tensor x = uniform(example.prependBatch(n), rng, -3, 3);
                Tensor b = uniform(example.prependBatch(n), rng, -3, 3);
                float[] alphas = new float[k];
                for (int s = 0; s < k; s++) {
                    alphas[s] = (s + 0.5f) / k;
                }
                return new Run(backend -> backend.interpolate(x, b, alphas), RELATIVE);
            });
            add(cases, "weightedStepSum_" + tag, rng -> {
                Tensor grads = uniform(example.prependBatch(k * n), rng, -3, 3);
                float[] w = new float[k];
                for (int s = 0; s < k; s++) {
                    w[s] = (float) rng.nextDouble(-1, 1) / k;
                }
                return new Run(backend -> backend.weightedStepSum(grads, w, n), scaled(summandScale(grads, w)));
            });
            add(cases, "accumulateSamples_" + tag, rng -> {
                Tensor rows = uniform(example.prependBatch(n * k), rng, -3, 3);
                return new Run(backend -> accumulateInChunks(backend, rows, n, example, k), EXACT);
            });
        }
    }

    /** {@code max_j sum_s |w[s] * g[s*m + j]|}: the size of the weighted step sum's summands. */
    private static double summandScale(Tensor grads, float[] w) {
        int m = grads.size() / w.length;
        double scale = 0;
        for (int j = 0; j < m; j++) {
            double magnitude = 0;
            for (int s = 0; s < w.length; s++) {
                magnitude += Math.abs((double) w[s] * grads.data()[s * m + j]);
            }
            scale = Math.max(scale, magnitude);
        }
        return scale;
    }

    /**
     * NoiseTunnel sums over chunks that cross examples, as {@link #doubleBits} of {@code [sum, sumOfSquares]}
     * (the recorded files are float32, which cannot hold a double).
     */
    private static Tensor accumulateInChunks(Backend backend, Tensor rows, int n, Shape example, int samples) {
        SampleSums sums = SampleSums.zeros(n, example);
        int chunk = samples * n / 3 + 1;
        for (int from = 0; from < n * samples; from += chunk) {
            sums = backend.accumulateSamples(sums, rows.rows(from, Math.min(n * samples, from + chunk)), from, samples);
        }
        return doubleBits(sums.sum(), sums.sumOfSquares());
    }

    /**
     * The 64 bits of every double as three pieces of 22, 21 and 21 bits (low first), each held exactly as a
     * float: {@code [2, count, 3]}.
     */
    static Tensor doubleBits(double[] first, double[] second) {
        float[] out = new float[6 * first.length];
        for (int e = 0; e < 2 * first.length; e++) {
            long bits = Double.doubleToRawLongBits(e < first.length ? first[e] : second[e - first.length]);
            out[3 * e] = bits & 0x3f_ffff;
            out[3 * e + 1] = (bits >>> 22) & 0x1f_ffff;
            out[3 * e + 2] = bits >>> 43;
        }
        return Tensor.of(out, 2, first.length, 3);
    }

    /** Odd sizes, offsets not on a Philox block boundary, block indices above 2^32, negative seeds. */
    private static void noise(List<Case> cases) {
        Shape[] shapes = {Shape.of(1), Shape.of(7), Shape.of(3, 5, 7), Shape.of(30_011), Shape.of(2, 3, 28, 28)};
        long[] offsets = {0L, 3L, 1L << 34, 5L, 123_456_789_013L};
        for (int d = 0; d < shapes.length; d++) {
            Shape shape = shapes[d];
            long offset = offsets[d];
            for (long seed : new long[] {0L, 42L, -7L, 0x1234_5678_9ABC_DEF0L}) {
                add(cases, "gaussian_" + dims(shape) + "_at" + offset + "_seed" + Long.toHexString(seed),
                        rng -> new Run(backend -> backend.gaussian(shape, 0.75f, seed, offset), GAUSSIAN));
            }
        }
    }

    private static void classActivationMaps(List<Case> cases) {
        for (Shape shape : List.of(Shape.of(1, 1, 1, 1), Shape.of(2, 3, 7, 7), Shape.of(3, 512, 7, 7),
                Shape.of(2, 3, 5, 3))) {
            String dims = dims(shape);
            add(cases, "spatialMean_" + dims, rng -> {
                Tensor maps = uniform(shape, rng, -3, 3);
                return new Run(backend -> backend.spatialMean(maps), RELATIVE);
            });
            for (boolean perChannel : new boolean[] {true, false}) {
                for (boolean relu : new boolean[] {false, true}) {
                    String tag = (perChannel ? "_perChannel" : "_perElement") + (relu ? "_relu" : "");
                    add(cases, "weightedChannelSum_" + dims + tag, rng -> {
                        Tensor activation = uniform(shape, rng, -3, 3);
                        Shape ws = perChannel ? Shape.of(shape.dim(0), shape.dim(1)) : shape;
                        Tensor weights = uniform(ws, rng, -1, 1);
                        return new Run(backend -> backend.weightedChannelSum(activation, weights, relu), EXACT);
                    });
                }
            }
        }
        int[][] resizes = {{7, 7, 224, 224}, {5, 3, 13, 17}, {9, 9, 4, 4}, {1, 1, 3, 5}};
        for (int[] r : resizes) {
            for (Resize mode : Resize.values()) {
                add(cases, "resize_" + mode.name().toLowerCase() + "_" + r[0] + "x" + r[1] + "_to_" + r[2] + "x" + r[3],
                        rng -> {
                            Tensor maps = uniform(Shape.of(1, 2, r[0], r[1]), rng, -3, 3);
                            return new Run(backend -> backend.resize(maps, r[2], r[3], mode), EXACT);
                        });
            }
        }
    }

    /** Attention batches {@code [M, H, S, S]}: S in {1, 5, 197}, H in {1, 12}. */
    private static void attention(List<Case> cases) {
        for (int seq : new int[] {1, 5, 197}) {
            int maps = seq == 197 ? 2 : 3;
            for (int heads : new int[] {1, 12}) {
                Shape shape = Shape.of(maps, heads, seq, seq);
                String dims = dims(shape);
                for (HeadReduction mode : HeadReduction.values()) {
                    add(cases, "fuseHeads_" + mode.name().toLowerCase() + "_" + dims, rng -> {
                        Tensor attention = uniform(shape, rng, -1, 1);
                        return new Run(backend -> backend.fuseHeads(attention, mode), RELATIVE);
                    });
                }
                add(cases, "positiveGradientMean_" + dims, rng -> {
                    Tensor attention = uniform(shape, rng, 0, 1);
                    Tensor gradients = uniform(shape, rng, -3, 3);
                    return new Run(backend -> backend.positiveGradientMean(attention, gradients), RELATIVE);
                });
            }
        }
    }

    private static void rollout(List<Case> cases) {
        for (int seq : new int[] {1, 5, 197}) {
            int maps = seq == 197 ? 2 : 3;
            for (double discard : new double[] {0, 0.5, 0.9}) {
                for (double residual : new double[] {0, 0.5}) {
                    add(cases, "mixResidual_" + maps + "x" + seq + "_discard" + discard + "_residual" + residual,
                            rng -> {
                                Tensor fused = rolloutInput(maps, seq, rng);
                                return new Run(backend -> backend.mixResidual(fused, residual, discard), RELATIVE);
                            });
                }
            }
            for (int layers : new int[] {1, 2, 12}) {
                add(cases, "chainProduct_L" + layers + "_B2_S" + seq, rng -> {
                    Tensor chain = uniform(Shape.of(layers * 2, seq, seq), rng, 0, 2.0 / seq);
                    return new Run(backend -> backend.chainProduct(chain, layers), RELATIVE);
                });
            }
        }
    }

    /**
     * Fused maps {@code [maps, S, S]} in [0, 1): row 0 of map 0 all zero (its sum is 0 without a residual,
     * so it comes back NaN); map 1 on a grid of eighths, its zeros alternating with -0, so the rank selection
     * meets ties; the other maps continuous.
     */
    private static Tensor rolloutInput(int maps, int seq, SplittableRandom rng) {
        float[] v = new float[maps * seq * seq];
        for (int e = 0; e < v.length; e++) {
            v[e] = (float) rng.nextDouble();
            if (e / (seq * seq) == 1) {
                v[e] = (float) Math.floor(v[e] * 8) / 8;
                v[e] = v[e] == 0 && e % 2 == 1 ? -0f : v[e];
            }
        }
        Arrays.fill(v, 0, seq, 0f);
        return Tensor.of(v, maps, seq, seq);
    }

    private static void add(List<Case> cases, String name, Function<SplittableRandom, Run> setup) {
        cases.add(new Case(name, () -> setup.apply(new SplittableRandom(name.hashCode()))));
    }

    static Tensor uniform(Shape shape, SplittableRandom rng, double lo, double hi) {
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextDouble(lo, hi);
        }
        return Tensor.of(d, shape);
    }

    private static String dims(Shape shape) {
        StringBuilder s = new StringBuilder();
        for (int a = 0; a < shape.rank(); a++) {
            s.append(a == 0 ? "" : "x").append(shape.dim(a));
        }
        return s.toString();
    }
}
