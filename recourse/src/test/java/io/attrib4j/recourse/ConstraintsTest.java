package io.attrib4j.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.recourse.Constraints.Direction;
import io.attrib4j.recourse.CounterfactualOptions.Search;
import io.attrib4j.recourse.CounterfactualResult.Status;
import io.attrib4j.testkit.ToyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Property tests: over random rows and random constraint sets, no returned counterfactual breaks a constraint. */
class ConstraintsTest {
    private static final int D = 8; // 0-3 continuous, 4 integer-valued, 5-7 one-hot

    private static FeatureSpace toyData(SplittableRandom r) {
        int n = 300;
        float[] data = new float[n * D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                data[i * D + j] = (float) (r.nextGaussian());
            }
            data[i * D + 4] = r.nextInt(6);
            data[i * D + 5 + r.nextInt(3)] = 1;
        }
        return FeatureSpace.of(Tensor.of(data, n, D));
    }

    /** A random constraint set for a row: each feature free, immutable, monotone, ranged or stepped. */
    private static Constraints randomConstraints(float[] x, int continuous, boolean oneHot, SplittableRandom r) {
        Constraints.Builder b = Constraints.builder();
        for (int j = 0; j < continuous; j++) {
            switch (r.nextInt(6)) {
                case 0 -> b.immutable(j);
                case 1 -> b.direction(j, Direction.INCREASE);
                case 2 -> b.direction(j, Direction.DECREASE);
                case 3 -> b.range(j, x[j] - r.nextDouble(2), x[j] + r.nextDouble(2));
                case 4 -> b.step(j, 0.25 + r.nextInt(3) * 0.25);
                default -> { } // free
            }
        }
        if (oneHot) {
            b.integer(4);
            if (r.nextBoolean()) {
                b.range(4, 0, 5);
            }
            b.oneHot(5, 6, 7);
            if (r.nextInt(4) == 0) {
                b.immutable(6);
            }
        }
        return b.build();
    }

    private static int check(ForwardModel model, FeatureSpace space, Tensor rows, int continuous, boolean oneHot,
            CounterfactualOptions options, int cases, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int found = 0;
        Counterfactuals cf = new Counterfactuals(options);
        for (int c = 0; c < cases; c++) {
            float[] x = rows.row(r.nextInt(rows.batch())).data();
            Constraints cons = randomConstraints(x, continuous, oneHot, r);
            CounterfactualResult res = cf.explain(model, x, space, cons, Counterfactuals.OPPOSITE);
            if (res.status() == Status.FOUND) {
                found++;
                for (Counterfactual k : res.counterfactuals()) {
                    List<String> v = cons.violations(x, k.values());
                    assertTrue(v.isEmpty(), "case " + c + " " + cons + ": " + v);
                }
            }
        }
        return found;
    }

    @Test
    void toyModelNeverBreaksRandomConstraintsWithAdamOrGenetic() {
        SplittableRandom r = new SplittableRandom(7);
        FeatureSpace space = toyData(r);
        ToyModels.Toy toy = ToyModels.tanhMlp(D, 12, 2, 3);
        CounterfactualOptions fast = CounterfactualOptions.builder().optMinIterations(100).optMaxIterations(400).build();
        int a = check(toy, space, space.tensor(), 4, true, fast, 40, 11);
        int g = check(toy, space, space.tensor(), 4, true, fast.toBuilder().optSearch(Search.GENETIC).build(), 40, 12);
        assertTrue(a > 20 && g > 20, "most random constraint sets leave something to change: " + a + ", " + g);
    }

    @Test
    void breastCancerMlpNeverBreaksRandomConstraints() {
        try (TorchScriptModel model = BreastCancer.model()) {
            FeatureSpace space = BreastCancer.space();
            Tensor test = BreastCancer.test();
            // random constraints can make the desired class unreachable; cap Adam so those cases end early
            CounterfactualOptions o = CounterfactualOptions.builder().optMaxIterations(1000).build();
            check(model, space, test, 30, false, o, 4, 21);
            check(BreastCancer.forwardOnly(model), space, test, 30, false, o, 4, 22);
        }
    }

    @Test
    void snapLandsOnTheFeasibleSet() {
        SplittableRandom r = new SplittableRandom(5);
        FeatureSpace space = toyData(r);
        for (int c = 0; c < 500; c++) {
            float[] x = space.row(r.nextInt(space.size())).clone();
            Constraints cons = randomConstraints(x, 4, true, r);
            FeasibleBox box = new FeasibleBox(cons, x, space);
            float[] v = new float[D];
            for (int j = 0; j < D; j++) {
                v[j] = (float) (x[j] + r.nextGaussian() * 2);
            }
            box.snap(v);
            assertEquals(List.of(), cons.violations(x, v), cons.toString());
        }
    }

    @Test
    void violationsNameWhatIsBroken() {
        Constraints c = Constraints.builder().immutable(0).direction(1, Direction.INCREASE).range(2, 0, 1).integer(3)
                .oneHot(4, 5).build();
        float[] x = {1, 1, 0.5f, 2, 1, 0};
        assertEquals(List.of(), c.violations(x, x.clone()));
        List<String> v = c.violations(x, new float[] {2, 0, 3, 2.5f, 1, 1});
        assertEquals(5, v.size(), v.toString());
        assertTrue(v.get(0).contains("immutable"));
    }

    @Test
    void readsYamlByIndexAndName() {
        List<String> names = List.of("age", "income", "debt", "children", "a", "b", "c");
        Constraints c = Constraints.fromYaml("""
                immutable: [0]
                increase: [income]
                decrease: ["debt"]
                integer: [children]
                ranges: {income: [0, 100]}
                steps: {debt: 0.5}
                oneHot: [[4, 5, 6]]
                """, names);
        assertTrue(c.isImmutable(0));
        assertEquals(Direction.INCREASE, c.rule(1).direction());
        assertEquals(100, c.rule(1).max());
        assertEquals(Direction.DECREASE, c.rule(2).direction());
        assertEquals(0.5, c.rule(2).step());
        assertEquals(1, c.rule(3).step());
        assertEquals(List.of(List.of(4, 5, 6)), c.oneHotGroups());
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> Constraints.fromYaml("immutable: [salary]", names));
        assertTrue(e.getMessage().contains("unknown feature 'salary'"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> Constraints.fromYaml("frozen: [0]", names));
        assertThrows(InvalidOptionException.class, () -> Constraints.builder().range(0, 2, 1));
        assertThrows(InvalidOptionException.class, () -> Constraints.builder().oneHot(0, 1).oneHot(1, 2).build());
    }

    /** The row with its one-hot group relaxed to (0.3, 0.9, 0.2), as a gradient step leaves it. */
    private static float[] relaxedGroup(float[] x) {
        float[] v = x.clone();
        v[5] = 0.3f;
        v[6] = 0.9f;
        v[7] = 0.2f;
        return v;
    }

    @Test
    void oneHotGroupsStayOneHotAndImmutableMembersFreezeTheGroup() {
        SplittableRandom r = new SplittableRandom(9);
        FeatureSpace space = toyData(r);
        float[] x = space.row(0).clone();
        Constraints frozen = Constraints.builder().oneHot(5, 6, 7).immutable(6).build();
        FeasibleBox box = new FeasibleBox(frozen, x, space);
        float[] v = relaxedGroup(x);
        box.snap(v);
        assertEquals(x[5], v[5]);
        assertEquals(x[6], v[6]);
        assertEquals(x[7], v[7]);
        Constraints free = Constraints.builder().oneHot(5, 6, 7).build();
        FeasibleBox b2 = new FeasibleBox(free, x, space);
        float[] w = relaxedGroup(x);
        b2.snap(w);
        assertEquals(1f, w[6]);
        assertEquals(0f, w[5] + w[7]);
        assertFalse(b2.freeUnits().isEmpty());
        List<int[]> units = new ArrayList<>(b2.freeUnits());
        assertTrue(units.stream().anyMatch(u -> u.length == 3), "the group is one unit");
    }
}
