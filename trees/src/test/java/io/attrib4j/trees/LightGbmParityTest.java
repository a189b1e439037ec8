package io.attrib4j.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.trees.TreeEnsembleModel;
import io.attrib4j.models.trees.TreeModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LightGBM text loader and TreeSHAP against LightGBM 3.3.5 itself (through its JNI package): predictions,
 * raw scores and {@code pred_contrib}, on boosters trained here on a synthetic set with NaNs (features 0-3 have
 * NaNs in training, so missing_type=NaN; feature 4 has none, so missing_type=None and NaN reads as 0).
 */
class LightGbmParityTest {
    private static final int ROWS = 300;
    private static final int F = 6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"regression", "binary", "multiclass"})
    void loaderAndTreeShapEqualLightGbm(String objective) throws Exception {
        String failure = LightGbmNative.loadFailure();
        Assumptions.assumeTrue(failure == null, failure);
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[ROWS * F];
        float[] y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < F; j++) {
                x[i * F + j] = j < 4 && r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
            }
            double s = nz(x[i * F]) * 2 - nz(x[i * F + 1]) * nz(x[i * F + 2]) + Math.sin(3 * nz(x[i * F + 4]));
            y[i] = switch (objective) {
                case "regression" -> (float) (s + 0.1 * r.nextGaussian());
                case "binary" -> s + r.nextGaussian() > 0 ? 1 : 0;
                default -> s < -0.7 ? 0 : s < 0.7 ? 1 : 2;
            };
        }
        int classes = objective.equals("multiclass") ? 3 : 1;
        String params = "objective=" + objective + (classes > 1 ? " num_class=3" : "")
                + " num_leaves=8 min_data_in_leaf=5 learning_rate=0.2 verbose=-1 num_threads=1 seed=1"
                + " deterministic=true";
        try (LightGbmNative lgb = new LightGbmNative(x, ROWS, F, y, params, 15)) {
            Path file = dir.resolve("model.txt");
            String text = lgb.modelText();
            Files.writeString(file, text);
            // both missing-value rules occur: missing_type NaN (decision_type bits 2-3 = 2) and None (0)
            java.util.Set<Integer> missingTypes = new java.util.TreeSet<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("decision_type=")) {
                    for (String d : line.substring(14).split(" ")) {
                        missingTypes.add((Integer.parseInt(d) >> 2) & 3);
                    }
                }
            }
            assertEquals(java.util.Set.of(0, 2), missingTypes, "missing types in the trained trees");
            TreeEnsembleModel model = (TreeEnsembleModel) TreeModels.load(file);
            int n = 40;
            float[] rows = new float[n * F];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = r.nextInt(8) == 0 ? Float.NaN : (float) (r.nextGaussian() * 1.2);
            }
            Tensor in = Tensor.of(rows, n, F);
            double[] pred = lgb.predict(rows, n, LightGbmNative.PREDICT_NORMAL, classes);
            double[] raw = lgb.predict(rows, n, LightGbmNative.PREDICT_RAW, classes);
            double[] contrib = lgb.predict(rows, n, LightGbmNative.PREDICT_CONTRIB, classes * (F + 1));
            float[] ours = model.forward(in).data();
            float[] oursRaw = model.margins().forward(in).data();
            double scale = 1;
            for (double v : raw) {
                scale = Math.max(scale, Math.abs(v));
            }
            // LightGBM works in double; ours rounds to float32 at the output: 1e-5 of the margin scale
            double tol = 1e-5 * scale;
            for (int i = 0; i < pred.length; i++) {
                assertEquals(pred[i], ours[i], 1e-6, objective + " prediction " + i);
                assertEquals(raw[i], oursRaw[i], tol, objective + " raw score " + i);
            }
            TreeShap shap = new TreeShap(TreeShap.Options.builder().optThreads(2).build());
            for (int g = 0; g < classes; g++) {
                Attribution a = shap.attribute(model, in, Target.classIndex(g));
                for (int i = 0; i < n; i++) {
                    int base = (i * classes + g) * (F + 1);
                    for (int j = 0; j < F; j++) {
                        assertEquals(contrib[base + j], a.values().get(i, j), tol,
                                objective + " class " + g + " row " + i + " feature " + j);
                    }
                    assertEquals(contrib[base + F], TreeShap.expectedValue(model, g), tol, "expected value");
                }
            }
        }
    }

    private static double nz(float v) {
        return Float.isNaN(v) ? 0 : v;
    }
}
