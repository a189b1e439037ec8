package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.recourse.CounterfactualOptions.Search;
import io.attrib4j.recourse.CounterfactualResult.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Diverse counterfactual explanations: k rows near x that the model puts in the desired class, under
 * {@link Constraints}.
 *
 * <pre>
 * c* = argmin_c  (1/k) sum_i yloss(m_i) + lambda_1 (1/(d k)) sum_i sum_j |c_ij - x_j| / MAD_j - lambda_2 det(K)
 *      subject to c_i feasible under the constraints
 * </pre>
 * (terms in {@link DiceLoss}). Wachter, Mittelstadt and Russell, "Counterfactual Explanations without Opening the
 * Black Box", Harvard JOLT 2017 (one counterfactual: validity + MAD-L1 proximity); Mothilal, Sharma and Tan,
 * "Explaining Machine Learning Classifiers through Diverse Counterfactual Explanations", FAT* 2020 (the DPP
 * diversity term, DiCE's defaults in {@link CounterfactualOptions}).
 *
 * <p>Search: with gradients ({@code model.capability(GradientModel.class)}) Adam on the loss, started as DiCE does
 * at {@code x + 0.01 i} for counterfactual i, projected onto the constraint box after every step and onto the
 * feasible set (grids, one-hot vectors) at the end; without gradients a genetic search over the same objective
 * (tree ensembles, forward-only ONNX Runtime models). Both end with a sparsity pass: each changed feature (or
 * one-hot group), smallest scaled change first, is reset to the row's value when the model still gives the
 * desired class. DiCE keeps one-hot groups by a penalty; here they are a projection, so they hold exactly.
 *
 * <p>Every measure of the result comes from a final forward pass on the returned rows. Constraints that leave
 * nothing to change give a result with status {@link Status#INFEASIBLE}, not an exception.
 * Immutable and thread-safe (given a thread-safe model).
 */
public final class Counterfactuals {
    /** Desired class "the other class" of a binary model. */
    public static final int OPPOSITE = -1;

    private final CounterfactualOptions options;

    public Counterfactuals(CounterfactualOptions options) {
        this.options = options;
    }

    public CounterfactualOptions options() {
        return options;
    }

    /**
     * The counterfactuals of {@code row}.
     *
     * @param desiredClass the class to reach, or {@link #OPPOSITE} for the other class of a two-class model
     * @throws InvalidInputException when the row does not fit the data, the desired class is out of range, or
     *     {@link #OPPOSITE} is asked of a model with more than two classes
     * @throws UnsupportedModelException when {@link Search#GRADIENT} is asked of a forward-only model
     */
    public CounterfactualResult explain(ForwardModel model, float[] row, FeatureSpace space, Constraints constraints,
            int desiredClass) {
        float[] x = space.checkRow(row, "the row");
        if (constraints.maxFeature() >= x.length) {
            throw new InvalidInputException("the constraints name feature " + constraints.maxFeature()
                    + " but rows have " + x.length + " features (0.." + (x.length - 1) + ")");
        }
        float[] logits = forward(model, List.of(x)).get(0);
        int classes = logits.length;
        if (classes < 2) {
            throw new InvalidInputException("the model gives " + classes + " output per row; counterfactuals need "
                    + "one logit per class (two or more)");
        }
        int original = argmax(logits);
        int desired = desiredClass == OPPOSITE ? opposite(classes, original) : desiredClass;
        if (desired < 0 || desired >= classes) {
            throw new InvalidInputException("desired class " + desiredClass + " is out of range: the model has "
                    + classes + " classes (valid: 0.." + (classes - 1) + ")");
        }
        Optional<GradientModel> gradients = model.capability(GradientModel.class);
        if (options.search() == Search.GRADIENT && gradients.isEmpty()) {
            throw new UnsupportedModelException("Counterfactuals with search=GRADIENT needs input gradients, but "
                    + "model '" + model.info().name() + "' runs forward only; use Search.GENETIC or AUTO");
        }
        boolean adam = options.search() != Search.GENETIC && gradients.isPresent();
        String search = adam ? "adam" : "genetic";
        if (desired == original) {
            return new CounterfactualResult(x, original, desired, Status.ALREADY_DESIRED,
                    "the model already gives the desired class " + space.className(desired) + "; nothing to change",
                    List.of(), 0, search, 0, options);
        }
        FeasibleBox box = new FeasibleBox(constraints, x, space);
        if (box.freeUnits().isEmpty()) {
            return new CounterfactualResult(x, original, desired, Status.INFEASIBLE,
                    "no counterfactual exists under these constraints: every feature is immutable or pinned by "
                            + "its range and direction; allow at least one feature to change",
                    List.of(), 0, search, 0, options);
        }
        DiceLoss loss = new DiceLoss(options, space, x, desired);
        int[] steps = new int[1];
        List<float[]> found = adam ? adam(gradients.get(), x, box, loss, steps)
                : genetic(model, x, box, loss, space, desired, steps);
        if (options.sparsityPass()) {
            sparsify(model, x, box, space, desired, found);
        }
        return assemble(model, x, original, desired, space, found, search, steps[0]);
    }

    private static int opposite(int classes, int original) {
        if (classes != 2) {
            throw new InvalidInputException("the model has " + classes + " classes, so 'the other class' is "
                    + "ambiguous; give the desired class (0.." + (classes - 1) + ")");
        }
        return 1 - original;
    }

    /** Adam on the DiCE loss, projected onto the constraint box after every step, snapped at the end. */
    private List<float[]> adam(GradientModel model, float[] x, FeasibleBox box, DiceLoss loss, int[] steps) {
        int k = options.count();
        int d = x.length;
        List<float[]> c = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            float[] v = x.clone();
            for (int j = 0; j < d; j++) {
                v[j] += i * 0.01f; // DiCE's init_near_query_instance
            }
            box.clip(v);
            c.add(v);
        }
        double[][] m1 = new double[k][d];
        double[][] m2 = new double[k][d];
        double b1 = 0.9;
        double b2 = 0.999;
        double previous = Double.NaN;
        for (int t = 1; t <= options.maxIterations(); t++) {
            steps[0] = t;
            ModelGradients g = model.gradients(FeatureSpace.stack(c), loss.marginTarget());
            List<float[]> logits = rows(g.output());
            double value = loss.objective(c, logits);
            boolean allValid = true;
            double[][] grad = new double[k][d];
            for (int i = 0; i < k; i++) {
                double m = loss.margin(logits.get(i));
                allValid &= m > 0;
                double slope = loss.yLossSlope(m) / k;
                for (int j = 0; j < d; j++) {
                    grad[i][j] = slope * g.inputGradient().data()[i * d + j];
                }
            }
            if (t > options.minIterations() && allValid && Math.abs(value - previous) < options.lossTolerance()) {
                break;
            }
            previous = value;
            loss.addProximityAndDiversityGradient(c, grad);
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < k; i++) {
                float[] v = c.get(i);
                for (int j = 0; j < d; j++) {
                    if (box.isFixed(j)) {
                        continue;
                    }
                    m1[i][j] = b1 * m1[i][j] + (1 - b1) * grad[i][j];
                    m2[i][j] = b2 * m2[i][j] + (1 - b2) * grad[i][j] * grad[i][j];
                    v[j] -= (float) (options.learningRate() * (m1[i][j] / c1) / (Math.sqrt(m2[i][j] / c2) + 1e-8));
                }
                box.clip(v);
            }
        }
        for (float[] v : c) {
            box.snap(v);
        }
        return c;
    }

    /**
     * The genetic search: a population of feasible rows (the row with a few features taken from training rows of the
     * desired class, or drawn in their interval), ranked by each candidate's part of the objective, refilled by
     * uniform crossover of features and mutation (reset to the row, or a new value); the k counterfactuals are then
     * chosen greedily from every valid candidate seen so as to minimise the whole objective, diversity included.
     */
    private List<float[]> genetic(ForwardModel model, float[] x, FeasibleBox box, DiceLoss loss, FeatureSpace space,
            int desired, int[] steps) {
        SplittableRandom rng = new SplittableRandom(options.seed());
        List<int[]> units = box.freeUnits();
        List<float[]> donors = donors(model, space, desired);
        int p = options.population();
        List<float[]> pop = new ArrayList<>();
        for (int s = 0; s < p; s++) {
            float[] v = x.clone();
            int changes = 1 + rng.nextInt(Math.min(units.size(), 1 + s % 8));
            for (int q = 0; q < changes; q++) {
                mutate(v, units.get(rng.nextInt(units.size())), box, donors, rng);
            }
            pop.add(v);
        }
        List<Candidate> archive = new ArrayList<>();
        for (int gen = 0; gen < options.generations(); gen++) {
            steps[0] = gen + 1;
            List<float[]> logits = forward(model, pop);
            List<Candidate> ranked = new ArrayList<>();
            for (int s = 0; s < pop.size(); s++) {
                Candidate cand = new Candidate(pop.get(s), logits.get(s), loss.individual(pop.get(s), logits.get(s)),
                        loss.margin(logits.get(s)) > 0);
                ranked.add(cand);
                if (cand.valid() && archive.stream().noneMatch(a -> Arrays.equals(a.values(), cand.values()))) {
                    archive.add(cand);
                }
            }
            ranked.sort(Comparator.comparingDouble(Candidate::score));
            List<float[]> next = new ArrayList<>();
            int elite = Math.max(1, p / 10);
            for (int s = 0; s < elite; s++) {
                next.add(ranked.get(s).values());
            }
            while (next.size() < p) {
                float[] a = ranked.get(rng.nextInt(p / 2)).values();
                float[] b = ranked.get(rng.nextInt(p / 2)).values();
                float[] child = a.clone();
                for (int[] u : units) {
                    if (rng.nextBoolean()) {
                        for (int j : u) {
                            child[j] = b[j];
                        }
                    }
                    if (rng.nextDouble() < 0.1) {
                        if (rng.nextBoolean()) {
                            box.reset(child, u);
                        } else {
                            mutate(child, u, box, donors, rng);
                        }
                    }
                }
                next.add(child);
            }
            pop = next;
        }
        archive.sort(Comparator.comparingDouble(Candidate::score));
        List<float[]> chosen = new ArrayList<>();
        List<float[]> chosenLogits = new ArrayList<>();
        List<Candidate> pool = archive.isEmpty() ? List.of(new Candidate(pop.get(0), null, 0, false)) : archive;
        while (chosen.size() < options.count() && chosen.size() < pool.size()) {
            Candidate best = null;
            double bestValue = Double.POSITIVE_INFINITY;
            for (Candidate cand : pool.subList(0, Math.min(pool.size(), 200))) {
                if (chosen.contains(cand.values())) {
                    continue;
                }
                chosen.add(cand.values());
                chosenLogits.add(cand.logits());
                double value = cand.logits() == null ? 0 : loss.objective(chosen, chosenLogits);
                chosen.remove(chosen.size() - 1);
                chosenLogits.remove(chosenLogits.size() - 1);
                if (value < bestValue) {
                    bestValue = value;
                    best = cand;
                }
            }
            chosen.add(best.values());
            chosenLogits.add(best.logits());
        }
        return chosen;
    }

    private record Candidate(float[] values, float[] logits, double score, boolean valid) {}

    /** Training rows the model puts in the desired class (all rows when none), as value donors. */
    private static List<float[]> donors(ForwardModel model, FeatureSpace space, int desired) {
        int[] predicted = predictions(model, space.tensor());
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < space.size(); i++) {
            if (predicted[i] == desired) {
                out.add(space.row(i));
            }
        }
        if (out.isEmpty()) {
            for (int i = 0; i < space.size(); i++) {
                out.add(space.row(i));
            }
        }
        return out;
    }

    private static void mutate(float[] v, int[] unit, FeasibleBox box, List<float[]> donors, SplittableRandom rng) {
        if (rng.nextInt(4) == 0) {
            box.draw(v, unit, rng);
        } else {
            box.copyFrom(v, unit, donors.get(rng.nextInt(donors.size())));
        }
    }

    /**
     * Resets changed units, smallest MAD-scaled change first, where the model keeps the desired class and the
     * counterfactual stays distinct from the others. One batched forward per round over all counterfactuals.
     */
    private static void sparsify(ForwardModel model, float[] x, FeasibleBox box, FeatureSpace space, int desired,
            List<float[]> cfs) {
        int k = cfs.size();
        List<List<int[]>> queues = new ArrayList<>();
        List<float[]> logits = forward(model, cfs);
        for (int i = 0; i < k; i++) {
            float[] c = cfs.get(i);
            List<int[]> q = new ArrayList<>();
            if (argmax(logits.get(i)) == desired) {
                for (int[] u : box.freeUnits()) {
                    if (box.changed(c, u)) {
                        q.add(u);
                    }
                }
                q.sort(Comparator.comparingDouble(u -> scaledChange(c, x, u, space)));
            }
            queues.add(q);
        }
        while (true) {
            List<Integer> who = new ArrayList<>();
            List<float[]> trial = new ArrayList<>();
            List<int[]> what = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                if (!queues.get(i).isEmpty()) {
                    int[] u = queues.get(i).remove(0);
                    float[] t = cfs.get(i).clone();
                    box.reset(t, u);
                    who.add(i);
                    trial.add(t);
                    what.add(u);
                }
            }
            if (trial.isEmpty()) {
                return;
            }
            List<float[]> out = forward(model, trial);
            for (int r = 0; r < trial.size(); r++) {
                float[] t = trial.get(r);
                boolean distinct = cfs.stream().noneMatch(o -> Arrays.equals(o, t)) && !Arrays.equals(t, x);
                if (argmax(out.get(r)) == desired && distinct) {
                    cfs.set(who.get(r), t);
                }
            }
        }
    }

    private static double scaledChange(float[] c, float[] x, int[] u, FeatureSpace space) {
        double s = 0;
        for (int j : u) {
            s += Math.abs(c[j] - x[j]) / space.mad(j);
        }
        return s;
    }

    private CounterfactualResult assemble(ForwardModel model, float[] x, int original, int desired, FeatureSpace space,
            List<float[]> cfs, String search, int steps) {
        List<float[]> logits = forward(model, cfs);
        List<Counterfactual> out = new ArrayList<>();
        for (int i = 0; i < cfs.size(); i++) {
            float[] c = cfs.get(i);
            float[] z = logits.get(i);
            int predicted = argmax(z);
            double p = softmax(z)[desired];
            List<Counterfactual.Change> changes = new ArrayList<>();
            for (int j = 0; j < x.length; j++) {
                if (c[j] != x[j]) {
                    changes.add(new Counterfactual.Change(j, space.name(j), x[j], c[j]));
                }
            }
            changes.sort(Comparator.comparingDouble(
                    (Counterfactual.Change ch) -> -Math.abs(ch.to() - ch.from()) / space.mad(ch.feature())));
            out.add(new Counterfactual(c, predicted, p, predicted == desired, space.distance(c, x), changes.size(),
                    space.meanNearestDistance(c, options.plausibilityNeighbours()),
                    changes, narrative(changes, space.className(predicted), p, predicted == desired,
                            space.className(desired))));
        }
        double diversity = 0;
        int pairs = 0;
        for (int i = 0; i < cfs.size(); i++) {
            for (int j = i + 1; j < cfs.size(); j++) {
                diversity += space.distance(cfs.get(i), cfs.get(j));
                pairs++;
            }
        }
        long valid = out.stream().filter(Counterfactual::valid).count();
        return new CounterfactualResult(x, original, desired, Status.FOUND, valid + " of " + out.size()
                + " counterfactuals reach class " + space.className(desired), out, pairs == 0 ? 0 : diversity / pairs,
                search, steps, options);
    }

    /** "If worst radius were 0.31 instead of 0.44, the decision would be 'benign' (p = 0.71)." */
    static String narrative(List<Counterfactual.Change> changes, String predicted, double p, boolean valid,
            String desired) {
        StringBuilder sb = new StringBuilder("If ");
        for (int i = 0; i < changes.size(); i++) {
            Counterfactual.Change ch = changes.get(i);
            sb.append(i == 0 ? "" : i == changes.size() - 1 ? " and " : ", ").append(ch.name()).append(" were ")
                    .append(number(ch.to())).append(" instead of ").append(number(ch.from()));
        }
        sb.append(", the decision would be '").append(predicted).append("' (p = ")
                .append(String.format(Locale.ROOT, "%.2f", p)).append(')');
        if (!valid) {
            sb.append(", still not '").append(desired).append('\'');
        }
        return sb.toString();
    }

    private static String number(float v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }

    /** Runs the model on the rows, in one batch; one output row per input row. */
    static List<float[]> forward(ForwardModel model, List<float[]> rows) {
        return rows(model.forward(FeatureSpace.stack(rows)));
    }

    static int[] predictions(ForwardModel model, Tensor rows) {
        int chunk = 4096;
        int[] out = new int[rows.batch()];
        for (int from = 0; from < rows.batch(); from += chunk) {
            int to = Math.min(rows.batch(), from + chunk);
            int[] p = model.forward(rows.rows(from, to)).argmaxRows();
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }

    private static List<float[]> rows(Tensor t) {
        int w = t.rowSize();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < t.batch(); i++) {
            out.add(Arrays.copyOfRange(t.data(), i * w, (i + 1) * w));
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            s += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= s;
        }
        return p;
    }
}
