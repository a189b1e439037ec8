package io.attrib4j.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.attrib4j.engine.InvalidOptionException;
import java.util.Locale;

/**
 * Where a PyTorch-engine model runs: {@code --device cpu|gpu|auto}. {@link #GPU} needs the CUDA build of
 * DJL's PyTorch natives (the {@code gpu} Maven profile: {@code pytorch-native-cu124}) and an NVIDIA GPU;
 * {@link #AUTO} takes GPU 0 when PyTorch sees one, else the CPU.
 *
 * <p>On the GPU the model's forward and backward run on the device; every call still uploads its input
 * batch and downloads the output or gradients, because the model seam ({@code Tensor}) holds host
 * memory. Those copies are the remaining host round trips: one upload and one download per model call.
 */
public enum ModelDevice {
    /** The CPU (the default). */
    CPU,
    /** GPU 0; fails with a clear message where PyTorch sees none. */
    GPU,
    /** GPU 0 when PyTorch sees one, else the CPU. */
    AUTO;

    /**
     * @param choice {@code cpu}, {@code gpu} or {@code auto}, any case
     * @throws InvalidOptionException for anything else
     */
    public static ModelDevice parse(String choice) {
        try {
            return valueOf(choice.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidOptionException("device '" + choice + "' is not one of cpu, gpu, auto; use --device cpu "
                    + "(default), gpu (needs an NVIDIA GPU and a build with -Pgpu) or auto");
        }
    }

    /** How many GPUs DJL's PyTorch engine sees (0 with the CPU natives). */
    public static int gpuCount() {
        return Engine.getEngine("PyTorch").getGpuCount();
    }

    /**
     * The DJL device for this choice.
     *
     * @throws InvalidOptionException for {@link #GPU} where PyTorch sees no GPU
     */
    public Device djl() {
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpuCount() > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpuCount() == 0) {
                    throw new InvalidOptionException("--device gpu: PyTorch sees no CUDA GPU here (the PyTorch "
                            + "natives are the " + Engine.getEngine("PyTorch").getVersion() + " CPU build, or no NVIDIA "
                            + "driver/GPU is present); on a machine with an NVIDIA GPU run with "
                            + "ATTRIB4J_MAVEN_ARGS=-Pgpu ./attrib4j ... (or build with mvn -Pgpu -DskipTests package), "
                            + "or run with --device cpu");
                }
                yield Device.gpu();
            }
        };
    }
}
