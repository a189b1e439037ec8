package io.attrib4j.probing;

/**
 * The probe's objective on standardized rows {@code z_i} with labels {@code y_i}, parameters
 * {@code θ = [W (K×d, row-major), b (K)]}:
 * <pre>
 *   L(W, b) = -(1/n) Σ_i log softmax(W z_i + b)[y_i]  +  (λ/2) ||W||²
 *   ∇_W L = (1/n) Σ_i (p_i - e_{y_i}) z_iᵀ + λ W,      ∇_b L = (1/n) Σ_i (p_i - e_{y_i})
 * </pre>
 * The intercepts are not penalized.
 */
final class SoftmaxLoss implements Lbfgs.Objective {
    private final double[][] z;
    private final int[] y;
    private final int classes;
    private final double l2;

    SoftmaxLoss(double[][] z, int[] y, int classes, double l2) {
        this.z = z;
        this.y = y;
        this.classes = classes;
        this.l2 = l2;
    }

    int parameterCount() {
        return classes * (z[0].length + 1);
    }

    @Override
    public double valueAndGradient(double[] theta, double[] grad) {
        int d = z[0].length;
        int biasAt = classes * d;
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        double[] p = new double[classes];
        for (int i = 0; i < z.length; i++) {
            logits(theta, z[i], classes, p);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : p) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                p[k] = Math.exp(p[k] - max);
                sum += p[k];
            }
            for (int k = 0; k < classes; k++) {
                p[k] /= sum;
            }
            loss -= Math.log(Math.max(p[y[i]], Double.MIN_NORMAL));
            for (int k = 0; k < classes; k++) {
                double r = (p[k] - (k == y[i] ? 1 : 0)) / z.length;
                int w = k * d;
                for (int j = 0; j < d; j++) {
                    grad[w + j] += r * z[i][j];
                }
                grad[biasAt + k] += r;
            }
        }
        loss /= z.length;
        double penalty = 0;
        for (int q = 0; q < biasAt; q++) {
            penalty += theta[q] * theta[q];
            grad[q] += l2 * theta[q];
        }
        return loss + 0.5 * l2 * penalty;
    }

    /** {@code out[k] = W[k]·x + b[k]} for a parameter vector laid out as above. */
    static void logits(double[] theta, double[] x, int classes, double[] out) {
        int d = x.length;
        for (int k = 0; k < classes; k++) {
            double s = theta[classes * d + k];
            int w = k * d;
            for (int j = 0; j < d; j++) {
                s += theta[w + j] * x[j];
            }
            out[k] = s;
        }
    }
}
