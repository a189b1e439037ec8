package io.attrib4j.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.TreeEnsemble;
import io.attrib4j.models.trees.LinearModel;
import io.attrib4j.models.trees.TreeModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ONNX-ML trees and linear models written from sklearn estimators (make_onnx_fixtures.py): predictions equal
 * sklearn's; TreeSHAP and interventional TreeSHAP equal the Shapley values by enumeration of all 32 coalitions of
 * the 5 features; Linear SHAP equals the closed form computed from sklearn's coefficients.
 */
class OnnxMlParityTest {
    private static final Path DIR = Path.of("src/test/resources/onnx");

    private static ForwardModel load(String name) {
        return TreeModels.load(DIR.resolve(name).resolve("model.onnx"));
    }

    private static Tensor npy(String name, String file) {
        return Npy.read(DIR.resolve(name).resolve(file));
    }

    @Test
    void forestPredictionsEqualSklearn() {
        for (String name : new String[] {"forest_regressor", "forest_classifier", "extratrees_no_covers"}) {
            ForwardModel m = load(name);
            // sklearn predicts in float64 from float32 thresholds; the ONNX file rounds leaf values to float32
            XgboostParityTest.assertClose(npy(name, "preds.npy").data(), m.forward(npy(name, "X.npy")).data(), 1e-5,
                    name);
        }
    }

    @Test
    void forestRegressorEqualsOnnxRuntime() {
        // the same file through ONNX Runtime (DJL's engine): our reading of the ai.onnx.ml node semantics
        String name = "extratrees_no_covers";
        Tensor x = npy(name, "X.npy");
        try (ForwardModel ort = io.attrib4j.models.onnx.OnnxRuntimeModel.load(DIR.resolve(name).resolve("model.onnx"));
                ForwardModel ours = load(name)) {
            XgboostParityTest.assertClose(ort.forward(x).data(), ours.forward(x).data(), 1e-5, "onnxruntime");
        }
    }

    @Test
    void treeShapEqualsEnumerationOnSklearnForests() {
        for (String name : new String[] {"forest_regressor", "forest_classifier"}) {
            ForwardModel m = load(name);
            var forest = m.capability(TreeEnsemble.class).orElseThrow().forest();
            Tensor x = npy(name, "X.npy");
            for (int g = 0; g < forest.groups(); g++) {
                int group = g;
                Attribution a = TreeShap.create().attribute(m, x, Target.classIndex(g));
                for (int i = 0; i < x.batch(); i++) {
                    int row = i;
                    double[] phi = BruteShapley.shapley(5,
                            s -> BruteShapley.pathDependentValue(forest, x.data(), row * 5, group, s));
                    for (int j = 0; j < 5; j++) {
                        assertEquals(phi[j], a.values().get(i, j), 1e-6, name + " class " + g + " row " + i);
                    }
                    assertEquals(0, a.convergenceDelta().orElseThrow()[i], 1e-6);
                }
            }
        }
    }

    @Test
    void interventionalEqualsEnumerationWithTheBackgroundValueFunction() {
        for (String name : new String[] {"extratrees_no_covers", "forest_classifier"}) {
            ForwardModel m = load(name);
            var forest = m.capability(TreeEnsemble.class).orElseThrow().forest();
            Tensor x = npy(name, "X.npy");
            Tensor background = x.rows(6, 12);
            InterventionalTreeShap method = new InterventionalTreeShap(InterventionalTreeShap.Options.builder()
                    .setBackground(background).optThreads(2).build());
            for (int g = 0; g < forest.groups(); g++) {
                int group = g;
                Attribution a = method.attribute(m, x, Target.classIndex(g));
                for (int i = 0; i < x.batch(); i++) {
                    int row = i;
                    double[] phi = BruteShapley.shapley(5, s -> BruteShapley.interventionalValue(forest, x.data(),
                            row * 5, background.data(), background.batch(), group, s));
                    for (int j = 0; j < 5; j++) {
                        assertEquals(phi[j], a.values().get(i, j), 1e-6, name + " class " + g + " row " + i);
                    }
                    assertEquals(0, a.convergenceDelta().orElseThrow()[i], 1e-6);
                }
            }
        }
    }

    @Test
    void pathDependentShapRefusesTreesWithoutCovers() {
        ForwardModel m = load("extratrees_no_covers");
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TreeShap.create().attribute(m, npy("extratrees_no_covers", "X.npy"), Target.classIndex(0)));
        assertTrue(e.getMessage().contains("InterventionalTreeShap"), e.getMessage());
    }

    @Test
    void linearShapEqualsTheClosedFormFromSklearnCoefficients() {
        String name = "logistic_classifier";
        LinearModel m = (LinearModel) load(name);
        Tensor x = npy(name, "X.npy");
        XgboostParityTest.assertClose(npy(name, "preds.npy").data(), m.forward(x).data(), 1e-5, "probabilities");
        XgboostParityTest.assertClose(npy(name, "margins.npy").data(), m.margins().forward(x).data(), 1e-5,
                "margins");
        LinearShap shap = new LinearShap(LinearShap.Options.builder().setBackground(npy(name, "background.npy"))
                .build());
        Tensor expected = npy(name, "phi.npy");
        Tensor margins = npy(name, "margins.npy");
        for (int g = 0; g < 3; g++) {
            Attribution a = shap.attribute(m, x, Target.classIndex(g));
            float[] delta = a.convergenceDelta().orElseThrow();
            for (int i = 0; i < x.batch(); i++) {
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    assertEquals(expected.get(i, g, j), a.values().get(i, j), 1e-5, "class " + g + " row " + i);
                    sum += a.values().get(i, j);
                }
                assertEquals(0, delta[i], 1e-5);
                double e = (Double) a.provenance().parameters().get("expectedValue");
                assertEquals(margins.get(i, g), sum + e, 1e-5, "efficiency against sklearn's decision_function");
            }
        }
        LinearModel reg = (LinearModel) load("linear_regressor");
        XgboostParityTest.assertClose(npy("linear_regressor", "preds.npy").data(),
                reg.forward(npy("linear_regressor", "X.npy")).data(), 1e-5, "linear regressor");
    }
}
