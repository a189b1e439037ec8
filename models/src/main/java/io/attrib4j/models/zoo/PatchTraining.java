package io.attrib4j.models.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.GradientLock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the {@link PatchModel} in process: Conv(3→8)-ReLU-MaxPool2-Conv(8→16)-ReLU-GlobalAvgPool-
 * Flatten-Linear(16→3), Adam (learning rate 0.01), softmax cross-entropy, on generated images, with fixed
 * seeds for the data and for the engine's parameter initialization.
 */
final class PatchTraining {
    static final long TRAIN_SEED = 20261123L;
    static final long HELD_OUT_SEED = 77L;
    static final int TRAIN_SIZE = 1024;
    static final int HELD_OUT_SIZE = 512;
    static final int BATCH = 32;
    static final int EPOCHS = 2;

    private PatchTraining() {}

    static PatchModel train() {
        Map<String, Block> layers = new LinkedHashMap<>();
        SequentialBlock net = new SequentialBlock()
                .add(OracleNets.layer(layers, "features.0", OracleNets.conv(8)))
                .add(OracleNets.layer(layers, "features.1", Activation.reluBlock()))
                .add(OracleNets.layer(layers, "features.2", Pool.maxPool2dBlock(new ai.djl.ndarray.types.Shape(2, 2))))
                .add(OracleNets.layer(layers, "features.3", OracleNets.conv(16)))
                .add(OracleNets.layer(layers, "features.4", Activation.reluBlock()))
                .add(OracleNets.layer(layers, "head.0", Pool.globalAvgPool2dBlock()))
                .add(OracleNets.layer(layers, "head.1", Blocks.batchFlattenBlock()))
                .add(OracleNets.layer(layers, "head.2", Linear.builder().setUnits(3).build()));
        Model model = Model.newInstance("patch-classifier", Device.cpu(), "PyTorch");
        try {
            model.setBlock(net);
            GradientLock.run(() -> {
                PatchModel.Samples data = PatchModel.samples(TRAIN_SIZE, TRAIN_SEED);
                ZooTraining.fit(model, data.images(), data.labels(), 0.01f, 0f, EPOCHS, BATCH, TRAIN_SEED);
                return null;
            });
            DjlBlockModel trained = DjlBlockModel.shared(model, PatchModel.EXAMPLE_SHAPE, layers);
            PatchModel untested = new PatchModel(trained, List.of("red", "green", "blue"), Double.NaN);
            double accuracy = untested.accuracy(PatchModel.samples(HELD_OUT_SIZE, HELD_OUT_SEED));
            return new PatchModel(trained, untested.classNames(), accuracy);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
