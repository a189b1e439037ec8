package io.attrib4j.probing;

/**
 * Per-feature standardization {@code z = (x - mean) / std}, fitted on training rows only. A constant
 * feature (std 0) is centred and left unscaled (std taken as 1).
 */
final class Standardizer {
    final double[] mean;
    final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    static Standardizer fit(double[][] x) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= x.length;
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / x.length);
            if (!(std[j] > 1e-12)) {
                std[j] = 1;
            }
        }
        return new Standardizer(mean, std);
    }

    double[][] apply(double[][] x) {
        double[][] z = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                z[i][j] = (x[i][j] - mean[j]) / std[j];
            }
        }
        return z;
    }
}
