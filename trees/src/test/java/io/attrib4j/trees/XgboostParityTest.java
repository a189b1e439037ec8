package io.attrib4j.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** TreeSHAP and the XGBoost loader against XGBoost 1.7.4's own numbers (predict, pred_contribs). */
class XgboostParityTest {

    static Stream<Arguments> cases() {
        return Stream.of(XgboostFixtures.CASES).flatMap(c -> Stream.of(Arguments.of(c, "model.json"),
                Arguments.of(c, "model.ubj")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void predictionsEqualXgboost(String name, String file) {
        XgboostFixtures fx = XgboostFixtures.load(name, file);
        double tol = 1e-5 * fx.scale();
        assertClose(fx.margins().data(), fx.model().margins().forward(fx.x()).data(), tol, name + " margins");
        assertClose(fx.preds().data(), fx.model().forward(fx.x()).data(), 1e-6, name + " predictions");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void treeShapEqualsPredContribs(String name, String file) {
        XgboostFixtures fx = XgboostFixtures.load(name, file);
        double tol = 1e-5 * fx.scale();
        for (TreeShap.Algorithm algorithm : new TreeShap.Algorithm[] {TreeShap.Algorithm.RECURSIVE,
                TreeShap.Algorithm.FAST_V2}) {
            TreeShap shap = new TreeShap(TreeShap.Options.builder().optAlgorithm(algorithm).optThreads(2).build());
            for (int g = 0; g < fx.groups(); g++) {
                Attribution a = shap.attribute(fx.model(), fx.x(), Target.classIndex(g));
                Tensor v = a.values();
                for (int i = 0; i < fx.rows(); i++) {
                    for (int j = 0; j < fx.features(); j++) {
                        assertEquals(fx.contrib(i, g, j), v.get(i, j), tol,
                                name + " " + algorithm + " class " + g + " row " + i + " feature " + j);
                    }
                    assertEquals(fx.contrib(i, g, fx.features()), TreeShap.expectedValue(fx.model(), g), tol,
                            name + " expected value of class " + g);
                    assertEquals(0, a.convergenceDelta().orElseThrow()[i], tol, name + " delta row " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void interactionsEqualPredInteractions(String name, String file) {
        XgboostFixtures fx = XgboostFixtures.load(name, file);
        double tol = 1e-5 * fx.scale();
        int f = fx.features();
        TreeShapInteractions method = new TreeShapInteractions(TreeShapInteractions.Options.builder()
                .optThreads(2).build());
        for (int g = 0; g < fx.groups(); g++) {
            Attribution a = method.attribute(fx.model(), fx.x(), Target.classIndex(g));
            Tensor v = a.values();
            for (int i = 0; i < fx.rows(); i++) {
                for (int j = 0; j < f; j++) {
                    for (int k = 0; k < f; k++) {
                        assertEquals(fx.interaction(i, g, j, k), v.get(i, j, k), tol,
                                name + " class " + g + " row " + i + " (" + j + ", " + k + ")");
                    }
                }
                assertEquals(fx.interaction(i, g, f, f), TreeShap.expectedValue(fx.model(), g), tol);
                assertEquals(0, a.convergenceDelta().orElseThrow()[i], tol, name + " delta row " + i);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void oneAttributionSetPerClass() {
        XgboostFixtures fx = XgboostFixtures.load("multiclass", "model.json");
        var each = TreeShap.create().attributeEachClass(fx.model(), fx.x());
        assertEquals(3, each.size());
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < fx.rows(); i++) {
                assertEquals(fx.contrib(i, g, 0), each.get(g).values().get(i, 0), 1e-5 * fx.scale());
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }
}
