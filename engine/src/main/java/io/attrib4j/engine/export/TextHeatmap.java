package io.attrib4j.engine.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text heatmaps: token relevance as one self-contained HTML page (inline CSS only: no scripts, fonts,
 * images or links) and as JSON token/score pairs.
 *
 * <p>Each example is a block with its caption (the predicted label and score) and one row per method;
 * each token is a {@code <span>} whose background is the diverging {@link Colormap#RDBU} at
 * {@code 0.5 + 0.5 * score / max|score of that row|}: positive red, negative blue, zero white. Rows are
 * scaled separately because methods have different units; the legend says so. Tokens are HTML-escaped.
 */
public final class TextHeatmap {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;color:#222}"
            + ".ex{margin:1.2em 0;padding:.6em;border:1px solid #ddd}.cap{font-weight:bold;margin-bottom:.4em}"
            + "table{border-collapse:collapse}td{padding:3px 6px;vertical-align:middle}td.m{color:#555;font-size:90%;"
            + "white-space:nowrap}.t{display:inline-block;padding:2px 4px;margin:1px;border-radius:3px;"
            + "font-family:monospace}.legend{display:flex;align-items:center;gap:.5em;font-size:90%}"
            + ".bar{width:240px;height:14px;border:1px solid #999}";

    private final String title;
    private final List<Example> examples;

    /**
     * One explained input.
     *
     * @param caption e.g. "example 0: predicted positive (p=0.99)"
     * @param tokens the words, in order
     * @param scores per method name (row label), one score per token, in display order
     */
    public record Example(String caption, List<String> tokens, Map<String, float[]> scores) {
        public Example {
            tokens = List.copyOf(tokens);
            scores = new LinkedHashMap<>(scores);
            for (Map.Entry<String, float[]> e : scores.entrySet()) {
                if (e.getValue().length != tokens.size()) {
                    throw new InvalidInputException("method '" + e.getKey() + "' has " + e.getValue().length
                            + " scores for " + tokens.size() + " tokens; give one score per token");
                }
            }
        }
    }

    private TextHeatmap(String title, List<Example> examples) {
        this.title = title;
        this.examples = List.copyOf(examples);
    }

    public static TextHeatmap of(String title, List<Example> examples) {
        return new TextHeatmap(title, examples);
    }

    /** The page. */
    public String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(HtmlReport.escape(title)).append("</title>\n<style>").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(HtmlReport.escape(title)).append("</h1>\n")
                .append(legend());
        for (Example e : examples) {
            b.append("<div class=\"ex\"><div class=\"cap\">").append(HtmlReport.escape(e.caption()))
                    .append("</div>\n<table>\n");
            for (Map.Entry<String, float[]> row : e.scores().entrySet()) {
                b.append("<tr><td class=\"m\">").append(HtmlReport.escape(row.getKey())).append("</td><td>");
                float[] s = row.getValue();
                double max = maxAbs(s);
                for (int i = 0; i < s.length; i++) {
                    b.append(span(e.tokens().get(i), s[i], max));
                }
                b.append("</td></tr>\n");
            }
            b.append("</table></div>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    /** The scores as JSON: {@code [{"caption":…, "methods":{"IG":[{"token":…, "score":…}, …]}}, …]}. */
    public String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = mapper.createArrayNode();
        for (Example e : examples) {
            ObjectNode ex = all.addObject().put("caption", e.caption());
            ObjectNode methods = ex.putObject("methods");
            for (Map.Entry<String, float[]> row : e.scores().entrySet()) {
                ArrayNode pairs = methods.putArray(row.getKey());
                for (int i = 0; i < row.getValue().length; i++) {
                    pairs.addObject().put("token", e.tokens().get(i)).put("score", row.getValue()[i]);
                }
            }
        }
        try {
            return mapper.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and floats always serializes", e);
        }
    }

    /** Writes {@code name.html} and {@code name.json} into {@code folder}; returns the HTML file. */
    public Path write(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name + ".json"), json(), StandardCharsets.UTF_8);
            Path html = folder.resolve(name + ".html");
            Files.writeString(html, html(), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the text heatmap " + folder.resolve(name) + ".html", e);
        }
    }

    /** A token span: background from the score, readable text colour, the score as tooltip. */
    static String span(String token, float score, double maxAbs) {
        double t = maxAbs > 0 ? 0.5 + 0.5 * score / maxAbs : 0.5;
        int rgb = Colormap.RDBU.rgb(t);
        boolean dark = Math.abs(t - 0.5) > 0.35;
        return String.format(Locale.ROOT, "<span class=\"t\" style=\"background:#%06x;color:%s\" title=\"%s\">%s</span>",
                rgb, dark ? "#fff" : "#000", String.format(Locale.ROOT, "%.4g", score), HtmlReport.escape(token));
    }

    private static String legend() {
        List<String> stops = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            stops.add(String.format(Locale.ROOT, "#%06x", Colormap.RDBU.rgb(i / 10.0)));
        }
        return "<div class=\"legend\"><span>&minus;max</span><div class=\"bar\" style=\"background:linear-gradient(to right,"
                + String.join(",", stops) + ")\"></div><span>+max</span><span>(each row scaled to its own largest "
                + "|score|; red supports the class, blue speaks against it)</span></div>\n";
    }

    private static double maxAbs(float[] s) {
        double m = 0;
        for (float v : s) {
            if (Float.isFinite(v)) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }
}
