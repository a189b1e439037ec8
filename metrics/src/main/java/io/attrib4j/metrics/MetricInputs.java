package io.attrib4j.metrics;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.ArrayList;
import java.util.List;

/** Checks and batched model calls shared by the metrics. */
final class MetricInputs {
    private MetricInputs() {}

    /** The checks every metric starts with: a valid input and target, attributions of the input's shape. */
    static void validate(ForwardModel model, Tensor input, Target target, Tensor attributions) {
        MethodRun.validate(model, input, target);
        if (!attributions.shape().equals(input.shape())) {
            throw new InvalidInputException("attributions have shape " + attributions.shape() + " but the input has "
                    + "shape " + input.shape() + "; give input-level attributions (one value per input element)");
        }
    }

    static void requirePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidOptionException(name + " must be a positive number, got " + value);
        }
    }

    /**
     * The target score of every row of {@code variants}, whose row {@code r} belongs to example
     * {@code r / perExample}: forwards in batches of at most {@code batchSize} rows.
     */
    static float[] scores(ForwardModel model, Tensor variants, Target target, int perExample, int batchSize) {
        int rows = variants.batch();
        int[] owner = new int[rows];
        for (int r = 0; r < rows; r++) {
            owner[r] = r / perExample;
        }
        Target expanded = target.gather(owner);
        List<Tensor> outputs = new ArrayList<>();
        for (int from = 0; from < rows; from += batchSize) {
            outputs.add(model.forward(variants.rows(from, Math.min(rows, from + batchSize))));
        }
        return expanded.select(Tensor.concatRows(outputs));
    }

    /** Row {@code r} of the result is row {@code r / times} of {@code t} (torch's repeat_interleave). */
    static int[] repeatInterleave(int n, int times) {
        int[] map = new int[n * times];
        for (int r = 0; r < map.length; r++) {
            map[r] = r / times;
        }
        return map;
    }

    /** Recorded draws must hold {@code samples} rows per example, each of the input's example shape. */
    static Tensor requireDraws(Tensor draws, Tensor input, int samples, String what) {
        if (draws.shape().rank() != input.shape().rank() || draws.batch() != input.batch() * samples
                || draws.rowSize() != input.rowSize()) {
            throw new InvalidOptionException("recorded " + what + " have shape " + draws.shape() + " but " + samples
                    + " samples of an input " + input.shape() + " need " + input.shape().withBatch(input.batch() * samples)
                    + "; record them for this input and optSamples");
        }
        return draws;
    }
}
