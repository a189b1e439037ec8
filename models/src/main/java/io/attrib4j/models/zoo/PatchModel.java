package io.attrib4j.models.zoo;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.DjlBlockModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo model: a small CNN that tells which colour (red, green, blue) a bright 8x8 square has, on a
 * 3x32x32 image of faint noise. Because the evidence is exactly the square, a good attribution map
 * lights up the square: {@link Samples} records where it is, so tests can check that.
 *
 * @param model the trained classifier, input [N,3,32,32], output [N,3] logits; shared by every caller
 *     of {@link Zoo#patchClassifier()} in the JVM (closing it does nothing)
 * @param classNames "red", "green", "blue": class {@code c} is a square in channel {@code c}
 * @param heldOutAccuracy accuracy on a held-out sample set drawn with a seed not used for training
 */
public record PatchModel(DjlBlockModel model, List<String> classNames, double heldOutAccuracy) {
    /** Image side, in pixels. */
    public static final int SIZE = 32;
    /** Side of the bright square, in pixels. */
    public static final int SQUARE = 8;
    /** The largest noise value; the square has value 1 in its colour channel. */
    public static final float NOISE = 0.2f;
    /** Shape of one example. */
    public static final Shape EXAMPLE_SHAPE = Shape.of(3, SIZE, SIZE);

    public PatchModel {
        classNames = List.copyOf(classNames);
    }

    /**
     * A generated data set.
     *
     * @param images [n,3,32,32]: uniform noise in [0, {@link #NOISE}) everywhere, and value 1 on the square
     *     in the channel of the label
     * @param labels the class of each image (0 red, 1 green, 2 blue)
     * @param squareRow top row of each image's square
     * @param squareCol left column of each image's square
     */
    public record Samples(Tensor images, int[] labels, int[] squareRow, int[] squareCol) {
        /** Whether pixel (y, x) of image {@code i} lies in its square. */
        public boolean inSquare(int i, int y, int x) {
            return y >= squareRow[i] && y < squareRow[i] + SQUARE && x >= squareCol[i] && x < squareCol[i] + SQUARE;
        }
    }

    /** {@code n} images drawn from {@code seed}: the same seed gives the same images, bit for bit. */
    public static Samples samples(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plane = SIZE * SIZE;
        float[] data = new float[n * 3 * plane];
        int[] labels = new int[n];
        int[] rows = new int[n];
        int[] cols = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(3);
            rows[i] = random.nextInt(SIZE - SQUARE + 1);
            cols[i] = random.nextInt(SIZE - SQUARE + 1);
            for (int j = i * 3 * plane; j < (i + 1) * 3 * plane; j++) {
                data[j] = (float) random.nextDouble(NOISE);
            }
            int channel = (i * 3 + labels[i]) * plane;
            for (int y = rows[i]; y < rows[i] + SQUARE; y++) {
                for (int x = cols[i]; x < cols[i] + SQUARE; x++) {
                    data[channel + y * SIZE + x] = 1f;
                }
            }
        }
        return new Samples(Tensor.of(data, EXAMPLE_SHAPE.prependBatch(n)), labels, rows, cols);
    }

    /** Fraction of {@code samples} whose predicted class (argmax of the logits) is the label. */
    public double accuracy(Samples samples) {
        return ZooTraining.accuracy(model, samples.images(), samples.labels());
    }
}
