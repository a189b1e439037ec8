package io.attrib4j.engine.export;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Image files to model inputs and model inputs back to images, with Java's own imaging
 * ({@code javax.imageio}; PNG, JPEG, BMP, GIF).
 */
public final class Images {
    private Images() {}

    /**
     * Reads an image file as a float tensor {@code [1, 3, H, W]} (RGB, channel first), each value
     * {@code (pixel / 255 - mean[c]) / std[c]}, after the optional resize of {@code options}.
     *
     * @throws InvalidInputException when the file is missing or cannot be decoded
     */
    public static Tensor read(Path file, ImageOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("image file " + file + " does not exist; check the path");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("image file " + file + " cannot be decoded (" + e.getMessage()
                    + "); give a valid PNG or JPEG file", e);
        }
        if (image == null) {
            throw new InvalidInputException("image file " + file + " is not an image format Java can read; "
                    + "give a PNG or JPEG file");
        }
        return toTensor(image, options);
    }

    /** An image as a float tensor {@code [1, 3, H, W]}, resized and normalized as {@code options} says. */
    public static Tensor toTensor(BufferedImage image, ImageOptions options) {
        BufferedImage img = options.resize().map(wh -> resize(image, wh[0], wh[1])).orElse(image);
        int w = img.getWidth();
        int h = img.getHeight();
        float[] d = new float[3 * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    float v = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                    d[c * plane + y * w + x] = options.normalize(v, c);
                }
            }
        }
        return Tensor.of(d, Shape.of(1, 3, h, w));
    }

    /**
     * A model input back as a displayable image: undoes the normalization of {@code options} and clamps
     * to [0, 1]. Takes {@code [3, H, W]}, {@code [1, 3, H, W]}, or one channel ({@code [1, H, W]},
     * {@code [1, 1, H, W]}, {@code [H, W]}) shown as grey.
     */
    public static BufferedImage toImage(Tensor chw, ImageOptions options) {
        int[] dims = chwDims(chw.shape());
        int channels = dims[0];
        int h = dims[1];
        int w = dims[2];
        int plane = h * w;
        float[] d = chw.data();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int src = channels == 1 ? 0 : c;
                    float v = options.denormalize(d[src * plane + y * w + x], src);
                    rgb = rgb << 8 | Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** Writes {@code image} as a PNG file, creating parent folders. */
    public static void writePng(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write PNG " + file, e);
        }
    }

    /** The PNG bytes of {@code image}. */
    public static byte[] pngBytes(BufferedImage image) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot encode PNG", e);
        }
        return out.toByteArray();
    }

    /** {@code image} scaled to {@code w x h} with bilinear interpolation. */
    public static BufferedImage resize(BufferedImage image, int w, int h) {
        return scale(image, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    /** {@code image} scaled to {@code w x h} by nearest neighbour (blocky, for upscaling small maps). */
    static BufferedImage scaleNearest(BufferedImage image, int w, int h) {
        return scale(image, w, h, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    }

    private static BufferedImage scale(BufferedImage image, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * {channels, H, W} of an image-like tensor: {@code [C, H, W]}, {@code [1, C, H, W]} or {@code [H, W]},
     * with C of 1 or 3.
     */
    static int[] chwDims(Shape s) {
        int[] d = s.dims();
        int[] chw;
        if (d.length == 2) {
            chw = new int[] {1, d[0], d[1]};
        } else if (d.length == 3) {
            chw = d;
        } else if (d.length == 4 && d[0] == 1) {
            chw = new int[] {d[1], d[2], d[3]};
        } else {
            throw new InvalidInputException("tensor of shape " + s + " is not one image; give [C, H, W], [1, C, H, W] "
                    + "or [H, W] (select one example of a batch with tensor.row(i))");
        }
        if (chw[0] != 1 && chw[0] != 3) {
            throw new InvalidInputException("image tensor of shape " + s + " has " + chw[0] + " channels; "
                    + "1 (grey) or 3 (RGB) channels can be shown");
        }
        return chw;
    }
}
