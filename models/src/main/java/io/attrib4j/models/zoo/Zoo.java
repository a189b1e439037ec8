package io.attrib4j.models.zoo;

import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.engine.Shape;
import io.attrib4j.models.DjlBlockModel;

/**
 * Ready-made models: a seeded ResNet-18 for benchmarks, and small classifiers trained in-process on
 * generated data whose right answer is known: {@link PatchModel} (the image demo), {@link StripesModel}
 * (probes and TCAV) and {@link MarkerTransformer} (the text demo).
 */
public final class Zoo {
    private static PatchModel patch;
    private static StripesModel stripes;
    private static MarkerTransformer transformer;

    private Zoo() {}

    /**
     * A ResNet-18 (DJL's {@link ResNetV1}, 18 layers) with random weights, for timing: the numbers it
     * gives mean nothing. Parameters come from DJL's default initializers after seeding the PyTorch
     * engine's global random generator with {@code seed} (which this call therefore resets), so the
     * same seed gives the same weights. Input [N,3,imageSize,imageSize]; DJL uses the ImageNet stem
     * (7x7 conv, max-pool) for images larger than 32.
     *
     * @param classes number of outputs
     */
    public static DjlBlockModel resnet18(int classes, int imageSize, long seed) {
        return resnet18(classes, imageSize, seed, ModelDevice.CPU);
    }

    /**
     * As {@link #resnet18(int, int, long)}, with its parameters and passes on {@code device}. The weights are
     * drawn by the engine's generator on that device, so a GPU model's weights differ from the CPU one's.
     */
    public static DjlBlockModel resnet18(int classes, int imageSize, long seed, ModelDevice device) {
        if (classes < 1 || imageSize < 8) {
            throw new InvalidOptionException("resnet18 needs classes >= 1 and imageSize >= 8, got classes=" + classes
                    + ", imageSize=" + imageSize);
        }
        Shape example = Shape.of(3, imageSize, imageSize);
        Block net = ResNetV1.builder()
                .setImageShape(new ai.djl.ndarray.types.Shape(example.toLongArray()))
                .setNumLayers(18)
                .setOutSize(classes)
                .build();
        Model model = Model.newInstance("resnet18", device.djl(), "PyTorch");
        try {
            model.setBlock(net);
            synchronized (Zoo.class) { // seed and draws must not interleave with another seeded build
                Engine.getEngine("PyTorch").setRandomSeed(Long.hashCode(seed));
                net.initialize(model.getNDManager(), DataType.FLOAT32,
                        new ai.djl.ndarray.types.Shape(example.prependBatch(1).toLongArray()));
            }
            return DjlBlockModel.owning(model, example);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The demo classifier, trained in this JVM on first use (a few seconds) and cached: every later call
     * returns the same instance. Its model is shared; closing it does nothing.
     */
    public static synchronized PatchModel patchClassifier() {
        if (patch == null) {
            patch = PatchTraining.train();
        }
        return patch;
    }

    /**
     * The TCAV / probing demo classifier ({@link StripesModel}: horizontal stripes mark class 1), trained in
     * this JVM on first use (a few seconds) and cached: every later call returns the same instance. Its
     * model is shared; closing it does nothing.
     */
    public static synchronized StripesModel stripesClassifier() {
        if (stripes == null) {
            stripes = StripesTraining.train();
        }
        return stripes;
    }

    /**
     * The demo text classifier ({@link MarkerTransformer}), trained in this JVM on first use (a few
     * seconds) and cached: every later call returns the same instance.
     */
    public static synchronized MarkerTransformer markerTransformer() {
        if (transformer == null) {
            transformer = TextTraining.train();
        }
        return transformer;
    }
}
