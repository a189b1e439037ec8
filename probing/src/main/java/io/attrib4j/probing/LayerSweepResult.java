package io.attrib4j.probing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Per-layer probe scores of a {@link LayerSweep}, with writers for JSON, CSV and a PNG bar chart
 * (accuracy and macro-F1 per layer, with 95% t-interval error bars).
 *
 * @param model the model's name
 * @param pooling how activations were pooled
 * @param folds cross-validation folds
 * @param rows one per layer, in the order probed
 */
public record LayerSweepResult(String model, String pooling, int folds, List<Row> rows) {

    /**
     * One layer's scores.
     *
     * @param layer the layer name
     * @param features the probe's input width (after pooling)
     * @param scores the cross-validated accuracy and macro-F1
     */
    public record Row(String layer, int features, CrossValidationResult scores) {}

    public LayerSweepResult {
        rows = List.copyOf(rows);
    }

    /** The row of the layer with the best mean accuracy (the first such). */
    public Row best() {
        Row best = rows.get(0);
        for (Row r : rows) {
            if (r.scores().meanAccuracy() > best.scores().meanAccuracy()) {
                best = r;
            }
        }
        return best;
    }

    /** The result as JSON: model, pooling, folds and per-layer accuracy/macro-F1 with their intervals. */
    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model);
        root.put("pooling", pooling);
        root.put("folds", folds);
        ArrayNode layers = root.putArray("layers");
        for (Row r : rows) {
            ObjectNode o = layers.addObject();
            o.put("layer", r.layer());
            o.put("features", r.features());
            ProbeJson.putScores(o, r.scores());
        }
        return root;
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void writeJson(Path file) {
        ProbeJson.write(file, toJson());
    }

    /** Writes one CSV line per layer: layer, features, accuracy with interval, macro-F1 with interval. */
    public void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder("layer,features,accuracy,accuracy_low,accuracy_high,macro_f1,"
                + "macro_f1_low,macro_f1_high\n");
        for (Row r : rows) {
            ConfidenceInterval a = r.scores().accuracy();
            ConfidenceInterval f = r.scores().macroF1();
            sb.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", csv(r.layer()), r.features(),
                    a.mean(), a.low(), a.high(), f.mean(), f.low(), f.high()));
        }
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes an 900x500 PNG bar chart of accuracy and macro-F1 per layer, with interval error bars. */
    public void writePng(Path file) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("Linear probe per layer: " + model + " (" + pooling + ", " + folds + "-fold CV)")
                .xAxisTitle("layer").yAxisTitle("score (mean, 95% CI)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> names = rows.stream().map(Row::layer).toList();
        chart.addSeries("accuracy", names, rows.stream().map(r -> r.scores().meanAccuracy()).toList(),
                rows.stream().map(r -> r.scores().accuracy().halfWidth()).toList());
        chart.addSeries("macro-F1", names, rows.stream().map(r -> r.scores().meanMacroF1()).toList(),
                rows.stream().map(r -> r.scores().macroF1().halfWidth()).toList());
        try {
            BitmapEncoder.saveBitmap(chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
