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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
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
 * <p>Forward, gradients, info and close are the wrapped model's ({@link #close()} closes it).
 */
public final class DjlStages implements StagedModel {
    /** DJL LambdaBlock names (DJL 0.32 {@code Activation}, {@code Pool}, {@code Blocks}) and their kinds. */
    private static final Map<String, Stage.Kind> LAMBDA_KINDS = lambdaKinds();

    private final DjlBlockModel model;
    private final List<Stage> stages;

    private DjlStages(DjlBlockModel model, List<Stage> stages) {
        this.model = model;
        this.stages = List.copyOf(stages);
    }

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
        return new DjlStages(model, stages);
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

    @Override
    public List<Stage> stages() {
        return stages;
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public Tensor forward(Tensor input) {
        return model.forward(input);
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        return model.gradients(input, target);
    }

    /** Closes the wrapped model. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "DjlStages(" + model.info().name() + ", " + stages.size() + " stages)";
    }

    /** One leaf block run on its own. */
    private static final class DjlStage implements Stage {
        private final DjlBlockModel model;
        private final String name;
        private final Kind kind;
        private final Block block;

        DjlStage(DjlBlockModel model, String name, Kind kind, Block block) {
            this.model = model;
            this.name = name;
            this.kind = kind;
            this.block = block;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        @Override
        public Tensor forward(Tensor input) {
            try (NDManager call = model.djlModel().getNDManager().newSubManager()) {
                return DjlModel.toTensor(run(call, DjlModel.toNd(call, input)));
            }
        }

        @Override
        public Tensor backward(Tensor input, Tensor gradOutput) {
            return GradientLock.run(() -> {
                try (NDManager call = model.djlModel().getNDManager().newSubManager();
                        GradientCollector collector = call.getEngine().newGradientCollector()) {
                    NDArray x = DjlModel.toNd(call, input);
                    x.setRequiresGradient(true);
                    NDArray y = run(call, x);
                    long[] outShape = y.getShape().getShape();
                    if (!java.util.Arrays.equals(outShape, gradOutput.shape().toLongArray())) {
                        throw new ModelExecutionException("stage '" + name + "' of model '" + model.info().name()
                                + "' got an output gradient of shape " + gradOutput.shape() + " for its output of shape "
                                + java.util.Arrays.toString(outShape) + "; pass one gradient element per output element");
                    }
                    collector.backward(y.mul(DjlModel.toNd(call, gradOutput)).sum());
                    return DjlModel.toTensor(x.getGradient());
                }
            });
        }

        private NDArray run(NDManager call, NDArray x) {
            try {
                return block.forward(new ParameterStore(call, false), new NDList(x), false).singletonOrThrow();
            } catch (RuntimeException e) {
                throw new ModelExecutionException("stage '" + name + "' (" + kind + ") of model '" + model.info().name()
                        + "' failed on input of shape " + x.getShape() + ": " + ModelSupport.firstLine(e.getMessage())
                        + "; check that the input has the shape the model was built for", e);
            }
        }

        @Override
        public String toString() {
            return name + " (" + kind + ")";
        }
    }
}
