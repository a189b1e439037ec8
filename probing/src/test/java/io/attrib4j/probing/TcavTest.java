package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void tTestMatchesScipy() {
        // scipy.stats.ttest_ind([0.9, 0.8, 1.0, 0.95], [0.5, 0.2, 0.7, 0.4, 0.6]).pvalue
        assertEquals(0.004356241606934023,
                StudentT.twoSampleP(new double[] {0.9, 0.8, 1.0, 0.95}, new double[] {0.5, 0.2, 0.7, 0.4, 0.6}), 1e-9);
        assertEquals(1.0, StudentT.twoSampleP(new double[] {1, 1}, new double[] {1, 1}));
        assertEquals(0.0, StudentT.twoSampleP(new double[] {1, 1}, new double[] {0, 0}));
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
        Tensor pool = StripesModel.randomImages(200, 12);
        Tcav tcav = Tcav.builder()
                .optExtractor(ActivationExtractor.builder().optPooling(Pooling.meanOverSpatial()).build()).build();

        TcavResult stripes = tcav.run(m.model(), LAYER, StripesModel.conceptImages(40, 13), pool, classInputs,
                Target.classIndex(1));
        System.out.printf("TCAV stripes concept at %s: score %.3f ± %.3f, random %.3f ± %.3f, p = %.3g%n", LAYER,
                stripes.mean(), stripes.std(), stripes.randomMean(), stripes.randomStd(), stripes.pValue());
        assertTrue(stripes.mean() > 0.7, "stripes score " + stripes.mean());
        assertTrue(stripes.significant(), "p = " + stripes.pValue());

        TcavResult random = tcav.run(m.model(), LAYER, StripesModel.randomImages(40, 14), pool, classInputs,
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
        Tensor pool = Tensor.of(new float[] {-1, 0, 0, -1, -2, 0, 0, -2}, 4, 2);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Tcav.withDefaults().run(model, "hidden", concept, pool, concept, Target.classIndex(1)));
        assertTrue(e.getMessage().contains("no gradient path"), e.getMessage());
        // class 0 depends on the layer: the same call works
        assertEquals(10, Tcav.withDefaults().run(model, "hidden", concept, pool, concept, Target.classIndex(0))
                .conceptScores().length);
    }

    @Test
    void badInputsAreTypedErrors() {
        var plain = ToyModels.linear(new double[][] {{1, 2}}, new double[] {0});
        Tensor two = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertThrows(UnsupportedModelException.class,
                () -> Tcav.withDefaults().run(plain, "hidden", two, two, two, Target.classIndex(0)));
        ToyLayerModel model = new ToyLayerModel(new double[][] {{1, 0}, {0, 1}}, new double[][] {{1, 1}});
        InvalidInputException small = assertThrows(InvalidInputException.class, () -> Tcav.withDefaults()
                .run(model, "hidden", two, two.rows(0, 1), two, Target.classIndex(0)));
        assertTrue(small.getMessage().contains("at least as large"), small.getMessage());
        assertThrows(InvalidOptionException.class, () -> Tcav.builder().optRandomSets(1).build());
        assertThrows(InvalidOptionException.class, () -> Tcav.builder().optAlpha(1.5).build());
    }
}
