package io.attrib4j.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.model.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
 * <p>Gradient calls from several threads are serialized by the process-wide {@link GradientLock}
 * (DJL allows one gradient collector at a time).
 */
public final class TorchScriptModel extends DjlModel {
    /** Tells DJL to load parameters as ordinary (not inference) tensors, so backward works. */
    private static final Map<String, String> LOAD_OPTIONS = Map.of("trainParam", "true");

    private final PtSymbolBlock block;

    private TorchScriptModel(Model model, PtSymbolBlock block, ModelInfo info) {
        super(model, info);
        this.block = block;
    }

    /** Loads a TorchScript file; the example shape is unknown, so shape errors surface from the engine. */
    public static TorchScriptModel load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a TorchScript file.
     *
     * @param file the {@code .pt} file
     * @param exampleShape the shape of one example without the batch dimension, or {@code null} if
     *     unknown; when given, inputs are checked against it before the model runs
     * @throws ModelLoadException if the file is missing, a directory, unreadable, or not TorchScript
     */
    public static TorchScriptModel load(Path file, Shape exampleShape) {
        Path path = file.toAbsolutePath();
        String hash = fileHash(path);
        String name = path.getFileName().toString();
        Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
        try {
            model.load(path, null, LOAD_OPTIONS);
            Block loaded = model.getBlock();
            if (!(loaded instanceof PtSymbolBlock pt)) {
                throw new ModelLoadException("'" + path + "' did not load as a TorchScript module (got "
                        + (loaded == null ? "no block" : loaded.getClass().getSimpleName())
                        + "); save the model with torch.jit.save");
            }
            pt.freezeParameters(true);
            JniUtils.enableInferenceMode(pt); // despite the name: module.eval(), keeps autograd available
            ModelInfo info = ModelInfo.of(name, "torchscript", hash);
            return new TorchScriptModel(model, pt, exampleShape == null ? info : info.withExampleShape(exampleShape));
        } catch (ModelLoadException e) {
            model.close();
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelLoadException("could not load '" + path + "' as a TorchScript model: "
                    + firstLine(e.getMessage()) + "; the file must be a module saved with torch.jit.save "
                    + "(after torch.jit.trace or torch.jit.script), not a state_dict or a pickled nn.Module", e);
        }
    }

    @Override
    NDList run(NDList inputs, boolean recordGradients) {
        return IValueUtils.forward(block, inputs, recordGradients);
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
        MessageDigest digest = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ModelLoadException("could not read model file '" + path + "': " + e.getMessage()
                    + "; check that the file is readable", e);
        }
        return hex(digest);
    }
}
