package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReasonCodesTest {
    static final Map<Integer, String> DICTIONARY = Map.of(0, "too many recent credit inquiries",
            1, "length of credit history", 2, "debt-to-income ratio too high", 3, "income");

    @Test
    void topFeaturesPushingTowardTheAdverseClassFromIntegratedGradients() {
        // class 1 is "decline"; on a linear model IG from a zero baseline is exactly w_j x_j
        double[][] w = {{0, 0, 0, 0, 0}, {2, -1, 0.5, 3, 0}};
        Tensor x = Tensor.of(new float[] {1, 1, 4, -1, 7}, 1, 5); // w1 * x = {2, -1, 2, -3, 0}
        Attribution a = IntegratedGradients.withDefaults()
                .attribute(ToyModels.linear(w, new double[] {0, 0}), x, Target.classIndex(1));
        List<ReasonCode> reasons = ReasonCodes.builder().setDictionary(DICTIONARY).optTopK(3).build()
                .reasons(x, a, 0);
        // negative (feature 1, 3) and zero (feature 4) attributions are never reasons; the 2-2 tie goes to index 0
        assertEquals(2, reasons.size());
        assertEquals(new ReasonCode(1, 0, "too many recent credit inquiries", 1f, 2f), rounded(reasons.get(0)));
        assertEquals(new ReasonCode(2, 2, "debt-to-income ratio too high", 4f, 2f), rounded(reasons.get(1)));
    }

    @Test
    void topKCutsAndUnmappedFeaturesAreNamedByIndex() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 0, 0, 5, 6, 7}, 2, 4);
        Attribution a = new Attribution(Tensor.of(new float[] {0, 0, 0, 0, 0.1f, 0.9f, 0.5f, 0.7f}, 2, 4), null, null);
        List<ReasonCode> reasons = ReasonCodes.builder().setDictionary(Map.of(1, "utilization")).optTopK(2).build()
                .reasons(x, a, 1);
        assertEquals(List.of(new ReasonCode(1, 1, "utilization", 5f, 0.9f), new ReasonCode(2, 3, "feature 3", 7f, 0.7f)),
                reasons);
        assertEquals(List.of(), ReasonCodes.builder().setDictionary(Map.of()).build().reasons(x, a, 0));
    }

    @Test
    void badArgumentsAreTypedErrors() {
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Attribution a = new Attribution(Tensor.of(new float[] {1, 2, 3}, 1, 3), null, null);
        ReasonCodes codes = ReasonCodes.builder().setDictionary(DICTIONARY).build();
        assertThrows(InvalidInputException.class, () -> codes.reasons(x, a, 0));
        assertThrows(InvalidInputException.class,
                () -> codes.reasons(x, new Attribution(Tensor.of(new float[] {1, 2}, 1, 2), null, null), 1));
        assertThrows(InvalidOptionException.class, () -> ReasonCodes.builder().build());
        assertThrows(InvalidOptionException.class,
                () -> ReasonCodes.builder().setDictionary(DICTIONARY).optTopK(0).build());
    }

    private static ReasonCode rounded(ReasonCode r) {
        return new ReasonCode(r.rank(), r.feature(), r.reason(), r.value(), Math.round(r.attribution() * 1e4f) / 1e4f);
    }
}
