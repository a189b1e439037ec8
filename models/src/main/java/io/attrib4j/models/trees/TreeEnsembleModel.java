package io.attrib4j.models.trees;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.Forest;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.TreeEnsemble;

/**
 * A tree ensemble (XGBoost, LightGBM, ONNX-ML) as a model: plain Java, no native library, thread-safe.
 *
 * <p>{@link #forward} gives the producing library's prediction, {@code [rows, groups]}: the probability for a
 * classifier (XGBoost {@code predict()}, LightGBM {@code predict()}, ONNX's probabilities), the value for a
 * regressor. {@link #margins()} is the same model answering raw margins (XGBoost
 * {@code output_margin=True}, LightGBM {@code raw_score=True}), the units TreeSHAP explains. Missing values are
 * NaN in the input and take each node's default direction.
 */
public final class TreeEnsembleModel implements ForwardModel, TreeEnsemble {
    private final Forest forest;
    private final ModelInfo info;
    private final boolean margins;

    TreeEnsembleModel(Forest forest, ModelInfo info, boolean margins) {
        this.forest = forest;
        this.info = info.withExampleShape(Shape.of(forest.features()));
        this.margins = margins;
    }

    /** A model over {@code forest} with the given name, format and content hash (for provenance). */
    public static TreeEnsembleModel of(Forest forest, String name, String format, String contentHash) {
        return new TreeEnsembleModel(forest, ModelInfo.of(name, format, contentHash), false);
    }

    /** This model answering margins (before the output transform) instead of predictions. */
    public TreeEnsembleModel margins() {
        return margins ? this : new TreeEnsembleModel(forest, info, true);
    }

    /** Whether {@link #forward} answers margins. */
    public boolean answersMargins() {
        return margins;
    }

    @Override
    public Forest forest() {
        return forest;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /**
     * @param input {@code [rows, features]}, NaN for a missing value
     * @return {@code [rows, groups]} predictions (or margins, see {@link #margins()})
     * @throws io.attrib4j.engine.InvalidInputException when the input is not {@code [rows, features]}
     */
    @Override
    public Tensor forward(Tensor input) {
        int f = forest.features();
        TreeModels.checkWidth(input, f, info.name());
        int n = input.batch();
        int g = forest.groups();
        float[] out = new float[n * g];
        double[] m = new double[g];
        float[] x = input.data();
        for (int i = 0; i < n; i++) {
            forest.margins(x, i * f, m);
            if (!margins) {
                forest.transform().apply(m);
            }
            for (int k = 0; k < g; k++) {
                out[i * g + k] = (float) m[k];
            }
        }
        return Tensor.of(out, n, g);
    }

    @Override
    public void close() {
        // plain Java: nothing to release
    }
}
