package io.attrib4j.gradients;

/**
 * A quadrature rule on [0, 1] as a value: the path positions {@code alphas} and their {@code weights}, so
 * that {@code integral_0^1 f(a) da ~ sum_k weights[k] * f(alphas[k])}. Integrated Gradients evaluates the
 * gradient at {@code b + alphas[k] (x - b)} and sums it with these weights; batching is slicing these
 * two arrays.
 *
 * <p>Immutable: the arrays are copied on the way in and on the way out.
 *
 * @param alphas the path positions, in the order the rule lists them (Captum's order)
 * @param weights one weight per position
 */
public record Quadrature(double[] alphas, double[] weights) {

    public Quadrature {
        if (alphas == null || weights == null || alphas.length != weights.length || alphas.length == 0) {
            throw new IllegalArgumentException("a quadrature needs as many weights as alphas, at least one");
        }
        alphas = alphas.clone();
        weights = weights.clone();
    }

    @Override
    public double[] alphas() {
        return alphas.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Number of points. */
    public int size() {
        return alphas.length;
    }

    /** Sum of the weights (1 for every rule but Captum's trapezoid, whose weights sum to (n-1)/n). */
    public double weightSum() {
        double s = 0;
        for (double w : weights) {
            s += w;
        }
        return s;
    }

    /**
     * The alphas {@code [from, to)} rounded to float32: what multiplies a float32 tensor (as when Captum
     * applies a Python float to a float32 tensor).
     */
    float[] alphasF32(int from, int to) {
        return toFloat(alphas, from, to);
    }

    /** The weights {@code [from, to)} rounded to float32 (Captum's {@code torch.tensor(step_sizes).float()}). */
    float[] weightsF32(int from, int to) {
        return toFloat(weights, from, to);
    }

    private static float[] toFloat(double[] v, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (float) v[i];
        }
        return out;
    }
}
