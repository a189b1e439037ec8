package io.attrib4j.models.formats;

import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.OutputAttentionModel;
import io.attrib4j.models.TorchScriptModel;

/**
 * A TorchScript file ({@code torch.jit.trace} or {@code torch.jit.script}); with a head file, a model split
 * in two at its layer {@code features}; with an attention output, a transformer whose forward returns its
 * attention probabilities as an extra output. Any location no other format accepts is tried as TorchScript.
 */
public final class TorchScriptFormat implements ModelFormat {

    @Override
    public String name() {
        return "torchscript";
    }

    @Override
    public String description() {
        return "TorchScript .pt (libtorch autograd; split files or exported features/head methods as the layer)";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        return spec.zooName().isEmpty();
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        if (spec.attentionOutput() != null) {
            if (spec.head() != null) {
                throw new io.attrib4j.engine.InvalidOptionException("--attention-output goes with a single TorchScript "
                        + "file whose forward returns the attention probabilities, not with --head");
            }
            return LoadedModel.of(OutputAttentionModel.of(TorchScriptModel.load(spec.path(), spec.device()),
                    spec.attentionOutput()));
        }
        return LoadedModel.of(spec.head() == null ? TorchScriptModel.load(spec.path(), spec.device())
                : TorchScriptModel.loadSplit(spec.path(), spec.head(), spec.device()));
    }
}
