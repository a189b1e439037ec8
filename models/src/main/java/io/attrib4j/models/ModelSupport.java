package io.attrib4j.models;

/** Small helpers every model adapter uses: engine messages cut to their first line (content hashes are io.attrib4j.engine.ContentHash). */
public final class ModelSupport {
    private ModelSupport() {}

    /** The first line of an engine's (often multi-line, stack-trace-laden) message. */
    public static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
