package io.attrib4j.recourse;

/**
 * Confidence bounds of a Bernoulli mean from the KL divergence, as KL-LUCB uses them (Kaufmann and
 * Kalyanakrishnan, "Information Complexity in Bandit Subset Selection", COLT 2013):
 * <pre>
 * KL(p || q) = p log(p / q) + (1 - p) log((1 - p) / (1 - q))
 * upper(p, level) = max { q in [p, 1] : KL(p || q) &lt;= level }     level = beta / n
 * lower(p, level) = min { q in [0, p] : KL(p || q) &lt;= level }
 * </pre>
 * found by 16 bisection steps from Hoeffding's bound {@code p +- sqrt(level / 2)}, as alibi does.
 */
final class KlBounds {
    private static final int STEPS = 16;

    private KlBounds() {}

    static double kl(double p, double q) {
        double e = 1e-7;
        p = Math.min(Math.max(p, e), 1 - e);
        q = Math.min(Math.max(q, e), 1 - e);
        return p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
    }

    static double upper(double p, double level) {
        return bisect(p, Math.min(p + Math.sqrt(level / 2), 1.0), level);
    }

    static double lower(double p, double level) {
        return bisect(p, Math.max(p - Math.sqrt(level / 2), 0.0), level);
    }

    /** The point between {@code p} (inside: KL 0) and {@code outside} where KL(p || q) reaches the level. */
    private static double bisect(double p, double outside, double level) {
        double in = p;
        double out = outside;
        for (int i = 0; i < STEPS; i++) {
            double q = (in + out) / 2;
            if (kl(p, q) > level) {
                out = q;
            } else {
                in = q;
            }
        }
        return out;
    }

    /** The exploration rate of KL-LUCB round {@code t} over {@code arms} arms (alibi's constants 405.5 and 1.1). */
    static double beta(int arms, int t, double delta) {
        double v = Math.log(405.5 * arms * Math.pow(t, 1.1) / delta);
        return v + Math.log(v);
    }
}
