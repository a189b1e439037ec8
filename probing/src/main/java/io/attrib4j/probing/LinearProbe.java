package io.attrib4j.probing;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear probe: multinomial logistic regression with L2 regularization, trained on a layer's
 * activations to test whether that layer linearly encodes a property (Alain &amp; Bengio 2016,
 * "Understanding intermediate layers using linear classifier probes").
 *
 * <p>Features are standardized with the mean and standard deviation of the training rows only; then
 * <pre>
 *   minimize  -(1/n) Σ_i log softmax(W z_i + b)[y_i] + (λ/2)||W||²     (intercepts b not penalized)
 * </pre>
 * by full-batch L-BFGS (memory 10, Armijo backtracking) from zero, for at most {@code maxIterations}
 * iterations or until {@code max|∇| <= tolerance}. Training is deterministic. Classes are
 * {@code 0 .. max(label)}; the fitted {@link FittedProbe} works in the original activation space.
 *
 * <p>Defaults: {@code λ = 1e-2}, 500 iterations, tolerance {@code 1e-6}. Use {@link CrossValidation}
 * to measure it honestly and to choose {@code λ}; use {@link ControlTask} to check that high accuracy
 * reflects the layer and not the probe's capacity.
 */
public final class LinearProbe {
    private final double l2;
    private final int maxIterations;
    private final double tolerance;

    private LinearProbe(Builder b) {
        this.l2 = b.l2;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static LinearProbe withDefaults() {
        return builder().build();
    }

    /** The same probe with another L2 strength. */
    public LinearProbe withL2(double lambda) {
        return builder().optL2(lambda).optMaxIterations(maxIterations).optTolerance(tolerance).build();
    }

    /**
     * Trains on {@code activations [n, d]} with one class per row.
     *
     * @throws io.attrib4j.engine.InvalidInputException for a rank other than 2, NaN or infinite values,
     *     a label count other than {@code n}, negative labels, or a single class
     */
    public FittedProbe fit(Tensor activations, int[] labels) {
        double[][] x = ProbeData.rows(activations);
        int classes = ProbeData.numClasses(labels, x.length, "labels");
        return fit(x, labels, classes);
    }

    /** Trains on validated rows; {@code classes} may exceed the classes present (absent ones are never predicted). */
    FittedProbe fit(double[][] x, int[] labels, int classes) {
        Standardizer st = Standardizer.fit(x);
        SoftmaxLoss loss = new SoftmaxLoss(st.apply(x), labels, classes, l2);
        Lbfgs.Result r = Lbfgs.minimize(loss, new double[loss.parameterCount()], maxIterations, tolerance);
        return FittedProbe.fromStandardized(r.x(), st, classes, r.iterations(), r.value(), r.converged());
    }

    public double l2() {
        return l2;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    /** The options by name, for provenance and reports. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("l2", l2);
        p.put("maxIterations", maxIterations);
        p.put("tolerance", tolerance);
        p.put("optimizer", "L-BFGS");
        p.put("standardize", "training rows");
        return p;
    }

    /** Options of {@link LinearProbe}; every one optional. */
    public static final class Builder {
        private double l2 = 1e-2;
        private int maxIterations = 500;
        private double tolerance = 1e-6;

        private Builder() {}

        /** L2 strength {@code λ >= 0} on the weights (default 1e-2). */
        public Builder optL2(double lambda) {
            this.l2 = lambda;
            return this;
        }

        /** Most L-BFGS iterations (default 500). */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Stop when the largest gradient component is at most this (default 1e-6). */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        public LinearProbe build() {
            if (!(l2 >= 0 && Double.isFinite(l2))) {
                throw new InvalidOptionException("L2 strength " + l2 + " must be finite and >= 0; try 1e-2");
            }
            if (maxIterations < 1) {
                throw new InvalidOptionException("max iterations " + maxIterations + " must be at least 1; try 500");
            }
            if (!(tolerance >= 0)) {
                throw new InvalidOptionException("tolerance " + tolerance + " must be >= 0; try 1e-6");
            }
            return new LinearProbe(this);
        }
    }
}
