package io.attrib4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JMH JSON of {@link CudaKernelBenchmark} and {@link IgKernelShareBenchmark} into markdown:
 * per kernel and backend the time per call, the bytes it moves ({@link KernelTraffic}) over that time,
 * as a share of the GPU's memory peak and of its PCIe link, the cuda-over-cpu speed-up, and IG's time
 * split between model and backend.
 *
 * <p>{@code GB/s = bytes / time}; the peaks come from system properties, since JMH does not record the
 * device: {@code attrib4j.gpu.peakGBs} ({@code 2 * memory clock * bus width / 8}, e.g. 3352 for an
 * H100 SXM), {@code attrib4j.gpu.pcieGBs} (e.g. 63 for PCIe 5.0 x16) and {@code attrib4j.gpu.name};
 * columns whose peak is not given show "-"; {@code attrib4j.commit} names the commit where git cannot.
 * The time includes the copies, so the memory figure is a lower bound of the kernel's own.
 *
 * <pre>java -Dattrib4j.gpu.peakGBs=3352 -cp "bench/target/classes:bench/target/lib/*" io.attrib4j.bench.KernelTable gpu.json [cpu.json] kernels.md</pre>
 */
public final class KernelTable {
    static final String KERNELS = "CudaKernelBenchmark";
    static final String SHARE = "IgKernelShareBenchmark";

    /** What the table needs to know about the machine: the device and its two peaks (NaN: unknown). */
    record Device(String description, double memoryPeakGBs, double pciePeakGBs) {
        static Device fromProperties() {
            return new Device(describe(System.getProperty("attrib4j.gpu.name", "no GPU named (-Dattrib4j.gpu.name)")),
                    peak("attrib4j.gpu.peakGBs"), peak("attrib4j.gpu.pcieGBs"));
        }

        private static double peak(String property) {
            String value = System.getProperty(property, "").trim();
            if (value.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + property + "=" + value + " is not a number of GB/s; "
                        + "give it as e.g. -D" + property + "=3352", e);
            }
        }

