package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import java.util.SplittableRandom;

/**
 * Testing with Concept Activation Vectors (Kim et al. 2018, "Interpretability Beyond Feature
 * Attribution: Quantitative Testing with Concept Activation Vectors (TCAV)"): how much a human concept,
 * given by example inputs, pushes a model toward a class.
 * <pre>
 *   v_C      = normal of a linear classifier separating f_l(concept) from f_l(random)   (the CAV)
 *   S_C,k(x) = ∇ h_{l,k}(f_l(x)) · v_C                                                  (directional derivative)
 *   TCAV_C,k = |{x ∈ X_k : S_C,k(x) > 0}| / |X_k|
 * </pre>
 * {@code f_l} is the activation of layer {@code l} (pooled by the extractor's {@link Pooling}; the
 * gradient is pooled the same way, which keeps the sign of the derivative along the pooled direction),
 * {@code h_{l,k}} the target logit as a function of it, {@code X_k} the class inputs. The CAV is the
 * {@link LinearProbe}'s binary weight vector (concept = 1, random = 0) in activation space.
 *
 * <p>As the paper prescribes, the score is repeated against {@code R} random sets, and the same is done for
 * random-versus-random CAVs (one extra random set against each of the {@code R}). The {@code R + 1} random sets
 * are disjoint, each of as many examples as the concept has, drawn without replacement from one seeded
 * permutation of the random pool, which must therefore hold at least {@code (R + 1) · |concept|} examples:
 * overlapping sets would make the random CAVs copies of one another and the test meaningless. A two-sided
 * two-sample t-test of the concept's scores against the random ones gives the p-value ({@link TcavResult#pValue},
 * NaN when the experiment is not testable: every score on both sides equal), and the concept is significant
 * when {@code p < alpha}. Testing many concepts, classes or layers multiplies the chances
 * of a false positive: divide {@code alpha} by the number of tests (Bonferroni), as the paper does.
 *
 * <p>Use it to ask whether a model uses a concept for a class, with concept examples that need not be
 * inputs of any training class. Defaults: {@code R = 10}, alpha 0.05, seed 0,
 * {@link LinearProbe#withDefaults()}, {@link ActivationExtractor#withDefaults()} (flatten, batches of 32).
 */
public final class Tcav {
    private final int randomSets;
    private final double alpha;
    private final long seed;
    private final LinearProbe probe;
    private final ActivationExtractor extractor;

    private Tcav(Builder b) {
        this.randomSets = b.randomSets;
        this.alpha = b.alpha;
        this.seed = b.seed;
        this.probe = b.probe;
        this.extractor = b.extractor;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Tcav withDefaults() {
        return builder().build();
    }

    /**
     * TCAV scores of a concept for the target of {@code classInputs}.
     *
     * @param concept inputs showing the concept, at least 2
     * @param randomPool inputs to draw the {@code R + 1} disjoint random sets from, at least
     *     {@code (R + 1) · concept.batch()}
     * @param classInputs inputs of the class under test
     * @param target the logit to differentiate (usually {@code Target.classIndex(k)})
     * @throws io.attrib4j.engine.UnsupportedModelException when the model cannot be split at layers
     * @throws InvalidInputException for too few examples, an unknown layer, or a layer the target has no
     *     gradient path from (every class input's gradient there is zero)
     */
    public TcavResult run(ForwardModel model, String layer, Tensor concept, Tensor randomPool, Tensor classInputs,
            Target target) {
        LayerModel layered = ActivationExtractor.requireLayerModel(model);
        requireExamples(concept, 2, "concept");
        requireRandomPool(randomPool, concept.batch());
        requireExamples(classInputs, 1, "class");
        double[][] conceptRows = ProbeData.rows(extractor.extract(model, layer, concept));
        double[][] randomRows = ProbeData.rows(extractor.extract(model, layer, randomPool));
        double[][] gradients = classGradients(layered, layer, classInputs, target);
        int[][] drawn = disjointSets(seed, randomRows.length, randomSets + 1, concept.batch());
        double[][][] sets = new double[drawn.length][][];
        for (int s = 0; s < drawn.length; s++) {
            sets[s] = ProbeData.select(randomRows, drawn[s]);
        }
        double[] conceptScores = new double[randomSets];
        double[] randomScores = new double[randomSets];
        for (int s = 0; s < randomSets; s++) {
            conceptScores[s] = score(cav(conceptRows, sets[s]), gradients);
            randomScores[s] = score(cav(sets[randomSets], sets[s]), gradients);
        }
        return new TcavResult(layer, target.describe(), conceptScores, randomScores,
                StudentT.twoSampleP(conceptScores, randomScores), alpha);
    }

    /** The pooled layer gradient of the target for each class input, in batches of the extractor's size. */
    private double[][] classGradients(LayerModel model, String layer, Tensor inputs, Target target) {
        int n = inputs.batch();
        int batch = extractor.batchSize();
        double[][] out = new double[n][];
        boolean anyNonZero = false;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            Tensor g = model.layerGradients(inputs.rows(from, to), layer, target).gradient();
            double[][] rows = ProbeData.rows(extractor.pooling().apply(g, layer));
            for (int i = 0; i < rows.length; i++) {
                out[from + i] = rows[i];
                for (double v : rows[i]) {
                    anyNonZero |= v != 0;
                }
            }
        }
        if (!anyNonZero) {
            throw new InvalidInputException("the gradient of " + target.describe() + " with respect to layer '" + layer
                    + "' is zero for all " + n + " class inputs: the target has no gradient path from that layer "
                    + "(it does not depend on it, or every unit there is inactive), so directional derivatives are "
                    + "all zero; pick a layer the target depends on (before the output)");
        }
        return out;
    }

