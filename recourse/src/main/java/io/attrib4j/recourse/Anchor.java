package io.attrib4j.recourse;

import java.util.List;
import java.util.Locale;

/**
 * An anchor: predicates on a few features under which the model keeps its prediction for the row.
 *
 * @param features the anchored features, in the order the search added them
 * @param predicates each feature's predicate in words ("worst radius &gt; 0.67"), same order
 * @param prediction the model's class for the row, which the anchor holds
 * @param className its name
 * @param precision estimated P(model gives {@code prediction} | the predicates hold), under the perturbation
 *     distribution (training rows with the anchored features redrawn from the row's bins)
 * @param precisionLowerBound the KL lower confidence bound of the precision, at level 1 - delta
 * @param coverage fraction of training rows (of the coverage sample) where the predicates hold
 * @param samples model evaluations spent on this anchor's precision
 * @param meetsThreshold whether precision &gt;= threshold and the lower bound &gt; threshold - epsilonStop; when
 *     false this is the best anchor found, which misses the threshold
 */
public record Anchor(List<Integer> features, List<String> predicates, int prediction, String className,
        double precision, double precisionLowerBound, double coverage, int samples, boolean meetsThreshold) {

    public Anchor {
        features = List.copyOf(features);
        predicates = List.copyOf(predicates);
    }

    /** "IF income &gt; 52000 AND debt &lt;= 4800 THEN approved, precision 0.97, coverage 0.21". */
    public String rule() {
        String cond = predicates.isEmpty() ? "ANY" : String.join(" AND ", predicates);
        return String.format(Locale.ROOT, "IF %s THEN %s, precision %.2f, coverage %.2f%s", cond, className, precision,
                coverage, meetsThreshold ? "" : " (below the precision threshold)");
    }
}
