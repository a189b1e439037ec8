package io.attrib4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.SplittableRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The CPU map operations (CAM and rollout) on small cases worked by hand from the formulas in
 * {@link Backend}'s and {@link Resize}'s Javadoc, plus the invariants: ReLU is non-negative, mixed rows
 * sum to 1, the discard drops exactly {@code floor(r*(S-1))} off-diagonal entries per row.
 */
class MapOpsTest {
    private static final float EPS = 1e-6f;
    private final Backend cpu = Backends.get("cpu");

    private static Tensor random(Shape s, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(lo, hi);
        }
        return Tensor.of(d, s);
    }

    // ---- class activation maps ----

    @Test
    void spatialMeanAveragesEachPlane() {
        Tensor maps = Tensor.of(new float[] {1, 2, 3, 4, /* channel 1 */ -1, 0, 0.5f, 8.5f}, 1, 2, 2, 2);
        Tensor mean = cpu.spatialMean(maps);
        assertEquals(Shape.of(1, 2), mean.shape());
        assertArrayEquals(new float[] {2.5f, 2f}, mean.data(), EPS);
    }

    @Test
    void weightedChannelSumByHand() {
        // A: channel 0 = (1, 2), channel 1 = (3, -4) on a 1x2 plane
        Tensor a = Tensor.of(new float[] {1, 2, 3, -4}, 1, 2, 1, 2);
        Tensor w = Tensor.of(new float[] {2, 1}, 1, 2);
        assertArrayEquals(new float[] {5, 0}, cpu.weightedChannelSum(a, w, false).data(), EPS);
        Tensor ones = Tensor.of(new float[] {1, 1}, 1, 2);
        Tensor plain = cpu.weightedChannelSum(a, ones, false);
        assertEquals(Shape.of(1, 1, 1, 2), plain.shape());
        assertArrayEquals(new float[] {4, -2}, plain.data(), EPS);
        assertArrayEquals(new float[] {4, 0}, cpu.weightedChannelSum(a, ones, true).data(), EPS);
        // per element: each element its own weight
        Tensor we = Tensor.of(new float[] {1, -1, 0.5f, 2}, 1, 2, 1, 2);
        assertArrayEquals(new float[] {1 + 1.5f, -2 - 8}, cpu.weightedChannelSum(a, we, false).data(), EPS);
    }

    @Test
    void perChannelAndConstantPerElementWeightsAgree() {
        Shape s = Shape.of(2, 3, 4, 5);
        Tensor a = random(s, 1, -2, 2);
        Tensor w = random(Shape.of(2, 3), 2, -1, 1);
        float[] spread = new float[s.size()];
        for (int k = 0; k < spread.length; k++) {
            spread[k] = w.data()[k / 20];
        }
        Tensor perElement = Tensor.of(spread, s);
        for (boolean relu : new boolean[] {false, true}) {
            assertArrayEquals(cpu.weightedChannelSum(a, w, relu).data(),
                    cpu.weightedChannelSum(a, perElement, relu).data(), 0f, "relu " + relu);
        }
    }

    @Test
    void reluMapIsNonNegativeAndOtherwiseUnchanged() {
        Tensor a = random(Shape.of(3, 4, 3, 3), 3, -2, 2);
        Tensor w = random(Shape.of(3, 4), 4, -1, 1);
        float[] plain = cpu.weightedChannelSum(a, w, false).data();
        float[] relu = cpu.weightedChannelSum(a, w, true).data();
        boolean sawNegative = false;
        for (int k = 0; k < plain.length; k++) {
            assertTrue(relu[k] >= 0, "relu map at " + k);
            assertEquals(Math.max(plain[k], 0f), relu[k], 0f);
            sawNegative |= plain[k] < 0;
        }
        assertTrue(sawNegative, "the case must have negative map values for the ReLU to matter");
    }

    @Test
    void nearestUpscaleRepeatsByFloorIndex() {
        // 2 -> 4: src = floor(d * 0.5) = 0, 0, 1, 1
        Tensor got = cpu.resize(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), 4, 4, Resize.NEAREST);
        assertEquals(Shape.of(1, 1, 4, 4), got.shape());
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, got.data(), 0f);
    }

    @Test
    void bilinearUpscaleByHand() {
        // 2 -> 4: src = max(0.5 * (d + 0.5) - 0.5, 0) = 0, 0.25, 0.75, 1.25 (i0 = 1 = last: all weight on it)
        // x: (0, 4) -> (0, 1, 3, 4); (8, 12) -> (8, 9, 11, 12); y mixes those rows with the same weights
        Tensor got = cpu.resize(Tensor.of(new float[] {0, 4, 8, 12}, 1, 1, 2, 2), 4, 4, Resize.BILINEAR);
        assertArrayEquals(new float[] {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12}, got.data(), EPS);
    }

    @Test
    void downScaleByHand() {
        Tensor row = Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 1, 4);
        // nearest 4 -> 2: src = floor(d * 2) = 0, 2
        assertArrayEquals(new float[] {10, 30}, cpu.resize(row, 1, 2, Resize.NEAREST).data(), 0f);
        // bilinear 4 -> 2: src = 2 (d + 0.5) - 0.5 = 0.5, 2.5: halfway between neighbours
        assertArrayEquals(new float[] {15, 35}, cpu.resize(row, 1, 2, Resize.BILINEAR).data(), EPS);
    }

    @Test
    void nonIntegerScaleByHand() {
        Tensor three = Tensor.of(new float[] {0, 4, 8}, 1, 1, 1, 3);
        // 3 -> 2, scale 1.5. nearest: floor(0), floor(1.5) = 0, 1
        assertArrayEquals(new float[] {0, 4}, cpu.resize(three, 1, 2, Resize.NEAREST).data(), 0f);
        // bilinear: src = 0.25 (0.75*0 + 0.25*4), 1.75 (0.25*4 + 0.75*8)
        assertArrayEquals(new float[] {1, 7}, cpu.resize(three, 1, 2, Resize.BILINEAR).data(), EPS);
        Tensor two = Tensor.of(new float[] {0, 6}, 1, 1, 1, 2);
        // 2 -> 3, scale 2/3. nearest: floor(0), floor(0.67), floor(1.33) = 0, 0, 1
        assertArrayEquals(new float[] {0, 0, 6}, cpu.resize(two, 1, 3, Resize.NEAREST).data(), 0f);
        // bilinear: src = -1/6 -> 0, 0.5, 7/6 (i0 = 1 = last) -> 0, 3, 6
        assertArrayEquals(new float[] {0, 3, 6}, cpu.resize(two, 1, 3, Resize.BILINEAR).data(), 1e-5f);
    }

    @Test
    void resizeKeepsPlanesApart() {
        // two examples x two channels, each plane constant: every output plane keeps its constant
        Tensor maps = Tensor.of(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4}, 2, 2, 2, 2);
        for (Resize mode : Resize.values()) {
            Tensor got = cpu.resize(maps, 3, 5, mode);
            assertEquals(Shape.of(2, 2, 3, 5), got.shape());
            for (int k = 0; k < got.size(); k++) {
                assertEquals(1 + k / 15, got.data()[k], EPS, mode + " at " + k);
            }
        }
    }

    // ---- attention rollout ----

    @Test
    void fuseHeadsMeanMaxMin() {
        // [M=2, H=2, 2, 2], element-wise over the heads of each map
        Tensor maps = Tensor.of(new float[] {
            0.2f, 0.8f, 0.5f, 0.5f, /* head 1 */ 0.6f, 0.4f, 0.1f, 0.9f,
            /* map 1 */ 1, 0, 0, 1, /* head 1 */ 0, 1, 1, 0}, 2, 2, 2, 2);
        assertEquals(Shape.of(2, 2, 2), cpu.fuseHeads(maps, HeadReduction.MEAN).shape());
        assertArrayEquals(new float[] {0.4f, 0.6f, 0.3f, 0.7f, 0.5f, 0.5f, 0.5f, 0.5f},
                cpu.fuseHeads(maps, HeadReduction.MEAN).data(), EPS);
        assertArrayEquals(new float[] {0.6f, 0.8f, 0.5f, 0.9f, 1, 1, 1, 1}, cpu.fuseHeads(maps, HeadReduction.MAX).data(), 0f);
        assertArrayEquals(new float[] {0.2f, 0.4f, 0.1f, 0.5f, 0, 0, 0, 0}, cpu.fuseHeads(maps, HeadReduction.MIN).data(), 0f);
    }

    @Test
    void positiveGradientMeanClampsNegativeProducts() {
        // [M=1, H=2, 2, 2]: A * G per head, negatives to 0, mean over heads
        Tensor a = Tensor.of(new float[] {0.5f, 0.5f, 0.25f, 0.75f, /* head 1 */ 0.25f, 0.75f, 1, 0}, 1, 2, 2, 2);
        Tensor g = Tensor.of(new float[] {2, -2, 4, 0, /* head 1 */ -1, 4, 3, -5}, 1, 2, 2, 2);
        // products: head 0 (1, -1, 1, 0), head 1 (-0.25, 3, 3, 0) -> clamped (1, 0, 1, 0), (0, 3, 3, 0)
        Tensor got = cpu.positiveGradientMean(a, g);
        assertEquals(Shape.of(1, 2, 2), got.shape());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2f, 0f}, got.data(), EPS);
    }

    @Test
    void mixResidualByHand() {
        Tensor m = Tensor.of(new float[] {0.2f, 0.8f, 0.5f, 0.5f}, 1, 2, 2);
        // w = 0.5: row 0 (0.1 + 0.5, 0.4), row 1 (0.25, 0.25 + 0.5): both already sum to 1
        assertArrayEquals(new float[] {0.6f, 0.4f, 0.25f, 0.75f}, cpu.mixResidual(m, 0.5, 0).data(), EPS);
        // w = 0 only normalizes
        Tensor raw = Tensor.of(new float[] {1, 3, 2, 2}, 1, 2, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 0.5f}, cpu.mixResidual(raw, 0, 0).data(), EPS);
        // w = 1 is the identity whatever the map
        assertArrayEquals(new float[] {1, 0, 0, 1}, cpu.mixResidual(raw, 1, 0).data(), 0f);
    }

    @Test
    void mixedRowsSumToOne() {
        Tensor m = random(Shape.of(3, 6, 6), 5, 0, 1);
        for (double w : new double[] {0, 0.3, 0.5, 1}) {
            for (double r : new double[] {0, 0.5, 0.9}) {
                float[] got = cpu.mixResidual(m, w, r).data();
                for (int row = 0; row < 3 * 6; row++) {
                    double sum = 0;
                    for (int j = 0; j < 6; j++) {
                        assertTrue(got[row * 6 + j] >= 0);
                        sum += got[row * 6 + j];
                    }
                    assertEquals(1, sum, 1e-6, "w " + w + " r " + r + " row " + row);
                }
            }
        }
    }

    @Test
    void discardDropsFloorOfRatioOffDiagonalEntriesPerRowNeverTheDiagonal() {
        int seq = 5;
        // random off-diagonal weights in [0.1, 1], the diagonal the smallest of its row
        float[] d = random(Shape.of(2, seq, seq), 6, 0.1, 1).data().clone();
        for (int m = 0; m < 2; m++) {
            for (int i = 0; i < seq; i++) {
                d[(m * seq + i) * seq + i] = 0.01f;
            }
        }
        Tensor maps = Tensor.of(d, 2, seq, seq);
        for (double r : new double[] {0.2, 0.25, 0.5, 0.74, 0.75, 0.9}) {
            int drop = (int) Math.floor(r * (seq - 1));
            float[] got = cpu.mixResidual(maps, 0, r).data();
            for (int row = 0; row < 2 * seq; row++) {
                int i = row % seq;
                int zeros = 0;
                float largestDropped = 0;
                float smallestKept = Float.MAX_VALUE;
                for (int j = 0; j < seq; j++) {
                    if (j == i) {
                        assertTrue(got[row * seq + j] > 0, "diagonal kept, row " + row);
                    } else if (got[row * seq + j] == 0) {
                        zeros++;
                        largestDropped = Math.max(largestDropped, d[row * seq + j]);
                    } else {
                        smallestKept = Math.min(smallestKept, d[row * seq + j]);
                    }
                }
                assertEquals(drop, zeros, "ratio " + r + " row " + row);
                assertTrue(largestDropped <= smallestKept, "the smallest are dropped, row " + row);
            }
        }
    }

    @Test
    void discardTiesGoToTheLowerColumn() {
        // row 0: diagonal 0.1 (smallest, kept), columns 1..3 tie at 0.2: floor(0.5 * 4) = 2 drop columns 1 and 2
        float[] row0 = {0.1f, 0.2f, 0.2f, 0.2f, 0.3f};
        float[] d = new float[25];
        System.arraycopy(row0, 0, d, 0, 5);
        for (int i = 1; i < 5; i++) {
            d[i * 5 + i] = 1; // other rows: identity
        }
        float[] got = cpu.mixResidual(Tensor.of(d, 1, 5, 5), 0, 0.5).data();
        assertArrayEquals(new float[] {0.1f / 0.6f, 0, 0, 0.2f / 0.6f, 0.3f / 0.6f},
                Arrays.copyOfRange(got, 0, 5), EPS);
    }

    @Test
    void zeroSumRowComesBackNaN() {
        Tensor m = Tensor.of(new float[] {0, 0, 0.5f, 0.5f}, 1, 2, 2);
        float[] got = cpu.mixResidual(m, 0, 0).data();
        assertTrue(Float.isNaN(got[0]) && Float.isNaN(got[1]), "row 0 sums to 0");
        assertArrayEquals(new float[] {0.5f, 0.5f}, new float[] {got[2], got[3]}, EPS);
    }

    @Test
    void chainOfIdentitiesIsTheIdentity() {
        int layers = 3;
        int batch = 2;
        int seq = 4;
        float[] d = new float[layers * batch * seq * seq];
        for (int m = 0; m < layers * batch; m++) {
            for (int i = 0; i < seq; i++) {
                d[(m * seq + i) * seq + i] = 1;
            }
        }
        Tensor got = cpu.chainProduct(Tensor.of(d, layers * batch, seq, seq), layers);
        assertEquals(Shape.of(batch, seq, seq), got.shape());
        assertArrayEquals(Arrays.copyOfRange(d, 0, batch * seq * seq), got.data(), 0f);
    }

    @Test
    void chainPutsLayerZeroRightmostAndIsLayerMajor() {
        // example 0: A0 = [[1,2],[3,4]], A1 = [[0,1],[1,0]] -> A1 A0 = [[3,4],[1,2]] (A0 A1 would be [[2,1],[4,3]])
        // example 1: B0 = [[1,0],[0,2]], B1 = [[1,1],[0,1]] -> B1 B0 = [[1,2],[0,2]] (B0 B1 would be [[1,1],[0,2]])
        // layer-major rows: A0, B0, A1, B1
        Tensor maps = Tensor.of(new float[] {1, 2, 3, 4, 1, 0, 0, 2, 0, 1, 1, 0, 1, 1, 0, 1}, 4, 2, 2);
        assertArrayEquals(new float[] {3, 4, 1, 2, 1, 2, 0, 2}, cpu.chainProduct(maps, 2).data(), 0f);
        // one layer: the maps themselves
        assertArrayEquals(maps.data(), cpu.chainProduct(maps, 1).data(), 0f);
    }

    @Test
    void threeLayerChainByHand() {
        // C0 = [[1,1],[0,1]], C1 = [[2,0],[0,1]], C2 = [[0,1],[1,0]]: C2 C1 C0 = [[0,1],[2,2]]
        Tensor maps = Tensor.of(new float[] {1, 1, 0, 1, 2, 0, 0, 1, 0, 1, 1, 0}, 3, 2, 2);
        assertArrayEquals(new float[] {0, 1, 2, 2}, cpu.chainProduct(maps, 3).data(), 0f);
    }

    // ---- operand checks ----

    @Test
    void badShapesAreRefusedNamingTheOp() {
        Tensor maps3 = Tensor.zeros(Shape.of(2, 3, 3));
        Tensor maps4 = Tensor.zeros(Shape.of(1, 2, 3, 3));
        Tensor wide = Tensor.zeros(Shape.of(1, 2, 3, 4));
        refused("spatialMean", () -> cpu.spatialMean(maps3));
        refused("weightedChannelSum", () -> cpu.weightedChannelSum(maps3, Tensor.zeros(Shape.of(2, 3)), false));
        refused("weightedChannelSum", () -> cpu.weightedChannelSum(maps4, Tensor.zeros(Shape.of(1, 3)), false));
        refused("weightedChannelSum", () -> cpu.weightedChannelSum(maps4, Tensor.zeros(Shape.of(1, 2, 3, 4)), false));
        refused("resize", () -> cpu.resize(maps3, 4, 4, Resize.NEAREST));
        refused("resize", () -> cpu.resize(maps4, 0, 4, Resize.BILINEAR));
        refused("fuseHeads", () -> cpu.fuseHeads(wide, HeadReduction.MEAN));
        refused("fuseHeads", () -> cpu.fuseHeads(maps3, HeadReduction.MAX));
        refused("fuseHeads", () -> cpu.fuseHeads(Tensor.zeros(Shape.of(1, 0, 3, 3)), HeadReduction.MEAN));
        refused("resize", () -> cpu.resize(Tensor.zeros(Shape.of(1, 1, 0, 3)), 4, 4, Resize.NEAREST));
        refused("positiveGradientMean", () -> cpu.positiveGradientMean(maps4, Tensor.zeros(Shape.of(1, 1, 3, 3))));
        refused("positiveGradientMean", () -> cpu.positiveGradientMean(wide, wide));
        refused("mixResidual", () -> cpu.mixResidual(maps4, 0.5, 0));
        refused("mixResidual", () -> cpu.mixResidual(maps3, 1.5, 0));
        refused("mixResidual", () -> cpu.mixResidual(maps3, 0.5, 1));
        refused("chainProduct", () -> cpu.chainProduct(maps3, 3));
        refused("chainProduct", () -> cpu.chainProduct(maps3, 0));
        refused("chainProduct", () -> cpu.chainProduct(maps4, 1));
    }

    private static void refused(String op, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + ":"), "message names " + op + ": " + e.getMessage());
    }
}
