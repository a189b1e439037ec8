package io.attrib4j.models.onnx;

import io.attrib4j.models.ModelSupport;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An ONNX model run forward only by ONNX Runtime (DJL's "OnnxRuntime" engine, CPU). It runs any
 * operator ONNX Runtime knows, but gives no gradients: use it for gradient-free methods (occlusion,
 * feature ablation, KernelSHAP, LIME), and {@link OnnxModel} where gradients are needed. The model is
 * explained through its first output.
 */
public final class OnnxRuntimeModel implements ForwardModel {
    private static final String ENGINE = "OnnxRuntime";

    private final Model model;
    private final ModelInfo info;
    private final String whyNoGradients;

    private OnnxRuntimeModel(Model model, ModelInfo info, String whyNoGradients) {
        this.model = model;
        this.info = info;
        this.whyNoGradients = whyNoGradients;
    }

    /**
     * Loads an ONNX file into ONNX Runtime.
     *
     * @throws ModelLoadException if the file is missing, unreadable, or ONNX Runtime rejects it
     */
    public static OnnxRuntimeModel load(Path file) {
        return load(file, null);
    }

    /**
     * Loads an ONNX file into ONNX Runtime in place of an {@link OnnxModel} that {@link OnnxModel#load} refused,
     * keeping the refusal: {@link #whyNoGradients()} then names the operators and nodes the differentiable
     * executor lacks (and suggests the TorchScript file), so a caller asked for a gradient method can say so
     * instead of only "runs forward only".
     *
     * @throws ModelLoadException if the file is missing, unreadable, or ONNX Runtime rejects it
     */
    public static OnnxRuntimeModel loadForwardOnly(Path file, UnsupportedModelException whyNoGradients) {
        return load(file, whyNoGradients.getMessage());
    }

    private static OnnxRuntimeModel load(Path file, String whyNoGradients) {
        Path path = file.toAbsolutePath();
        byte[] bytes = OnnxFiles.read(path);
        String name = path.getFileName().toString();
        OnnxGraph graph = OnnxGraph.parse(bytes, name);
        ModelInfo info = graph.info(name, bytes);
        Model model = Model.newInstance(name, Device.cpu(), ENGINE);
        try {
            model.load(path);
            return new OnnxRuntimeModel(model, info, whyNoGradients);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("ONNX Runtime could not load '" + path + "': " + ModelSupport.firstLine(e.getMessage())
                    + "; check that the file is a complete ONNX model with an opset ONNX Runtime 1.20 supports", e);
        }
    }

    /**
     * Why this model has no gradients, when it was loaded by {@link #loadForwardOnly} after {@link OnnxModel#load}
     * refused the graph: that refusal's message, naming each unsupported operator with its nodes. Empty for a
     * model loaded with {@link #load}.
     */
    public Optional<String> whyNoGradients() {
        return Optional.ofNullable(whyNoGradients);
    }

    /** {@code capability(ForwardOnly.class)} names the operators the executor lacks, when that is why. */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        if (type == io.attrib4j.engine.model.ForwardOnly.class && whyNoGradients != null) {
            io.attrib4j.engine.model.ForwardOnly why = () -> whyNoGradients;
            return Optional.of(type.cast(why));
        }
        return ForwardModel.super.capability(type);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tensor forward(Tensor input) {
        Models.checkInputShape(this, input);
        try (NDManager call = model.getNDManager().newSubManager();
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            NDList out = predictor.predict(new NDList(NdValues.toNd(call, input)));
            try (NDList owned = out) {
                return NdValues.toTensor(owned.get(0));
            }
        } catch (TranslateException | RuntimeException e) {
            throw new ModelExecutionException("ONNX Runtime failed on model '" + info.name() + "' with input of shape "
                    + input.shape() + ": " + ModelSupport.firstLine(e.getMessage()) + "; check that the input has the shape "
                    + "and dtype the model was exported for"
                    + info.exampleShape().map(s -> " (examples of shape " + s + ")").orElse(""), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "OnnxRuntimeModel(" + info.name() + ")";
    }
}
