package io.attrib4j.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.OutputTransform;
import io.attrib4j.models.trees.TreeEnsembleModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Axioms first (efficiency, dummy, symmetry), then the brute-force Shapley values of hand-built trees. */
class TreeShapAxiomsTest {
    private static final TreeShap RECURSIVE = new TreeShap(TreeShap.Options.builder()
            .optAlgorithm(TreeShap.Algorithm.RECURSIVE).optThreads(1).build());
    private static final TreeShap FAST = new TreeShap(TreeShap.Options.builder()
            .optAlgorithm(TreeShap.Algorithm.FAST_V2).optThreads(2).build());

    /**
     * Two trees over 5 features (feature 4 never split on), repeated splits on one feature, a NaN default
     * direction to the right, uneven covers.
     */
    static TreeEnsembleModel handBuilt() {
        // tree 0: x0 < 0.5 ? (x1 < 0 ? 1 : (x0 < -1 ? -3 : 2)) : (x2 < 1 ? 4 : -1)
        DecisionTree t0 = DecisionTree.builder()
                .setChildren(new int[] {1, 3, 5, -1, 7, -1, -1, -1, -1}, new int[] {2, 4, 6, -1, 8, -1, -1, -1, -1})
                .setSplits(new int[] {0, 1, 2, 0, 0, 0, 0, 0, 0}, new double[] {0.5, 0, 1, 0, -1, 0, 0, 0, 0},
                        new boolean[] {false, true, false, true, true, true, true, true, true})
                .setValues(new double[] {0, 0, 0, 1, 0, 4, -1, -3, 2}, 1, 0)
                .optCovers(new double[] {100, 60, 40, 25, 35, 30, 10, 5, 30}).build();
        // tree 1: x3 < 0 ? (x1 < 0.2 ? 0.5 : -0.5) : 1.5
        DecisionTree t1 = DecisionTree.builder()
                .setChildren(new int[] {1, 3, -1, -1, -1}, new int[] {2, 4, -1, -1, -1})
                .setSplits(new int[] {3, 1, 0, 0, 0}, new double[] {0, 0.2, 0, 0, 0},
                        new boolean[] {true, false, true, true, true})
                .setValues(new double[] {0, 0, 1.5, 0.5, -0.5}, 1, 0)
                .optCovers(new double[] {100, 70, 30, 20, 50}).build();
        Forest f = new Forest(List.of(t0, t1), 5, 1, new double[] {0.25}, 1.0, OutputTransform.IDENTITY);
        return TreeEnsembleModel.of(f, "hand-built", "test", "none");
    }

