package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The zoo's in-process training gives the same weights every time, whatever the garbage collector does
 * meanwhile. (Training once read arrays whose direct buffers the GC could free: the text model came out
 * different in one JVM of three.)
 */
class ZooReproducibilityTest {

    private static String trainedTwice(Supplier<String> train) {
        String first = train.get();
        churnTheGarbageCollector();
        String second = train.get();
        assertEquals(first, second, "two trainings with the same seed must give the same weights");
        return first;
    }

    private static void churnTheGarbageCollector() {
        byte[][] junk = new byte[64][];
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < junk.length; i++) {
                junk[i] = new byte[1 << 20];
            }
            System.gc();
        }
    }

    @Test
    void patchClassifierTrainsReproducibly() {
        trainedTwice(() -> PatchTraining.train().model().info().contentHash());
    }

    @Test
    void stripesClassifierTrainsReproducibly() {
        trainedTwice(() -> StripesTraining.train().model().info().contentHash());
    }

    @Test
    void markerTransformerTrainsReproducibly() {
        trainedTwice(() -> TextTraining.train().model().info().contentHash());
    }
}
