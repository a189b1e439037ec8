package io.attrib4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.Stage;
import java.util.Arrays;

/**
 * A {@link Stage} computed with DJL {@link NDArray} operations on the PyTorch engine: its forward runs
 * {@link #run} in a fresh {@link NDManager} (closed on every path), its backward is the vector-Jacobian
 * product of {@link #run} alone, taken with one gradient collector under the {@link GradientLock}.
 * Subclasses say only how to open a call's manager and what the stage computes: a DJL block
 * ({@link DjlStages}) or one ONNX node ({@code OnnxStages}).
 */
public abstract class NdStage implements Stage {
    private final String modelName;
    private final String name;
    private final Kind kind;

    protected NdStage(String modelName, String name, Kind kind) {
        this.modelName = modelName;
        this.name = name;
        this.kind = kind;
    }

    /** A new manager for one call, whose engine can differentiate {@link #run}. */
    protected abstract NDManager newCallManager();

    /** The stage's output for {@code x}; every array it creates belongs to {@code call}. */
    protected abstract NDArray run(NDManager call, NDArray x);

    /** The name of the model the stage belongs to, for messages. */
    protected final String modelName() {
        return modelName;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Kind kind() {
        return kind;
    }

    @Override
    public final Tensor forward(Tensor input) {
        try (NDManager call = newCallManager()) {
            return DjlModel.toTensor(run(call, DjlModel.toNd(call, input)));
        }
    }

    @Override
    public final Tensor backward(Tensor input, Tensor gradOutput) {
        return GradientLock.run(() -> {
            try (NDManager call = newCallManager();
                    GradientCollector collector = call.getEngine().newGradientCollector()) {
                NDArray x = DjlModel.toNd(call, input);
                x.setRequiresGradient(true);
                NDArray y = run(call, x);
                long[] outShape = y.getShape().getShape();
                if (!Arrays.equals(outShape, gradOutput.shape().toLongArray())) {
                    throw new ModelExecutionException("stage '" + name + "' of model '" + modelName
                            + "' got an output gradient of shape " + gradOutput.shape() + " for its output of shape "
                            + Arrays.toString(outShape) + "; pass one gradient element per output element");
                }
                collector.backward(y.mul(DjlModel.toNd(call, gradOutput)).sum());
                return DjlModel.toTensor(x.getGradient());
            }
        });
    }

    @Override
    public String toString() {
        return name + " (" + kind + ")";
    }
}
