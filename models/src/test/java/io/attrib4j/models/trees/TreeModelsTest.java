package io.attrib4j.models.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.TreeEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format detection, a two-leaf model in each text format, and the refusals that name what is unsupported. */
class TreeModelsTest {
    @TempDir
    Path dir;

    private static final String XGB = """
            {"learner": {"learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "2"},
             "objective": {"name": "OBJ"},
             "gradient_booster": {"name": "gbtree", "model": {"tree_info": [0], "trees": [
               {"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [1, 0, 0],
                "split_conditions": [0.5, -1.0, 2.0], "default_left": [1, 0, 0], "sum_hessian": [10, 4, 6]}]}}},
             "version": VERSION}
            """;

    private ForwardModel xgboost(String objective, String version) throws Exception {
        Path p = dir.resolve("m.json");
        Files.writeString(p, XGB.replace("OBJ", objective).replace("VERSION", version));
        return TreeModels.load(p);
    }

    @Test
    void readsAMinimalXgboostModel() throws Exception {
        ForwardModel m = xgboost("reg:squarederror", "[1, 7, 4]");
        assertEquals("xgboost-json", m.info().format());
        assertEquals(64, m.info().contentHash().length());
        float[] out = m.forward(Tensor.of(new float[] {9, 0.2f, 9, 0.7f, 9, Float.NaN}, 3, 2)).data();
        assertEquals(-0.5f, out[0]);
        assertEquals(2.5f, out[1]);
        assertEquals(-0.5f, out[2], "NaN takes the default (left) direction");
        assertTrue(m.capability(TreeEnsemble.class).isPresent());
    }

    @Test
    void refusesUnsupportedObjectivesAndVersionsNamingThem() {
        ModelLoadException o = assertThrows(ModelLoadException.class, () -> xgboost("reg:gamma", "[1, 7, 4]"));
        assertTrue(o.getMessage().contains("reg:gamma") && o.getMessage().contains("binary:logistic"), o.getMessage());
        ModelLoadException v = assertThrows(ModelLoadException.class, () -> xgboost("reg:squarederror", "[0, 90, 0]"));
        assertTrue(v.getMessage().contains("[0, 90, 0]"), v.getMessage());
        ModelLoadException s = assertThrows(ModelLoadException.class, () -> xgboost("multi:softmax", "[1, 7, 4]"));
        assertTrue(s.getMessage().contains("multi:softprob"), s.getMessage());
    }

    @Test
    void readsLightGbmTextAndRefusesItsUnsupportedObjectives() throws Exception {
        String text = """
                tree
                version=v3
                num_class=1
                num_tree_per_iteration=1
                label_index=0
                max_feature_idx=1
                objective=OBJ

                Tree=0
                num_leaves=2
                num_cat=0
                split_feature=1
                threshold=0.5
                decision_type=10
                left_child=-1
                right_child=-2
                leaf_value=-1 2
                leaf_count=4 6
                internal_value=0
                internal_count=10
                is_linear=0
                shrinkage=1


                end of trees
                """;
        Path p = dir.resolve("m.txt");
        Files.writeString(p, text.replace("OBJ", "binary sigmoid:1"));
        ForwardModel m = TreeModels.load(p);
        assertEquals("lightgbm", m.info().format());
        float[] margin = ((TreeEnsembleModel) m).margins()
                .forward(Tensor.of(new float[] {0, 0.5f, 0, 0.6f, 0, Float.NaN}, 3, 2)).data();
        assertEquals(-1f, margin[0], "x <= threshold goes left");
        assertEquals(2f, margin[1]);
        assertEquals(-1f, margin[2], "decision_type 10: missing_type NaN, default left");
        Files.writeString(p, text.replace("OBJ", "poisson"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TreeModels.load(p));
        assertTrue(e.getMessage().contains("poisson"), e.getMessage());
    }

    @Test
    void anInputOfTheWrongWidthSaysBothNumbers() throws Exception {
        ForwardModel m = xgboost("binary:logistic", "[1, 7, 4]");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> m.forward(Tensor.zeros(Shape.of(2, 5))));
        assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("2 features"), e.getMessage());
    }

    @Test
    void ubjsonTypedArraysAndStrings() {
        byte[] b = {'{', 'i', 1, 'a', '[', '$', 'd', '#', 'i', 2, 0x3f, (byte) 0x80, 0, 0, 0x40, 0, 0, 0,
            'i', 1, 's', 'S', 'i', 2, 'h', 'i', '}'};
        var m = (java.util.Map<?, ?>) Ubjson.parse(b, "test");
        assertEquals(2.0, ((double[]) m.get("a"))[1]);
        assertEquals("hi", m.get("s"));
        assertEquals(TreeModels.Format.XGBOOST_UBJSON, TreeModels.detect(b));
    }
}
