package io.attrib4j.models.trees;

import io.attrib4j.engine.ModelLoadException;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a parsed model document (JSON through Jackson, or {@link Ubjson}): objects are maps, arrays lists
 * or {@code double[]}, numbers {@code Number} or numeric strings (XGBoost writes parameters as strings). Every
 * missing or mistyped field raises a {@link ModelLoadException} naming its path.
 */
final class Doc {
    private final String file;

    Doc(String file) {
        this.file = file;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object node, String path) {
        if (node instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw missing(path, "an object");
    }

    Map<String, Object> object(Map<String, Object> parent, String key, String path) {
        return object(parent.get(key), path + "." + key);
    }

    List<?> list(Object node, String path) {
        if (node instanceof List<?> l) {
            return l;
        }
        throw missing(path, "an array");
    }

    /** A numeric array (a JSON list of numbers, or a UBJSON typed array). */
    double[] doubles(Object node, String path) {
        if (node instanceof double[] d) {
            return d;
        }
        List<?> l = list(node, path);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(l.get(i), path + "[" + i + "]");
        }
        return out;
    }

    int[] ints(Object node, String path) {
        double[] d = doubles(node, path);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    double number(Object node, String path) {
        if (node instanceof Number n) {
            return n.doubleValue();
        }
        if (node instanceof String s) {
            String t = s.strip();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1).strip();
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw missing(path, "a number (found \"" + s + "\")");
            }
        }
        throw missing(path, "a number");
    }

    String string(Object node, String path) {
        if (node instanceof String s) {
            return s;
        }
        throw missing(path, "a string");
    }

    ModelLoadException missing(String path, String what) {
        return new ModelLoadException("model file '" + file + "' has no " + what + " at " + path
                + "; is it a model saved by the library's own save function?");
    }
}
