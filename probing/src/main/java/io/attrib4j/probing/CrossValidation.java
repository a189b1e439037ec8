package io.attrib4j.probing;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stratified k-fold cross-validation of a {@link LinearProbe}: each fold holds out about {@code 1/k}
 * of every class (per-class counts of any two folds differ by at most 1), trains on the rest
 * (standardization fitted on the training part only), and scores accuracy and macro-F1 on the
 * held-out part. Reports each fold, the mean, and a 95% t-interval across folds.
 *
 * <p>Folds are drawn from the seed: the same seed and labels give the same folds. Defaults: 5 folds,
 * seed 0.
 */
public final class CrossValidation {
    private final int folds;
    private final long seed;

    private CrossValidation(Builder b) {
        this.folds = b.folds;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static CrossValidation withDefaults() {
        return builder().build();
    }

    public int folds() {
        return folds;
    }

    public long seed() {
        return seed;
    }

    /**
     * Scores {@code probe} on {@code activations [n, d]} with {@code labels}.
     *
     * @throws io.attrib4j.engine.InvalidInputException for bad activations or labels (see {@link LinearProbe#fit})
     * @throws InvalidOptionException when a class has fewer examples than there are folds
     */
    public CrossValidationResult run(LinearProbe probe, Tensor activations, int[] labels) {
        double[][] x = ProbeData.rows(activations);
        int classes = ProbeData.numClasses(labels, x.length, "labels");
        return run(probe, x, labels, classes, assignFolds(labels, classes));
    }

    /**
     * Cross-validates one probe per L2 strength on the same folds and keeps the one with the best mean
     * accuracy (see {@link RegularizationSweep} for the tie rule and the selection bias).
     */
    public RegularizationSweep sweep(LinearProbe probe, double[] lambdas, Tensor activations, int[] labels) {
        if (lambdas == null || lambdas.length == 0) {
            throw new InvalidOptionException("no L2 strengths to sweep; pass e.g. {1e-4, 1e-3, 1e-2, 1e-1, 1}");
        }
        double[][] x = ProbeData.rows(activations);
        int classes = ProbeData.numClasses(labels, x.length, "labels");
        int[] fold = assignFolds(labels, classes);
        List<Double> tried = new ArrayList<>();
        List<CrossValidationResult> results = new ArrayList<>();
        int best = 0;
        for (int i = 0; i < lambdas.length; i++) {
            CrossValidationResult r = run(probe.withL2(lambdas[i]), x, labels, classes, fold);
            tried.add(lambdas[i]);
            results.add(r);
            double gap = r.meanAccuracy() - results.get(best).meanAccuracy();
            if (gap > 0 || (gap == 0 && lambdas[i] > lambdas[best])) {
                best = i;
            }
        }
        return new RegularizationSweep(tried, results, lambdas[best], results.get(best));
    }

    /**
     * The fold of each example: within each class, examples are shuffled (seeded) and dealt round-robin,
     * each class starting where the previous one stopped, so fold sizes also differ by at most 1.
     *
     * @throws InvalidOptionException when a class has fewer examples than {@code folds}
     */
    public static int[] stratifiedFolds(int[] labels, int folds, long seed) {
        int classes = ProbeData.numClasses(labels, labels == null ? 0 : labels.length, "labels");
        return stratifiedFolds(labels, classes, folds, seed);
    }

    private int[] assignFolds(int[] labels, int classes) {
        return stratifiedFolds(labels, classes, folds, seed);
    }

    private static int[] stratifiedFolds(int[] labels, int classes, int folds, long seed) {
        if (folds < 2) {
            throw new InvalidOptionException("cross-validation needs at least 2 folds, got " + folds + "; try 5");
        }
        int[] counts = ProbeData.classCounts(labels, classes);
        for (int c = 0; c < classes; c++) {
            if (counts[c] > 0 && counts[c] < folds) {
                throw new InvalidOptionException("class " + c + " has " + counts[c] + " examples, fewer than the "
                        + folds + " folds, so some folds could not hold it out; use at most " + counts[c]
                        + " folds or gather more examples of class " + c);
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] fold = new int[labels.length];
        int dealer = 0;
        for (int c = 0; c < classes; c++) {
            int[] members = new int[counts[c]];
            int m = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members[m++] = i;
                }
            }
            for (int i = members.length - 1; i > 0; i--) { // Fisher-Yates
                int j = rnd.nextInt(i + 1);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            for (int member : members) {
                fold[member] = dealer;
                dealer = (dealer + 1) % folds;
            }
        }
        return fold;
    }

    /** Folds are given, so several label sets (task, control) can share them. */
    CrossValidationResult run(LinearProbe probe, double[][] x, int[] labels, int classes, int[] fold) {
        int k = 0;
        for (int f : fold) {
            k = Math.max(k, f + 1);
        }
        double[] acc = new double[k];
        double[] f1 = new double[k];
        for (int f = 0; f < k; f++) {
            int[] train = indicesWhere(fold, f, false);
            int[] test = indicesWhere(fold, f, true);
            FittedProbe fitted = probe.fit(ProbeData.select(x, train), ProbeData.select(labels, train), classes);
            int[] truth = ProbeData.select(labels, test);
            int[] predicted = fitted.predict(ProbeData.select(x, test));
            acc[f] = Metrics.accuracy(truth, predicted);
            f1[f] = Metrics.macroF1(truth, predicted, classes);
        }
        return CrossValidationResult.of(acc, f1);
    }

    int[] foldsFor(int[] labels, int classes) {
        return assignFolds(labels, classes);
    }

    private static int[] indicesWhere(int[] fold, int f, boolean in) {
        int n = 0;
        for (int v : fold) {
            if ((v == f) == in) {
                n++;
            }
        }
        int[] out = new int[n];
        int i = 0;
        for (int e = 0; e < fold.length; e++) {
            if ((fold[e] == f) == in) {
                out[i++] = e;
            }
        }
        return out;
    }

    /** Options of {@link CrossValidation}; every one optional. */
    public static final class Builder {
        private int folds = 5;
        private long seed = 0;

        private Builder() {}

        /** Number of folds, at least 2 (default 5). */
        public Builder optFolds(int folds) {
            this.folds = folds;
            return this;
        }

        /** Seed of the fold assignment (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public CrossValidation build() {
            if (folds < 2) {
                throw new InvalidOptionException("cross-validation needs at least 2 folds, got " + folds + "; try 5");
            }
            return new CrossValidation(this);
        }
    }
}
