package io.attrib4j.attention;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Map;

/**
 * The answer of a rollout: the rollout maps {@code R [batch, seq, seq]} (query rows, key columns) and
 * what produced them. {@link #tokenRelevance(TokenPooling)} turns a map into one relevance per token.
 */
public final class RolloutResult {
    private final Tensor rollout;
    private final Provenance provenance;

    private RolloutResult(Tensor rollout, Provenance provenance) {
        this.rollout = rollout;
        this.provenance = provenance;
    }

    /**
     * Wraps a finished rollout block {@code [batch, seq, seq]} with the provenance of {@code run}: the method's
     * spec, the target, the model the attention came from and the backend that computed it.
     */
    static RolloutResult of(MethodRun run, TokenRollout method, Tensor rollout, Target target, ForwardModel model,
            Backend backend) {
        return new RolloutResult(rollout, run.provenance(method, Map.of(), target, model, backend));
    }

    /** The rollout maps, {@code [batch, seq, seq]}: row {@code i} says how much each token flows into token {@code i}. */
    public Tensor rollout() {
        return rollout;
    }

    /**
     * One relevance per token, {@code [batch, seq]}: row 0 of the rollout for {@link TokenPooling#CLS},
     * the mean over query rows for {@link TokenPooling#MEAN}.
     */
    public Tensor tokenRelevance(TokenPooling pooling) {
        if (pooling == null) {
            throw new InvalidOptionException("pooling is null; choose TokenPooling.CLS or TokenPooling.MEAN");
        }
        int batch = rollout.shape().dim(0);
        int seq = rollout.shape().dim(1);
        return Tensor.of(Rollout.tokenRelevance(rollout.data(), batch, seq, pooling), batch, seq);
    }

    public Provenance provenance() {
        return provenance;
    }

    @Override
    public String toString() {
        return provenance.method() + " rollout " + rollout.shape();
    }
}
