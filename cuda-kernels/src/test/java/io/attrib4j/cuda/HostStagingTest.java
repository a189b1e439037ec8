package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Transfers through the page-locked staging buffer: its sizing everywhere; on a GPU, transfers larger than
 * one chunk ({@value HostStaging#MAX_MB} MB) arriving intact, pinned and not.
 */
class HostStagingTest {

    @Test
    void stagingGrowsInPowersOfTwoBetween4KbAndTheCap() {
        assertEquals(4096, HostStaging.chunkBytes(0));
        assertEquals(4096, HostStaging.chunkBytes(4096));
        assertEquals(8192, HostStaging.chunkBytes(4097));
        assertEquals(1L << 20, HostStaging.chunkBytes(600_000));
        assertEquals((long) HostStaging.MAX_MB << 20, HostStaging.chunkBytes(1L << 33));
    }

    @Test
    void pinnedUnlessThePropertySaysFalse() {
        String before = System.getProperty(HostStaging.PROPERTY);
        try {
            System.clearProperty(HostStaging.PROPERTY);
            assertTrue(HostStaging.fromProperty().pinned());
            System.setProperty(HostStaging.PROPERTY, "FALSE");
            assertFalse(HostStaging.fromProperty().pinned());
            assertEquals(0, new HostStaging(true).pinnedBytes(), "nothing is page-locked before the first transfer");
        } finally {
            restore(before);
        }
    }

    @Test
    void transfersLargerThanOneChunkArriveIntactPinnedAndNot() {
        String why = new CudaBackendProvider().unavailableReason();
        assumeTrue(why == null, () -> "CUDA backend unavailable: " + why);
        float[] values = new float[(HostStaging.MAX_MB << 20) / Float.BYTES * 5 / 4 + 7]; // 1.25 chunks and a tail
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 1e6f;
        }
        Tensor x = Tensor.of(values, values.length);
        Tensor zeros = Tensor.zeros(x.shape());
        String before = System.getProperty(HostStaging.PROPERTY);
        try {
            for (String pinned : new String[] {"true", "false"}) {
                System.setProperty(HostStaging.PROPERTY, pinned);
                try (CudaBackend gpu = new CudaBackend(0)) {
                    assertArrayEquals(values, gpu.add(x, zeros).data(), "x + 0 through the GPU, pinned=" + pinned);
                }
            }
        } finally {
            restore(before);
        }
    }

    private static void restore(String value) {
        if (value == null) {
            System.clearProperty(HostStaging.PROPERTY);
        } else {
            System.setProperty(HostStaging.PROPERTY, value);
        }
    }
}
