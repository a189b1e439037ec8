package io.attrib4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter: the process's peak resident memory (Linux {@code VmHWM}), Java heap and
 * native memory (libtorch, ND4J) together. JMH runs each benchmark and parameter set in its own fork,
 * so the peak belongs to that benchmark alone. Reported as {@code peakRssMb} beside the time.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PeakMemory {
    /** Peak resident set size in MB after the last invocation (0 where /proc is missing). */
    public double peakRssMb;

    /** Records the peak so far; call at the end of each benchmark invocation. */
    public void sample() {
        peakRssMb = readPeakRssMb();
    }

    static double readPeakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no reading
        }
        return 0;
    }
}
