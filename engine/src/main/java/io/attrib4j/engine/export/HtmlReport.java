package io.attrib4j.engine.export;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A small self-contained HTML page: a title, headings, paragraphs, tables and images embedded as
 * base64 {@code data:} URIs. No scripts, no external style sheets, fonts or images, so the file can be
 * mailed or archived alone. All text is escaped.
 *
 * <pre>{@code
 * String html = HtmlReport.builder("attrib4j demo")
 *         .paragraph("Integrated Gradients on 4 samples")
 *         .table(List.of("sample", "delta"), List.of(List.of("0", "1e-6")))
 *         .image(sheet, "sample 0")
 *         .build();
 * }</pre>
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}"
            + "th{background:#f3f3f3}figure{margin:1em 0}figcaption{color:#555;font-size:90%}";

    private HtmlReport() {}

    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** {@code text} with {@code & < > " '} replaced by entities. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Collects the parts of the page in order. */
    public static final class Builder {
        private final String title;
        private final StringBuilder body = new StringBuilder();

        private Builder(String title) {
            this.title = title;
            body.append("<h1>").append(escape(title)).append("</h1>\n");
        }

        public Builder heading(String text) {
            body.append("<h2>").append(escape(text)).append("</h2>\n");
            return this;
        }

        public Builder paragraph(String text) {
            body.append("<p>").append(escape(text)).append("</p>\n");
            return this;
        }

        /** A table; each row should have as many cells as there are headers. */
        public Builder table(List<String> headers, List<List<String>> rows) {
            body.append("<table>\n<tr>");
            for (String h : headers) {
                body.append("<th>").append(escape(h)).append("</th>");
            }
            body.append("</tr>\n");
            for (List<String> row : rows) {
                body.append("<tr>");
                for (String cell : row) {
                    body.append("<td>").append(escape(cell)).append("</td>");
                }
                body.append("</tr>\n");
            }
            body.append("</table>\n");
            return this;
        }

        /** An image, embedded as a PNG data URI, with {@code caption} as its alt text and caption. */
        public Builder image(BufferedImage image, String caption) {
            return png(Images.pngBytes(image), caption);
        }

        /** PNG bytes, embedded as a data URI. */
        public Builder png(byte[] png, String caption) {
            body.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\" alt=\"").append(escape(caption)).append("\"><figcaption>").append(escape(caption))
                    .append("</figcaption></figure>\n");
            return this;
        }

        /** The page. */
        public String build() {
            return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                    + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
        }

        /** Writes the page as UTF-8, creating parent folders. */
        public void write(Path file) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(file, build(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write HTML report " + file, e);
            }
        }
    }
}
