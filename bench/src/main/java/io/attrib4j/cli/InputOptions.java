package io.attrib4j.cli;

import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.ImageOptions;
import io.attrib4j.engine.export.Images;
import io.attrib4j.engine.export.Npy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The input of a command: an .npy batch or an image, with the image's resize and normalization. */
final class InputOptions {

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Input batch: .npy (batch first) or an image (PNG/JPEG, read as [1,3,H,W] in [0,1]).")
    Path input;

    @Option(names = "--resize", split = ",", paramLabel = "W,H", description = "Resize an image input to W x H.")
    int[] resize;

    @Option(names = "--mean", split = ",", paramLabel = "R,G,B", description = "Image normalization mean.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "R,G,B", description = "Image normalization std.")
    float[] std;

    /**
     * The input tensor. NaN is kept: tree models read it as a missing value, and every method that cannot take it
     * says so naming the element; infinities are refused here.
     */
    Tensor read() {
        Tensor x = isImageFile() ? Images.read(input, imageOptions()) : Npy.read(input);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (Float.isInfinite(d[i])) {
                throw new io.attrib4j.engine.InvalidInputException("input " + input + " holds " + d[i] + " at element "
                        + i + "; attributions of infinite values are undefined: clip or impute the input first");
            }
        }
        return x;
    }

    ImageOptions imageOptions() {
        ImageOptions.Builder b = ImageOptions.builder();
        if (resize != null) {
            if (resize.length != 2) {
                throw new InvalidOptionException("--resize takes W,H (two numbers), got " + Arrays.toString(resize));
            }
            b.optResize(resize[0], resize[1]);
        }
        if (mean != null) {
            b.optMean(mean);
        }
        if (std != null) {
            b.optStd(std);
        }
        return b.build();
    }

    boolean isImageFile() {
        String n = input.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    /** A float batch of [N, 1 or 3, H, W]: something a heatmap can be drawn over. */
    static boolean isImageLike(Tensor x) {
        int[] d = x.shape().dims();
        return x.dtype() == DType.FLOAT32 && d.length == 4 && (d[1] == 1 || d[1] == 3);
    }
}