    static Tensor randomRows(int rows, int features, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(8) == 0 ? Float.NaN : (float) (r.nextGaussian() * 1.5);
        }
        return Tensor.of(x, rows, features);
    }

    @Test
    void efficiencyAndDummyOnHandBuiltTrees() {
        TreeEnsembleModel m = handBuilt();
        Tensor x = randomRows(40, 5, 3);
        for (TreeShap method : new TreeShap[] {RECURSIVE, FAST}) {
            Attribution a = method.attribute(m, x, Target.classIndex(0));
            for (int i = 0; i < 40; i++) {
                assertEquals(0, a.convergenceDelta().orElseThrow()[i], 1e-5, "efficiency row " + i);
                assertEquals(0.0f, a.values().get(i, 4), "feature 4 is never split on: exactly 0");
            }
        }
    }

    @Test
    void equalsBruteForceShapleyOfThePathDependentValueFunction() {
        TreeEnsembleModel m = handBuilt();
        Tensor x = randomRows(25, 5, 11);
        Tensor fast = FAST.attribute(m, x, Target.classIndex(0)).values();
        Tensor rec = RECURSIVE.attribute(m, x, Target.classIndex(0)).values();
        for (int i = 0; i < 25; i++) {
            int row = i;
            double[] phi = BruteShapley.shapley(5,
                    s -> BruteShapley.pathDependentValue(m.forest(), x.data(), row * 5, 0, s));
            for (int j = 0; j < 5; j++) {
                // double arithmetic on both sides, a handful of operations: 1e-9 is rounding only
                assertEquals(phi[j], rec.get(i, j), 1e-6, "recursive row " + i + " feature " + j);
                assertEquals(phi[j], fast.get(i, j), 1e-6, "fast v2 row " + i + " feature " + j);
            }
        }
        assertEquals(BruteShapley.pathDependentValue(m.forest(), x.data(), 0, 0, new boolean[5]),
                TreeShap.expectedValue(m, 0), 1e-12);
    }

    @Test
    void symmetricFeaturesGetEqualValues() {
        // f = 1 when x0 < 0 and x1 < 0: splits on x0 then x1, and x1 then x0, with mirrored covers
        DecisionTree a = DecisionTree.builder()
                .setChildren(new int[] {1, 3, -1, -1, -1}, new int[] {2, 4, -1, -1, -1})
                .setSplits(new int[] {0, 1, 0, 0, 0}, new double[] {0, 0, 0, 0, 0}, new boolean[5])
                .setValues(new double[] {0, 0, 0, 1, 0}, 1, 0).optCovers(new double[] {10, 5, 5, 2, 3}).build();
        DecisionTree b = DecisionTree.builder()
                .setChildren(new int[] {1, 3, -1, -1, -1}, new int[] {2, 4, -1, -1, -1})
                .setSplits(new int[] {1, 0, 0, 0, 0}, new double[] {0, 0, 0, 0, 0}, new boolean[5])
                .setValues(new double[] {0, 0, 0, 1, 0}, 1, 0).optCovers(new double[] {10, 5, 5, 2, 3}).build();
        TreeEnsembleModel m = TreeEnsembleModel.of(new Forest(List.of(a, b), 3, 1, new double[1], 1.0,
                OutputTransform.IDENTITY), "symmetric", "test", "none");
        Tensor x = Tensor.of(new float[] {-1, -1, 5, 1, 1, -5, -2, -0.5f, 0}, 3, 3);
        for (TreeShap method : new TreeShap[] {RECURSIVE, FAST}) {
            Tensor v = method.attribute(m, x, Target.classIndex(0)).values();
            for (int i = 0; i < 3; i++) {
                assertEquals(v.get(i, 0), v.get(i, 1), 1e-7, "symmetric features, row " + i);
                assertEquals(0.0f, v.get(i, 2));
            }
            assertTrue(v.get(0, 0) > 0);
        }
    }

    @Test
    void interactionsAreSymmetricAndSumToTheShapValues() {
        TreeEnsembleModel m = handBuilt();
        Tensor x = randomRows(10, 5, 5);
        Tensor inter = new TreeShapInteractions(TreeShapInteractions.Options.builder().optThreads(1).build())
                .attribute(m, x, Target.classIndex(0)).values();
        Tensor phi = RECURSIVE.attribute(m, x, Target.classIndex(0)).values();
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 5; j++) {
                double rowSum = 0;
                for (int k = 0; k < 5; k++) {
                    rowSum += inter.get(i, j, k);
                    assertEquals(inter.get(i, j, k), inter.get(i, k, j), 1e-6, "symmetry " + j + "," + k);
                }
                assertEquals(phi.get(i, j), rowSum, 1e-6, "row " + j + " sums to phi_" + j);
                assertEquals(0.0f, inter.get(i, 4, j));
            }
        }
    }

    @Test
    void badInputsNameTheProblem() {
        TreeEnsembleModel m = handBuilt();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RECURSIVE.attribute(m, Tensor.zeros(io.attrib4j.engine.Shape.of(2, 7)), Target.classIndex(0)));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(InvalidTargetException.class,
                () -> RECURSIVE.attribute(m, randomRows(2, 5, 1), Target.classIndex(1)));
        InvalidInputException f = assertThrows(InvalidInputException.class,
                () -> m.forward(Tensor.zeros(io.attrib4j.engine.Shape.of(2, 3))));
        assertTrue(f.getMessage().contains("3") && f.getMessage().contains("5"), f.getMessage());
    }
}
