package io.attrib4j.metrics;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.DjlBlockModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@link RandomizableModel} for a DJL MLP on [N,1,8,8] images: flatten, fc1 (32), ReLU, fc2 (32), ReLU,
 * fc3 (3). Every copy is built and initialized from the same engine seed, so it starts with the
 * original weights; the cascade then overwrites the chosen layers with seeded Gaussian weights.
 */
final class DjlRandomizableMlp implements RandomizableModel, AutoCloseable {
    private static final Shape EXAMPLE = Shape.of(1, 8, 8);
    private static final List<String> TOP_DOWN = List.of("fc3", "fc2", "fc1");
    private final DjlBlockModel original = build(null, 0);

    @Override
    public ForwardModel original() {
        return original;
    }

    @Override
    public List<String> layers() {
        return TOP_DOWN;
    }

    @Override
    public ForwardModel randomizedFrom(String layer, long seed) {
        return build(layer, seed);
    }

    private static DjlBlockModel build(String randomizeFrom, long seed) {
        Map<String, Block> layers = new LinkedHashMap<>();
        layers.put("fc1", Linear.builder().setUnits(32).build());
        layers.put("fc2", Linear.builder().setUnits(32).build());
        layers.put("fc3", Linear.builder().setUnits(3).build());
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(layers.get("fc1"))
                .add(Activation.reluBlock()).add(layers.get("fc2")).add(Activation.reluBlock()).add(layers.get("fc3"));
        Model model = Model.newInstance("mlp", Device.cpu(), "PyTorch");
        model.setBlock(net);
        synchronized (DjlRandomizableMlp.class) {
            Engine.getEngine("PyTorch").setRandomSeed(1234);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 8, 8));
        }
        if (randomizeFrom != null) {
            SplittableRandom random = new SplittableRandom(seed);
            for (String name : TOP_DOWN.subList(0, TOP_DOWN.indexOf(randomizeFrom) + 1)) {
                for (Pair<String, Parameter> p : layers.get(name).getParameters()) {
                    float[] values = new float[(int) p.getValue().getArray().size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (0.3 * random.nextGaussian());
                    }
                    p.getValue().getArray().set(values);
                }
            }
        }
        return DjlBlockModel.owning(model, EXAMPLE, layers);
    }

    @Override
    public void close() {
        original.close();
    }
}
