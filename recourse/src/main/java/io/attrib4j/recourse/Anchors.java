package io.attrib4j.recourse;

import io.attrib4j.engine.model.ForwardModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Anchors: the rule with the largest coverage among those whose precision reaches the threshold.
 *
 * <pre>
 * prec(A) = E_{z ~ D(. | A)} [ f(z) = f(x) ]         D(. | A): training rows with A's features redrawn from x's bins
 * cov(A)  = P_{z ~ training data} [ A(z) ]
 * find    max_A cov(A)  subject to  P(prec(A) &gt;= tau) &gt;= 1 - delta
 * </pre>
 * Ribeiro, Singh and Guestrin, "Anchors: High-Precision Model-Agnostic Explanations", AAAI 2018; the search is
 * alibi's {@code AnchorBaseBeam.anchor_beam}: numeric features cut at quantiles (quartiles by default), categorical
 * ones compared by equality; a beam search over anchor size, each round's candidates (the beam's anchors plus one
 * predicate, kept only when their coverage beats the best anchor so far) ranked by KL-LUCB (Kaufmann and
 * Kalyanakrishnan, COLT 2013) with the Bernoulli KL confidence bounds
 * <pre>
 * ub = max { q : n KL(p_hat || q) &lt;= beta },  lb = min { q : n KL(p_hat || q) &lt;= beta }   (bisection, 17 steps)
 * beta_t = log(405.5 m t^1.1 / delta) + log log(405.5 m t^1.1 / delta)            m arms, round t
 * </pre>
 * then the beam's anchors sampled until their bounds clear the threshold by {@code epsilonStop}. Unlike alibi,
 * samples are not shared between an anchor and its extensions: each new arm starts with its own
 * {@code minSamplesStart} draws. Use it for a rule a reviewer can check ("in which region does this hold?");
 * every draw comes from one seeded generator, so a seed gives the same anchor.
 */
public final class Anchors {
    private final AnchorOptions options;

    public Anchors(AnchorOptions options) {
        this.options = options;
    }

    public AnchorOptions options() {
        return options;
    }

    /** The anchor of {@code row}: the model's prediction for it, held by a few predicates. */
    public Anchor explain(ForwardModel model, float[] row, FeatureSpace space) {
        float[] x = space.checkRow(row, "the row");
        Search s = new Search(model, x, space, new SplittableRandom(options.seed()));
        return s.run();
    }

    /**
     * The precision of {@code anchor} for {@code row} re-estimated on {@code samples} fresh draws of the same
     * perturbation distribution (with its own seed): a check of the search's estimate.
     */
    public double precision(ForwardModel model, float[] row, FeatureSpace space, Anchor anchor, int samples,
            long seed) {
        Search s = new Search(model, space.checkRow(row, "the row"), space, new SplittableRandom(seed));
        return s.positives(anchor.features(), samples) / (double) samples;
    }

    /** One anchor search's state: the discretisation around the row, the coverage sample, the arms. */
    private final class Search {
        private final ForwardModel model;
        private final float[] x;
        private final FeatureSpace space;
        private final SplittableRandom rng;
        private final int d;
        private final float[][] thresholds;
        private final float[][] pool; // per feature: training values in the row's bin
        private final boolean[][] covered; // coverage sample x feature: in the row's bin
        private final int prediction;
        private final Map<List<Integer>, Arm> arms = new LinkedHashMap<>();

        Search(ForwardModel model, float[] x, FeatureSpace space, SplittableRandom rng) {
            this.model = model;
            this.x = x;
            this.space = space;
            this.rng = rng;
            d = x.length;
            thresholds = new float[d][];
            pool = new float[d][];
            for (int j = 0; j < d; j++) {
                thresholds[j] = options.categorical().contains(j) ? null : quantiles(j);
                List<Float> in = new ArrayList<>();
                for (int i = 0; i < space.size(); i++) {
                    if (sameBin(j, space.row(i)[j])) {
                        in.add(space.row(i)[j]);
                    }
                }
                pool[j] = new float[in.isEmpty() ? 1 : in.size()];
                for (int i = 0; i < in.size(); i++) {
                    pool[j][i] = in.get(i);
                }
                if (in.isEmpty()) {
                    pool[j][0] = x[j];
                }
            }
            covered = new boolean[options.coverageSamples()][d];
            for (int s = 0; s < covered.length; s++) {
                float[] r = space.row(rng.nextInt(space.size()));
                for (int j = 0; j < d; j++) {
                    covered[s][j] = sameBin(j, r[j]);
                }
            }
            prediction = Counterfactuals.argmax(Counterfactuals.forward(model, List.of(x)).get(0));
        }