        private static String describe(String gpu) {
            return String.format(Locale.ROOT, "%s; %d cores (%s), Java %s, commit %s", gpu,
                    Runtime.getRuntime().availableProcessors(), PerfTable.cpuModel(),
                    System.getProperty("java.version"), System.getProperty("attrib4j.commit", PerfTable.commit()));
        }
    }

    private KernelTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: KernelTable jmh.json [more.json ...] OUT.md  (-Dattrib4j.gpu.peakGBs=... "
                    + "-Dattrib4j.gpu.pcieGBs=... -Dattrib4j.gpu.name=...)");
            System.exit(2);
        }
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            inputs.add(Path.of(args[i]));
        }
        String md = table(read(inputs), Device.fromProperties());
        Files.writeString(Path.of(args[args.length - 1]), md);
        System.out.print(md);
    }

    /** The results of several JMH JSON files (the cuda half from the GPU bundle, the cpu half from here) as one. */
    static JsonNode read(List<Path> files) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (Path f : files) {
            json.readTree(f.toFile()).forEach(all::add);
        }
        return all;
    }

    /** The markdown for JMH's results on {@code device}. */
    static String table(JsonNode results, Device device) {
        StringBuilder md = new StringBuilder();
        md.append("Measured on ").append(device.description()).append(".\n");
        md.append(String.format(Locale.ROOT, "Memory peak %s GB/s, PCIe peak %s GB/s.%n%n",
                number(device.memoryPeakGBs(), "%.0f"), number(device.pciePeakGBs(), "%.1f")));
        md.append("| kernel | shape | backend | time (ms) | ± (99.9 %) | device MB | device GB/s | % of memory peak "
                + "| PCIe MB | PCIe GB/s | % of PCIe peak |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Double> cudaMs = new LinkedHashMap<>();
        Map<String, Double> cpuMs = new LinkedHashMap<>();
        List<String> share = new ArrayList<>();
        for (JsonNode r : results) {
            String[] name = PerfTable.shortName(r.get("benchmark").asText()).split("\\.");
            String backend = r.path("params").path("backend").asText("?");
            double ms = r.get("primaryMetric").get("score").asDouble();
            double error = r.get("primaryMetric").get("scoreError").asDouble();
            if (name[0].equals(KERNELS)) {
                md.append(kernelRow(name[1], backend, ms, error, device)).append('\n');
                (backend.equals("cuda") ? cudaMs : cpuMs).put(name[1], ms);
            } else if (name[0].equals(SHARE)) {
                share.add(shareRow(r, backend, ms));
            }
        }
        List<String> speedUps = new ArrayList<>();
        cudaMs.forEach((kernel, ms) -> {
            Double cpu = cpuMs.get(kernel);
            if (cpu != null) {
                speedUps.add(String.format(Locale.ROOT, "%s %.1f×", kernel, cpu / ms));
            }
        });
        if (!speedUps.isEmpty()) {
            md.append("\ncuda over cpu: ").append(String.join(", ", speedUps)).append(".\n");
        }
        if (!share.isEmpty()) {
            md.append("\nIntegrated Gradients (3x224x224, 50 steps) on a pure-Java dense tanh model: where the time goes.\n\n");
            md.append("| backend | parameters | IG (ms) | model (ms) | backend (ms) | other (ms) | backend share |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            share.forEach(row -> md.append(row).append('\n'));
        }
        return md.toString();
    }

    /** One row; a kernel missing from {@link KernelTraffic} gets its time only. */
    static String kernelRow(String kernel, String backend, double ms, double error, Device device) {
        KernelTraffic.Traffic t = KernelTraffic.of(kernel);
        String errorText = Double.isNaN(error) ? "-" : String.format(Locale.ROOT, "%.3f", error);
        if (t == null) {
            return String.format(Locale.ROOT, "| %s | ? | %s | %.3f | %s | - | - | - | - | - | - |", kernel, backend, ms,
                    errorText);
        }
        boolean gpu = backend.equals("cuda");
        double deviceGBs = gigabytesPerSecond(t.deviceBytes(), ms);
        double pcieGBs = gigabytesPerSecond(t.pcieBytes(), ms);
        return String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %.1f | %.1f | %s | %s | %s | %s |", kernel,
                t.shape(), backend, ms, errorText, t.deviceBytes() / 1e6, deviceGBs,
                gpu ? percent(deviceGBs, device.memoryPeakGBs()) : "-",
                gpu ? String.format(Locale.ROOT, "%.1f", t.pcieBytes() / 1e6) : "-",
                gpu ? String.format(Locale.ROOT, "%.1f", pcieGBs) : "-",
                gpu ? percent(pcieGBs, device.pciePeakGBs()) : "-");
    }

    /** Bytes per call over milliseconds per call, in GB/s (10^9 bytes). */
    static double gigabytesPerSecond(long bytes, double ms) {
        return bytes / (ms * 1e6);
    }

    /**
     * One row of the IG split: the counters of {@link IgKernelShareBenchmark.Share} are totals over all
     * measured calls, so per call is {@code total / calls} and the share is {@code backend / total}.
     */
    static String shareRow(JsonNode r, String backend, double ms) {
        JsonNode aux = r.path("secondaryMetrics");
        String params = PerfTable.params(r.get("params")).replace("backend=" + backend + ", ", "")
                .replace("backend=" + backend, "").trim();
        double calls = aux(aux, "calls");
        double total = aux(aux, "totalMs");
        double model = aux(aux, "modelMs");
        double backendMs = aux(aux, "backendMs");
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f %% |", backend, params, ms,
                model / calls, backendMs / calls, (total - model - backendMs) / calls, 100 * backendMs / total);
    }

    private static double aux(JsonNode secondary, String name) {
        JsonNode score = secondary.path(name).path("score");
        return score.isMissingNode() ? Double.NaN : score.asDouble();
    }

    private static String percent(double value, double peak) {
        return Double.isNaN(peak) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * value / peak);
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "unknown" : String.format(Locale.ROOT, format, value);
    }
}
