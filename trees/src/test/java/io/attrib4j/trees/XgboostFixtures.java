package io.attrib4j.trees;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.trees.TreeEnsembleModel;
import io.attrib4j.models.trees.TreeModels;
import java.nio.file.Path;

/** The XGBoost 1.7.4 fixtures of {@code src/test/resources/trees} (written by make_xgboost_fixtures.py). */
record XgboostFixtures(String name, TreeEnsembleModel model, Tensor x, Tensor margins, Tensor preds, Tensor contribs,
        Tensor interactions) {
    static final Path DIR = Path.of("src/test/resources/trees");
    static final String[] CASES = {"binary", "regression", "multiclass", "categorical"};

    static XgboostFixtures load(String name, String file) {
        Path d = DIR.resolve(name);
        return new XgboostFixtures(name, (TreeEnsembleModel) TreeModels.load(d.resolve(file)),
                Npy.read(d.resolve("X.npy")),
                Npy.read(d.resolve("margins.npy")), Npy.read(d.resolve("preds.npy")),
                Npy.read(d.resolve("contribs.npy")), Npy.read(d.resolve("interactions.npy")));
    }

    int rows() {
        return x.batch();
    }

    int features() {
        return x.shape().dim(1);
    }

    int groups() {
        return model.forest().groups();
    }

    /** XGBoost's contribution of feature j (j == features: the bias) for row i, class g. */
    float contrib(int i, int g, int j) {
        int f1 = features() + 1;
        return contribs.data()[(i * groups() + g) * f1 + j];
    }

    /** XGBoost's interaction value (j, k) for row i, class g. */
    float interaction(int i, int g, int j, int k) {
        int f1 = features() + 1;
        return interactions.data()[((i * groups() + g) * f1 + j) * f1 + k];
    }

    /**
     * The scale the 1e-5 relative tolerance applies to: the largest |margin| of the fixture rows, at least 1.
     * XGBoost computes in float32 (about 6e-8 relative per operation over tens of trees), so 1e-5 of the margin
     * scale is loose enough for its rounding and tight enough to catch any wrong weight (those move values by
     * whole percent).
     */
    double scale() {
        double m = 1;
        for (float v : margins.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
