package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Map;

/** Option checks and result wrapping shared by the builders and methods of this package. */
final class Options {
    private Options() {}

    /** Rejects a null option with a message naming it. */
    static <T> T require(T value, String option) {
        if (value == null) {
            throw new InvalidOptionException(option + " is null; pass a value or leave the default");
        }
        return value;
    }

    /** Rejects {@code value < 1} with a message naming the option and what it counts. */
    static int requirePositive(int value, String option, String counts) {
        if (value < 1) {
            throw new InvalidOptionException(option + " = " + value + "; use a positive number of " + counts);
        }
        return value;
    }

    /** A deep copy of recorded binary draws (one row per sample), rejecting null rows. */
    static boolean[][] copyDraws(boolean[][] draws) {
        require(draws, "draws");
        boolean[][] copy = new boolean[draws.length][];
        for (int s = 0; s < draws.length; s++) {
            copy[s] = require(draws[s], "draws[" + s + "]").clone();
        }
        return copy;
    }

    /** The attribution with this run's provenance (no backend: the arithmetic is plain Java). */
    static Attribution wrap(MethodRun run, String method, Map<String, Object> parameters, Tensor values,
            float[] delta, Target target, ForwardModel model, Long seed) {
        return new Attribution(values, delta, run.provenance(method, parameters, target, model, null, seed));
    }
}
