package io.attrib4j.models.trees;

import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.OutputTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an XGBoost model document (the JSON or UBJSON of {@code Booster.save_model}, XGBoost 1.0 and later) into a
 * {@link Forest}. Supported objectives: {@code binary:logistic}, {@code reg:logistic} (sigmoid),
 * {@code binary:logitraw}, {@code reg:squarederror}, {@code reg:linear} (identity), {@code multi:softprob}
 * (softmax); {@code gbtree} and {@code dart} boosters. The base margin is {@code logit(base_score)} for the
 * logistic objectives and {@code base_score} otherwise (XGBoost's {@code ProbToMargin}). Numerical splits go left
 * when {@code x < split_condition}; categorical splits send the listed categories right (XGBoost's rule), so they
 * are stored with the children swapped.
 */
final class XgboostReader {
    private static final List<String> OBJECTIVES = List.of("binary:logistic", "reg:logistic", "binary:logitraw",
            "reg:squarederror", "reg:linear", "multi:softprob");

    private final Doc doc;

    private XgboostReader(String file) {
        this.doc = new Doc(file);
    }

    static Forest read(Object root, String file) {
        return new XgboostReader(file).forest(root);
    }

    private Forest forest(Object rootNode) {
        Map<String, Object> root = doc.object(rootNode, "$");
        checkVersion(root);
        Map<String, Object> learner = doc.object(root, "learner", "$");
        Map<String, Object> param = doc.object(learner, "learner_model_param", "learner");
        String objective = doc.string(doc.object(learner, "objective", "learner").get("name"),
                "learner.objective.name");
        if (!OBJECTIVES.contains(objective)) {
            throw new ModelLoadException("XGBoost objective '" + objective + "' is not supported (supported: "
                    + String.join(", ", OBJECTIVES) + ")"
                    + (objective.equals("multi:softmax") ? "; multi:softmax predicts labels: train or re-save the "
                            + "booster with multi:softprob, which has the same trees" : ""));
        }
        int features = (int) doc.number(param.get("num_feature"), "learner.learner_model_param.num_feature");
        int numClass = (int) doc.number(param.get("num_class"), "learner.learner_model_param.num_class");
        int groups = Math.max(1, numClass);
        double baseScore = doc.number(param.get("base_score"), "learner.learner_model_param.base_score");
        OutputTransform transform = objective.startsWith("multi:") ? OutputTransform.SOFTMAX
                : objective.endsWith("logistic") ? OutputTransform.SIGMOID : OutputTransform.IDENTITY;
        double base = transform == OutputTransform.SIGMOID ? Math.log(baseScore / (1 - baseScore)) : baseScore;
        double[] baseMargin = new double[groups];
        java.util.Arrays.fill(baseMargin, base);

        Map<String, Object> booster = doc.object(learner, "gradient_booster", "learner");
        String boosterName = doc.string(booster.get("name"), "learner.gradient_booster.name");
        double[] weightDrop = null;
        Map<String, Object> gbtree = booster;
        if (boosterName.equals("dart")) {
            gbtree = doc.object(booster, "gbtree", "learner.gradient_booster");
            weightDrop = doc.doubles(booster.get("weight_drop"), "learner.gradient_booster.weight_drop");
        } else if (!boosterName.equals("gbtree")) {
            throw new ModelLoadException("XGBoost booster '" + boosterName + "' is not supported (supported: gbtree, "
                    + "dart); explain a gblinear model with Linear SHAP after exporting its weights to ONNX");
        }
        Map<String, Object> model = doc.object(gbtree, "model", "learner.gradient_booster");
        List<?> trees = doc.list(model.get("trees"), "learner.gradient_booster.model.trees");
        int[] treeInfo = doc.ints(model.get("tree_info"), "learner.gradient_booster.model.tree_info");
        List<DecisionTree> out = new ArrayList<>(trees.size());
        for (int t = 0; t < trees.size(); t++) {
            double w = weightDrop == null ? 1.0 : weightDrop[t];
            out.add(tree(doc.object(trees.get(t), "trees[" + t + "]"), "trees[" + t + "]", treeInfo[t], w));
        }
        return new Forest(out, features, groups, baseMargin, 1.0, transform);
    }

    private void checkVersion(Map<String, Object> root) {
        if (!root.containsKey("version")) {
            throw new ModelLoadException("XGBoost model has no 'version' field: only the JSON/UBJSON format of "
                    + "XGBoost 1.0 and later is read; load the old binary model in Python and "
                    + "save_model(\"model.json\")");
        }
        int[] v = doc.ints(root.get("version"), "version");
        if (v.length == 0 || v[0] < 1 || v[0] > 2) {
            throw new ModelLoadException("XGBoost model version " + java.util.Arrays.toString(v)
                    + " is not supported (supported: 1.x and 2.x)");
        }
    }

    private DecisionTree tree(Map<String, Object> t, String path, int group, double weight) {
        int[] left = doc.ints(t.get("left_children"), path + ".left_children");
        int[] right = doc.ints(t.get("right_children"), path + ".right_children");
        int[] feature = doc.ints(t.get("split_indices"), path + ".split_indices");
        double[] cond = doc.doubles(t.get("split_conditions"), path + ".split_conditions");
        int[] dl = doc.ints(t.get("default_left"), path + ".default_left");
        double[] cover = doc.doubles(t.get("sum_hessian"), path + ".sum_hessian");
        int n = left.length;
        boolean[] defaultLeft = new boolean[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            defaultLeft[i] = dl[i] != 0;
            if (left[i] < 0) {
                left[i] = -1;
                right[i] = -1;
                values[i] = cond[i] * weight;
            }
        }
        int[][] categories = categories(t, path, n);
        if (categories != null) {
            for (int i = 0; i < n; i++) {
                if (categories[i] != null) {
                    // XGBoost sends the listed categories right: store the complement's side as left
                    int l = left[i];
                    left[i] = right[i];
                    right[i] = l;
                    defaultLeft[i] = !defaultLeft[i];
                }
            }
        }
        return DecisionTree.builder().setChildren(left, right).setSplits(feature, cond, defaultLeft)
                .setValues(values, 1, group).optCovers(cover).optCategories(categories)
                .optComparison(DecisionTree.Comparison.LESS).build();
    }

    private int[][] categories(Map<String, Object> t, String path, int n) {
        if (!t.containsKey("split_type")) {
            return null;
        }
        int[] type = doc.ints(t.get("split_type"), path + ".split_type");
        boolean any = false;
        for (int s : type) {
            any |= s != 0;
        }
        if (!any) {
            return null;
        }
        int[] nodes = doc.ints(t.get("categories_nodes"), path + ".categories_nodes");
        int[] segments = doc.ints(t.get("categories_segments"), path + ".categories_segments");
        int[] sizes = doc.ints(t.get("categories_sizes"), path + ".categories_sizes");
        int[] cats = doc.ints(t.get("categories"), path + ".categories");
        int[][] out = new int[n][];
        for (int k = 0; k < nodes.length; k++) {
            out[nodes[k]] = java.util.Arrays.copyOfRange(cats, segments[k], segments[k] + sizes[k]);
        }
        return out;
    }
}
