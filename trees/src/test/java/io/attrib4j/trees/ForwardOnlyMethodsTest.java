package io.attrib4j.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.trees.TreeEnsembleModel;
import io.attrib4j.perturbation.FeatureAblation;
import io.attrib4j.perturbation.KernelShap;
import org.junit.jupiter.api.Test;

/** Tree models are ordinary forward models: the gradient-free methods run on them unchanged. */
class ForwardOnlyMethodsTest {

    @Test
    void featureAblationAndKernelShapRunOnAnXgboostModel() {
        XgboostFixtures fx = XgboostFixtures.load("regression", "model.json");
        TreeEnsembleModel model = fx.model();
        // rows without NaN (the perturbation methods take finite inputs)
        float[] rows = {0.3f, -1.2f, 0.8f, 0.1f, -0.4f, 1.5f, 0.2f, 1f, -0.7f, 0.5f, -0.3f, 1.1f, 0.9f, -1f, 0.4f, 1f};
        Tensor x = Tensor.of(rows, 2, 8);
        float[] base = {0, 0, 0, 0, 0, 0, 0, 1};
        Tensor b = Tensor.of(base, 1, 8);
        Tensor ablation = FeatureAblation.builder().optBaseline(Baseline.of(b)).build()
                .attribute(model, x, Target.classIndex(0)).values();
        float[] fx0 = model.forward(x).data();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 8; j++) {
                float[] moved = java.util.Arrays.copyOfRange(rows, i * 8, i * 8 + 8);
                moved[j] = base[j];
                float expected = fx0[i] - model.forward(Tensor.of(moved, 1, 8)).data()[0];
                assertEquals(expected, ablation.get(i, j), 1e-5, "ablation row " + i + " feature " + j);
            }
        }
        // KernelSHAP with one baseline estimates the interventional Shapley values against that baseline
        Tensor kernel = KernelShap.builder().optBaseline(Baseline.of(b)).optSamples(600).optSeed(1).build()
                .attribute(model, x, Target.classIndex(0)).values();
        Tensor exact = new InterventionalTreeShap(InterventionalTreeShap.Options.builder().setBackground(b)
                .optThreads(1).build()).attribute(model, x, Target.classIndex(0)).values();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 8; j++) {
                // sampling error of 600 coalitions over 8 features: a few hundredths of the margin scale
                assertEquals(exact.get(i, j), kernel.get(i, j), 0.1 * fx.scale(), "kernelshap row " + i);
            }
        }
    }

    @Test
    void interventionalOnXgboostEqualsEnumerationAndIgnoresTheConstantFeature() {
        XgboostFixtures fx = XgboostFixtures.load("regression", "model.ubj");
        Tensor x = fx.x().rows(0, 6);
        Tensor background = fx.x().rows(6, 16);
        var forest = fx.model().forest();
        var a = new InterventionalTreeShap(InterventionalTreeShap.Options.builder().setBackground(background)
                .optThreads(2).build()).attribute(fx.model(), x, Target.classIndex(0));
        for (int i = 0; i < 6; i++) {
            int row = i;
            double[] phi = BruteShapley.shapley(8, s -> BruteShapley.interventionalValue(forest, x.data(), row * 8,
                    background.data(), background.batch(), 0, s));
            for (int j = 0; j < 8; j++) {
                assertEquals(phi[j], a.values().get(i, j), 1e-5 * fx.scale(), "row " + i + " feature " + j);
            }
            assertEquals(0.0f, a.values().get(i, 7), "feature 7 is constant in training: never split on");
            assertEquals(0, a.convergenceDelta().orElseThrow()[i], 1e-5 * fx.scale());
        }
        var path = TreeShap.create().attribute(fx.model(), fx.x(), Target.classIndex(0)).values();
        for (int i = 0; i < fx.rows(); i++) {
            assertEquals(0.0f, path.get(i, 7));
        }
    }
}
