package io.attrib4j.models.formats;

import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.OutputAttentionModel;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.models.onnx.OnnxRuntimeModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX file through attrib4j's differentiable executor; where the graph uses an operator the executor
 * lacks, through ONNX Runtime (forward only: gradient-free methods), with a warning naming the operators.
 */
public final class OnnxFormat implements ModelFormat {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxFormat.class);

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return ".onnx through attrib4j's differentiable executor (gradients, any node output as a layer); "
                + "forward-only through ONNX Runtime when an operator is missing";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        return spec.hasSuffix(".onnx");
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        Formats.refuseHead(spec, "an ONNX model");
        Formats.requireCpu(spec, "an ONNX model");
        OnnxModel model;
        try {
            model = OnnxModel.load(spec.path());
        } catch (UnsupportedModelException e) {
            if (spec.attentionOutput() != null) {
                throw e;
            }
            LOG.warn("{}; running it forward-only through ONNX Runtime (gradient-free methods only)", e.getMessage());
            return LoadedModel.of(OnnxRuntimeModel.loadForwardOnly(spec.path(), e));
        }
        return LoadedModel.of(spec.attentionOutput() == null ? model
                : OutputAttentionModel.of(model, spec.attentionOutput()));
    }
}
