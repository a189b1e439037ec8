package io.attrib4j.bench.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.export.HtmlReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes what a sweep found: {@code cells.csv}, {@code summary.json} (per method and setting means, and
 * the adaptive-IG evidence), PNG plots under {@code plots/}, and {@code report.html} embedding them with
 * the summary table.
 */
public final class SweepReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLUMNS = {"model", "method", "setting", "input", "target", "timeMs",
        "modelEvaluations", "gradientEvaluations", "completenessError", "deletionAuc", "insertionAuc", "key"};
    private static final String[] MEANS = {"timeMs", "modelEvaluations", "gradientEvaluations", "completenessError",
        "deletionAuc", "insertionAuc"};

    private SweepReport() {}

    /** Writes every output file; returns the summary. */
    public static ObjectNode write(List<JsonNode> rows, Path out) {
        try {
            writeCsv(rows, out.resolve("cells.csv"));
            Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
            for (JsonNode r : rows) {
                groups.computeIfAbsent(r.get("model").asText() + " | " + r.get("method").asText() + " | "
                        + r.get("setting").asText(), k -> new ArrayList<>()).add(r);
            }
            ObjectNode summary = JSON.createObjectNode();
            summary.put("cells", rows.size());
            ArrayNode table = summary.putArray("settings");
            for (List<JsonNode> g : groups.values()) {
                ObjectNode s = table.addObject();
                s.put("model", g.get(0).get("model").asText()).put("method", g.get(0).get("method").asText())
                        .put("setting", g.get(0).get("setting").asText()).put("inputs", g.size());
                s.set("parameters", g.get(0).get("parameters"));
                for (String m : MEANS) {
                    s.put(m, mean(g, m));
                }
            }
            summary.set("adaptiveIg", adaptiveEvidence(table));
            Files.writeString(out.resolve("summary.json"), JSON.writeValueAsString(summary));
            Map<String, byte[]> plots = SweepPlots.all(table, rows);
            Path dir = Files.createDirectories(out.resolve("plots"));
            for (Map.Entry<String, byte[]> p : plots.entrySet()) {
                Files.write(dir.resolve(p.getKey()), p.getValue());
            }
            html(summary, plots).write(out.resolve("report.html"));
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep report in " + out, e);
        }
    }

    /**
     * Per model and fixed 50-step rule (gausslegendre, riemann_trapezoid): its mean completeness error and
     * the fewest mean gradient evaluations of an adaptive-IG setting whose mean error is at most that.
     */
    static ArrayNode adaptiveEvidence(ArrayNode table) {
        ArrayNode evidence = JSON.createArrayNode();
        for (JsonNode fixed : table) {
            JsonNode p = fixed.get("parameters");
            if (!fixed.get("method").asText().equals("ig") || p.path("steps").asInt(50) != 50) {
                continue;
            }
            String rule = p.path("rule").asText("gausslegendre");
            ObjectNode e = evidence.addObject();
            e.put("model", fixed.get("model").asText()).put("fixedRule", rule).put("fixedSteps", 50)
                    .put("fixedGradientEvaluations", fixed.get("gradientEvaluations").asDouble())
                    .put("fixedCompletenessError", fixed.get("completenessError").asDouble());
            JsonNode best = null;
            for (JsonNode a : table) {
                if (a.get("method").asText().equals("adaptive-ig") && a.get("model").equals(fixed.get("model"))
                        && a.get("completenessError").asDouble() <= fixed.get("completenessError").asDouble()
                        && (best == null || a.get("gradientEvaluations").asDouble()
                                < best.get("gradientEvaluations").asDouble())) {
                    best = a;
                }
            }
            if (best == null) {
                e.putNull("adaptiveSetting");
                e.put("note", "no adaptive-ig setting reached this completeness error; add a smaller tolerance");
            } else {
                e.put("adaptiveSetting", best.get("setting").asText())
                        .put("adaptiveGradientEvaluations", best.get("gradientEvaluations").asDouble())
                        .put("adaptiveCompletenessError", best.get("completenessError").asDouble());
            }
        }
        return evidence;
    }

    private static double mean(List<JsonNode> g, String field) {
        return g.stream().mapToDouble(r -> r.get(field).asDouble()).average().orElse(Double.NaN);
    }

    private static void writeCsv(List<JsonNode> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (JsonNode r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : COLUMNS) {
                String v = r.get(c).asText();
                cells.add(v.contains(",") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(file, sb);
    }

    private static HtmlReport.Builder html(ObjectNode summary, Map<String, byte[]> plots) {
        HtmlReport.Builder b = HtmlReport.builder("attrib4j sweep");
        b.paragraph(summary.get("cells").asInt() + " cells. Completeness error and deletion/insertion AUC (MoRF, "
                + "zero baseline) are means over inputs; lower deletion AUC and higher insertion AUC are better.");
        List<String> headers = List.of("model", "method", "setting", "inputs", "time ms", "model evals",
                "gradient evals", "completeness error", "deletion AUC", "insertion AUC");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : summary.get("settings")) {
            rows.add(List.of(s.get("model").asText(), s.get("method").asText(), s.get("setting").asText(),
                    s.get("inputs").asText(), fmt(s, "timeMs"), fmt(s, "modelEvaluations"),
                    fmt(s, "gradientEvaluations"), fmt(s, "completenessError"), fmt(s, "deletionAuc"),
                    fmt(s, "insertionAuc")));
        }
        b.heading("Summary").table(headers, rows);
        b.heading("Adaptive IG versus fixed 50-step IG");
        List<List<String>> ev = new ArrayList<>();
        for (JsonNode e : summary.get("adaptiveIg")) {
            ev.add(List.of(e.get("model").asText(), e.get("fixedRule").asText(), fmt(e, "fixedGradientEvaluations"),
                    fmt(e, "fixedCompletenessError"), e.path("adaptiveSetting").asText("none"),
                    fmt(e, "adaptiveGradientEvaluations"), fmt(e, "adaptiveCompletenessError")));
        }
        b.table(List.of("model", "fixed rule (50 steps)", "fixed evals", "fixed error", "adaptive setting",
                "adaptive evals", "adaptive error"), ev);
        b.heading("Plots");
        plots.forEach((name, png) -> b.png(png, name));
        return b;
    }

    private static String fmt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.4g", v.asDouble());
    }

    /** The PNG plots. */
    static final class SweepPlots {
        private SweepPlots() {}

        static Map<String, byte[]> all(ArrayNode table, List<JsonNode> rows) throws IOException {
            Map<String, byte[]> plots = new LinkedHashMap<>();
            plots.put("completeness_vs_steps.png", png(completenessVsSteps(table)));
            plots.put("deletion_curves.png", png(deletionCurves(rows)));
            plots.put("time_vs_completeness_pareto.png", png(pareto(table)));
            return plots;
        }

        private static XYChart chart(String title, String x, String y) {
            XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
            return c;
        }

        /** Mean completeness error against steps, one series per (model, integration rule) of IG. */
        private static XYChart completenessVsSteps(ArrayNode table) {
            XYChart c = chart("IG completeness error vs steps", "steps", "mean |delta| (log)");
            c.getStyler().setYAxisLogarithmic(true);
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (JsonNode s : table) {
                if (s.get("method").asText().equals("ig")) {
                    series.computeIfAbsent(s.get("model").asText() + " " + s.get("parameters").path("rule")
                            .asText("gausslegendre"), k -> new ArrayList<>()).add(new double[] {
                                s.get("parameters").path("steps").asDouble(50),
                                Math.max(1e-12, s.get("completenessError").asDouble())});
                }
            }
            series.forEach((name, pts) -> addLine(c, name, pts));
            return c;
        }

        /** Mean MoRF deletion curve per method over all its settings and inputs. */
        private static XYChart deletionCurves(List<JsonNode> rows) {
            XYChart c = chart("Deletion curves (MoRF, mean over inputs and settings)", "fraction removed",
                    "target logit");
            Map<String, double[]> sums = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (JsonNode r : rows) {
                String name = r.get("model").asText() + " " + r.get("method").asText();
                JsonNode curve = r.get("deletionCurve");
                double[] s = sums.computeIfAbsent(name, k -> new double[curve.size()]);
                for (int k = 0; k < curve.size(); k++) {
                    s[k] += curve.get(k).asDouble();
                }
                counts.merge(name, 1, Integer::sum);
            }
            sums.forEach((name, s) -> {
                List<double[]> pts = new ArrayList<>();
                for (int k = 0; k < s.length; k++) {
                    pts.add(new double[] {(double) k / (s.length - 1), s[k] / counts.get(name)});
                }
                addLine(c, name, pts);
            });
            return c;
        }

        /** Each method's Pareto front of (mean time, mean completeness error) over its settings. */
        private static XYChart pareto(ArrayNode table) {
            XYChart c = chart("Time vs completeness error: Pareto front per method", "mean time per input (ms)",
                    "mean |delta| (log)");
            c.getStyler().setYAxisLogarithmic(true);
            Map<String, List<double[]>> byMethod = new LinkedHashMap<>();
            for (JsonNode s : table) {
                byMethod.computeIfAbsent(s.get("model").asText() + " " + s.get("method").asText(),
                        k -> new ArrayList<>()).add(new double[] {s.get("timeMs").asDouble(),
                            Math.max(1e-12, s.get("completenessError").asDouble())});
            }
            byMethod.forEach((name, pts) -> addLine(c, name, front(pts)));
            return c;
        }

        /** The points no other point beats in both time and error, by increasing time. */
        static List<double[]> front(List<double[]> pts) {
            List<double[]> sorted = new ArrayList<>(pts);
            sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
            List<double[]> front = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            for (double[] p : sorted) {
                if (p[1] < best) {
                    front.add(p);
                    best = p[1];
                }
            }
            return front;
        }

        private static void addLine(XYChart c, String name, List<double[]> pts) {
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = c.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }

        private static byte[] png(XYChart c) throws IOException {
            if (c.getSeriesMap().isEmpty()) {
                c.addSeries("no data", new double[] {0}, new double[] {1e-12 + 1});
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(c, bytes, BitmapEncoder.BitmapFormat.PNG);
            return bytes.toByteArray();
        }
    }
}
