package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidOptionException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The quadrature rules of Captum's {@code approximation_methods.py}, reproduced exactly (oracle README
 * 6.2), for integrating gradients along the path from baseline to input.
 *
 * <ul>
 *   <li>{@link #RIEMANN_LEFT}: {@code alpha = linspace(0, 1 - 1/n, n)}, {@code w = 1/n};</li>
 *   <li>{@link #RIEMANN_RIGHT}: {@code alpha = linspace(1/n, 1, n)}, {@code w = 1/n};</li>
 *   <li>{@link #RIEMANN_MIDDLE}: {@code alpha = linspace(1/(2n), 1 - 1/(2n), n)}, {@code w = 1/n};</li>
 *   <li>{@link #RIEMANN_TRAPEZOID}: {@code alpha = linspace(0, 1, n)} (spacing {@code 1/(n-1)}), but
 *       {@code w = 1/n} with the first and last weights halved, <b>so the weights sum to (n-1)/n</b>
 *       (0.98 for n = 50). This is what Captum computes; a textbook trapezoid rule would use
 *       {@code 1/(n-1)}. attrib4j keeps Captum's numbers for parity and offers no silent correction:
 *       use {@link #GAUSS_LEGENDRE} (or another Riemann rule) for a rule whose weights sum to 1;</li>
 *   <li>{@link #GAUSS_LEGENDRE} (Captum's default): {@code alpha = (1 + t_k)/2}, {@code w = omega_k / 2}
 *       from the n-point Gauss-Legendre rule on [-1, 1] (numpy {@code leggauss}), ascending; exact for
 *       polynomials of degree up to 2n - 1.</li>
 * </ul>
 *
 * <p>The Riemann alphas are the float32 values of {@code torch.linspace} (as Captum gets them), held as
 * doubles; the Gauss-Legendre ones are float64. Riemann rules need {@code n >= 2} (Captum asserts it).
 */
public enum IntegrationRule implements io.attrib4j.engine.spec.SpecName {
    RIEMANN_LEFT("riemann_left"),
    RIEMANN_RIGHT("riemann_right"),
    RIEMANN_MIDDLE("riemann_middle"),
    RIEMANN_TRAPEZOID("riemann_trapezoid"),
    GAUSS_LEGENDRE("gausslegendre");

    private final String captumName;

    IntegrationRule(String captumName) {
        this.captumName = captumName;
    }

    /** The name Captum uses for this rule ({@code method=} of {@code IntegratedGradients.attribute}). */
    public String captumName() {
        return captumName;
    }

    /** The rule's name in a method spec: Captum's ({@code gausslegendre}, {@code riemann_trapezoid}, ...). */
    @Override
    public String specName() {
        return captumName;
    }

    /**
     * The rule with {@code n} points.
     *
     * @throws InvalidOptionException when {@code n} is below 1 (below 2 for a Riemann rule)
     */
    public Quadrature quadrature(int n) {
        checkSteps(n);
        if (this == GAUSS_LEGENDRE) {
            double[][] tw = GaussLegendre.nodesAndWeights(n);
            double[] alphas = new double[n];
            double[] weights = new double[n];
            for (int k = 0; k < n; k++) {
                alphas[k] = 0.5 * (1 + tw[0][k]);
                weights[k] = 0.5 * tw[1][k];
            }
            return new Quadrature(alphas, weights);
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0 / n);
        float[] a = switch (this) {
            case RIEMANN_LEFT -> TorchLinspace.linspace(0, 1 - 1.0 / n, n);
            case RIEMANN_RIGHT -> TorchLinspace.linspace(1.0 / n, 1, n);
            case RIEMANN_MIDDLE -> TorchLinspace.linspace(1.0 / (2 * n), 1 - 1.0 / (2 * n), n);
            case RIEMANN_TRAPEZOID -> {
                weights[0] /= 2;
                weights[n - 1] /= 2;
                yield TorchLinspace.linspace(0, 1, n);
            }
            case GAUSS_LEGENDRE -> throw new AssertionError("handled above");
        };
        double[] alphas = new double[n];
        for (int k = 0; k < n; k++) {
            alphas[k] = a[k];
        }
        return new Quadrature(alphas, weights);
    }

    /** The fewest points the rule accepts: 1 for Gauss-Legendre, 2 for the Riemann rules (Captum asserts n > 1). */
    public int minSteps() {
        return this == GAUSS_LEGENDRE ? 1 : 2;
    }

    /**
     * Checks a step count for this rule.
     *
     * @throws InvalidOptionException when {@code n} is below {@link #minSteps()}
     */
    public void checkSteps(int n) {
        if (n < minSteps()) {
            throw new InvalidOptionException("steps = " + n + " for " + captumName + "; use at least " + minSteps()
                    + (this == GAUSS_LEGENDRE ? " step" : " steps (Captum's Riemann rules need n > 1), or gausslegendre"));
        }
    }

    /**
     * The rule with Captum name {@code name} ({@code "riemann_trapezoid"}, {@code "gausslegendre"}, ...)
     * or enum name ({@code "GAUSS_LEGENDRE"}), case-insensitively.
     *
     * @throws InvalidOptionException for an unknown name, listing the valid ones
     */
    public static IntegrationRule parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (IntegrationRule r : values()) {
            if (r.captumName.equals(key) || r.name().toLowerCase(Locale.ROOT).equals(key)) {
                return r;
            }
        }
        throw new InvalidOptionException("unknown integration rule '" + name + "'; use one of "
                + Arrays.stream(values()).map(IntegrationRule::captumName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return captumName;
    }
}
