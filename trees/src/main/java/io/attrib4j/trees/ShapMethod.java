package io.attrib4j.trees;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LinearWeights;
import io.attrib4j.engine.model.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;

/** What every method of this package holds: its provenance name and its immutable options record. */
abstract class ShapMethod<O> implements AttributionMethod {
    private final String name;
    private final O options;

    ShapMethod(String name, O options) {
        if (options == null) {
            throw new io.attrib4j.engine.InvalidOptionException("options are null; build them with "
                    + name + ".Options.builder()");
        }
        this.name = name;
        this.options = options;
    }

    /** The options, which double as the provenance record. */
    public final O options() {
        return options;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * One attribution set per output group (class): {@code attribute(model, input, Target.classIndex(k))} for
     * every group {@code k} of the model, in order (a single-output model gives one).
     */
    public final List<Attribution> attributeEachClass(ForwardModel model, Tensor input) {
        int groups = model.capability(TreeEnsemble.class).map(t -> t.forest().groups())
                .or(() -> model.capability(LinearWeights.class).map(LinearWeights::outputs))
                .orElseThrow(() -> new UnsupportedModelException(name + " needs a tree ensemble or a linear model, "
                        + "but model '" + model.info().name() + "' exposes neither"));
        List<Attribution> out = new ArrayList<>(groups);
        for (int k = 0; k < groups; k++) {
            out.add(attribute(model, input, Target.classIndex(k)));
        }
        return out;
    }
}
