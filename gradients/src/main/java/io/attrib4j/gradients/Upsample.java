package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.backend.Resize;

/**
 * Resizing of a map laid out {@code [N, C, h, w]} to {@code [N, C, H, W]}, exactly as PyTorch's
 * {@code F.interpolate} (which Captum's {@code LayerAttribution.interpolate} calls) in float32: the
 * backend's {@link Backend#resize}, whose index and weight formulas {@link Resize} gives. Use it to lay
 * a layer map (Grad-CAM) over the input image.
 */
public enum Upsample {
    /** No resizing: {@link #apply} returns the map unchanged. */
    NONE,
    /** PyTorch's legacy nearest neighbour (floor indexing), Captum's default. */
    NEAREST,
    /** PyTorch's bilinear with {@code align_corners=False}. */
    BILINEAR;

    /**
     * The map resized to {@code outH x outW} by {@code backend} (for {@link #NONE}, the map itself).
     *
     * @param map {@code [N, C, h, w]}
     * @throws InvalidInputException if the map is not 4-D
     * @throws InvalidOptionException if a target size is not positive
     */
    public Tensor apply(Backend backend, Tensor map, int outH, int outW) {
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
        return backend.resize(map, outH, outW, this == NEAREST ? Resize.NEAREST : Resize.BILINEAR);
    }

    /** As {@link #apply(Backend, Tensor, int, int)} on the CPU backend. */
    public Tensor apply(Tensor map, int outH, int outW) {
        return apply(Backends.get("cpu"), map, outH, outW);
    }

    /** As {@link #apply(Backend, Tensor, int, int)} to the spatial size of an {@code [N, C, H, W]} input. */
    public Tensor toInputSize(Backend backend, Tensor map, Tensor input) {
        if (this == NONE) {
            return map;
        }
        Shape s = input.shape();
        if (s.rank() != 4) {
            throw new InvalidInputException("cannot upsample to the size of an input of shape " + s + ": the input "
                    + "must be an image batch [N, C, H, W]; use Upsample.NONE for other inputs");
        }
        return apply(backend, map, s.dim(2), s.dim(3));
    }

    /** As {@link #toInputSize(Backend, Tensor, Tensor)} on the CPU backend. */
    public Tensor toInputSize(Tensor map, Tensor input) {
        return toInputSize(Backends.get("cpu"), map, input);
    }
}
