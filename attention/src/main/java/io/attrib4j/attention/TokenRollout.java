package io.attrib4j.attention;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rollout as an {@link AttributionMethod} on token ids: captures the attention of an
 * {@link AttentionModel} (and, for {@link GradientWeightedRollout}, its gradient for the target), rolls
 * it out, and pools the rollout {@code R [batch, seq, seq]} into one relevance per token
 * ({@link TokenPooling}: row 0 for a [CLS] classifier, the mean over query rows for a mean-pooled one).
 * The attribution's values are that relevance, {@code [batch, seq]}; {@link #rollout} gives the maps.
 * Use it to put rollouts beside gradient methods (same call, same result type).
 */
public final class TokenRollout implements AttributionMethod {
    private final AttentionRollout plain; // exactly one of plain and weighted is set
    private final GradientWeightedRollout weighted;
    private final TokenPooling pooling;

    private TokenRollout(AttentionRollout plain, GradientWeightedRollout weighted, TokenPooling pooling) {
        this.plain = plain;
        this.weighted = weighted;
        this.pooling = pooling;
    }

    /** Abnar &amp; Zuidema's rollout with the given options, pooled by {@code pooling}. */
    public static TokenRollout attention(AttentionRollout rollout, TokenPooling pooling) {
        return new TokenRollout(require(rollout, "rollout"), null, require(pooling, "pooling"));
    }

    /** Chefer et al.'s gradient-weighted rollout on the default backend, pooled by {@code pooling}. */
    public static TokenRollout gradientWeighted(TokenPooling pooling) {
        return gradientWeighted(GradientWeightedRollout.create(), pooling);
    }

    /** Chefer et al.'s gradient-weighted rollout (with its backend), pooled by {@code pooling}. */
    public static TokenRollout gradientWeighted(GradientWeightedRollout rollout, TokenPooling pooling) {
        return new TokenRollout(null, require(rollout, "rollout"), require(pooling, "pooling"));
    }

    @Override
    public String name() {
        return plain == null ? "GradientWeightedRollout" : "AttentionRollout";
    }

    /** The rollout maps {@code [batch, seq, seq]} of {@code ids}. */
    public RolloutResult rollout(ForwardModel model, Tensor ids, Target target) {
        AttentionModel m = requireAttention(model);
        if (plain != null) {
            return plain.rollout(m.attention(ids));
        }
        target.validateBatch(ids.batch());
        AttentionGradients g = m.attentionGradients(ids, target);
        return weighted.rollout(g.attention(), g.gradient());
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor ids, Target target) {
        RolloutResult r = rollout(model, ids, target);
        Provenance p = r.provenance();
        Map<String, Object> parameters = new LinkedHashMap<>(p.parameters());
        parameters.put("pooling", pooling.name());
        Provenance withModel = new Provenance(p.method(), parameters, plain == null ? target.describe() : p.target(),
                model.info().name(), model.info().format(), model.info().contentHash(), p.backend(), null,
                p.libraryVersion(), p.timing(), p.createdAt());
        return new Attribution(r.tokenRelevance(pooling), null, withModel);
    }

    private static AttentionModel requireAttention(ForwardModel model) {
        if (model instanceof AttentionModel a) {
            return a;
        }
        throw new UnsupportedModelException("model '" + model.info().name() + "' does not expose its attention; "
                + "rollouts need an AttentionModel: a TorchScript model returning its attention probabilities as an "
                + "extra output (CLI: --attention-output K), or a DJL-block transformer such as zoo:transformer");
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new InvalidOptionException(what + " is null; pass a value (TokenPooling.CLS or MEAN for pooling)");
        }
        return value;
    }
}
