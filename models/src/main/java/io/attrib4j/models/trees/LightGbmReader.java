package io.attrib4j.models.trees;

import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.OutputTransform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a LightGBM text model ({@code Booster.save_model("model.txt")}, format v2-v4) into a {@link Forest}.
 * Internal node {@code i} becomes node {@code i}, leaf {@code j} node {@code num_leaves - 1 + j}; numerical splits
 * go left when {@code x <= threshold}; covers are the data counts ({@code internal_count}, {@code leaf_count}), as
 * in LightGBM's own TreeSHAP. A missing value takes the default direction under {@code missing_type=NaN}; under
 * {@code missing_type=None} LightGBM reads NaN as 0, so NaN goes where 0 goes. Supported objectives: the
 * regression family (identity), {@code binary} with {@code sigmoid:1}, {@code cross_entropy} (sigmoid) and
 * {@code multiclass} (softmax); {@code average_output} (random-forest mode) averages the trees.
 */
final class LightGbmReader {
    private static final List<String> IDENTITY = List.of("regression", "regression_l2", "l2", "mean_squared_error",
            "mse", "regression_l1", "l1", "huber", "fair", "quantile", "mape");
    private static final int CATEGORICAL = 1;
    private static final int DEFAULT_LEFT = 2;

    private final String file;

    private LightGbmReader(String file) {
        this.file = file;
    }

    static Forest read(String text, String file) {
        return new LightGbmReader(file).forest(text);
    }

    private Forest forest(String text) {
        String[] blocks = text.split("\\n(?=Tree=)|\\nend of trees");
        Map<String, String> header = fields(blocks[0]);
        String version = header.getOrDefault("version", "");
        if (!List.of("v2", "v3", "v4").contains(version)) {
            throw new ModelLoadException("LightGBM model '" + file + "' has format version '" + version
                    + "', which is not supported (supported: v2, v3, v4)");
        }
        int features = Integer.parseInt(require(header, "max_feature_idx")) + 1;
        int perIteration = Integer.parseInt(header.getOrDefault("num_tree_per_iteration", "1"));
        String[] objective = require(header, "objective").trim().split("\\s+");
        OutputTransform transform = transform(objective, perIteration);
        List<DecisionTree> trees = new ArrayList<>();
        for (int b = 1; b < blocks.length; b++) {
            if (!blocks[b].startsWith("Tree=")) {
                continue;
            }
            Map<String, String> t = fields(blocks[b]);
            trees.add(tree(t, "Tree=" + t.get("Tree"), trees.size() % perIteration));
        }
        double scale = header.containsKey("average_output") ? perIteration / (double) trees.size() : 1.0;
        return new Forest(trees, features, perIteration, new double[perIteration], scale, transform);
    }

    private OutputTransform transform(String[] objective, int groups) {
        String name = objective[0];
        if (IDENTITY.contains(name)) {
            return OutputTransform.IDENTITY;
        }
        if (name.equals("binary") || name.equals("cross_entropy") || name.equals("xentropy")) {
            for (String p : objective) {
                if (p.startsWith("sigmoid:") && Double.parseDouble(p.substring(8)) != 1.0) {
                    throw new ModelLoadException("LightGBM objective '" + String.join(" ", objective) + "' has "
                            + p + ", which is not supported (supported: sigmoid:1); train with sigmoid=1");
                }
            }
            return OutputTransform.SIGMOID;
        }
        if (name.equals("multiclass") || name.equals("softmax")) {
            return OutputTransform.SOFTMAX;
        }
        throw new ModelLoadException("LightGBM objective '" + name + "' is not supported (supported: "
                + String.join(", ", IDENTITY) + ", binary, cross_entropy, multiclass)");
    }

    private DecisionTree tree(Map<String, String> t, String where, int group) {
        int leaves = Integer.parseInt(require(t, "num_leaves"));
        if ("1".equals(t.get("is_linear"))) {
            throw new ModelLoadException("LightGBM " + where + " of '" + file + "' is a linear tree (linear_tree=true),"
                    + " which is not supported; train without linear_tree");
        }
        double[] leafValue = doubles(t, "leaf_value", leaves);
        int n = 2 * leaves - 1;
        int inner = leaves - 1;
        int[] left = new int[n];
        int[] right = new int[n];
        int[] feature = new int[n];
        double[] threshold = new double[n];
        boolean[] defaultLeft = new boolean[n];
        double[] cover = new double[n];
        double[] values = new double[n];
        java.util.Arrays.fill(left, -1);
        java.util.Arrays.fill(right, -1);
        double[] leafCount = t.containsKey("leaf_count") ? doubles(t, "leaf_count", leaves) : new double[leaves];
        for (int j = 0; j < leaves; j++) {
            values[inner + j] = leafValue[j];
            cover[inner + j] = leafCount[j];
        }
        if (inner > 0) {
            int[] sf = ints(t, "split_feature", inner);
            double[] thr = doubles(t, "threshold", inner);
            int[] dt = ints(t, "decision_type", inner);
            int[] lc = ints(t, "left_child", inner);
            int[] rc = ints(t, "right_child", inner);
            double[] ic = doubles(t, "internal_count", inner);
            for (int i = 0; i < inner; i++) {
                if ((dt[i] & CATEGORICAL) != 0) {
                    throw new ModelLoadException("LightGBM " + where + " of '" + file + "' has a categorical split "
                            + "(node " + i + "), which is not supported yet; one-hot encode the feature or export "
                            + "the model to XGBoost JSON");
                }
                int missing = (dt[i] >> 2) & 3;
                feature[i] = sf[i];
                threshold[i] = thr[i];
                left[i] = lc[i] >= 0 ? lc[i] : inner + ~lc[i];
                right[i] = rc[i] >= 0 ? rc[i] : inner + ~rc[i];
                cover[i] = ic[i];
                if (missing == 1) {
                    throw new ModelLoadException("LightGBM " + where + " of '" + file + "' treats zero as missing "
                            + "(missing_type=Zero, node " + i + "), which is not supported; train with "
                            + "zero_as_missing=false");
                }
                defaultLeft[i] = missing == 2 ? (dt[i] & DEFAULT_LEFT) != 0 : 0.0 <= thr[i];
            }
        }
        return DecisionTree.builder().setChildren(left, right).setSplits(feature, threshold, defaultLeft)
                .setValues(values, 1, group).optCovers(cover)
                .optComparison(DecisionTree.Comparison.LESS_OR_EQUAL).build();
    }

    private static Map<String, String> fields(String block) {
        Map<String, String> out = new HashMap<>();
        for (String line : block.split("\\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            } else if (!line.isBlank()) {
                out.put(line.trim(), "");
            }
        }
        return out;
    }

    private String require(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new ModelLoadException("LightGBM model '" + file + "' has no '" + key + "=' line; is it a model "
                    + "saved with Booster.save_model?");
        }
        return v;
    }

    private double[] doubles(Map<String, String> t, String key, int count) {
        String[] parts = require(t, key).split("\\s+");
        if (parts.length != count) {
            throw new ModelLoadException("LightGBM model '" + file + "': '" + key + "' has " + parts.length
                    + " values where " + count + " are needed; the file is damaged");
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    private int[] ints(Map<String, String> t, String key, int count) {
        double[] d = doubles(t, key, count);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }
}
