package io.attrib4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link StagedModel} view of a {@link DjlBlockModel} whose block is a chain: a (possibly nested)
 * {@link SequentialBlock} of leaf blocks. Each leaf becomes one {@link Stage} run by the PyTorch engine:
 * its forward is the block alone on a batch, its backward the vector-Jacobian product of the block alone
 * (one gradient collector, under the {@link GradientLock}). This is what DeepLIFT needs to see the
 * model's nonlinearities.
 *
 * <p>Recognized leaves: {@link Linear}, convolutions, {@link BatchNorm} and {@link Dropout} (inference
 * mode: affine), and DJL's {@link LambdaBlock}s by their name ({@code Activation.reluBlock()} is a
 * LambdaBlock named {@code "ReLU"}, {@code Pool.maxPool2dBlock(..)} one named {@code "maxPool2d"}):
 * see {@link #supportedBlocks()}. Anything else, and any block with children that is not a
 * SequentialBlock (a residual or parallel block), raises {@link UnsupportedModelException}.
 *
 * <p>The view is a {@link StagedView}: forward, gradients, info and close are the wrapped model's.
 */
public final class DjlStages {
    /** DJL LambdaBlock names (DJL 0.32 {@code Activation}, {@code Pool}, {@code Blocks}) and their kinds. */
    private static final Map<String, Stage.Kind> LAMBDA_KINDS = lambdaKinds();

    private DjlStages() {}

    /**
     * The staged view of {@code model}.
     *
     * @throws UnsupportedModelException when the block is not a chain of recognized blocks
     */
    public static StagedModel of(DjlBlockModel model) {
        Map<Block, String> names = new IdentityHashMap<>();
        model.layers().forEach((name, block) -> names.putIfAbsent(block, name));
        List<Stage> stages = new ArrayList<>();
        collect(model, model.block(), "", names, stages);
        return StagedView.of(model, stages);
    }

    /** The DJL block names this view recognizes, with the kind each becomes (for messages and docs). */
    public static String supportedBlocks() {
        return "Linear, Conv*, BatchNorm, Dropout (LINEAR) and the DJL blocks named " + new TreeMap<>(LAMBDA_KINDS);
    }

    private static void collect(DjlBlockModel model, Block block, String path, Map<Block, String> names,
            List<Stage> out) {
        String name = names.getOrDefault(block, path.isEmpty() ? block.getClass().getSimpleName() : path);
        if (block instanceof SequentialBlock) {
            for (Pair<String, Block> child : block.getChildren()) {
                collect(model, child.getValue(), path.isEmpty() ? child.getKey() : path + "." + child.getKey(), names,
                        out);
            }
        } else if (!block.getChildren().isEmpty()) {
            throw new UnsupportedModelException("model '" + model.info().name() + "' contains block '" + name + "' ("
                    + block.getClass().getSimpleName() + ") with inner blocks that do not form a chain; DeepLIFT on "
                    + "DJL models needs a SequentialBlock of single blocks (no residual or parallel branches): "
                    + "rebuild it as a chain, or use a gradient method such as IntegratedGradients");
        } else {
            out.add(new DjlStage(model, name, kindOf(model, name, block), block));
        }
    }

    private static Stage.Kind kindOf(DjlBlockModel model, String name, Block block) {
        if (block instanceof Linear || block instanceof Convolution || block instanceof BatchNorm
                || block instanceof Dropout) {
            return Stage.Kind.LINEAR;
        }
        if (block instanceof LambdaBlock lambda && LAMBDA_KINDS.containsKey(lambda.getName())) {
            return LAMBDA_KINDS.get(lambda.getName());
        }
        String what = block instanceof LambdaBlock lambda ? "LambdaBlock named '" + lambda.getName() + "'"
                : block.getClass().getName();
        throw new UnsupportedModelException("model '" + model.info().name() + "' has block '" + name + "' (" + what
                + "), which DeepLIFT has no rule for; supported: " + supportedBlocks()
                + ". Build the model from those blocks, or use a gradient method such as IntegratedGradients");
    }

    private static Map<String, Stage.Kind> lambdaKinds() {
        Map<String, Stage.Kind> k = new TreeMap<>();
        k.put("ReLU", Stage.Kind.RELU);
        k.put("LeakyReLU", Stage.Kind.LEAKY_RELU);
        k.put("ELU", Stage.Kind.ELU);
        k.put("sigmoid", Stage.Kind.SIGMOID);
        k.put("Tanh", Stage.Kind.TANH);
        k.put("softPlus", Stage.Kind.SOFTPLUS);
        k.put("softmax", Stage.Kind.SOFTMAX);
        k.put("batchFlatten", Stage.Kind.LINEAR);
        k.put("identity", Stage.Kind.LINEAR);
        for (String d : new String[] {"1d", "2d", "3d"}) {
            k.put("maxPool" + d, Stage.Kind.MAX_POOL);
            k.put("globalMaxPool" + d, Stage.Kind.MAX_POOL);
            k.put("avgPool" + d, Stage.Kind.LINEAR);
            k.put("globalAvgPool" + d, Stage.Kind.LINEAR);
        }
        return Map.copyOf(k);
    }

    /** One leaf block run on its own. */
    private static final class DjlStage extends NdStage {
        private final DjlBlockModel model;
        private final Block block;

        DjlStage(DjlBlockModel model, String name, Kind kind, Block block) {
            super(model.info().name(), name, kind);
            this.model = model;
            this.block = block;
        }

        @Override
        protected NDManager newCallManager() {
            return model.djlModel().getNDManager().newSubManager();
        }

        @Override
        protected NDArray run(NDManager call, NDArray x) {
            try {
                return block.forward(new ParameterStore(call, false), new NDList(x), false).singletonOrThrow();
            } catch (RuntimeException e) {
                throw new ModelExecutionException("stage '" + name() + "' (" + kind() + ") of model '" + modelName()
                        + "' failed on input of shape " + x.getShape() + ": " + ModelSupport.firstLine(e.getMessage())
                        + "; check that the input has the shape the model was built for", e);
            }
        }
    }
}
