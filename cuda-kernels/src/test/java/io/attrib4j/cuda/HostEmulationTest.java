package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The map kernels' source ({@code cam.cu}, {@code rollout.cu}) compiled for the CPU with g++ and
 * {@code src/test/cuda/host_emulation.h} (one thread walks each grid-stride loop), run on every map-operation
 * parity case with {@link CudaBackend}'s launch sequence ({@code src/test/cuda/map_ops_host.cpp}), and required to
 * be bit-identical to the CPU reference. Checks the kernels' indexing and their order of operations where no GPU
 * is present; the GPU-only parts (launch, memory, the device's arithmetic) are {@link CudaKernelParityTest}'s.
 * Skipped, with the reason, where g++ is not on the PATH.
 */
class HostEmulationTest {
    private static final Set<String> MAP_OPERATIONS = Set.of("spatialMean", "weightedChannelSum", "resize", "fuseHeads",
            "positiveGradientMean", "mixResidual", "chainProduct");
    private static String unavailable;
    private static Path program;
    private static Backend cpu;

    @TempDir
    static Path work;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        if (!onPath("g++")) {
            unavailable = "g++ is not on the PATH, so the kernels cannot be compiled for the host";
            System.out.println("SKIPPED host emulation: " + unavailable);
            return;
        }
        program = work.resolve("map_ops_host");
        run(List.of("g++", "-O2", "-std=c++17", "-ffp-contract=off", "-I", "src/main/cuda", "-I", "src/test/cuda",
                "-o", program.toString(), "src/test/cuda/map_ops_host.cpp"), "compiling the kernels for the host");
        cpu = Backends.get("cpu");
    }

    @BeforeEach
    void requireCompiler() {
        assumeTrue(unavailable == null, () -> unavailable);
    }

    static List<ParityCases.Case> mapCases() {
        return ParityCases.all().stream()
                .filter(c -> MAP_OPERATIONS.contains(c.name().substring(0, c.name().indexOf('_'))))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mapCases")
    void kernelsOnTheHostEqualTheCpuReference(ParityCases.Case c) throws IOException {
        ParityCases.Run run = c.setup().get();
        Tensor ref = run.op().apply(cpu);
        Tensor got = run.op().apply(emulated(work.resolve(c.name())));
        assertEquals(ref.size(), got.size(), c.name() + ": size");
        ParityCases.EXACT.verify(ref, got.reshape(ref.shape()), c.name());
    }

    /**
     * A {@link Backend} whose map operations write their call to {@code dir}, run the host-compiled kernels and
     * return the result flat (the output shape is the Java side's business, checked on the GPU).
     */
    private static Backend emulated(Path dir) throws IOException {
        Files.createDirectories(dir);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    List<String> call = new ArrayList<>(List.of(method.getName()));
                    int tensors = 0;
                    for (Object arg : args) {
                        if (arg instanceof Tensor t) {
                            writeFloats(dir.resolve("in" + tensors + ".bin"), t.data());
                            call.add("T" + tensors++ + Arrays.stream(t.shape().dims()).mapToObj(d -> ":" + d)
                                    .collect(Collectors.joining()));
                        } else {
                            call.add(arg instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(arg));
                        }
                    }
                    Files.writeString(dir.resolve("call.txt"), String.join(" ", call) + "\n");
                    run(List.of(program.toString(), dir.toString()), "running " + method.getName() + " on the host");
                    float[] out = readFloats(dir.resolve("out.bin"));
                    return Tensor.of(out, out.length);
                });
    }

    private static void run(List<String> command, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        assertTrue(done && p.exitValue() == 0, what + " failed: " + String.join(" ", command) + "\n" + output);
    }

    private static void writeFloats(Path file, float[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        Files.write(file, b.array());
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
