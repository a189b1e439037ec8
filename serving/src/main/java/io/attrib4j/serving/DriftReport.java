package io.attrib4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * Attribution drift of one window against the reference window, feature by feature.
 *
 * @param windowStart start of the window (ISO-8601), or {@code null} for a window given without times
 * @param referenceSize explanations in the reference
 * @param windowSize explanations in the window
 * @param features one entry per feature, in feature order
 */
public record DriftReport(String windowStart, int referenceSize, int windowSize, List<FeatureDrift> features) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DriftReport {
        features = List.copyOf(features);
    }

    /** Indices of the features whose PSI band is at least {@code band}. */
    public List<Integer> psiFlagged(PsiBand band) {
        return features.stream().filter(f -> f.psiBand().compareTo(band) >= 0).map(FeatureDrift::feature).toList();
    }

    /** Indices of the features the KS test flags. */
    public List<Integer> ksFlagged() {
        return features.stream().filter(FeatureDrift::ksDrift).map(FeatureDrift::feature).toList();
    }

    /** Indices of the features whose mean |attribution| moved past the stability threshold. */
    public List<Integer> unstable() {
        return features.stream().filter(FeatureDrift::unstable).map(FeatureDrift::feature).toList();
    }

    /** The report as indented JSON (infinite changes are written as the string "Infinity"). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a drift report holds only numbers, strings and lists", e);
        }
    }
}
