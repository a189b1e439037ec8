package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.models.zoo.StripesModel;
import io.attrib4j.models.zoo.Zoo;
import io.attrib4j.testkit.ToyModels;
import org.junit.jupiter.api.Test;

class TcavTest {
    private static final String LAYER = "relu2";

    /**
     * SciPy 1.10's {@code ttest_ind} on TCAV-like score vectors ({@code tcav/ttest_ind.json}, written by
     * {@code tcav/ttest_ind.py}), p from 0.65 down to 4e-60, and its two degenerate answers (NaN, 0). Relative
     * tolerance 1e-10: the incomplete beta's continued fraction stops at 1e-15 and the log-gamma is good to about
     * 1e-15, so the worst case observed is near 1e-13 relative; {@code 2 (1 - cdf)} fails this from p ~ 1e-8
     * down (and returns 0 below 1e-16).
     */
    @Test
    void tTestMatchesScipyOnRecordedScores() throws java.io.IOException {
        JsonNode cases;
        try (var in = TcavTest.class.getResourceAsStream("/tcav/ttest_ind.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        assertTrue(cases.size() >= 10);
        for (JsonNode c : cases) {
            double got = StudentT.twoSampleP(doubles(c.get("a")), doubles(c.get("b")));
            String name = c.get("name").asText();
            if (c.get("p").isNull()) {
                assertTrue(Double.isNaN(got), name + ": SciPy says NaN (not testable), got " + got);
            } else {
                double want = c.get("p").asDouble();
                assertEquals(want, got, 1e-10 * want, name);
            }
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void aDegenerateExperimentIsNotTestableAndNotSignificant() {
        TcavResult r = new TcavResult("hidden", "class 0", new double[] {1, 1, 1}, new double[] {1, 1, 1},
                StudentT.twoSampleP(new double[] {1, 1, 1}, new double[] {1, 1, 1}), 0.05);
        assertFalse(r.testable());
        assertFalse(r.significant());
        assertTrue(r.toJson().get("pValue").isNull(), r.toJson().toString());
        assertFalse(r.toJson().get("testable").asBoolean());
    }

    @Test
    void randomSetsAreDisjointSeededAndFillThePool() {
        int[][] sets = Tcav.disjointSets(7, 44, 11, 4);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int[] set : sets) {
            assertEquals(4, set.length);
            for (int i : set) {
                assertTrue(i >= 0 && i < 44, "index " + i);
                assertTrue(seen.add(i), "index " + i + " drawn twice");
            }
        }
        assertEquals(44, seen.size());
        assertTrue(java.util.Arrays.deepEquals(sets, Tcav.disjointSets(7, 44, 11, 4)));
        assertFalse(java.util.Arrays.deepEquals(sets, Tcav.disjointSets(8, 44, 11, 4)));
    }

    @Test
    void scoreIsTheFractionOfPositiveDirectionalDerivatives() {
        double[][] g = {{1, 0}, {-1, 0}, {0, 1}, {0, -2}};
        assertEquals(0.5, Tcav.score(new double[] {1, 1}, g)); // dots: 1, -1, 1, -2
        assertEquals(0.25, Tcav.score(new double[] {-1, 0}, g));
    }

    @Test
    void stripesConceptDrivesTheStripesClassAndARandomConceptDoesNot() {
        StripesModel m = Zoo.stripesClassifier();
        Tensor classInputs = StripesModel.classImages(1, 50, 11);
        Tensor pool = StripesModel.randomImages(220, 12); // 11 disjoint sets of 20
        Tcav tcav = Tcav.builder()
                .optExtractor(ActivationExtractor.builder().optPooling(Pooling.meanOverSpatial()).build()).build();

        TcavResult stripes = tcav.run(m.model(), LAYER, StripesModel.conceptImages(20, 13), pool, classInputs,
                Target.classIndex(1));
        System.out.printf("TCAV stripes concept at %s: score %.3f ± %.3f, random %.3f ± %.3f, p = %.3g%n", LAYER,
                stripes.mean(), stripes.std(), stripes.randomMean(), stripes.randomStd(), stripes.pValue());
        assertTrue(stripes.mean() > 0.7, "stripes score " + stripes.mean());
        assertTrue(stripes.significant(), "p = " + stripes.pValue());

        TcavResult random = tcav.run(m.model(), LAYER, StripesModel.randomImages(20, 14), pool, classInputs,
                Target.classIndex(1));
        System.out.printf("TCAV random concept at %s: score %.3f ± %.3f, random %.3f ± %.3f, p = %.3g%n", LAYER,
                random.mean(), random.std(), random.randomMean(), random.randomStd(), random.pValue());
        assertFalse(random.significant(), "random concept p = " + random.pValue());
        assertEquals(10, stripes.conceptScores().length);
    }

    @Test
    void aLayerWithoutGradientPathIsATypedError() {
        // out = B (A x); output 1 ignores the hidden layer (row of zeros)
        ToyLayerModel model = new ToyLayerModel(new double[][] {{1, 0}, {0, 1}}, new double[][] {{1, 1}, {0, 0}});
        Tensor concept = Tensor.of(new float[] {1, 1, 2, 2, 3, 3}, 3, 2);
        Tensor pool = Tensor.of(new float[] {-1, 0, 0, -1, -2, 0, 0, -2, -3, 0, 0, -3, -1, -1, -2, -2, -3, -1}, 9, 2);
        Tcav tcav = Tcav.builder().optRandomSets(2).build(); // 3 disjoint sets of 3 fill the pool
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tcav.run(model, "hidden", concept, pool, concept, Target.classIndex(1)));
        assertTrue(e.getMessage().contains("no gradient path"), e.getMessage());
        // class 0 depends on the layer: the same call works
        assertEquals(2, tcav.run(model, "hidden", concept, pool, concept, Target.classIndex(0)).conceptScores().length);
    }

    @Test
    void badInputsAreTypedErrors() {
        var plain = ToyModels.linear(new double[][] {{1, 2}}, new double[] {0});
        Tensor two = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertThrows(UnsupportedModelException.class,
                () -> Tcav.withDefaults().run(plain, "hidden", two, two, two, Target.classIndex(0)));
        ToyLayerModel model = new ToyLayerModel(new double[][] {{1, 0}, {0, 1}}, new double[][] {{1, 1}});
        // R = 10 random sets plus one, disjoint, of 2 each: 22 examples; 21 is one short
        Tensor pool21 = Tensor.of(new float[42], 21, 2);
        InvalidInputException small = assertThrows(InvalidInputException.class, () -> Tcav.withDefaults()
                .run(model, "hidden", two, pool21, two, Target.classIndex(0)));
        assertTrue(small.getMessage().contains("11 disjoint random sets"), small.getMessage());
        assertTrue(small.getMessage().contains("at least 22"), small.getMessage());
        assertThrows(InvalidOptionException.class, () -> Tcav.builder().optRandomSets(1).build());
        assertThrows(InvalidOptionException.class, () -> Tcav.builder().optAlpha(1.5).build());
    }
}
