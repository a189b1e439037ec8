package io.attrib4j.engine.spec;

import java.util.List;

/**
 * The registry's documentation for people, generated from the options records: the command line's
 * {@code attrib4j methods} and the README's methods table both print this, so neither can drift from the code.
 */
public final class MethodDocs {
    private MethodDocs() {}

    /** One method in plain text: name, summary, then one line per option. */
    public static String text(MethodDescriptor<?> d) {
        StringBuilder b = new StringBuilder(d.name()).append(": ").append(d.summary()).append('\n');
        for (OptionDoc o : d.docs()) {
            b.append(String.format("  %-22s %-40s default %-14s %s%n", o.name(), o.type(), o.defaultValue(), o.meaning()));
        }
        return b.toString();
    }

    /** Every registered method in plain text. */
    public static String text() {
        StringBuilder b = new StringBuilder();
        for (MethodDescriptor<?> d : Methods.descriptors()) {
            b.append(text(d)).append('\n');
        }
        return b.toString();
    }

    /** The README's table: one row per registered method, its options with type, default and meaning. */
    public static String markdown() {
        return markdown(Methods.descriptors());
    }

    static String markdown(List<MethodDescriptor<?>> descriptors) {
        StringBuilder b = new StringBuilder("| spec name | method | options (default) |\n|---|---|---|\n");
        for (MethodDescriptor<?> d : descriptors) {
            StringBuilder options = new StringBuilder();
            for (OptionDoc o : d.docs()) {
                options.append(options.isEmpty() ? "" : "<br>").append('`').append(o.name()).append('`')
                        .append(" (").append(o.defaultValue().replace("|", "\\|")).append(")")
                        .append(o.meaning().isEmpty() ? "" : ": " + o.meaning().replace("|", "\\|"));
            }
            b.append("| `").append(d.name()).append("` | ").append(d.summary().replace("|", "\\|")).append(" | ")
                    .append(options.isEmpty() ? "none" : options).append(" |\n");
        }
        return b.toString();
    }
}
