package io.attrib4j.models.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.DjlBlockModel;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reference data's two PyTorch models ({@code shared/oracle}), rebuilt as DJL blocks from their
 * PyTorch state dicts, so that graph-walking methods (DeepLIFT, layer methods) can run on exactly the
 * networks Captum explained.
 *
 * <p>Layers carry the PyTorch module names ({@link DjlBlockModel#layers()}):
 * <pre>
 * mlp:  fc1 (Linear 12→32), relu1, fc2 (Linear 32→32), relu2, fc3 (Linear 32→3)        input [N,12]
 * cnn:  features            the Grad-CAM split: everything up to the 2nd ReLU, output [N,16,16,16]
 *         features.0 Conv2d(3→8, 3x3, pad 1)   features.1 ReLU   features.2 MaxPool2d(2)
 *         features.3 Conv2d(8→16, 3x3, pad 1)  features.4 ReLU
 *       head
 *         head.0 AdaptiveAvgPool2d(1) (DJL: global average pool)  head.1 Flatten  head.2 Linear(16→10)
 *                                                                                          input [N,3,32,32]
 * </pre>
 * The state-dict keys are {@code <layer>.weight} and {@code <layer>.bias}, in PyTorch layouts
 * (Linear [out,in], Conv2d [out,in,kh,kw]), which DJL shares.
 */
public final class OracleNets {
    private OracleNets() {}

    /** Linear(12,32)-ReLU-Linear(32,32)-ReLU-Linear(32,3) from the state dict of {@code oracle/mlp/weights}. */
    public static DjlBlockModel mlp(Map<String, Tensor> stateDict) {
        Map<String, Block> layers = new LinkedHashMap<>();
        SequentialBlock net = new SequentialBlock();
        net.add(layer(layers, "fc1", Linear.builder().setUnits(32).build()));
        net.add(layer(layers, "relu1", Activation.reluBlock()));
        net.add(layer(layers, "fc2", Linear.builder().setUnits(32).build()));
        net.add(layer(layers, "relu2", Activation.reluBlock()));
        net.add(layer(layers, "fc3", Linear.builder().setUnits(3).build()));
        return build("oracle-mlp", net, Shape.of(12), layers, stateDict);
    }

    /** The Grad-CAM CNN of {@code oracle/cnn}, from the state dict of {@code oracle/cnn/weights}. */
    public static DjlBlockModel cnn(Map<String, Tensor> stateDict) {
        Map<String, Block> layers = new LinkedHashMap<>();
        SequentialBlock features = new SequentialBlock();
        SequentialBlock head = new SequentialBlock();
        layers.put("features", features);
        features.add(layer(layers, "features.0", conv(8)));
        features.add(layer(layers, "features.1", Activation.reluBlock()));
        features.add(layer(layers, "features.2", Pool.maxPool2dBlock(new ai.djl.ndarray.types.Shape(2, 2))));
        features.add(layer(layers, "features.3", conv(16)));
        features.add(layer(layers, "features.4", Activation.reluBlock()));
        layers.put("head", head);
        head.add(layer(layers, "head.0", Pool.globalAvgPool2dBlock()));
        head.add(layer(layers, "head.1", Blocks.batchFlattenBlock()));
        head.add(layer(layers, "head.2", Linear.builder().setUnits(10).build()));
        SequentialBlock net = new SequentialBlock().add(features).add(head);
        return build("oracle-cnn", net, Shape.of(3, 32, 32), layers, stateDict);
    }

    /** A 3x3 convolution with padding 1, as in the oracle CNN. */
    static Block conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new ai.djl.ndarray.types.Shape(3, 3))
                .optPadding(new ai.djl.ndarray.types.Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    static Block layer(Map<String, Block> layers, String name, Block block) {
        layers.put(name, block);
        return block;
    }

    private static DjlBlockModel build(
            String name, Block net, Shape exampleShape, Map<String, Block> layers, Map<String, Tensor> stateDict) {
        Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
        try {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(exampleShape.prependBatch(1).toLongArray()));
            net.freezeParameters(true);
            copyWeights(name, layers, stateDict);
            return DjlBlockModel.owning(model, exampleShape, layers);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Copies every {@code <layer>.<param>} of the state dict into the initialized parameters. */
    private static void copyWeights(String net, Map<String, Block> layers, Map<String, Tensor> stateDict) {
        TreeSet<String> unused = new TreeSet<>(stateDict.keySet());
        for (Map.Entry<String, Block> layer : layers.entrySet()) {
            if (!layer.getValue().getChildren().isEmpty()) {
                continue; // containers: their leaves are listed on their own
            }
            for (Pair<String, Parameter> p : layer.getValue().getParameters()) {
                String key = layer.getKey() + "." + p.getKey();
                Shape expected = Shape.of(p.getValue().getArray().getShape().getShape());
                Tensor value = stateDict.get(key);
                if (value == null) {
                    throw new ModelLoadException("state dict for " + net + " has no '" + key + "' (expected shape "
                            + expected + "); pass the full state dict, keys as in model.state_dict()");
                }
                if (!value.shape().equals(expected)) {
                    throw new ModelLoadException("state dict entry '" + key + "' for " + net + " has shape "
                            + value.shape() + " but the layer needs " + expected
                            + " (PyTorch layouts: Linear [out,in], Conv2d [out,in,kh,kw])");
                }
                p.getValue().getArray().set(FloatBuffer.wrap(value.data()));
                unused.remove(key);
            }
        }
        if (!unused.isEmpty()) {
            throw new ModelLoadException("state dict for " + net + " has entries the network does not use: " + unused
                    + "; is it the state dict of another model?");
        }
    }
}
