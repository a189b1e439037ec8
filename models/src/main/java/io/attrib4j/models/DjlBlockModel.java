package io.attrib4j.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.nn.SequentialBlock;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An initialized DJL {@link Block} run by DJL's PyTorch engine, with input gradients.
 *
 * <p>Forward passes run with {@code training=false} (BatchNorm uses its running statistics, Dropout is
 * off). DJL-native blocks are ordinary PyTorch operations, so inside a gradient collector autograd
 * records them whatever the training flag. The block's parameters are frozen when it is wrapped (an
 * explanation never needs parameter gradients); do not train the block after wrapping it.
 *
 * <p>Layers are reachable by name through {@link #layers()}: either the names given when the model was
 * built (the zoo uses PyTorch-style names such as {@code "features.4"}) or, by default, DJL's own child
 * names joined with dots.
 *
 * <p>As a {@link LayerModel}, the model can be cut at any named block that lies on the chain of
 * (nested) {@link SequentialBlock}s from the root: the model is then {@code head(layer(input))}, with
 * {@code layer} the blocks up to and including the named one. A block inside anything else (a residual
 * unit, a parallel block) is not a cut point and is refused with an {@link UnsupportedModelException};
 * {@link #cutPoints()} lists the names that are.
 */
public final class DjlBlockModel extends DjlModel implements LayerModel {
    private final Block block;
    private final Map<String, Block> layers;

    private final boolean closeable;

    private DjlBlockModel(Model model, ModelInfo info, Map<String, Block> layers, boolean closeable) {
        super(model, info);
        this.closeable = closeable;
        this.block = model.getBlock();
        this.layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /**
     * Wraps an already-initialized block. Its parameters stay in the manager they were created in,
     * which the caller keeps owning; closing this model releases only what the model allocated itself.
     *
     * @param exampleShape shape of one example without the batch dimension
     */
    public static DjlBlockModel of(String name, Block block, Shape exampleShape) {
        return of(name, block, exampleShape, childNames(block));
    }

    /** As {@link #of(String, Block, Shape)}, with the given layer names (insertion order kept). */
    public static DjlBlockModel of(String name, Block block, Shape exampleShape, Map<String, Block> layers) {
        Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
        model.setBlock(block);
        try {
            return owning(model, exampleShape, layers);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** As {@link #owning(Model, Shape, Map)}, with DJL's child names as layer names. */
    public static DjlBlockModel owning(Model model, Shape exampleShape) {
        return owning(model, exampleShape, childNames(model.getBlock()));
    }

    /**
     * Takes over a DJL model whose block is initialized (for example one just trained): closing the
     * returned model closes {@code model}, and with it every parameter created in its manager.
     */
    public static DjlBlockModel owning(Model model, Shape exampleShape, Map<String, Block> layers) {
        return create(model, exampleShape, layers, true);
    }

    /**
     * As {@link #owning(Model, Shape, Map)} for a model that lives as long as the JVM and is shared by
     * all callers (the zoo's cached demo model): {@link #close()} does nothing.
     */
    public static DjlBlockModel shared(Model model, Shape exampleShape, Map<String, Block> layers) {
        return create(model, exampleShape, layers, false);
    }

    private static DjlBlockModel create(Model model, Shape exampleShape, Map<String, Block> layers, boolean closeable) {
        Block block = model.getBlock();
        if (block == null || !block.isInitialized()) {
            throw new InvalidInputException("the block of model '" + model.getName() + "' is not initialized; call "
                    + "block.initialize(manager, DataType.FLOAT32, inputShape) (or train it) before wrapping it");
        }
        block.freezeParameters(true);
        ModelInfo info = ModelInfo.of(model.getName(), "djl-block", parameterHash(block)).withExampleShape(exampleShape);
        return new DjlBlockModel(model, info, layers, closeable);
    }

    /** The wrapped block (for layer access and graph-walking methods such as DeepLIFT). */
    public Block block() {
        return block;
    }

    /** Named layers, in network order. */
    public Map<String, Block> layers() {
        return layers;
    }

    /** The layer called {@code name}, or an error listing the names there are. */
    public Block layer(String name) {
        super.checkLayer(name);
        return layers.get(name);
    }

    @Override
    public List<String> layerNames() {
        return List.copyOf(layers.keySet());
    }

    /** Adds DeepLIFT's view: {@code capability(StagedModel.class)} is the block's chain of stages ({@link DjlStages}). */
    @Override
    public <C> java.util.Optional<C> capability(Class<C> type) {
        if (type == io.attrib4j.engine.model.StagedModel.class) {
            return java.util.Optional.of(type.cast(DjlStages.of(this)));
        }
        return LayerModel.super.capability(type);
    }

    /** The layer names at which the model can be cut (those on the sequential chain), in forward order. */
    public List<String> cutPoints() {
        return layers.keySet().stream().filter(name -> chainTo(layers.get(name)) != null).toList();
    }

    @Override
    void checkLayer(String layer) {
        super.checkLayer(layer);
        cutPath(layer);
    }

    @Override
    NDList runTo(String layer, NDList inputs, boolean recordGradients) {
        ParameterStore store = new ParameterStore(inputs.head().getManager(), false);
        List<Step> path = cutPath(layer);
        NDList x = inputs;
        for (int level = 0; level < path.size(); level++) {
            Step step = path.get(level);
            int last = level == path.size() - 1 ? step.index : step.index - 1; // the layer itself runs here
            for (int i = 0; i <= last; i++) {
                x = step.children().get(i).forward(store, x, false);
            }
        }
        return x;
    }

    @Override
    NDList runFrom(String layer, NDList activation, boolean recordGradients) {
        ParameterStore store = new ParameterStore(activation.head().getManager(), false);
        List<Step> path = cutPath(layer);
        NDList x = activation;
        for (int level = path.size() - 1; level >= 0; level--) {
            Step step = path.get(level);
            List<Block> children = step.children();
            for (int i = step.index + 1; i < children.size(); i++) {
                x = children.get(i).forward(store, x, false);
            }
        }
        return x;
    }

    /** Child {@code index} of a sequential block on the way from the root to a layer. */
    private record Step(SequentialBlock parent, int index) {
        List<Block> children() {
            return parent.getChildren().values();
        }
    }

    /** The steps from the root to {@code layer}, or an error when it is not on the sequential chain. */
    private List<Step> cutPath(String layer) {
        Block target = layers.get(layer);
        List<Step> path = chainTo(target);
        if (path == null) {
            throw new UnsupportedModelException("layer '" + layer + "' of model '" + info().name() + "' is not a cut "
                    + "point: it sits inside a block that is not a SequentialBlock (a residual or parallel block), so "
                    + "the model is not head(layer(input)) there; pick the enclosing block or one of " + cutPoints());
        }
        return path;
    }

    /** The sequential steps from the root to {@code target}, or null if another kind of block is on the way. */
    private List<Step> chainTo(Block target) {
        List<Step> path = new ArrayList<>();
        return descend(block, target, path) ? path : null;
    }

    private static boolean descend(Block parent, Block target, List<Step> path) {
        if (!(parent instanceof SequentialBlock seq)) {
            return false;
        }
        List<Block> children = seq.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            path.add(new Step(seq, i));
            if (children.get(i) == target || descend(children.get(i), target, path)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** Releases the model's native memory, unless it is a {@link #shared} model. */
    @Override
    public void close() {
        if (closeable) {
            super.close();
        }
    }

    @Override
    NDList run(NDList inputs, boolean recordGradients) {
        // training=false in both cases: autograd follows the collector, not this flag
        return block.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false);
    }

    /** SHA-256 over each parameter's name, shape and float values, in the block's parameter order. */
    private static String parameterHash(Block block) {
        MessageDigest digest = io.attrib4j.engine.ContentHash.sha256();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            digest.update(p.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update(a.getShape().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(ByteBuffer.wrap(a.toByteArray()));
        }
        return io.attrib4j.engine.ContentHash.hex(digest);
    }

    private static Map<String, Block> childNames(Block block) {
        Map<String, Block> names = new LinkedHashMap<>();
        addChildren("", block, names);
        return names;
    }

    private static void addChildren(String prefix, Block block, Map<String, Block> names) {
        for (Pair<String, Block> child : block.getChildren()) {
            String name = prefix + child.getKey();
            names.put(name, child.getValue());
            addChildren(name + ".", child.getValue(), names);
        }
    }
}
