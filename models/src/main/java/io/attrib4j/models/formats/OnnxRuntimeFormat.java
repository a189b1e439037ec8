package io.attrib4j.models.formats;

import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.onnx.OnnxRuntimeModel;

/** An ONNX file through ONNX Runtime, forward only (gradient-free methods); chosen by naming the format. */
public final class OnnxRuntimeFormat implements ModelFormat {

    @Override
    public String name() {
        return "onnx-runtime";
    }

    @Override
    public String description() {
        return ".onnx through ONNX Runtime, forward only (occlusion, ablation, kernelshap, lime); name it with format";
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        return false;
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        Formats.requirePlainCpuModel(spec, "an ONNX Runtime model",
                "through ONNX Runtime it runs forward only: use format onnx");
        return LoadedModel.of(OnnxRuntimeModel.load(spec.path()));
    }
}
