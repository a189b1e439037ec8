package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void isSelfContainedAndEscaped() {
        BufferedImage im = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        String html = HtmlReport.builder("Report <1>")
                .paragraph("a < b & \"c\" <script>alert(1)</script> see https://example.org")
                .table(List.of("class", "score"), List.of(List.of("<red>", "0.97")))
                .image(im, "sample 0")
                .build();
        assertFalse(html.contains("<script>"), "text is escaped");
        assertTrue(html.contains("a &lt; b &amp; &quot;c&quot; &lt;script&gt;"), html);
        assertTrue(html.contains("<td>&lt;red&gt;</td>"));
        assertTrue(html.contains("<title>Report &lt;1&gt;</title>"));
        // the only URL is the escaped text of the paragraph; no src/href points outside the file
        assertFalse(Pattern.compile("(src|href)=\"https?://").matcher(html).find());
        assertFalse(html.replace("see https://example.org", "").matches("(?s).*https?://.*"));
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(m.find(), "image embedded as a data URI");
        byte[] png = Base64.getDecoder().decode(m.group(1));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }
}
