package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Similar cases (case-based explanation): the k training examples nearest a row, with their labels and the model's
 * predictions, in the input space or in a layer's activation space.
 *
 * <pre>
 * NN_k(q) = the k indices i with the smallest dist(e(q), e(x_i))      (ties: lower index first)
 * e(x)    = x flattened, or the layer's activation of x flattened
 * dist    = ||a - b||_2   or   1 - a.b / (||a|| ||b||)
 * </pre>
 * An exact scan (no approximation): the index is the embedded data held in one array, built once per data set by
 * {@link #index}; each query costs one pass over it. Case-based reasoning as in Caruana et al., "Case-based
 * explanation of non-case-based learning methods", AMIA 1999, and the example-based explanations of
 * hosted explanation services. Immutable and thread-safe once built.
 */
public final class SimilarCases {
    private final SimilarCasesOptions options;
    private final ForwardModel model;
    private final int n;
    private final int dim;
    private final float[] embedded;
    private final double[] norms;
    private final int[] labels;
    private final int[] predictions;

    private SimilarCases(SimilarCasesOptions options, ForwardModel model, float[] embedded, int n, int[] labels,
            int[] predictions) {
        this.options = options;
        this.model = model;
        this.n = n;
        this.dim = embedded.length / n;
        this.embedded = embedded;
        this.labels = labels;
        this.predictions = predictions;
        norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * dim; j < (i + 1) * dim; j++) {
                s += (double) embedded[j] * embedded[j];
            }
            norms[i] = Math.sqrt(s);
        }
    }

    /**
     * Embeds and indexes {@code data} once: one batched pass of the model gives the predictions (and the
     * activations, for a layer space).
     *
     * @param labels one per row, or {@code null}
     * @throws UnsupportedModelException when a layer is asked of a model without layer access
     * @throws InvalidInputException for an empty data set, NaN, or labels that do not match the rows
     */
    public static SimilarCases index(ForwardModel model, Tensor data, int[] labels, SimilarCasesOptions options) {
        int n = data.batch();
        if (n == 0 || data.shape().rank() < 2) {
            throw new InvalidInputException("data has shape " + data.shape() + "; give a non-empty batch of rows");
        }
        if (labels != null && labels.length != n) {
            throw new InvalidInputException(labels.length + " labels for " + n + " rows; give one label per row");
        }
        for (int i = 0; i < data.size(); i++) {
            if (!Float.isFinite(data.data()[i])) {
                throw new InvalidInputException("data has " + data.data()[i] + " in row " + i / data.rowSize()
                        + "; replace missing values before indexing");
            }
        }
        LayerModel layered = options.layer() == null ? null : model.capability(LayerModel.class).orElseThrow(
                () -> new UnsupportedModelException("similar cases in layer '" + options.layer() + "' need layer "
                        + "access, but model '" + model.info().name() + "' cannot be split; search the input space"));
        int[] predicted = new int[n];
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < n; from += options.batchSize()) {
            Tensor batch = data.rows(from, Math.min(n, from + options.batchSize()));
            System.arraycopy(model.forward(batch).argmaxRows(), 0, predicted, from, batch.batch());
            parts.add(layered == null ? batch : layered.layerActivation(batch, options.layer()));
        }
        float[] embedded = parts.size() == 1 ? parts.get(0).data().clone() : Tensor.concatRows(parts).data();
        int[] l = labels == null ? filled(n) : labels.clone();
        return new SimilarCases(options, model, embedded, n, l, predicted);
    }

    private static int[] filled(int n) {
        int[] l = new int[n];
        Arrays.fill(l, -1);
        return l;
    }

    public SimilarCasesOptions options() {
        return options;
    }

    public int size() {
        return n;
    }

    /** The k nearest indexed examples of every row of {@code rows}, nearest first. */
    public List<List<SimilarCase>> query(Tensor rows) {
        Tensor e = options.layer() == null ? rows
                : model.capability(LayerModel.class).orElseThrow().layerActivation(rows, options.layer());
        if (e.rowSize() != dim) {
            throw new InvalidInputException("query rows embed to " + e.rowSize() + " values but the index holds "
                    + dim + " per example; query with rows shaped like the indexed data");
        }
        List<List<SimilarCase>> out = new ArrayList<>();
        for (int r = 0; r < e.batch(); r++) {
            out.add(nearest(Arrays.copyOfRange(e.data(), r * dim, (r + 1) * dim)));
        }
        return out;
    }

    private List<SimilarCase> nearest(float[] q) {
        int k = Math.min(options.k(), n);
        double qn = 0;
        for (float v : q) {
            qn += (double) v * v;
        }
        qn = Math.sqrt(qn);
        double[] bestD = new double[k];
        int[] bestI = new int[k];
        Arrays.fill(bestD, Double.POSITIVE_INFINITY);
        Arrays.fill(bestI, -1);
        boolean cosine = options.metric() == SimilarCasesOptions.Metric.COSINE;
        for (int i = 0; i < n; i++) {
            int off = i * dim;
            double s = 0;
            if (cosine) {
                for (int j = 0; j < dim; j++) {
                    s += (double) q[j] * embedded[off + j];
                }
                double denom = qn * norms[i];
                s = 1 - (denom == 0 ? 0 : s / denom);
            } else {
                for (int j = 0; j < dim; j++) {
                    double diff = (double) q[j] - embedded[off + j];
                    s += diff * diff;
                }
            }
            if (s < bestD[k - 1]) {
                int p = k - 1;
                while (p > 0 && bestD[p - 1] > s) {
                    bestD[p] = bestD[p - 1];
                    bestI[p] = bestI[p - 1];
                    p--;
                }
                bestD[p] = s;
                bestI[p] = i;
            }
        }
        List<SimilarCase> out = new ArrayList<>();
        for (int p = 0; p < k; p++) {
            double dist = cosine ? bestD[p] : Math.sqrt(bestD[p]);
            out.add(new SimilarCase(bestI[p], dist, labels[bestI[p]], predictions[bestI[p]]));
        }
        return out;
    }
}