    /** The CAV: the binary probe's weight vector, positive side {@code positive}. */
    private double[] cav(double[][] positive, double[][] negative) {
        int n = positive.length + negative.length;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean pos = i < positive.length;
            x[i] = pos ? positive[i] : negative[i - positive.length];
            y[i] = pos ? 1 : 0;
        }
        return probe.fit(x, y, 2).binaryDirection();
    }

    /** Fraction of gradients with a positive dot product with {@code cav}. */
    static double score(double[] cav, double[][] gradients) {
        int positive = 0;
        for (double[] g : gradients) {
            double s = 0;
            for (int j = 0; j < cav.length; j++) {
                s += g[j] * cav[j];
            }
            positive += s > 0 ? 1 : 0;
        }
        return (double) positive / gradients.length;
    }

    /**
     * {@code sets} disjoint sets of {@code size} indices below {@code pool}: consecutive slices of one seeded
     * partial permutation. The caller has checked {@code sets · size <= pool}.
     */
    static int[][] disjointSets(long seed, int pool, int sets, int size) {
        int[] order = draw(new SplittableRandom(seed), pool, sets * size);
        int[][] out = new int[sets][];
        for (int s = 0; s < sets; s++) {
            out[s] = java.util.Arrays.copyOfRange(order, s * size, (s + 1) * size);
        }
        return out;
    }

    /** {@code m} distinct indices below {@code n} (partial Fisher-Yates). */
    private static int[] draw(SplittableRandom rnd, int n, int m) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }

    private static void requireExamples(Tensor t, int atLeast, String what) {
        if (t == null || t.shape().rank() < 1 || t.batch() < atLeast) {
            throw new InvalidInputException("the " + what + " inputs hold " + held(t) + " but TCAV needs at least "
                    + atLeast + "; pass more " + what + " examples");
        }
    }

    /** The pool must fill {@code R + 1} disjoint random sets of the concept's size. */
    private void requireRandomPool(Tensor pool, int conceptSize) {
        long needed = (long) (randomSets + 1) * conceptSize;
        if (pool == null || pool.shape().rank() < 1 || pool.batch() < needed) {
            throw new InvalidInputException("the random pool holds " + held(pool) + " but TCAV draws " + (randomSets + 1)
                    + " disjoint random sets (optRandomSets(" + randomSets + ") plus one for the random-versus-random "
                    + "CAVs) of " + conceptSize + " examples each (the concept set's size), so it needs at least " + needed
                    + "; pass more random examples, fewer concept examples, or lower optRandomSets");
        }
    }

    private static String held(Tensor t) {
        return t == null || t.shape().rank() < 1 ? "nothing" : t.batch() + " examples";
    }

    public int randomSets() {
        return randomSets;
    }

    public double alpha() {
        return alpha;
    }

    public long seed() {
        return seed;
    }

    /** Options of {@link Tcav}; every one optional. */
    public static final class Builder {
        private int randomSets = 10;
        private double alpha = 0.05;
        private long seed = 0;
        private LinearProbe probe = LinearProbe.withDefaults();
        private ActivationExtractor extractor = ActivationExtractor.withDefaults();

        private Builder() {}

        /** Number of random sets {@code R}, at least 2 (default 10). */
        public Builder optRandomSets(int randomSets) {
            this.randomSets = randomSets;
            return this;
        }

        /** Significance level of the t-test, in (0, 1) (default 0.05). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Seed of the random-set draws (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The linear classifier whose normal is the CAV (default {@link LinearProbe#withDefaults()}). */
        public Builder optProbe(LinearProbe probe) {
            this.probe = probe;
            return this;
        }

        /** How layer activations are extracted, pooled and cached (default flatten, batches of 32). */
        public Builder optExtractor(ActivationExtractor extractor) {
            this.extractor = extractor;
            return this;
        }

        public Tcav build() {
            if (randomSets < 2) {
                throw new InvalidOptionException("TCAV needs at least 2 random sets for its t-test, got " + randomSets
                        + "; the paper uses many, try 10");
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new InvalidOptionException("alpha " + alpha + " must be in (0, 1); try 0.05");
            }
            if (probe == null || extractor == null) {
                throw new InvalidOptionException("probe and extractor must not be null; leave them unset for defaults");
            }
            return new Tcav(this);
        }
    }
}
