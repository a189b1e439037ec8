package io.attrib4j.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript file ({@code torch.jit.trace} or {@code torch.jit.script}, saved with
 * {@code torch.jit.save}) run by DJL's PyTorch engine on the CPU, with input gradients.
 *
 * <p>How gradients are made possible (DJL 0.32.0): the file is loaded with {@code trainParam=true},
 * otherwise its parameters are inference tensors that cannot be saved for backward; the parameters
 * are then frozen (no parameter gradients are computed) and the module is put in eval mode once, so
 * BatchNorm and Dropout behave as at inference. Forward passes call the module directly: without
 * gradients under PyTorch's inference mode, with gradients under autograd.
 *
 * <p>A model whose forward returns a tuple is explained through <b>output 0</b>, taken as the logits.
 *
 * <p><b>Layers.</b> A TorchScript file hides its graph, so a layer is reachable only where the model
 * is given split in two, {@code model(x) = head(features(x))}; the one layer is then called
 * {@value #FEATURES}. Two conventions:
 * <ul>
 *   <li>two files, {@link #loadSplit(Path, Path)}: the features up to the layer, and the head;</li>
 *   <li>one file whose module exports the methods {@code features(x)} and {@code head(a)} (mark them
 *       {@code @torch.jit.export}); {@link #load(Path)} detects them (DJL runs a named method when the
 *       input list carries an empty array named {@code module_method:NAME}).</li>
 * </ul>
 * A split model's forward is {@code head(features(x))}. A plain file cannot give a layer: asking for one
 * raises an {@link UnsupportedModelException} that explains both conventions.
 *
 * <p>Gradient calls from several threads are serialized by the process-wide {@link GradientLock}
 * (DJL allows one gradient collector at a time).
 */
public final class TorchScriptModel extends DjlModel implements LayerModel {
    /** The name of the one layer of a split model: the output of {@code features}. */
    public static final String FEATURES = "features";

    /** The method a single-file split model exports for the head. */
    public static final String HEAD = "head";

    /** Tells DJL to load parameters as ordinary (not inference) tensors, so backward works. */
    private static final Map<String, String> LOAD_OPTIONS = Map.of("trainParam", "true");

    /** As {@link #LOAD_OPTIONS}, and map the saved tensors onto the model's GPU. */
    private static final Map<String, String> GPU_LOAD_OPTIONS = Map.of("trainParam", "true", "mapLocation", "true");

    /** How (if at all) the model is split at {@value #FEATURES}. */
    private enum Split { NONE, METHODS, TWO_FILES }

    private final PtSymbolBlock block;
    private final Split split;
    private final Model headModel; // TWO_FILES only
    private final PtSymbolBlock head; // TWO_FILES only

    private TorchScriptModel(Loaded main, ModelInfo info, Split split, Loaded head) {
        super(main.model(), info);
        this.block = main.block();
        this.split = split;
        this.headModel = head == null ? null : head.model();
        this.head = head == null ? null : head.block();
    }

    /**
     * Loads a TorchScript file; the example shape is unknown, so shape errors surface from the engine.
     * A module exporting {@code features(x)} and {@code head(a)} is split at {@value #FEATURES}.
     */
    public static TorchScriptModel load(Path file) {
        return load(file, null, ModelDevice.CPU);
    }

    /** As {@link #load(Path)}, on {@code device}. */
    public static TorchScriptModel load(Path file, ModelDevice device) {
        return load(file, null, device);
    }

    /** As {@link #load(Path, Shape, ModelDevice)} on the CPU. */
    public static TorchScriptModel load(Path file, Shape exampleShape) {
        return load(file, exampleShape, ModelDevice.CPU);
    }

    /**
     * Loads a TorchScript file. If its module exports both {@code features} and {@code head} methods,
     * the model can be cut at layer {@value #FEATURES} and runs as {@code head(features(x))}.
     *
     * @param file the {@code .pt} file
     * @param exampleShape the shape of one example without the batch dimension, or {@code null} if
     *     unknown; when given, inputs are checked against it before the model runs
     * @param device where the module's parameters live and its forward and backward run
     * @throws ModelLoadException if the file is missing, a directory, unreadable, or not TorchScript
     */
    public static TorchScriptModel load(Path file, Shape exampleShape, ModelDevice device) {
        Loaded main = Loaded.of(file, device);
        List<String> methods = List.of(JniUtils.getMethodNames(main.block()));
        Split split = methods.contains(FEATURES) && methods.contains(HEAD) ? Split.METHODS : Split.NONE;
        return new TorchScriptModel(main, info(main.name(), main.hash(), exampleShape), split, null);
    }

    /** As {@link #loadSplit(Path, Path, Shape)} with an unknown example shape. */
    public static TorchScriptModel loadSplit(Path features, Path head) {
        return loadSplit(features, head, null, ModelDevice.CPU);
    }

    /** As {@link #loadSplit(Path, Path)}, on {@code device}. */
    public static TorchScriptModel loadSplit(Path features, Path head, ModelDevice device) {
        return loadSplit(features, head, null, device);
    }

    /** As {@link #loadSplit(Path, Path, Shape, ModelDevice)} on the CPU. */
    public static TorchScriptModel loadSplit(Path features, Path head, Shape exampleShape) {
        return loadSplit(features, head, exampleShape, ModelDevice.CPU);
    }

    /**
     * Loads a model given as two TorchScript files, {@code model(x) = head(features(x))}, cut at layer
     * {@value #FEATURES}: the output of the first file.
     *
     * @param features the file computing the layer's output from the input
     * @param head the file computing the model output from the layer's output
     * @param exampleShape the shape of one input example, or {@code null} if unknown
     * @param device where both modules run
     * @throws ModelLoadException if either file cannot be loaded
     */
    public static TorchScriptModel loadSplit(Path features, Path head, Shape exampleShape, ModelDevice device) {
        Loaded first = Loaded.of(features, device);
        try {
            Loaded second = Loaded.of(head, device);
            MessageDigest digest = io.attrib4j.engine.ContentHash.sha256();
            digest.update((first.hash() + second.hash()).getBytes(StandardCharsets.UTF_8));
            ModelInfo info = info(first.name() + "+" + second.name(), io.attrib4j.engine.ContentHash.hex(digest), exampleShape);
            return new TorchScriptModel(first, info, Split.TWO_FILES, second);
        } catch (RuntimeException e) {
            first.model().close();
            throw e;
        }
    }

    private static ModelInfo info(String name, String hash, Shape exampleShape) {
        ModelInfo info = ModelInfo.of(name, "torchscript", hash);
        return exampleShape == null ? info : info.withExampleShape(exampleShape);
    }

    /** One loaded file: its DJL model (owning the native module), the module, name and hash. */
    private record Loaded(Model model, PtSymbolBlock block, String name, String hash) {
        static Loaded of(Path file, ModelDevice device) {
            Path path = file.toAbsolutePath();
            String hash = fileHash(path);
            String name = path.getFileName().toString();
            Device on = device.djl();
            Model model = Model.newInstance(name, on, "PyTorch");
            try {
                model.load(path, null, on.isGpu() ? GPU_LOAD_OPTIONS : LOAD_OPTIONS);
                Block loaded = model.getBlock();
                if (!(loaded instanceof PtSymbolBlock pt)) {
                    throw new ModelLoadException("'" + path + "' did not load as a TorchScript module (got "
                            + (loaded == null ? "no block" : loaded.getClass().getSimpleName())
                            + "); save the model with torch.jit.save");
                }
                pt.freezeParameters(true);
                JniUtils.enableInferenceMode(pt); // despite the name: module.eval(), keeps autograd available
                return new Loaded(model, pt, name, hash);
            } catch (ModelLoadException e) {
                model.close();
                throw e;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                throw new ModelLoadException("could not load '" + path + "' as a TorchScript model: "
                        + ModelSupport.firstLine(e.getMessage()) + "; the file must be a module saved with torch.jit.save "
                        + "(after torch.jit.trace or torch.jit.script), not a state_dict or a pickled nn.Module", e);
            }
        }
    }

    @Override
    public List<String> layerNames() {
        return split == Split.NONE ? List.of() : List.of(FEATURES);
    }

    @Override
    void checkLayer(String layer) {
        if (split == Split.NONE) {
            throw new UnsupportedModelException("model '" + info().name() + "' is a single TorchScript module without "
                    + "split points, so it has no layer '" + layer + "' (TorchScript hides the graph); give the model "
                    + "split in two: either two files, features (input -> layer output) and head (layer output -> "
                    + "logits), loaded with TorchScriptModel.loadSplit(features, head) (CLI: --model features.pt "
                    + "--head head.pt), or one module that exports @torch.jit.export methods features(x) and head(a)");
        }
        super.checkLayer(layer);
    }

    @Override
    NDList run(NDList inputs, boolean recordGradients) {
        if (split == Split.NONE) {
            return IValueUtils.forward(block, inputs, recordGradients);
        }
        return runFrom(FEATURES, runTo(FEATURES, inputs, recordGradients), recordGradients);
    }

    @Override
    NDList runTo(String layer, NDList inputs, boolean recordGradients) {
        return split == Split.TWO_FILES
                ? IValueUtils.forward(block, inputs, recordGradients)
                : method(FEATURES, inputs, recordGradients);
    }

    @Override
    NDList runFrom(String layer, NDList activation, boolean recordGradients) {
        return split == Split.TWO_FILES
                ? IValueUtils.forward(head, activation, recordGradients)
                : method(HEAD, activation, recordGradients);
    }

    /** Runs an exported method of the module: DJL's convention is an extra empty array naming it. */
    private NDList method(String name, NDList inputs, boolean recordGradients) {
        NDArray marker = inputs.head().getManager().create(new float[0]);
        marker.setName("module_method:" + name);
        NDList withMarker = new NDList(inputs);
        withMarker.add(marker);
        return IValueUtils.forward(block, withMarker, recordGradients);
    }

    /** Releases both files' native memory. */
    @Override
    public void close() {
        try {
            super.close();
        } finally {
            if (headModel != null) {
                headModel.close();
            }
        }
    }

    private static String fileHash(Path path) {
        if (!Files.exists(path)) {
            throw new ModelLoadException("model file '" + path + "' does not exist; check the path (relative paths "
                    + "resolve against the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.isDirectory(path)) {
            throw new ModelLoadException("'" + path + "' is a directory; give the TorchScript file itself (the .pt file "
                    + "written by torch.jit.save)");
        }
        if (!Files.isReadable(path)) {
            throw new ModelLoadException("model file '" + path + "' is not readable; check its permissions");
        }
        MessageDigest digest = io.attrib4j.engine.ContentHash.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ModelLoadException("could not read model file '" + path + "': " + e.getMessage()
                    + "; check that the file is readable", e);
        }
        return io.attrib4j.engine.ContentHash.hex(digest);
    }
}
