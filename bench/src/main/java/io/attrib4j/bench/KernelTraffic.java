package io.attrib4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operand sizes of {@link CudaKernelBenchmark} and the bytes each {@code Backend} call moves, so
 * that {@link KernelTable} can turn a time into a bandwidth.
 *
 * <p>Sizes are those of real attributions: Integrated Gradients on one 3x224x224 image with 50 steps
 * (the NoiseTunnel and element-wise operations on the same 50 x 3x224x224 batch), Grad-CAM on a batch
 * of 16 maps of 512x7x7 upsampled to 224x224, attention rollout over 12 layers x 12 heads x 197x197
 * (ViT-B/16).
 *
 * <p>Two byte counts per operation:
 * <ul>
 *   <li><b>PCIe</b>: what a call copies, {@code sum(inputs) + output}: the seam passes host
 *       {@code float[]}, so the CUDA backend uploads every operand and downloads the result on every
 *       call;</li>
 *   <li><b>device</b>: what the kernel reads and writes in device memory when it touches every
 *       operand once, {@code sum(inputs) + output}, plus the double-precision intermediate that
 *       {@code chainProduct} keeps on the device ({@code 2 * 8 * S^2} per product: read and write).</li>
 * </ul>
 * Both are lower bounds of the real traffic (caches and re-reads are not counted).
 */
final class KernelTraffic {
    static final int F32 = Float.BYTES;
    static final int F64 = Double.BYTES;

    /** Integrated Gradients: one 3x224x224 example, 50 path points. */
    static final int STEPS = 50;
    static final int[] IMAGE = {1, 3, 224, 224};
    static final long PIXELS = 3L * 224 * 224;
    /** The step-major batch: 50 x 3x224x224. */
    static final long BATCH = STEPS * PIXELS;

    /** Grad-CAM: 16 maps of 512x7x7, upsampled to 224x224. */
    static final int CAM_BATCH = 16;
    static final int CHANNELS = 512;
    static final int MAP = 7;
    static final int UPSAMPLED = 224;

    /** Attention rollout: 12 layers x 12 heads x 197x197, one example. */
    static final int LAYERS = 12;
    static final int HEADS = 12;
    static final int SEQ = 197;

    /** What one call of an operation moves; {@code shape} is the label in the table. */
    record Traffic(String shape, long deviceBytes, long pcieBytes) {
        static Traffic of(String shape, long bytes) {
            return new Traffic(shape, bytes, bytes);
        }
    }

    private static final Map<String, Traffic> BY_OPERATION = table();

    private KernelTraffic() {}

    /** The traffic of the benchmark method {@code operation}, or {@code null} for an unknown name. */
    static Traffic of(String operation) {
        return BY_OPERATION.get(operation);
    }

    private static Map<String, Traffic> table() {
        long camIn = (long) CAM_BATCH * CHANNELS * MAP * MAP;
        long camMap = (long) CAM_BATCH * MAP * MAP;
        long heads = (long) LAYERS * HEADS * SEQ * SEQ;
        long fused = (long) LAYERS * SEQ * SEQ;
        long square = (long) SEQ * SEQ;
        String batch = "50x3x224x224";
        Map<String, Traffic> t = new LinkedHashMap<>();
        t.put("interpolate", Traffic.of("1x3x224x224, 50 steps",
                F32 * (2 * PIXELS + STEPS + BATCH)));
        t.put("weightedStepSum", Traffic.of(batch + " -> 1x3x224x224",
                F32 * (BATCH + STEPS + PIXELS)));
        t.put("add", Traffic.of(batch, F32 * 3 * BATCH));
        t.put("multiply", Traffic.of(batch, F32 * 3 * BATCH));
        t.put("abs", Traffic.of(batch, F32 * 2 * BATCH));
        t.put("gaussian", Traffic.of(batch, F32 * BATCH));
        // the rows in; the sum and the sum of squares (double) in and out
        t.put("accumulateSamples", Traffic.of(batch + ", 50 samples",
                F32 * BATCH + F64 * 4 * PIXELS));
        t.put("spatialMean", Traffic.of("16x512x7x7 -> 16x512",
                F32 * (camIn + (long) CAM_BATCH * CHANNELS)));
        t.put("weightedChannelSum", Traffic.of("16x512x7x7, 16x512 -> 16x1x7x7",
                F32 * (camIn + (long) CAM_BATCH * CHANNELS + camMap)));
        t.put("resize", Traffic.of("16x1x7x7 -> 16x1x224x224 bilinear",
                F32 * (camMap + (long) CAM_BATCH * UPSAMPLED * UPSAMPLED)));
        t.put("fuseHeads", Traffic.of("12x12x197x197 -> 12x197x197 mean", F32 * (heads + fused)));
        t.put("positiveGradientMean", Traffic.of("2 x 12x12x197x197 -> 12x197x197",
                F32 * (2 * heads + fused)));
        t.put("mixResidual", Traffic.of("12x197x197, discard 0.9", F32 * 2 * fused));
        long chainPcie = F32 * (fused + square);
        t.put("chainProduct", new Traffic("12 x 197x197 -> 197x197",
                chainPcie + (long) (LAYERS - 1) * 2 * F64 * square, chainPcie));
        return t;
    }
}