        private float[] quantiles(int j) {
            float[] col = new float[space.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = space.row(i)[j];
            }
            Arrays.sort(col);
            double[] pct = options.percentiles();
            float[] q = new float[pct.length];
            int n = 0;
            for (double p : pct) {
                double pos = p / 100 * (col.length - 1); // linear interpolation, numpy's default
                int lo = (int) Math.floor(pos);
                int hi = Math.min(col.length - 1, lo + 1);
                float v = (float) (col[lo] + (pos - lo) * (col[hi] - col[lo]));
                if (n == 0 || v > q[n - 1]) {
                    q[n++] = v;
                }
            }
            return Arrays.copyOf(q, n);
        }

        private int bin(int j, float v) {
            int b = 0;
            while (b < thresholds[j].length && v > thresholds[j][b]) {
                b++;
            }
            return b;
        }

        private boolean sameBin(int j, float v) {
            return thresholds[j] == null ? v == x[j] : bin(j, v) == bin(j, x[j]);
        }

        String predicate(int j) {
            String name = space.name(j);
            if (thresholds[j] == null) {
                return name + " = " + fmt(x[j]);
            }
            int b = bin(j, x[j]);
            float[] t = thresholds[j];
            if (t.length == 0) {
                return name + " any";
            }
            if (b == 0) {
                return name + " <= " + fmt(t[0]);
            }
            if (b == t.length) {
                return name + " > " + fmt(t[t.length - 1]);
            }
            return fmt(t[b - 1]) + " < " + name + " <= " + fmt(t[b]);
        }

        /** Model agreements with the row's prediction over {@code n} fresh draws of D(. | features). */
        int positives(List<Integer> features, int n) {
            return positivesOf(List.of(features), n)[0];
        }

        /** {@link #positives(List, int)} of several anchors, their draws evaluated in shared model calls. */
        int[] positivesOf(List<List<Integer>> anchors, int n) {
            List<float[]> rows = new ArrayList<>(n * anchors.size());
            for (List<Integer> features : anchors) {
                for (int s = 0; s < n; s++) {
                    float[] z = space.row(rng.nextInt(space.size())).clone();
                    for (int j : features) {
                        z[j] = pool[j][rng.nextInt(pool[j].length)];
                    }
                    rows.add(z);
                }
            }
            int[] pos = new int[anchors.size()];
            int chunk = 2048;
            for (int from = 0; from < rows.size(); from += chunk) {
                List<float[]> out = Counterfactuals.forward(model, rows.subList(from, Math.min(rows.size(), from + chunk)));
                for (int r = 0; r < out.size(); r++) {
                    pos[(from + r) / n] += Counterfactuals.argmax(out.get(r)) == prediction ? 1 : 0;
                }
            }
            return pos;
        }

        /** Draws {@code count} more samples for each arm, in shared model calls. */
        void pull(List<Arm> arms, int count) {
            int[] pos = positivesOf(arms.stream().map(a -> a.features).toList(), count);
            for (int i = 0; i < arms.size(); i++) {
                arms.get(i).pos += pos[i];
                arms.get(i).n += count;
            }
        }

        Arm arm(List<Integer> features) {
            return arms.computeIfAbsent(features, f -> {
                Arm a = new Arm(f, coverage(f));
                a.pull(options.minSamplesStart());
                return a;
            });
        }

        private double coverage(List<Integer> features) {
            int c = 0;
            for (boolean[] row : covered) {
                boolean all = true;
                for (int j : features) {
                    all &= row[j];
                }
                c += all ? 1 : 0;
            }
            return c / (double) covered.length;
        }

