package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.testkit.PoolingHeadModel;
import io.attrib4j.testkit.RecordingBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CAM family computes through the backend it is given, and records it. */
class CamMethodBackendTest {
    private final PoolingHeadModel model = CamTest.poolingHead(11);
    private final Tensor x = CamTest.random(Shape.of(2, 4, 5, 6), 12);
    private final Target target = Target.perExample(1, 2);

    @Test
    void eachVariantRunsItsWeightingThenTheBackendsChannelSumAndResize() {
        check(GradCam.builder(), List.of("spatialMean", "weightedChannelSum", "resize"));
        check(GradCamPlusPlus.builder(), List.of("weightedChannelSum", "resize"));
        check(HiResCam.builder(), List.of("weightedChannelSum", "resize"));
    }

    private void check(CamMethod.Builder<?> b, List<String> expected) {
        RecordingBackend recording = new RecordingBackend(Backends.get("cpu"));
        Attribution got = b.optLayer("id").optRelu(true).optUpsample(Upsample.BILINEAR)
                .optBackend(recording.backend()).build().attribute(model, x, target);
        assertEquals(expected, recording.calls());
        assertEquals(RecordingBackend.NAME, got.provenance().backend());
        Attribution cpu = b.optBackend(Backends.get("cpu")).build().attribute(model, x, target);
        assertEquals(Shape.of(2, 1, 5, 6), cpu.values().shape());
        assertArrayEquals(cpu.values().data(), got.values().data(), 0f, "same numbers through the recording backend");
    }

    @Test
    void provenanceNamesTheDefaultBackend() {
        Attribution a = GradCam.builder().optLayer("id").build().attribute(model, x, target);
        assertEquals(Backends.get().name(), a.provenance().backend());
    }

    @Test
    void upsampleDelegatesToTheBackendExceptForNone() {
        RecordingBackend recording = new RecordingBackend(Backends.get("cpu"));
        Tensor map = CamTest.random(Shape.of(1, 1, 2, 3), 13);
        assertSame(map, Upsample.NONE.apply(recording.backend(), map, 4, 6));
        assertEquals(List.of(), recording.calls());
        Tensor up = Upsample.NEAREST.toInputSize(recording.backend(), map, x);
        assertEquals(List.of("resize"), recording.calls());
        assertEquals(Shape.of(1, 1, 5, 6), up.shape());
        assertArrayEquals(Upsample.NEAREST.apply(map, 5, 6).data(), up.data(), 0f);
    }
}
