package io.attrib4j.models.zoo;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.DjlBlockModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small CNN trained in process so that a known concept drives a class, for TCAV and layer probes:
 * class 1 ("horizontal") is an image with horizontal stripes; class 0 ("other") is an image with
 * vertical stripes or none. Every image is a random colour background with faint noise; stripes are
 * 2-pixel bright bands every {@value #PERIOD} pixels at a random phase. {@link #conceptImages} draws the
 * "stripes" concept (horizontal stripes on backgrounds of another brightness range), {@link #randomImages}
 * draws random images (background, noise and a few random bright squares).
 *
 * <p>Layers, in forward order: {@link #LAYERS}.
 *
 * @param model the trained classifier, input [N,3,32,32], output [N,2] logits; shared by every caller of
 *     {@link Zoo#stripesClassifier()} in the JVM (closing it does nothing)
 * @param classNames "other", "horizontal"
 * @param heldOutAccuracy accuracy on samples drawn with a seed not used for training
 */
public record StripesModel(DjlBlockModel model, List<String> classNames, double heldOutAccuracy) {
    /** Image side, in pixels. */
    public static final int SIZE = 32;
    /** Stripe period, in pixels (2 on, the rest off). */
    public static final int PERIOD = 4;
    /** Shape of one example. */
    public static final Shape EXAMPLE_SHAPE = Shape.of(3, SIZE, SIZE);
    /** The layer names, in forward order. */
    public static final List<String> LAYERS =
            List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "logits");

    public StripesModel {
        classNames = List.copyOf(classNames);
    }

    /**
     * A labelled data set.
     *
     * @param images [n,3,32,32]
     * @param labels 1 for horizontal stripes; 0 for vertical stripes or none
     */
    public record Samples(Tensor images, int[] labels) {}

    private enum Pattern { NONE, HORIZONTAL, VERTICAL }

    /** {@code n} labelled images from {@code seed}: half class 1; class 0 half vertical stripes, half plain. */
    public static Samples samples(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n * EXAMPLE_SHAPE.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
            Pattern p = labels[i] == 1 ? Pattern.HORIZONTAL : random.nextBoolean() ? Pattern.VERTICAL : Pattern.NONE;
            draw(data, i, random, 0.0, 0.5, p, 0);
        }
        return new Samples(Tensor.of(data, EXAMPLE_SHAPE.prependBatch(n)), labels);
    }

    /** {@code n} images of class {@code label} only (same generator as {@link #samples}). */
    public static Tensor classImages(int label, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n * EXAMPLE_SHAPE.size()];
        for (int i = 0; i < n; i++) {
            Pattern p = label == 1 ? Pattern.HORIZONTAL : random.nextBoolean() ? Pattern.VERTICAL : Pattern.NONE;
            draw(data, i, random, 0.0, 0.5, p, 0);
        }
        return Tensor.of(data, EXAMPLE_SHAPE.prependBatch(n));
    }

    /** {@code n} images of the "stripes" concept: horizontal stripes on darker or lighter random backgrounds. */
    public static Tensor conceptImages(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n * EXAMPLE_SHAPE.size()];
        for (int i = 0; i < n; i++) {
            draw(data, i, random, 0.0, 0.6, Pattern.HORIZONTAL, 0);
        }
        return Tensor.of(data, EXAMPLE_SHAPE.prependBatch(n));
    }

    /** {@code n} random images: random backgrounds with noise and up to three random bright squares. */
    public static Tensor randomImages(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n * EXAMPLE_SHAPE.size()];
        for (int i = 0; i < n; i++) {
            draw(data, i, random, 0.0, 0.6, Pattern.NONE, random.nextInt(4));
        }
        return Tensor.of(data, EXAMPLE_SHAPE.prependBatch(n));
    }

    /** Image {@code i}: background colour in [lo, hi) per channel, noise 0.1, the pattern, then squares. */
    private static void draw(float[] data, int i, SplittableRandom random, double lo, double hi, Pattern pattern,
            int squares) {
        int plane = SIZE * SIZE;
        int phase = random.nextInt(PERIOD);
        float stripe = (float) random.nextDouble(0.5, 0.8);
        for (int c = 0; c < 3; c++) {
            float background = (float) random.nextDouble(lo, hi);
            int base = (i * 3 + c) * plane;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int along = pattern == Pattern.HORIZONTAL ? y : x;
                    boolean on = pattern != Pattern.NONE && (along + phase) % PERIOD < 2;
                    data[base + y * SIZE + x] = background + (float) random.nextDouble(0.1) + (on ? stripe : 0);
                }
            }
        }
        for (int s = 0; s < squares; s++) {
            int side = 4 + random.nextInt(6);
            int top = random.nextInt(SIZE - side);
            int left = random.nextInt(SIZE - side);
            int c = random.nextInt(3);
            for (int y = top; y < top + side; y++) {
                for (int x = left; x < left + side; x++) {
                    data[(i * 3 + c) * plane + y * SIZE + x] += 0.6f;
                }
            }
        }
    }

    /** Fraction of {@code samples} whose predicted class (argmax of the logits) is the label. */
    public double accuracy(Samples samples) {
        return ZooTraining.accuracy(model, samples.images(), samples.labels());
    }
}
