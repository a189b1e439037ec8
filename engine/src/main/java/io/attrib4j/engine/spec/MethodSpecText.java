package io.attrib4j.engine.spec;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text form of a {@link MethodSpec}, the one people type:
 * <pre>
 * spec  := name [ '(' [ key '=' value { ',' key '=' value } ] ')' ]
 * value := spec | number | true | false | bare-word | 'quoted' | "quoted" | '[' value { ',' value } ']'
 * </pre>
 * A bare word followed by {@code (} is a nested spec ({@code base=ig(steps=8)}); any other bare word is a
 * string (an enum name, a layer, a file path). Values are typed later, by the method's options record.
 */
final class MethodSpecText {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_.+/:@~-]+");

    private final String text;
    private int pos;

    private MethodSpecText(String text) {
        this.text = text;
    }

    static MethodSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidOptionException("empty method spec; write a method name such as 'ig' or "
                    + "'ig(steps=32, rule=riemann_trapezoid)'");
        }
        MethodSpecText p = new MethodSpecText(text);
        MethodSpec spec = p.spec(p.word());
        p.skipSpaces();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos) + "' after the spec");
        }
        return spec;
    }

    private MethodSpec spec(String name) {
        skipSpaces();
        Map<String, Object> options = new LinkedHashMap<>();
        if (peek() != '(') {
            return MethodSpec.of(name);
        }
        pos++;
        skipSpaces();
        if (peek() == ')') {
            pos++;
            return MethodSpec.of(name);
        }
        while (true) {
            String key = word();
            skipSpaces();
            expect('=');
            if (options.put(key, value()) != null) {
                throw error("option '" + key + "' is given twice");
            }
            skipSpaces();
            char c = peek();
            pos++;
            if (c == ')') {
                return MethodSpec.of(name, options);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ')'");
            }
        }
    }

    private Object value() {
        skipSpaces();
        char c = peek();
        if (c == '\'' || c == '"') {
            int end = text.indexOf(c, pos + 1);
            if (end < 0) {
                throw error("unterminated quote");
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }
        if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            skipSpaces();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpaces();
                char d = peek();
                pos++;
                if (d == ']') {
                    return list;
                }
                if (d != ',') {
                    pos--;
                    throw error("expected ',' or ']' in a list");
                }
            }
        }
        String w = word();
        skipSpaces();
        if (peek() == '(') {
            return spec(w);
        }
        return scalar(w);
    }

    private static Object scalar(String w) {
        if (w.equals("true") || w.equals("false")) {
            return Boolean.parseBoolean(w);
        }
        try {
            return Long.parseLong(w);
        } catch (NumberFormatException notLong) {
            try {
                if (w.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                    return Double.parseDouble(w);
                }
            } catch (NumberFormatException notNumber) {
                // a word
            }
        }
        return w;
    }

    private String word() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && BARE.matcher(String.valueOf(text.charAt(pos))).matches()) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a name or value");
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidOptionException error(String what) {
        return new InvalidOptionException("cannot read method spec '" + text + "' at character " + (pos + 1) + ": "
                + what + "; the form is name(key=value, ...), e.g. 'ig(steps=32, rule=riemann_trapezoid)' or "
                + "'smoothgrad(base=ig(steps=8), samples=10)'");
    }

    static String format(MethodSpec spec) {
        if (spec.options().isEmpty()) {
            return spec.name();
        }
        StringBuilder b = new StringBuilder(spec.name()).append('(');
        String sep = "";
        for (Map.Entry<String, Object> e : spec.options().entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(formatValue(e.getValue()));
            sep = ", ";
        }
        return b.append(')').toString();
    }

    private static String formatValue(Object v) {
        if (v instanceof MethodSpec s) {
            return format(s);
        }
        if (v instanceof Tensor t) {
            return "'tensor " + t.shape() + " sha256:" + MethodSpec.tensorDigest(t) + "'";
        }
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ",").append(formatValue(list.get(i)));
            }
            return b.append(']').toString();
        }
        String s = String.valueOf(v);
        return v instanceof String && !BARE.matcher(s).matches() ? "'" + s + "'" : s;
    }
}
