package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Control tasks for probes (Hewitt &amp; Liang 2019, "Designing and Interpreting Probes with Control
 * Tasks"): each input type (e.g. a word type; one id per example) is given a random label drawn once
 * from the empirical label distribution, and every example of that type gets it. The control task
 * can only be solved by memorizing types, so
 * <pre>
 *   selectivity = accuracy(task) - accuracy(control)
 * </pre>
 * says how much of a probe's accuracy reflects the representation rather than the probe's capacity.
 * Both tasks are cross-validated on the same folds (stratified by the task labels).
 *
 * <p>The control labels come from the seed: type ids are visited in ascending order and each draws a
 * uniformly random example, whose task label it takes.
 */
public final class ControlTask {
    private final long seed;

    private ControlTask(long seed) {
        this.seed = seed;
    }

    public static ControlTask withSeed(long seed) {
        return new ControlTask(seed);
    }

    public long seed() {
        return seed;
    }

    /**
     * Scores {@code probe} on the task and on its control task.
     *
     * @param typeIds the input type of each example (any non-negative or negative int; equal ids = same type)
     * @throws InvalidInputException for bad activations or labels, or a type id count other than the examples
     */
    public ControlTaskResult run(LinearProbe probe, CrossValidation cv, Tensor activations, int[] labels,
            int[] typeIds) {
        double[][] x = ProbeData.rows(activations);
        int classes = ProbeData.numClasses(labels, x.length, "labels");
        int[] control = controlLabels(labels, typeIds);
        int[] folds = cv.foldsFor(labels, classes);
        CrossValidationResult task = cv.run(probe, x, labels, classes, folds);
        CrossValidationResult ctl = cv.run(probe, x, control, classes, folds);
        return new ControlTaskResult(task, ctl, control);
    }

    /** The control label of each example: one label per type, drawn from the empirical label distribution. */
    public int[] controlLabels(int[] labels, int[] typeIds) {
        ProbeData.numClasses(labels, labels == null ? 0 : labels.length, "labels");
        if (typeIds == null || typeIds.length != labels.length) {
            throw new InvalidInputException("there are " + labels.length + " labels but "
                    + (typeIds == null ? "no" : String.valueOf(typeIds.length))
                    + " type ids; pass the input type (e.g. word id) of every example, in the same order");
        }
        Map<Integer, Integer> labelOfType = new TreeMap<>();
        for (int t : typeIds) {
            labelOfType.put(t, -1);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Map.Entry<Integer, Integer> e : labelOfType.entrySet()) {
            e.setValue(labels[rnd.nextInt(labels.length)]);
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labelOfType.get(typeIds[i]);
        }
        return out;
    }
}