        Anchor run() {
            Arm empty = arm(List.of());
            double beta0 = Math.log(1 / options.delta());
            while (empty.mean() > options.threshold()
                    && KlBounds.lower(empty.mean(), beta0 / empty.n) < options.threshold() - options.tau()) {
                empty.pull(options.batchSize());
            }
            if (KlBounds.lower(empty.mean(), beta0 / empty.n) > options.threshold()) {
                return anchor(empty, true, beta0);
            }
            int maxSize = options.maxAnchorSize() == 0 ? d : Math.min(d, options.maxAnchorSize());
            double betaStop = Math.log(1 / (options.delta() / (1 + (options.beamSize() - 1) * (double) d)));
            List<Arm> beam = List.of(empty);
            List<Arm> seen = new ArrayList<>();
            Arm best = null;
            double bestCoverage = -1;
            for (int size = 1; size <= maxSize; size++) {
                List<Arm> candidates = new ArrayList<>();
                for (Arm a : beam) {
                    for (int j = 0; j < d; j++) {
                        if (a.features.contains(j)) {
                            continue;
                        }
                        List<Integer> f = new ArrayList<>(a.features);
                        f.add(j);
                        List<Integer> key = f.stream().sorted().toList();
                        if (candidates.stream().anyMatch(c -> c.key().equals(key))) {
                            continue;
                        }
                        double cov = coverage(key);
                        if (cov > bestCoverage) {
                            candidates.add(arms.computeIfAbsent(key, k -> new Arm(f, cov)));
                        }
                    }
                }
                if (candidates.isEmpty()) {
                    break;
                }
                pull(candidates.stream().filter(a -> a.n == 0).toList(), options.minSamplesStart());
                beam = klLucb(candidates, Math.min(options.beamSize(), candidates.size()));
                seen.addAll(beam);
                for (List<Arm> more = beam; !more.isEmpty(); ) {
                    more = beam.stream().filter(a -> toSample(a, betaStop)).toList();
                    pull(more, options.batchSize());
                }
                for (Arm a : beam) {
                    if (valid(a, betaStop) && a.coverage > bestCoverage) {
                        best = a;
                        bestCoverage = a.coverage;
                    }
                }
                if (bestCoverage == 1) {
                    break;
                }
            }
            if (best != null) {
                return anchor(best, true, betaStop);
            }
            Arm top = seen.isEmpty() ? empty : klLucb(seen, 1).get(0);
            return anchor(top, false, betaStop);
        }

        private boolean toSample(Arm a, double beta) {
            double m = a.mean();
            double t = options.threshold();
            double eps = options.epsilonStop();
            return m >= t && KlBounds.lower(m, beta / a.n) < t - eps || m < t && KlBounds.upper(m, beta / a.n) >= t + eps;
        }

        private boolean valid(Arm a, double beta) {
            return a.mean() >= options.threshold()
                    && KlBounds.lower(a.mean(), beta / a.n) > options.threshold() - options.epsilonStop();
        }

        /** KL-LUCB: pull the two critical arms until the best outside arm's ub and the worst inside arm's lb meet. */
        private List<Arm> klLucb(List<Arm> arms, int top) {
            if (arms.size() == top) {
                return arms;
            }
            for (int t = 1; ; t++) {
                List<Arm> sorted = new ArrayList<>(arms);
                sorted.sort(Comparator.comparingDouble(Arm::mean).reversed());
                List<Arm> in = sorted.subList(0, top);
                List<Arm> out = sorted.subList(top, sorted.size());
                double beta = KlBounds.beta(arms.size(), t, options.delta());
                Arm ut = out.get(0);
                double ub = -1;
                for (Arm a : out) {
                    double u = KlBounds.upper(a.mean(), beta / a.n);
                    if (u > ub) {
                        ub = u;
                        ut = a;
                    }
                }
                Arm lt = in.get(0);
                double lb = 2;
                for (Arm a : in) {
                    double l = KlBounds.lower(a.mean(), beta / a.n);
                    if (l < lb) {
                        lb = l;
                        lt = a;
                    }
                }
                if (ub - lb <= options.tau()) {
                    return new ArrayList<>(in);
                }
                pull(List.of(ut, lt), options.batchSize());
            }
        }

        private Anchor anchor(Arm a, boolean ok, double beta) {
            List<String> preds = a.features.stream().map(this::predicate).toList();
            return new Anchor(a.features, preds, prediction, space.className(prediction), a.mean(),
                    KlBounds.lower(a.mean(), beta / a.n), a.coverage, a.n, ok);
        }

        /** An arm of the bandit: one candidate anchor and its draws. */
        private final class Arm {
            final List<Integer> features;
            final double coverage;
            int n;
            int pos;

            Arm(List<Integer> features, double coverage) {
                this.features = List.copyOf(features);
                this.coverage = coverage;
            }

            List<Integer> key() {
                return features.stream().sorted().toList();
            }

            double mean() {
                return n == 0 ? 0 : pos / (double) n;
            }

            void pull(int count) {
                pos += positives(features, count);
                n += count;
            }
        }
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
