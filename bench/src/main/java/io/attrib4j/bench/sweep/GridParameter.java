package io.attrib4j.bench.sweep;

import io.attrib4j.engine.InvalidOptionException;

/**
 * A parameter of a sweep's method grid: its name in the config, the command-line option it sets, and how a
 * YAML value becomes that option's value (the CLI then builds the method, see
 * {@link io.attrib4j.cli.MethodFactory}).
 */
enum GridParameter {
    STEPS("steps", "--steps", Kind.INT),
    RULE("rule", "--rule", Kind.TEXT),
    INTERNAL_BATCH_SIZE("internalBatchSize", "--internal-batch-size", Kind.INT),
    /** Noise samples of smoothgrad and gradshap. */
    SAMPLES("samples", "--nt-samples", Kind.INT),
    STDEV("stdev", "--stdevs", Kind.DOUBLE),
    SEED("seed", "--seed", Kind.LONG),
    TOLERANCE("tolerance", "--tolerance", Kind.DOUBLE),
    INITIAL_STEPS("initialSteps", "--initial-steps", Kind.INT),
    MAX_STEPS("maxSteps", "--max-steps", Kind.INT);

    /** The option's value type. */
    private enum Kind { INT, LONG, DOUBLE, TEXT }

    private final String gridName;
    private final String option;
    private final Kind kind;

    GridParameter(String gridName, String option, Kind kind) {
        this.gridName = gridName;
        this.option = option;
        this.kind = kind;
    }

    String gridName() {
        return gridName;
    }

    /** The command-line option ("--steps"). */
    String option() {
        return option;
    }

    /** The grid value as the option's value. */
    Object value(Object v) {
        return switch (kind) {
            case INT -> whole(v).intValue();
            case LONG -> whole(v).longValue();
            case DOUBLE -> number(v);
            case TEXT -> v.toString();
        };
    }

    private Number whole(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n;
        }
        throw new InvalidOptionException("grid parameter '" + gridName + "' must be a whole number, got '" + v + "'");
    }

    private double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidOptionException("grid parameter '" + gridName + "' must be a number, got '" + v + "'");
    }
}
