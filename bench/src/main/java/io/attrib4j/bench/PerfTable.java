package io.attrib4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file into the performance table of the READMEs: every benchmark's score
 * with its error, the ratios the issues ask for (IG / raw forward+backward of the same steps, each
 * method / raw), and the machine. Rewrites the text between {@code <!-- perf:begin -->} and
 * {@code <!-- perf:end -->} in each file given.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" io.attrib4j.bench.PerfTable jmh.json README.md ...</pre>
 */
public final class PerfTable {
    static final String BEGIN = "<!-- perf:begin -->";
    static final String END = "<!-- perf:end -->";

    private PerfTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: PerfTable jmh.json FILE.md [FILE.md ...]");
            System.exit(2);
        }
        String table = table(new ObjectMapper().readTree(Path.of(args[0]).toFile()), machine());
        for (int i = 1; i < args.length; i++) {
            Path md = Path.of(args[i]);
            Files.writeString(md, replaceBetweenMarkers(Files.readString(md), table));
            System.out.println("updated " + md);
        }
    }

    /** The markdown table for JMH's JSON output. */
    static String table(JsonNode results, String machine) {
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {score, error}
        List<String> rows = new ArrayList<>();
        rows.add("| benchmark | parameters | time (ms/op) | ± (99.9 %) | peak RSS (MB) |");
        rows.add("|---|---|---|---|---|");
        for (JsonNode r : results) {
            String name = shortName(r.get("benchmark").asText());
            String params = params(r.get("params"));
            double score = r.get("primaryMetric").get("score").asDouble();
            double error = r.get("primaryMetric").get("scoreError").asDouble();
            scores.put(name + params, new double[] {score, error});
            double peak = peakRssMb(r.path("secondaryMetrics").path("peakRssMb"));
            rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s |", name, params, score,
                    Double.isNaN(error) ? 0 : error, Double.isNaN(peak) ? "-" : String.format(Locale.ROOT, "%.0f", peak)));
        }
        StringBuilder md = new StringBuilder();
        md.append("Measured on ").append(machine).append(".\n\n");
        rows.forEach(row -> md.append(row).append('\n'));
        List<String> ratios = ratios(scores);
        if (!ratios.isEmpty()) {
            md.append('\n');
            ratios.forEach(r -> md.append("- ").append(r).append('\n'));
        }
        return md.toString();
    }

    /**
     * The highest per-iteration reading of the {@link PeakMemory} counter, or NaN when there is none. Not its
     * {@code score}: JMH sums an EVENTS counter over the measurement iterations.
     */
    static double peakRssMb(JsonNode metric) {
        double peak = Double.NaN;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) {
                peak = Double.isNaN(peak) ? iteration.asDouble() : Math.max(peak, iteration.asDouble());
            }
        }
        return peak;
    }

    /** IG over raw for each parameter set, and each method over the raw pass of the same evaluations. */
    static List<String> ratios(Map<String, double[]> scores) {
        List<String> out = new ArrayList<>();
        scores.forEach((key, v) -> {
            if (key.startsWith("IgVsRawBenchmark.integratedGradients")) {
                String params = key.substring("IgVsRawBenchmark.integratedGradients".length());
                double[] raw = scores.get("IgVsRawBenchmark.rawForwardBackward" + params);
                if (raw != null) {
                    out.add(String.format(Locale.ROOT, "IG / raw forward+backward of the same steps %s: **%.3f**",
                            params.isEmpty() ? "" : params.trim(), v[0] / raw[0]));
                }
            }
        });
        String[][] pairs = {{"gradientShap10", "raw10"}, {"smoothGrad10", "raw10"}, {"saliency", "raw1"},
            {"gradCamLastStage", "raw1"}};
        for (String[] p : pairs) {
            double[] m = scores.get("MethodCostBenchmark." + p[0]);
            double[] raw = scores.get("MethodCostBenchmark." + p[1]);
            if (m != null && raw != null) {
                out.add(String.format(Locale.ROOT, "%s / %s: **%.3f**", p[0], p[1], m[0] / raw[0]));
            }
        }
        return out;
    }

    static String replaceBetweenMarkers(String text, String table) {
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no " + BEGIN + " ... " + END + " markers in the file");
        }
        return text.substring(0, b + BEGIN.length()) + "\n" + table + text.substring(e);
    }

    static String shortName(String fqn) {
        String[] parts = fqn.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    static String params(JsonNode p) {
        if (p == null || p.isEmpty()) {
            return "";
        }
        List<String> kv = new ArrayList<>();
        p.fields().forEachRemaining(f -> kv.add(f.getKey() + "=" + f.getValue().asText()));
        return " " + String.join(", ", kv);
    }

    /** Cores, CPU model, Java, and the git commit when there is one. */
    static String machine() {
        return String.format(Locale.ROOT, "%d cores (%s), Java %s, backend cpu-nd4j, commit %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"), commit());
    }

    /** The CPU's model name from /proc/cpuinfo, or "unknown CPU". */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // not Linux
        }
        return "unknown CPU";
    }

    static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
