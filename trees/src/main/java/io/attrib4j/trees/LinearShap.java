package io.attrib4j.trees;

import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LinearWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear SHAP: the exact Shapley values of a linear model's margin {@code m(x) = b + w . x} with features
 * independent of each other (interventional),
 * <pre>
 *   phi_j(x) = w_j (x_j - E[x_j]),        expected value E = b + w . E[x]
 * </pre>
 * so {@code sum(phi) + E = m(x)} exactly. For a logistic model the margin is the log-odds. Lundberg and Lee 2017,
 * "A Unified Approach to Interpreting Model Predictions" (NeurIPS), Corollary 1; shap's {@code LinearExplainer}
 * with {@code feature_perturbation="interventional"}. {@code E[x]} is the mean of a background set (or given). The
 * target picks the output (class); the convergence delta is {@code sum(phi) + E - margin} per row.
 */
public final class LinearShap extends ShapMethod<LinearShap.Options> {
    /** Name recorded in provenance. */
    public static final String NAME = "LinearShap";

    /**
     * Options of {@link LinearShap}.
     *
     * @param means {@code E[x]}, one per feature (from a background set's column means, or given)
     */
    public record Options(@Doc("E[x], one per feature (required), e.g. means=[0.1,2.5]") double[] means)
            implements MethodOptions {
        /** No means: they must be given. */
        public static final Options DEFAULTS = new Options(null);

        public Options {
            if (means != null && means.length == 0) {
                throw new InvalidOptionException("means are empty; give one mean per feature");
            }
            for (double m : means == null ? new double[0] : means) {
                if (!Double.isFinite(m)) {
                    throw new InvalidOptionException("a feature mean is " + m + "; impute missing values in the "
                            + "background first");
                }
            }
            means = means == null ? null : means.clone();
        }

        @Override
        public double[] means() {
            return means == null ? null : means.clone();
        }

        /** A builder; one of the background or the means is required. */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder of {@link Options}. */
        public static final class Builder {
            private double[] means;

            private Builder() {}

            /** The column means of {@code background} ({@code [rows, features]}) as {@code E[x]}. */
            public Builder setBackground(Tensor background) {
                if (background == null || background.shape().rank() != 2 || background.batch() == 0) {
                    throw new InvalidOptionException("background must be a non-empty [rows, features] tensor");
                }
                int f = background.shape().dim(1);
                double[] m = new double[f];
                for (int i = 0; i < background.batch(); i++) {
                    for (int j = 0; j < f; j++) {
                        m[j] += background.data()[i * f + j] / (double) background.batch();
                    }
                }
                this.means = m;
                return this;
            }

            public Builder setMeans(double[] means) {
                this.means = means;
                return this;
            }

            /** @throws InvalidOptionException without means, or with a non-finite one */
            public Options build() {
                return new Options(means);
            }
        }
    }

    /** @throws InvalidOptionException without the feature means */
    public LinearShap(Options options) {
        super(NAME, options);
        if (options.means() == null) {
            throw new InvalidOptionException("means are missing; give a background set (setBackground) or the "
                    + "feature means (setMeans, or linearshap(means=[...]))");
        }
    }

    @Override
    public MethodSpec spec() {
        return TreeMethodsProvider.LINEAR.spec(options());
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LinearWeights lin = model.capability(LinearWeights.class).orElseThrow(() -> new UnsupportedModelException(
                NAME + " needs a linear model, but model '" + model.info().name() + "' (" + model.info().format()
                        + ") does not expose linear weights; load an ONNX LinearRegressor/LinearClassifier through "
                        + "TreeModels, or use kernelshap"));
        int f = lin.features();
        TreeMethods.validateInput(model, input, f, true);
        double[] mean = options().means;
        if (mean.length != f) {
            throw new InvalidOptionException("the means have " + mean.length + " features but model '"
                    + model.info().name() + "' reads " + f);
        }
        int n = input.batch();
        int[] groups = TreeMethods.groups(target, n, lin.outputs());
        MethodRun run = new MethodRun();
        float[] x = input.data();
        double[] phi = new double[n * f];
        double[] expected = new double[n];
        double[] margin = new double[n];
        for (int i = 0; i < n; i++) {
            int g = groups[i];
            expected[i] = lin.intercept(g);
            margin[i] = lin.intercept(g);
            for (int j = 0; j < f; j++) {
                double w = lin.weight(g, j);
                phi[i * f + j] = w * (x[i * f + j] - mean[j]);
                expected[i] += w * mean[j];
                margin[i] += w * x[i * f + j];
            }
        }
        float[] delta = TreeMethods.delta(phi, f, expected, margin);
        return TreeMethods.wrap(run, this, Map.of(), TreeMethods.tensor(phi, n, f), delta, expected, target, model);
    }
}
