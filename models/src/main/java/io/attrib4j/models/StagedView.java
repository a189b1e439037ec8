package io.attrib4j.models;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import java.util.List;

/**
 * A {@link GradientModel} seen as its chain of {@link Stage}s, for DeepLIFT. Forward, gradients, info
 * and close are the wrapped model's ({@link #close()} closes it); {@link #stages()} is the chain found
 * by {@link DjlStages#of} or {@code OnnxStages.of}, which compose to the model's forward.
 */
public final class StagedView implements StagedModel {
    private final GradientModel model;
    private final List<Stage> stages;

    private StagedView(GradientModel model, List<Stage> stages) {
        this.model = model;
        this.stages = List.copyOf(stages);
    }

    /** The view of {@code model} as {@code stages}, which the caller has checked compose to the model. */
    public static StagedModel of(GradientModel model, List<Stage> stages) {
        return new StagedView(model, stages);
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
        return "StagedView(" + model.info().name() + ", " + stages.size() + " stages)";
    }
}
