package io.attrib4j.cli;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.models.onnx.OnnxRuntimeModel;
import io.attrib4j.models.tf.TensorFlowModel;
import io.attrib4j.models.TorchScriptAttentionModel;
import io.attrib4j.models.zoo.MarkerTransformer;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.StripesModel;
import io.attrib4j.models.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code --model} names: a built-in zoo model ({@code zoo:patch}, {@code zoo:resnet18}, {@code zoo:stripes}), a
 * TensorFlow SavedModel (a directory), an ONNX file ({@code .onnx}) or a TorchScript file (anything else;
 * with {@code --head}, split in two).
 */
final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private ModelLoader() {}

    /** A loaded model with its class names, when it has them. */
    record Loaded(ForwardModel model, List<String> classNames) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * @param spec a zoo name or a model file
     * @param head with a TorchScript {@code spec}: the head file of a model split at its layer
     *     {@value TorchScriptModel#FEATURES}; otherwise {@code null}
     */
    static Loaded load(String spec, Path head) {
        return load(spec, head, null);
    }

    /**
     * As {@link #load(String, Path)}; with {@code attentionOutput} K, a TorchScript model is viewed as an
     * attention model whose output K holds its attention probabilities.
     */
    static Loaded load(String spec, Path head, Integer attentionOutput) {
        return load(spec, head, attentionOutput, ModelDevice.CPU);
    }

    /**
     * As {@link #load(String, Path, Integer)}, with the model on {@code device}: TorchScript files and
     * {@code zoo:resnet18} can run on the GPU; the other models run on the CPU, and asking for
     * {@link ModelDevice#GPU} with them is an error ({@link ModelDevice#AUTO} quietly keeps them there).
     */
    static Loaded load(String spec, Path head, Integer attentionOutput, ModelDevice device) {
        if (device != ModelDevice.CPU) {
            LOG.info("model device: {} asked, PyTorch sees {} GPU(s)", device.name().toLowerCase(Locale.ROOT),
                    ModelDevice.gpuCount());
        }
        if (attentionOutput != null) {
            if (spec.startsWith("zoo:") || head != null || !spec.toLowerCase(Locale.ROOT).endsWith(".pt")) {
                throw new InvalidOptionException("--attention-output goes with a single TorchScript --model file (.pt) "
                        + "whose forward returns the attention probabilities as an extra output; zoo:transformer "
                        + "gives its attention without it");
            }
            return new Loaded(TorchScriptAttentionModel.of(TorchScriptModel.load(Path.of(spec), device), attentionOutput),
                    null);
        }
        if (spec.startsWith("zoo:")) {
            if (head != null) {
                throw new InvalidOptionException("--head only goes with a TorchScript --model features.pt, not " + spec);
            }
            return zoo(spec.substring(4), device);
        }
        Path file = Path.of(spec);
        if (Files.isDirectory(file)) {
            if (head != null) {
                throw new InvalidOptionException("--head goes with TorchScript files; a TensorFlow SavedModel splits "
                        + "at any graph operation: use --layer NAME");
            }
            requireCpu(device, "a TensorFlow SavedModel");
            return new Loaded(TensorFlowModel.load(file), null);
        }
        if (spec.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            if (head != null) {
                throw new InvalidOptionException("--head goes with TorchScript files; an ONNX model splits at any "
                        + "node output: use --layer NAME");
            }
            requireCpu(device, "an ONNX model");
            return new Loaded(onnx(file), null);
        }
        return new Loaded(head == null ? TorchScriptModel.load(file, device)
                : TorchScriptModel.loadSplit(file, head, device), null);
    }

    /** Models that run on the CPU only refuse an explicit {@code --device gpu}. */
    private static void requireCpu(ModelDevice device, String what) {
        if (device == ModelDevice.GPU) {
            throw new InvalidOptionException("--device gpu runs TorchScript files (.pt) and zoo:resnet18 on the GPU; "
                    + what + " runs on the CPU here: drop --device gpu (the attribution arithmetic can still use the "
                    + "GPU with --backend cuda)");
        }
    }

    /**
     * An ONNX file through attrib4j's differentiable executor; where the graph uses an operator the
     * executor lacks, through ONNX Runtime (forward only: gradient-free methods), with a warning.
     */
    private static ForwardModel onnx(Path file) {
        try {
            return OnnxModel.load(file);
        } catch (UnsupportedModelException e) {
            LOG.warn("{}; running it forward-only through ONNX Runtime (gradient-free methods only)", e.getMessage());
            return OnnxRuntimeModel.load(file);
        }
    }

    /** The vocabulary of a zoo text model, or {@code null} for other models. */
    static List<String> vocabulary(String spec) {
        return spec.equals("zoo:transformer") ? Zoo.markerTransformer().vocabulary() : null;
    }

    private static Loaded zoo(String name, ModelDevice device) {
        if (!name.equals("resnet18")) {
            requireCpu(device, "zoo:" + name + " (trained on the CPU in this JVM)");
        }
        switch (name) {
            case "patch": {
                PatchModel p = Zoo.patchClassifier();
                return new Loaded(p.model(), p.classNames());
            }
            case "stripes": {
                StripesModel s = Zoo.stripesClassifier();
                return new Loaded(s.model(), s.classNames());
            }
            case "transformer": {
                MarkerTransformer t = Zoo.markerTransformer();
                return new Loaded(t.model(), t.classNames());
            }
            case "resnet18":
                return new Loaded(Zoo.resnet18(1000, 224, 42L, device), null);
            default:
                throw new io.attrib4j.engine.ModelLoadException("unknown zoo model '" + name
                        + "'; built-in models are zoo:patch (3x32x32 colour-square classifier, trained in-process), "
                        + "zoo:stripes (3x32x32 horizontal-stripes classifier for probes and TCAV, trained in-process), "
                        + "zoo:transformer (marker-word text classifier, token ids [N,12], trained in-process) and "
                        + "zoo:resnet18 (ResNet-18, 3x224x224, random seeded weights)");
        }
    }
}
