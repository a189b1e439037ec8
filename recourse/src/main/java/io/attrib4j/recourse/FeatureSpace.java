package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tabular training data as the recourse methods see it: the rows [n, d], each feature's name, and the
 * statistics the methods share, computed once: the median, the median absolute deviation (MAD) and the
 * observed range of every feature.
 *
 * <pre>
 * MAD_j      = median_i |x_ij - median_i x_ij|        (1 where that is 0, as DiCE's get_valid_mads does)
 * dist(a, b) = sum_j |a_j - b_j| / MAD_j              the MAD-scaled L1 distance (DiCE's inverse_mad weights)
 * </pre>
 *
 * Immutable; the rows are copied in.
 */
public final class FeatureSpace {
    private final float[][] rows;
    private final List<String> names;
    private final double[] median;
    private final double[] mad;
    private final double[] min;
    private final double[] max;
    private final List<String> classNames;

    private FeatureSpace(float[][] rows, List<String> names, List<String> classNames) {
        this.rows = rows;
        this.names = List.copyOf(names);
        this.classNames = List.copyOf(classNames);
        int d = names.size();
        median = new double[d];
        mad = new double[d];
        min = new double[d];
        max = new double[d];
        double[] column = new double[rows.length];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][j];
            }
            median[j] = median(column.clone());
            double[] dev = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                dev[i] = Math.abs(column[i] - median[j]);
            }
            double m = median(dev);
            mad[j] = m > 0 ? m : 1.0;
            min[j] = Arrays.stream(column).min().orElse(0);
            max[j] = Arrays.stream(column).max().orElse(0);
        }
    }

    private FeatureSpace(FeatureSpace s, List<String> classNames) {
        rows = s.rows;
        names = s.names;
        median = s.median;
        mad = s.mad;
        min = s.min;
        max = s.max;
        this.classNames = List.copyOf(classNames);
    }

    /** The same data with names for the model's classes, used in narratives and rules ("benign"). */
    public FeatureSpace withClassNames(List<String> names) {
        return new FeatureSpace(this, names);
    }

    /** The name of class {@code c}, or "class c" when it has none. */
    public String className(int c) {
        return c >= 0 && c < classNames.size() ? classNames.get(c) : "class " + c;
    }

    /** The rows of a 2-D tensor [n, d] with the names {@code f0 .. f(d-1)}. */
    public static FeatureSpace of(Tensor rows) {
        return of(rows, null);
    }

    /**
     * The rows of a 2-D tensor [n, d] with their feature names.
     *
     * @param names one per column, or {@code null} for {@code f0 .. f(d-1)}
     * @throws InvalidInputException when the tensor is not 2-D, empty, holds NaN or infinity, or the names
     *     do not match its columns
     */
    public static FeatureSpace of(Tensor rows, List<String> names) {
        if (rows.shape().rank() != 2 || rows.batch() == 0) {
            throw new InvalidInputException("training data has shape " + rows.shape()
                    + "; give a non-empty 2-D array [rows, features]");
        }
        int d = rows.rowSize();
        if (names != null && names.size() != d) {
            throw new InvalidInputException(names.size() + " feature names for " + d
                    + " columns; give one name per column, or none");
        }
        float[][] r = new float[rows.batch()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = Arrays.copyOfRange(rows.data(), i * d, (i + 1) * d);
            requireFinite(r[i], "training row " + i);
        }
        List<String> n = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            n.add(names == null ? "f" + j : names.get(j));
        }
        return new FeatureSpace(r, n, List.of());
    }

    /** Rejects NaN and infinite values, naming where they are. */
    static void requireFinite(float[] row, String what) {
        for (int j = 0; j < row.length; j++) {
            if (!Float.isFinite(row[j])) {
                throw new InvalidInputException(what + " has " + row[j] + " at feature " + j
                        + "; replace missing values before explaining");
            }
        }
    }

    /** Checks that {@code row} has one value per feature and no NaN; returns a copy. */
    float[] checkRow(float[] row, String what) {
        if (row.length != features()) {
            throw new InvalidInputException(what + " has " + row.length + " values but the training data has "
                    + features() + " features");
        }
        requireFinite(row, what);
        return row.clone();
    }

    public int features() {
        return names.size();
    }

    public int size() {
        return rows.length;
    }

    public List<String> names() {
        return names;
    }

    public String name(int feature) {
        return names.get(feature);
    }

    /** Row {@code i} (not a copy: read it, never write it). */
    float[] row(int i) {
        return rows[i];
    }

    /** All rows as a tensor [n, d]. */
    public Tensor tensor() {
        return stack(Arrays.asList(rows));
    }

    public double median(int feature) {
        return median[feature];
    }

    /** The median absolute deviation of a feature, 1 where the data give 0. */
    public double mad(int feature) {
        return mad[feature];
    }

    public double min(int feature) {
        return min[feature];
    }

    public double max(int feature) {
        return max[feature];
    }

    /** {@code sum_j |a_j - b_j| / MAD_j}. */
    public double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += Math.abs(a[j] - b[j]) / mad[j];
        }
        return s;
    }

    /** The mean MAD-L1 distance from {@code x} to its {@code k} nearest training rows (exact scan). */
    public double meanNearestDistance(float[] x, int k) {
        int kk = Math.min(k, rows.length);
        double[] best = new double[kk];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (float[] r : rows) {
            double dist = distance(x, r);
            if (dist < best[kk - 1]) {
                int p = kk - 1;
                while (p > 0 && best[p - 1] > dist) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = dist;
            }
        }
        return Arrays.stream(best).average().orElse(0);
    }

    /** Rows stacked into a tensor [rows.size(), d]. */
    static Tensor stack(List<float[]> rows) {
        int d = rows.get(0).length;
        float[] data = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, data, i * d, d);
        }
        return Tensor.of(data, rows.size(), d);
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
