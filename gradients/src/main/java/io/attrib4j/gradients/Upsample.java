package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/**
 * Resizing of a map laid out {@code [N, C, h, w]} to {@code [N, C, H, W]}, exactly as PyTorch's
 * {@code F.interpolate} (which Captum's {@code LayerAttribution.interpolate} calls) in float32:
 * <pre>
 * NEAREST   (legacy "nearest", Captum's default): src = min(floor(dst * (in/out)), in - 1)
 * BILINEAR  (align_corners=False):                src = max((dst + 0.5) * (in/out) - 0.5, 0),
 *           i0 = floor(src), i1 = min(i0 + 1, in - 1), lambda = src - i0, separable in H and W
 * </pre>
 * with {@code in/out} computed as a float. Use it to lay a layer map (Grad-CAM) over the input image.
 */
public enum Upsample {
    /** No resizing: {@link #apply} returns the map unchanged. */
    NONE,
    /** PyTorch's legacy nearest neighbour (floor indexing). */
    NEAREST,
    /** PyTorch's bilinear with {@code align_corners=False}. */
    BILINEAR;

    /**
     * The map resized to {@code outH x outW} (for {@link #NONE}, the map itself).
     *
     * @param map {@code [N, C, h, w]}
     * @throws InvalidInputException if the map is not 4-D
     * @throws InvalidOptionException if a target size is not positive
     */
    public Tensor apply(Tensor map, int outH, int outW) {
        if (this == NONE) {
            return map;
        }
        Shape s = map.shape();
        if (s.rank() != 4) {
            throw new InvalidInputException("cannot upsample a map of shape " + s + "; it must be laid out [N, C, h, w]");
        }
        if (outH < 1 || outW < 1) {
            throw new InvalidOptionException("upsampling target size " + outH + "x" + outW + " is empty; give a positive "
                    + "height and width (the input's spatial size)");
        }
        int planes = s.dim(0) * s.dim(1);
        int h = s.dim(2);
        int w = s.dim(3);
        float[] in = map.data();
        float[] out = new float[planes * outH * outW];
        Axis ys = axis(h, outH);
        Axis xs = axis(w, outW);
        for (int p = 0; p < planes; p++) {
            int src = p * h * w;
            int dst = p * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = src + ys.i0[y] * w;
                int r1 = src + ys.i1[y] * w;
                for (int x = 0; x < outW; x++) {
                    float top = xs.l0[x] * in[r0 + xs.i0[x]] + xs.l1[x] * in[r0 + xs.i1[x]];
                    float bottom = xs.l0[x] * in[r1 + xs.i0[x]] + xs.l1[x] * in[r1 + xs.i1[x]];
                    out[dst + y * outW + x] = ys.l0[y] * top + ys.l1[y] * bottom;
                }
            }
        }
        return Tensor.of(out, Shape.of(s.dim(0), s.dim(1), outH, outW));
    }

    /** As {@link #apply(Tensor, int, int)} to the spatial size of an {@code [N, C, H, W]} input. */
    public Tensor toInputSize(Tensor map, Tensor input) {
        if (this == NONE) {
            return map;
        }
        Shape s = input.shape();
        if (s.rank() != 4) {
            throw new InvalidInputException("cannot upsample to the size of an input of shape " + s + ": the input "
                    + "must be an image batch [N, C, H, W]; use Upsample.NONE for other inputs");
        }
        return apply(map, s.dim(2), s.dim(3));
    }

    /**
     * For each output index along one axis: two source indices and their weights. Nearest puts all
     * weight on one source, so both rules share the separable loop.
     */
    private record Axis(int[] i0, int[] i1, float[] l0, float[] l1) {}

    private Axis axis(int in, int out) {
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        float[] l0 = new float[out];
        float[] l1 = new float[out];
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            if (this == NEAREST) {
                i0[d] = Math.min((int) Math.floor(d * scale), in - 1);
                i1[d] = i0[d];
                l0[d] = 1f;
            } else {
                float src = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
                i0[d] = Math.min((int) src, in - 1);
                i1[d] = Math.min(i0[d] + 1, in - 1);
                l1[d] = src - i0[d];
                l0[d] = 1f - l1[d];
            }
        }
        return new Axis(i0, i1, l0, l1);
    }
}
