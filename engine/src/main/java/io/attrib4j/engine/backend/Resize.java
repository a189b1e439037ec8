package io.attrib4j.engine.backend;

/**
 * How {@link Backend#resize} maps output pixels to input pixels, as PyTorch's {@code F.interpolate} in
 * float32, per axis with {@code scale = (float) in / out}:
 * <pre>
 * NEAREST   (legacy "nearest"):          src = min(floor(dst * scale), in - 1)
 * BILINEAR  (align_corners=False):       src = max(scale * (dst + 0.5) - 0.5, 0),
 *           i0 = min(floor(src), in - 1), i1 = min(i0 + 1, in - 1), l1 = src - i0, l0 = 1 - l1,
 *           out = l0y * (l0x * v[i0y,i0x] + l1x * v[i0y,i1x]) + l1y * (l0x * v[i1y,i0x] + l1x * v[i1y,i1x])
 * </pre>
 */
public enum Resize {
    /** PyTorch's legacy nearest neighbour (floor indexing). */
    NEAREST,
    /** PyTorch's bilinear with {@code align_corners=False}. */
    BILINEAR
}
