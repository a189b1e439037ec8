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
 * Trains the {@link StripesModel} in process: conv1(3→8, 3x3)-relu1-pool1(max 2)-conv2(8→16)-relu2-
 * pool2(max 2)-flatten-fc1(32)-relu3-logits(2), Adam (learning rate 0.005), softmax cross-entropy, on
 * generated images, with fixed seeds for the data and for the engine's parameter initialization.
 */
final class StripesTraining {
    static final long TRAIN_SEED = 20260707L;
    static final long HELD_OUT_SEED = 91L;
    static final int TRAIN_SIZE = 1024;
    static final int HELD_OUT_SIZE = 512;
    static final int BATCH = 32;
    static final int EPOCHS = 3;

    private StripesTraining() {}

    static StripesModel train() {
        Map<String, Block> layers = new LinkedHashMap<>();
        List<Block> blocks = List.of(OracleNets.conv(8), Activation.reluBlock(),
                Pool.maxPool2dBlock(new ai.djl.ndarray.types.Shape(2, 2)), OracleNets.conv(16), Activation.reluBlock(),
                Pool.maxPool2dBlock(new ai.djl.ndarray.types.Shape(2, 2)), Blocks.batchFlattenBlock(),
                Linear.builder().setUnits(32).build(), Activation.reluBlock(), Linear.builder().setUnits(2).build());
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < blocks.size(); i++) {
            net.add(OracleNets.layer(layers, StripesModel.LAYERS.get(i), blocks.get(i)));
        }
        Model model = Model.newInstance("stripes-classifier", Device.cpu(), "PyTorch");
        try {
            model.setBlock(net);
            GradientLock.run(() -> {
                StripesModel.Samples data = StripesModel.samples(TRAIN_SIZE, TRAIN_SEED);
                ZooTraining.fit(model, data.images(), data.labels(), 0.005f, 0f, EPOCHS, BATCH, TRAIN_SEED);
                return null;
            });
            DjlBlockModel trained = DjlBlockModel.shared(model, StripesModel.EXAMPLE_SHAPE, layers);
            List<String> names = List.of("other", "horizontal");
            double accuracy = new StripesModel(trained, names, Double.NaN)
                    .accuracy(StripesModel.samples(HELD_OUT_SIZE, HELD_OUT_SEED));
            return new StripesModel(trained, names, accuracy);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
