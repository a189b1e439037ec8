package io.attrib4j.recourse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.HtmlReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counterfactual results as files: an array [rows, count, features] (NaN where a row has fewer counterfactuals),
 * JSON with every measure, change and narrative, and a self-contained HTML page.
 */
public final class CounterfactualReport {
    private CounterfactualReport() {}

    /** [rows, count, features]; rows with fewer than {@code count} counterfactuals are padded with NaN. */
    public static Tensor tensor(List<CounterfactualResult> results, int count, int features) {
        float[] out = new float[results.size() * count * features];
        java.util.Arrays.fill(out, Float.NaN);
        for (int r = 0; r < results.size(); r++) {
            List<Counterfactual> cfs = results.get(r).counterfactuals();
            for (int c = 0; c < Math.min(count, cfs.size()); c++) {
                System.arraycopy(cfs.get(c).values(), 0, out, (r * count + c) * features, features);
            }
        }
        return Tensor.of(out, results.size(), count, features);
    }

    /** The results as pretty-printed JSON: {@code {"options": ..., "rows": [...]}}. */
    public static String json(List<CounterfactualResult> results) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("options", results.isEmpty() ? null : results.get(0).options());
        List<Object> rows = new ArrayList<>();
        for (int r = 0; r < results.size(); r++) {
            CounterfactualResult res = results.get(r);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r);
            m.put("originalClass", res.originalClass());
            m.put("desiredClass", res.desiredClass());
            m.put("status", res.status().name());
            m.put("message", res.message());
            m.put("search", res.search());
            m.put("steps", res.steps());
            m.put("validity", res.validity());
            m.put("diversity", res.diversity());
            List<Object> cfs = new ArrayList<>();
            for (Counterfactual c : res.counterfactuals()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("values", c.values());
                cm.put("predictedClass", c.predictedClass());
                cm.put("probability", c.probability());
                cm.put("valid", c.valid());
                cm.put("proximity", c.proximity());
                cm.put("sparsity", c.sparsity());
                cm.put("plausibility", c.plausibility());
                cm.put("changes", c.changes());
                cm.put("narrative", c.narrative());
                cfs.add(cm);
            }
            m.put("counterfactuals", cfs);
            rows.add(m);
        }
        doc.put("rows", rows);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("counterfactual results did not serialise", e);
        }
    }

    /** A page with one section per row: its status, and a table of the counterfactuals' measures and narratives. */
    public static String html(List<CounterfactualResult> results) {
        HtmlReport.Builder b = HtmlReport.builder("Counterfactuals");
        for (int r = 0; r < results.size(); r++) {
            CounterfactualResult res = results.get(r);
            b.heading("Row " + r + ": class " + res.originalClass() + " \u2192 " + res.desiredClass());
            b.paragraph(res.message() + " (" + res.search() + ", " + res.steps() + " steps, diversity "
                    + fmt(res.diversity()) + ")");
            List<List<String>> table = new ArrayList<>();
            for (int c = 0; c < res.counterfactuals().size(); c++) {
                Counterfactual cf = res.counterfactuals().get(c);
                table.add(List.of(String.valueOf(c), cf.valid() ? "yes" : "no", fmt(cf.probability()),
                        fmt(cf.proximity()), String.valueOf(cf.sparsity()), fmt(cf.plausibility()), cf.narrative()));
            }
            if (!table.isEmpty()) {
                b.table(List.of("#", "valid", "p(desired)", "proximity (MAD-L1)", "changed", "plausibility",
                        "narrative"), table);
            }
        }
        return b.build();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
