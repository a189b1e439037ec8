package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationCodecTest {
    static final float[] AWKWARD = {1f / 3, -0f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.NaN,
        Float.POSITIVE_INFINITY, 1e-42f};

    static Provenance provenance(Long seed) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("steps", 32);
        parameters.put("rule", "GAUSS_LEGENDRE");
        parameters.put("stdevs", 0.25);
        parameters.put("big", 1L << 40);
        parameters.put("layers", List.of("a", "b"));
        return new Provenance("IntegratedGradients", parameters, "class 1", "toy", "pytorch", "hash-v1", "cpu",
                seed, "0.1.0", new Provenance.Timing(12_345_678L, 9_000_000L, 4, 128L),
                Instant.parse("2026-11-23T10:15:30.123456789Z"), io.attrib4j.engine.spec.MethodSpec.parse(
                        "ig(steps=32, rule=riemann_trapezoid, stdevs=0.25)"));
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void roundTripIsBitExactAndKeepsEveryProvenanceField() {
        float[] delta = {-0f, 3.5e-7f};
        Attribution a = new Attribution(Tensor.of(AWKWARD.clone(), 2, 4), delta, provenance(42L));
        Attribution back = ExplanationCodec.decode(ExplanationCodec.encode(a));
        assertEquals(Shape.of(2, 4), back.values().shape());
        assertEquals(DType.FLOAT32, back.values().dtype());
        assertArrayEquals(bits(AWKWARD), bits(back.values().data()));
        assertArrayEquals(bits(delta), bits(back.convergenceDelta().orElseThrow()));
        assertEquals(provenance(42L), back.provenance());
        assertEquals(List.copyOf(provenance(42L).parameters().keySet()),
                List.copyOf(back.provenance().parameters().keySet()), "option order is kept");
    }

    @Test
    void noDeltaNoSeedAndIntegerTensorsSurvive() {
        Attribution a = new Attribution(Tensor.ofInt64(new long[] {7, -3, 1 << 20}, Shape.of(1, 3)), null,
                provenance(null));
        Attribution back = ExplanationCodec.decode(ExplanationCodec.encode(a));
        assertFalse(back.convergenceDelta().isPresent());
        assertEquals(DType.INT64, back.values().dtype());
        assertArrayEquals(new float[] {7, -3, 1 << 20}, back.values().data());
        assertEquals(null, back.provenance().seed());
    }

    @Test
    void foreignBytesAreRejectedNotMisread() {
        assertThrows(IllegalArgumentException.class,
                () -> ExplanationCodec.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> ExplanationCodec.decode("{\"format\": 99}".getBytes(StandardCharsets.UTF_8)));
        byte[] good = ExplanationCodec.encode(new Attribution(Tensor.of(new float[] {1, 2}, 1, 2), null,
                provenance(1L)));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThrows(IllegalArgumentException.class, () -> ExplanationCodec.decode(truncated));
    }
}
