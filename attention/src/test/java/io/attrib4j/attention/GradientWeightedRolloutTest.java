package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradientWeightedRolloutTest {

    @Test
    void zeroOrNegativeGradientsLeaveTheIdentity() {
        Tensor attn = Reference.randomAttention(new Random(1), 3, 2, 2, 4, 1.0);
        float[] neg = new float[attn.size()];
        Arrays.fill(neg, -1f);
        for (Tensor g : List.of(Tensor.zeros(attn.shape()), Tensor.of(neg, attn.shape()))) {
            Tensor r = GradientWeightedRollout.create().rollout(attn, g).rollout();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        assertEquals(i == j ? 1f : 0f, r.get(b, i, j), 0f);
                    }
                }
            }
        }
    }

    @Test
    void unitGradientOnOneLayerGivesIdentityPlusMeanAttention() {
        Tensor attn = Reference.randomAttention(new Random(2), 1, 1, 3, 5, 1.0);
        Tensor ones = Tensor.filled(attn.shape(), 1f);
        Tensor r = GradientWeightedRollout.create().rollout(attn, ones).rollout();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double mean = (attn.get(0, 0, 0, i, j) + attn.get(0, 0, 1, i, j) + attn.get(0, 0, 2, i, j)) / 3.0;
                assertEquals((i == j ? 1 : 0) + mean, r.get(0, i, j), 1e-6);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,2", "2,3,4,5", "4,2,3,7", "6,1,12,10", "12,2,4,16"})
    void matchesFloat64Reference(int layers, int batch, int heads, int seq) {
        Random rnd = new Random(layers * 31L + seq);
        Tensor attn = Reference.randomAttention(rnd, layers, batch, heads, seq, 2.0);
        Tensor grad = Reference.randomGaussian(rnd, layers, batch, heads, seq, seq);
        RolloutResult result = GradientWeightedRollout.create().rollout(attn, grad);
        assertEquals(Shape.of(batch, seq, seq), result.rollout().shape());
        Tensor cls = result.tokenRelevance(TokenPooling.CLS);
        Tensor mean = result.tokenRelevance(TokenPooling.MEAN);
        for (int b = 0; b < batch; b++) {
            double[][] ref = Reference.gradientRollout(attn, grad, b);
            AttentionRolloutTest.assertMatches(ref, result.rollout(), b, "gradient-weighted rollout");
            for (int j = 0; j < seq; j++) {
                double m = 0;
                for (int i = 0; i < seq; i++) {
                    m += ref[i][j] / seq;
                }
                assertEquals(ref[0][j], cls.get(b, j), 1e-6 * Math.max(1, Math.abs(ref[0][j])));
                assertEquals(m, mean.get(b, j), 1e-6 * Math.max(1, Math.abs(m)));
            }
        }
    }

    @Test
    void listAndStackedInputsAgree() {
        Random rnd = new Random(3);
        Tensor attn = Reference.randomAttention(rnd, 2, 1, 2, 4, 1.0);
        Tensor grad = Reference.randomGaussian(rnd, 2, 1, 2, 4, 4);
        int block = 2 * 4 * 4;
        List<Tensor> a = List.of(Tensor.of(Arrays.copyOfRange(attn.data(), 0, block), 1, 2, 4, 4),
                Tensor.of(Arrays.copyOfRange(attn.data(), block, 2 * block), 1, 2, 4, 4));
        List<Tensor> g = List.of(Tensor.of(Arrays.copyOfRange(grad.data(), 0, block), 1, 2, 4, 4),
                Tensor.of(Arrays.copyOfRange(grad.data(), block, 2 * block), 1, 2, 4, 4));
        GradientWeightedRollout method = GradientWeightedRollout.create();
        org.junit.jupiter.api.Assertions.assertArrayEquals(method.rollout(attn, grad).rollout().data(),
                method.rollout(a, g).rollout().data());
    }
}
