package io.attrib4j.serving;

import io.attrib4j.engine.export.HtmlReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * A {@link DriftReport} as a self-contained HTML page: the per-feature table (PSI and band, KS statistic
 * and p-value, mean |attribution| before and after, stability change, flags) and a bar chart of PSI and
 * KS statistic per feature (XChart, embedded as PNG).
 */
public final class DriftHtml {
    private DriftHtml() {}

    public static String render(DriftReport report) {
        List<List<String>> rows = report.features().stream().map(f -> List.of(Integer.toString(f.feature()), f.name(),
                fmt(f.psi()), f.psiBand().name(), fmt(f.ksStatistic()), fmt(f.ksPValue()), fmt(f.referenceMeanAbs()),
                fmt(f.windowMeanAbs()), fmt(100 * f.stabilityChange()) + " %", f.drifted() ? "DRIFT" : "")).toList();
        List<String> flagged = report.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
        return HtmlReport.builder("attrib4j explanation drift")
                .paragraph("Reference: " + report.referenceSize() + " explanations; window: " + report.windowSize()
                        + (report.windowStart() == null ? "" : " from " + report.windowStart()) + ".")
                .paragraph(flagged.isEmpty() ? "No feature drifted." : "Drifted: " + String.join(", ", flagged))
                .png(chart(report), "PSI (bands 0.1 / 0.2) and KS statistic per feature")
                .table(List.of("#", "feature", "PSI", "band", "KS D", "KS p", "mean |a| ref", "mean |a| window",
                        "stability change", "flag"), rows)
                .build();
    }

    static byte[] chart(DriftReport report) {
        int width = Math.max(480, 40 * report.features().size() + 160);
        CategoryChart chart = new CategoryChartBuilder().width(width).height(360).title("Attribution drift per feature")
                .xAxisTitle("feature").yAxisTitle("value").build();
        List<String> names = report.features().stream().map(FeatureDrift::name).toList();
        chart.addSeries("PSI", names, report.features().stream().map(FeatureDrift::psi).map(DriftHtml::finite).toList());
        chart.addSeries("KS D", names, report.features().stream().map(FeatureDrift::ksStatistic).toList());
        chart.getStyler().setXAxisLabelRotation(report.features().size() > 8 ? 45 : 0);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the drift chart", e);
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 10; // an infinite PSI (a bin emptied) is drawn capped
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
