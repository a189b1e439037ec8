package io.attrib4j.models.formats;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.models.ModelSpec;

/** The option checks the formats share: each names what the option goes with. */
final class Formats {
    private Formats() {}

    static void refuseHead(ModelSpec spec, String what) {
        if (spec.head() != null) {
            throw new InvalidOptionException("--head (head:) goes with a TorchScript features file, not with " + what
                    + "; layer methods split " + what + " at a named layer: use --layer NAME");
        }
    }

    static void refuseAttentionOutput(ModelSpec spec, String why) {
        if (spec.attentionOutput() != null) {
            throw new InvalidOptionException("--attention-output goes with a TorchScript (.pt) or ONNX (.onnx) model "
                    + "whose forward returns the attention probabilities as an extra output; " + why);
        }
    }

    /** A single file (or directory) on the CPU, with no head and no attention output: what most formats open. */
    static void requirePlainCpuModel(ModelSpec spec, String what, String whyNoAttention) {
        refuseHead(spec, what);
        refuseAttentionOutput(spec, whyNoAttention);
        requireCpu(spec, what);
    }

    /** Models that run on the CPU only refuse an explicit {@code --device gpu}. */
    static void requireCpu(ModelSpec spec, String what) {
        if (spec.device() == ModelDevice.GPU) {
            throw new InvalidOptionException("--device gpu runs TorchScript files (.pt) and zoo:resnet18 on the GPU; "
                    + what + " runs on the CPU here: drop --device gpu (the attribution arithmetic can still use the "
                    + "GPU with --backend cuda)");
        }
    }
}
