package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.testkit.RecordingBackend;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rollouts compute through the backend they are given, in one call per step for the whole stack. */
class RolloutBackendTest {
    private final Tensor attn = Reference.randomAttention(new Random(7), 3, 2, 4, 5, 2.0);

    @Test
    void attentionRolloutIsFuseMixChainOnTheWholeStack() {
        RecordingBackend recording = new RecordingBackend(Backends.get("cpu"));
        RolloutResult got = AttentionRollout.builder().optHeadFusion(HeadFusion.MAX).optDiscardRatio(0.5)
                .optBackend(recording.backend()).build().rollout(attn);
        assertEquals(List.of("fuseHeads", "mixResidual", "chainProduct"), recording.calls());
        assertEquals(RecordingBackend.NAME, got.provenance().backend());
        Tensor cpu = AttentionRollout.builder().optHeadFusion(HeadFusion.MAX).optDiscardRatio(0.5)
                .optBackend(Backends.get("cpu")).build().rollout(attn).rollout();
        assertArrayEquals(cpu.data(), got.rollout().data(), 0f);
    }

    @Test
    void gradientWeightedRolloutIsPositiveMeanPlusIdentityThenChain() {
        Tensor grad = Reference.randomGaussian(new Random(8), 3, 2, 4, 5, 5);
        RecordingBackend recording = new RecordingBackend(Backends.get("cpu"));
        RolloutResult got = GradientWeightedRollout.builder().optBackend(recording.backend()).build()
                .rollout(attn, grad);
        assertEquals(List.of("positiveGradientMean", "add", "chainProduct"), recording.calls());
        assertEquals(RecordingBackend.NAME, got.provenance().backend());
        assertArrayEquals(GradientWeightedRollout.create().rollout(attn, grad).rollout().data(), got.rollout().data(), 0f);
    }

    @Test
    void defaultsRecordTheDefaultBackend() {
        assertEquals(Backends.get().name(), AttentionRollout.withDefaults().rollout(attn).provenance().backend());
        assertEquals(Backends.get().name(), GradientWeightedRollout.create().rollout(attn, attn).provenance().backend());
    }

    @Test
    void aZeroRowIsReportedAtItsLayerExampleAndRow() {
        // 2 layers x 2 examples x 2 heads of 2x2 maps, all identity except layer 1, example 1, whose heads
        // (1,0 / 1,0) and (1,0 / 0,1) have a MIN with an empty row 1
        float[] d = new float[2 * 2 * 2 * 4];
        for (int m = 0; m < 8; m++) {
            d[m * 4] = 1;
            d[m * 4 + 3] = 1;
        }
        int head0 = ((1 * 2 + 1) * 2) * 4;
        d[head0 + 2] = 1;
        d[head0 + 3] = 0;
        AttentionRollout min = AttentionRollout.builder().optHeadFusion(HeadFusion.MIN).optResidualWeight(0).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> min.rollout(Tensor.of(d, 2, 2, 2, 2, 2)));
        assertTrue(e.getMessage().startsWith("row 1 of the fused attention of layer 1, example 1 sums to 0"),
                e.getMessage());
    }
}
