package io.attrib4j.cuda;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.export.Npy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records the CPU reference of every {@link ParityCases} case as {@code <dir>/<case>.npy}, so the GPU parity
 * test can run where ND4J's native library cannot go ({@code -Dattrib4j.parity.reference=<dir>}):
 *
 * <pre>
 * java -cp &lt;cuda-kernels test classpath&gt; io.attrib4j.cuda.ParityRecorder target/parity-reference
 * </pre>
 *
 * Run it on a machine with the ND4J CPU backend (any, no GPU needed); {@code ParityRecorderTest} proves the
 * files equal the live results case by case.
 */
public final class ParityRecorder {
    /** The system property naming a recorded reference directory. */
    static final String PROPERTY = "attrib4j.parity.reference";

    private ParityRecorder() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ParityRecorder <dir>   (writes <dir>/<case>.npy for every GPU parity case)");
            System.exit(2);
        }
        Backend cpu = Backends.get("cpu");
        Path dir = Path.of(args[0]);
        int count = record(cpu, dir);
        System.out.println("recorded " + count + " parity cases computed by " + cpu.name() + " in " + dir);
    }

    /** Writes every case's result on {@code backend} to {@code dir}; returns how many. */
    static int record(Backend backend, Path dir) {
        int count = 0;
        for (ParityCases.Case c : ParityCases.all()) {
            Npy.write(file(dir, c), c.setup().get().op().apply(backend));
            count++;
        }
        return count;
    }

    /** The recorded result of case {@code c}; fails naming the file and the fix when it is missing. */
    static Tensor recorded(Path dir, ParityCases.Case c) {
        Path f = file(dir, c);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("recorded parity reference " + f + " is missing (-D" + PROPERTY + "="
                    + dir + "); record the cases again with io.attrib4j.cuda.ParityRecorder " + dir
                    + " on a machine with the ND4J CPU backend");
        }
        return Npy.read(f);
    }

    static Path file(Path dir, ParityCases.Case c) {
        return dir.resolve(c.name() + ".npy");
    }
}
