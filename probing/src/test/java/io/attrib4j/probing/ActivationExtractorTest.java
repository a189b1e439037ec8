package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.testkit.ToyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationExtractorTest {
    private static final double[][] A = {{1, 0, 0}, {0, 2, 0}, {1, 1, 1}, {0, 0, -1}};
    private static final double[][] B = {{1, 1, 0, 0}, {0, 0, 1, 1}};

    private static Tensor inputs(int n) {
        float[] x = new float[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3;
        }
        return Tensor.of(x, n, 3);
    }

    @Test
    void streamsInBoundedBatchesAndMatchesTheLayer() {
        ToyLayerModel model = new ToyLayerModel(A, B);
        Tensor x = inputs(23);
        Tensor rows = ActivationExtractor.builder().optBatchSize(5).build().extract(model, "hidden", x);
        assertEquals(List.of(5, 5, 5, 5, 3), model.calls, "batch sizes of the model calls");
        assertEquals(io.attrib4j.engine.Shape.of(23, 4), rows.shape());
        // row 1 is x = (0, 1, 2) -> A x = (0, 2, 3, -2), by hand
        assertArrayEquals(new float[] {0, 2, 3, -2}, rows.row(1).data());
    }

    @Test
    void secondExtractionReadsTheCacheWithoutCallingTheModel(@TempDir Path dir) {
        ToyLayerModel model = new ToyLayerModel(A, B);
        ActivationExtractor ex = ActivationExtractor.builder().optBatchSize(8).optCacheDir(dir).build();
        Tensor first = ex.extract(model, "hidden", inputs(20));
        assertEquals(3, model.calls.size());
        Tensor second = ex.extract(model, "hidden", inputs(20));
        assertEquals(3, model.calls.size(), "the second extraction must not call the model");
        assertArrayEquals(first.data(), second.data());
        assertEquals(first.shape(), second.shape());
        assertEquals(1, dir.toFile().list().length);

        ex.extract(model, "hidden", inputs(21)); // other data: another key, the model runs again
        assertEquals(6, model.calls.size());
        ActivationExtractor.builder().optBatchSize(8).optCacheDir(dir).optPooling(Pooling.meanOverSpatial()).build()
                .extract(model, "hidden", inputs(20)); // other pooling: another key (rank 2 rows pass unchanged)
        assertEquals(9, model.calls.size());
        assertTrue(Files.isDirectory(dir));
        assertEquals(3, dir.toFile().list().length);
    }

    @Test
    void poolingsAverageSelectAndFlatten() {
        // [1, 2, 3] activation: 2 tokens x 3 features (also: 2 channels x 3 positions)
        Tensor a = Tensor.of(new float[] {1, 2, 3, 5, 6, 10}, 1, 2, 3);
        assertArrayEquals(new float[] {3, 4, 6.5f}, Pooling.meanOverTokens().apply(a, "l").data());
        assertArrayEquals(new float[] {2, 7}, Pooling.meanOverSpatial().apply(a, "l").data());
        assertArrayEquals(new float[] {5, 6, 10}, Pooling.token(-1).apply(a, "l").data());
        assertEquals(io.attrib4j.engine.Shape.of(1, 6), Pooling.flatten().apply(a, "l").shape());
        assertEquals(Pooling.token(2), Pooling.parse(Pooling.token(2).describe()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pooling.token(2).apply(a, "l"));
        assertTrue(e.getMessage().contains("0..1"), e.getMessage());
    }

    @Test
    void rejectsModelsWithoutLayersAndUnknownLayers() {
        var plain = ToyModels.linear(new double[][] {{1, 2, 3}}, new double[] {0});
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> ActivationExtractor.withDefaults().extract(plain, "hidden", inputs(2)));
        assertTrue(e.getMessage().contains("no access to its layers"), e.getMessage());
        InvalidInputException u = assertThrows(InvalidInputException.class,
                () -> ActivationExtractor.withDefaults().extract(new ToyLayerModel(A, B), "fc9", inputs(2)));
        assertTrue(u.getMessage().contains("[hidden]"), u.getMessage());
    }
}
