package io.attrib4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.backend.Backend;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;

/** Bytes per kernel, bandwidth and the markdown built from JMH's JSON. */
class KernelTableTest {
    private static final KernelTable.Device H100 = new KernelTable.Device("a test GPU", 3352, 63);

    @Test
    void everyBackendOperationHasABenchmarkAndEveryBenchmarkItsTraffic() {
        Set<String> benchmarks = Arrays.stream(CudaKernelBenchmark.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class)).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> operations = Arrays.stream(Backend.class.getMethods()).map(Method::getName)
                .filter(n -> !n.equals("name") && !n.equals("subtract")) // subtract is add's kernel family
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(operations, benchmarks);
        benchmarks.forEach(b -> assertNotNull(KernelTraffic.of(b), "no traffic for " + b));
    }

    @Test
    void trafficCountsEveryOperandOnceInFloat() {
        long batch = Shape.of(50, 3, 224, 224).size();
        assertEquals(3 * 4 * batch, KernelTraffic.of("add").pcieBytes());
        assertEquals(2 * 4 * batch, KernelTraffic.of("abs").deviceBytes());
        // two images in, 50 alphas in, 50 images out
        long image = Shape.of(3, 224, 224).size();
        assertEquals(4 * (2 * image + 50 + 50 * image), KernelTraffic.of("interpolate").pcieBytes());
        // chainProduct also reads and writes its double running product once per product on the device
        long square = 197L * 197;
        KernelTraffic.Traffic chain = KernelTraffic.of("chainProduct");
        assertEquals(4 * (12 * square + square), chain.pcieBytes());
        assertEquals(chain.pcieBytes() + 11 * 2 * 8 * square, chain.deviceBytes());
    }

    @Test
    void rowDividesBytesByTimeAndComparesWithBothPeaks() {
        long bytes = KernelTraffic.of("add").deviceBytes();
        double ms = 2.0;
        double gbs = bytes / 1e9 / (ms / 1e3);
        String row = KernelTable.kernelRow("add", "cuda", ms, 0.01, H100);
        String expected = String.format(java.util.Locale.ROOT, "| %.1f | %.1f | %.1f %% | %.1f | %.1f | %.1f %% |",
                bytes / 1e6, gbs, 100 * gbs / 3352, bytes / 1e6, gbs, 100 * gbs / 63);
        assertTrue(row.endsWith(expected), row + " does not end with " + expected);
        String cpu = KernelTable.kernelRow("add", "cpu", ms, 0.01, H100);
        assertTrue(cpu.endsWith(String.format(java.util.Locale.ROOT, "| %.1f | - | - | - | - |", gbs)), cpu);
    }

    @Test
    void unknownPeaksAndKernelsShowDashes() {
        KernelTable.Device unknown = new KernelTable.Device("x", Double.NaN, Double.NaN);
        String row = KernelTable.kernelRow("add", "cuda", 1.0, Double.NaN, unknown);
        assertTrue(row.contains("| - |") && !row.contains("%"), row);
        assertTrue(KernelTable.kernelRow("newOp", "cuda", 1.0, 0, H100).contains("| newOp | ? | cuda | 1.000 |"));
    }

    @Test
    void tableHasSpeedUpsAndTheIgShare() throws Exception {
        String json = "["
                + result("CudaKernelBenchmark.abs", "\"backend\":\"cuda\"", 0.5, "")
                + "," + result("CudaKernelBenchmark.abs", "\"backend\":\"cpu\"", 2.0, "")
                + "," + result("IgKernelShareBenchmark.integratedGradients", "\"backend\":\"cuda\",\"hidden\":\"16\"",
                        100.0, ",\"secondaryMetrics\":{\"calls\":{\"score\":4},\"totalMs\":{\"score\":400.0},"
                        + "\"modelMs\":{\"score\":360.0},\"backendMs\":{\"score\":30.0}}")
                + "]";
        JsonNode results = new ObjectMapper().readTree(json);
        String md = KernelTable.table(results, H100);
        assertTrue(md.startsWith("Measured on a test GPU."), md);
        assertTrue(md.contains("cuda over cpu: abs 4.0×."), md);
        assertTrue(md.contains("| cuda | hidden=16 | 100.0 | 90.0 | 7.5 | 2.5 | 7.5 % |"), md);
    }

    @Test
    void resultsOfSeveralFilesAreReadAsOne(@TempDir Path dir) throws Exception {
        Path gpu = Files.writeString(dir.resolve("gpu.json"),
                "[" + result("CudaKernelBenchmark.abs", "\"backend\":\"cuda\"", 0.5, "") + "]");
        Path cpu = Files.writeString(dir.resolve("cpu.json"),
                "[" + result("CudaKernelBenchmark.abs", "\"backend\":\"cpu\"", 1.5, "") + "]");
        String md = KernelTable.table(KernelTable.read(List.of(gpu, cpu)), H100);
        assertTrue(md.contains("cuda over cpu: abs 3.0×."), md);
    }

    private static String result(String name, String params, double score, String more) {
        return "{\"benchmark\":\"io.attrib4j.bench." + name + "\",\"params\":{" + params + "},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":0.1}" + more + "}";
    }
}
