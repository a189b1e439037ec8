package io.attrib4j.metrics;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model-randomization sanity check (Adebayo, Gilmer, Muelly, Goodfellow, Hardt &amp; Kim, "Sanity
 * Checks for Saliency Maps", NeurIPS 2018), cascading version: re-randomize the weights from the top
 * layer down, one more layer at a time, and compare each attribution map with the original one by
 * Spearman rank correlation ({@link RankCorrelation}), per example.
 *
 * <p>A method that explains the model must change when the model does: its correlation should fall
 * towards 0 as more layers are randomized. A method whose correlation stays high (an edge detector,
 * some guided-backpropagation variants) is explaining the input, not the model. With
 * {@code absolute} (default true, the paper's main figures) maps are compared by absolute value, so a
 * sign flip alone does not count as a change.
 */
public final class RandomizationCheck {
    private final boolean absolute;
    private final long seed;

    private RandomizationCheck(boolean absolute, long seed) {
        this.absolute = absolute;
        this.seed = seed;
    }

    /** The check with absolute-value comparison and seed 42. */
    public static RandomizationCheck withDefaults() {
        return new RandomizationCheck(true, 42L);
    }

    /** The check with the given comparison and randomization seed. */
    public static RandomizationCheck of(boolean absolute, long seed) {
        return new RandomizationCheck(absolute, seed);
    }

    /**
     * Runs the cascade.
     *
     * @return for each layer name in cascade order (layers randomized from the top down to and including
     *     it), the rank correlation of each example's map with the original map
     */
    public Map<String, double[]> run(RandomizableModel model, AttributionMethod method, Tensor input,
            Target target) {
        Tensor original = method.attribute(model.original(), input, target).values();
        Map<String, double[]> result = new LinkedHashMap<>();
        List<String> layers = model.layers();
        for (String layer : layers) {
            try (ForwardModel randomized = model.randomizedFrom(layer, seed)) {
                Tensor changed = method.attribute(randomized, input, target).values();
                result.put(layer, correlations(original, changed));
            }
        }
        return result;
    }

    private double[] correlations(Tensor a, Tensor b) {
        int n = a.batch();
        double[] rho = new double[n];
        for (int i = 0; i < n; i++) {
            rho[i] = RankCorrelation.spearman(values(a, i), values(b, i));
        }
        return rho;
    }

    private float[] values(Tensor t, int row) {
        int d = t.rowSize();
        float[] v = Arrays.copyOfRange(t.data(), row * d, (row + 1) * d);
        if (absolute) {
            for (int j = 0; j < d; j++) {
                v[j] = Math.abs(v[j]);
            }
        }
        return v;
    }
}
