package io.attrib4j.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.recourse.CounterfactualResult.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Counterfactuals on the breast-cancer MLP: every claim is checked by running the model on the returned rows, and
 * by comparing with the brute-force alternative a person has without the method (the nearest training row that the
 * model already puts in the desired class).
 */
class CounterfactualsTest {
    private static TorchScriptModel model;
    private static FeatureSpace space;
    private static Tensor test;

    @BeforeAll
    static void load() {
        model = BreastCancer.model();
        space = BreastCancer.space();
        test = BreastCancer.test();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static float[] testRow(int i) {
        return test.row(i).data();
    }

    /** The model's class, run here (not taken from the result). */
    private static int classOf(ForwardModel m, float[] row) {
        return m.forward(Tensor.of(row.clone(), 1, row.length)).argmaxRows()[0];
    }

    /** MAD-L1 distance from x to the nearest training row the model gives class c. */
    private static double nearestOfClass(float[] x, int c) {
        int[] pred = model.forward(space.tensor()).argmaxRows();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < space.size(); i++) {
            if (pred[i] == c) {
                best = Math.min(best, space.distance(x, space.row(i)));
            }
        }
        return best;
    }

    private void checkSet(ForwardModel m, Counterfactuals cf, int rows, double minCloser) {
        int total = 0;
        int valid = 0;
        int closer = 0;
        for (int i = 0; i < rows; i++) {
            float[] x = testRow(i);
            CounterfactualResult r = cf.explain(m, x, space, Constraints.none(), Counterfactuals.OPPOSITE);
            assertEquals(Status.FOUND, r.status(), r.message());
            assertEquals(cf.options().count(), r.counterfactuals().size(), "k counterfactuals");
            double nearest = nearestOfClass(x, r.desiredClass());
            for (int a = 0; a < r.counterfactuals().size(); a++) {
                Counterfactual c = r.counterfactuals().get(a);
                total++;
                boolean ok = classOf(model, c.values()) == r.desiredClass();
                assertEquals(ok, c.valid(), "the result's validity is the model's");
                valid += ok ? 1 : 0;
                closer += space.distance(c.values(), x) < nearest ? 1 : 0;
                assertEquals(space.distance(c.values(), x), c.proximity(), 1e-9);
                assertEquals(c.changes().size(), c.sparsity());
                for (int b = a + 1; b < r.counterfactuals().size(); b++) {
                    assertFalse(Arrays.equals(c.values(), r.counterfactuals().get(b).values()), "distinct");
                }
            }
            assertTrue(r.diversity() > 0, "diversity > 0 for k > 1");
        }
        assertTrue(valid >= 0.95 * total, valid + " of " + total + " valid");
        assertTrue(closer >= minCloser * total, closer + " of " + total + " closer than the nearest training row");
    }

    @Test
    void adamCounterfactualsAreValidCloseDistinctAndDiverse() {
        checkSet(model, new Counterfactuals(CounterfactualOptions.defaults()), 6, 0.9);
    }

    @Test
    void geneticSearchServesForwardOnlyModels() {
        ForwardModel fo = BreastCancer.forwardOnly(model);
        Counterfactuals cf = new Counterfactuals(CounterfactualOptions.defaults());
        CounterfactualResult r = cf.explain(fo, testRow(0), space, Constraints.none(), Counterfactuals.OPPOSITE);
        assertEquals("genetic", r.search());
        checkSet(fo, cf, 6, 0.9);
    }

    @Test
    void resultNamesTheChangesInWords() {
        CounterfactualResult r = new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, testRow(1), space, Constraints.none(), Counterfactuals.OPPOSITE);
        Counterfactual c = r.counterfactuals().get(0);
        Counterfactual.Change ch = c.changes().get(0);
        assertEquals(c.values()[ch.feature()], ch.to());
        assertEquals(testRow(1)[ch.feature()], ch.from());
        assertTrue(c.narrative().startsWith("If " + ch.name() + " were "), c.narrative());
        assertTrue(c.narrative().contains("the decision would be '" + space.className(r.desiredClass()) + "'"),
                c.narrative());
        assertTrue(c.plausibility() > 0 && Double.isFinite(c.plausibility()));
    }

    @Test
    void sparsityPassLeavesFewerChanges() {
        CounterfactualOptions dense = CounterfactualOptions.builder().optSparsityPass(false).build();
        float[] x = testRow(2);
        int withPass = 0;
        int without = 0;
        for (Counterfactual c : new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, x, space, Constraints.none(), Counterfactuals.OPPOSITE).counterfactuals()) {
            withPass += c.sparsity();
        }
        for (Counterfactual c : new Counterfactuals(dense)
                .explain(model, x, space, Constraints.none(), Counterfactuals.OPPOSITE).counterfactuals()) {
            without += c.sparsity();
        }
        assertTrue(withPass < without, withPass + " changes with the pass, " + without + " without");
    }

    @Test
    void everyFeatureImmutableMeansNoCounterfactualNotAnException() {
        int[] all = new int[space.features()];
        Arrays.setAll(all, j -> j);
        Constraints c = Constraints.builder().immutable(all).build();
        CounterfactualResult r = new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, testRow(0), space, c, Counterfactuals.OPPOSITE);
        assertEquals(Status.INFEASIBLE, r.status());
        assertTrue(r.counterfactuals().isEmpty());
        assertTrue(r.message().contains("no counterfactual exists under these constraints"), r.message());
    }

    @Test
    void directionsThatPinEveryFeatureAreInfeasibleToo() {
        float[] x = testRow(0);
        Constraints.Builder b = Constraints.builder();
        for (int j = 0; j < x.length; j++) {
            b.direction(j, Constraints.Direction.INCREASE).range(j, Double.NEGATIVE_INFINITY, x[j]);
        }
        CounterfactualResult r = new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, x, space, b.build(), Counterfactuals.OPPOSITE);
        assertEquals(Status.INFEASIBLE, r.status());
    }

    @Test
    void desiredClassOutOfRangeIsATypedError() {
        Counterfactuals cf = new Counterfactuals(CounterfactualOptions.defaults());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> cf.explain(model, testRow(0), space, Constraints.none(), 2));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> cf.explain(model, testRow(0), space, Constraints.none(), -2));
        assertThrows(InvalidInputException.class,
                () -> cf.explain(model, new float[] {1, 2}, space, Constraints.none(), Counterfactuals.OPPOSITE));
    }

    @Test
    void theCurrentClassAsDesiredNeedsNoChange() {
        float[] x = testRow(0);
        CounterfactualResult r = new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, x, space, Constraints.none(), classOf(model, x));
        assertEquals(Status.ALREADY_DESIRED, r.status());
    }

    @Test
    void immutableFeaturesByIndexStayPut() {
        float[] x = testRow(3);
        List<Integer> fixed = new ArrayList<>();
        for (int j = 0; j < 30; j += 2) {
            fixed.add(j);
        }
        Constraints c = Constraints.builder().immutable(fixed.stream().mapToInt(Integer::intValue).toArray()).build();
        CounterfactualResult r = new Counterfactuals(CounterfactualOptions.defaults())
                .explain(model, x, space, c, Counterfactuals.OPPOSITE);
        for (Counterfactual cf : r.counterfactuals()) {
            for (int j : fixed) {
                assertEquals(x[j], cf.values()[j]);
            }
            assertTrue(c.violations(x, cf.values()).isEmpty());
        }
    }
}
