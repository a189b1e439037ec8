package io.attrib4j.probing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * TCAV scores of one concept, layer and target, against {@code R} random sets.
 *
 * @param layer the layer
 * @param target the target logit, described
 * @param conceptScores the score of each concept-versus-random CAV
 * @param randomScores the score of each random-versus-random CAV
 * @param pValue two-sided two-sample t-test of {@code conceptScores} against {@code randomScores} (SciPy's
 *     {@code ttest_ind}); NaN when the experiment is not testable (every score on both sides the same)
 * @param alpha the significance level
 */
public record TcavResult(String layer, String target, double[] conceptScores, double[] randomScores, double pValue,
        double alpha) {

    public TcavResult {
        conceptScores = conceptScores.clone();
        randomScores = randomScores.clone();
    }

    @Override
    public double[] conceptScores() {
        return conceptScores.clone();
    }

    @Override
    public double[] randomScores() {
        return randomScores.clone();
    }

    /** Mean TCAV score of the concept. */
    public double mean() {
        return StudentT.mean(conceptScores);
    }

    /** Sample standard deviation of the concept's scores. */
    public double std() {
        return StudentT.sampleStd(conceptScores);
    }

    public double randomMean() {
        return StudentT.mean(randomScores);
    }

    public double randomStd() {
        return StudentT.sampleStd(randomScores);
    }

    /** {@code pValue < alpha}; not corrected for multiple tests (see {@link Tcav}); false when not testable. */
    public boolean significant() {
        return pValue < alpha;
    }

    /** Whether the t-test has an answer: false when every concept and random score is the same (p is NaN). */
    public boolean testable() {
        return !Double.isNaN(pValue);
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("layer", layer);
        o.put("target", target);
        o.put("score", mean());
        o.put("std", std());
        o.put("randomScore", randomMean());
        o.put("randomStd", randomStd());
        if (testable()) {
            o.put("pValue", pValue);
        } else {
            o.putNull("pValue"); // NaN is not JSON
        }
        o.put("testable", testable());
        o.put("alpha", alpha);
        o.put("significant", significant());
        o.put("multipleTesting", "p-value not corrected; divide alpha by the number of concept/class/layer tests");
        var c = o.putArray("conceptScores");
        for (double v : conceptScores) {
            c.add(v);
        }
        var r = o.putArray("randomScores");
        for (double v : randomScores) {
            r.add(v);
        }
        return o;
    }

    public void writeJson(Path file) {
        ProbeJson.write(file, toJson());
    }
}
