package io.attrib4j.trees;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.TreeEnsemble;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Validation, row parallelism and result wrapping shared by the methods of this package. */
final class TreeMethods {
    private TreeMethods() {}

    /** What a tree method works with after validation: the trees, each row's output group, and the run. */
    record Plan(Forest forest, int[] groups, MethodRun run) {}

    /**
     * Validate and plan: the model's trees (with covers when {@code covers}), an input of their width (NaN allowed),
     * and the output group of each row from the target.
     */
    static Plan plan(ForwardModel model, Tensor input, Target target, String method, boolean covers) {
        Forest forest = forest(model, method);
        if (covers) {
            Trees.requireCovers(forest, method);
        }
        validateInput(model, input, forest.features(), false);
        return new Plan(forest, groups(target, input.batch(), forest.groups()), new MethodRun());
    }

    /** The model's trees, or a clear error naming the method that needs them. */
    static Forest forest(ForwardModel model, String method) {
        return model.capability(TreeEnsemble.class).map(TreeEnsemble::forest)
                .orElseThrow(() -> new UnsupportedModelException(method + " needs a tree ensemble, but model '"
                        + model.info().name() + "' (" + model.info().format() + ") does not expose its trees; load "
                        + "an XGBoost, LightGBM or ONNX-ML tree model through TreeModels, or use kernelshap for "
                        + "other models"));
    }

    /**
     * Checks that {@code input} is a non-empty {@code [rows, features]} batch. NaN is allowed (a missing value);
     * {@code finite} additionally rejects NaN and infinities.
     */
    static void validateInput(ForwardModel model, Tensor input, int features, boolean finite) {
        if (input.shape().rank() != 2 || input.batch() == 0) {
            throw new InvalidInputException("input has shape " + input.shape() + " but a non-empty [rows, "
                    + features + "] batch is needed (one row of " + features + " features is shape [1, " + features
                    + "])");
        }
        if (input.shape().dim(1) != features) {
            throw new InvalidInputException("input rows have " + input.shape().dim(1) + " features but model '"
                    + model.info().name() + "' reads " + features + "; give a [rows, " + features + "] batch");
        }
        if (finite) {
            io.attrib4j.engine.Inputs.requireFinite(input, "input");
        }
    }

    /** The output group of each row: the target's index, checked against the model's groups. */
    static int[] groups(Target target, int rows, int groups) {
        target.validate(Shape.of(rows, groups));
        int[] g = new int[rows];
        for (int i = 0; i < rows; i++) {
            g[i] = target.indexOf(i);
            if (g[i] < 0) {
                throw new InvalidTargetException("target '" + target.describe() + "' is a custom scalar, but SHAP "
                        + "values of trees and linear models explain one margin: use Target.classIndex(k) or "
                        + "Target.perExample(...)");
            }
        }
        return g;
    }

    /** Runs {@code body} for each row, on up to {@code threads} threads. */
    static void forEachRow(int rows, int threadOption, IntConsumer body) {
        int threads = threadOption == 0 ? Runtime.getRuntime().availableProcessors() : threadOption;
        if (threads == 1 || rows == 1) {
            for (int i = 0; i < rows; i++) {
                body.accept(i);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(Math.min(threads, rows));
        try {
            pool.submit(() -> IntStream.range(0, rows).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }

    /** Rejects a thread count below 1. */
    static int requireThreads(int threads) {
        if (threads < 0) {
            throw new InvalidOptionException("threads = " + threads + "; use at least 1, or 0 (the default) for one "
                    + "per processor");
        }
        return threads;
    }

    /** The margin of group {@code g} for each row. */
    static double[] margins(Forest forest, Tensor input, int[] groups) {
        int n = input.batch();
        int f = forest.features();
        double[] out = new double[n];
        double[] m = new double[forest.groups()];
        for (int i = 0; i < n; i++) {
            forest.margins(input.data(), i * f, m);
            out[i] = m[groups[i]];
        }
        return out;
    }

    /**
     * The convergence delta of SHAP values: {@code sum(phi_i) + expected_i - margin_i} per row (efficiency:
     * near zero). {@code phi} is {@code [rows, width]} row-major.
     */
    static float[] delta(double[] phi, int width, double[] expected, double[] margin) {
        float[] d = new float[margin.length];
        for (int i = 0; i < d.length; i++) {
            double s = expected[i] - margin[i];
            for (int j = 0; j < width; j++) {
                s += phi[i * width + j];
            }
            d[i] = (float) s;
        }
        return d;
    }

    /** A float tensor of {@code values} with {@code dims}. */
    static Tensor tensor(double[] values, int... dims) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.of(f, dims);
    }

    /**
     * The attribution with this run's provenance; the expected value(s) go into the parameters as
     * {@code expectedValue} (one number when every row has the same, else one per row).
     */
    static Attribution wrap(MethodRun run, AttributionMethod method, Map<String, Object> parameters, Tensor values,
            float[] delta, double[] expected, Target target, ForwardModel model) {
        boolean same = true;
        for (double e : expected) {
            same &= e == expected[0];
        }
        Map<String, Object> p = new java.util.LinkedHashMap<>(parameters);
        p.put("expectedValue", same ? (Object) expected[0] : expected.clone());
        return new Attribution(values, delta, run.provenance(method, p, target, model, null));
    }
}
