package io.attrib4j.attention;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;

/**
 * A rollout as an {@link AttributionMethod} on token ids: captures the attention of a model with the
 * {@link AttentionModel} capability (and, for {@link GradientWeightedRollout}, its gradient for the target),
 * rolls it out, and pools the rollout {@code R [batch, seq, seq]} into one relevance per token
 * ({@link TokenPooling}: row 0 for a [CLS] classifier, the mean over query rows for a mean-pooled one).
 * The attribution's values are that relevance, {@code [batch, seq]}; {@link #rollout} gives the maps.
 * Use it to put rollouts beside gradient methods (same call, same result type).
 *
 * <p>The two rollouts are the two implementations, each with its own options record (spec names
 * {@code rollout} and {@code grad-rollout}); the factories here are shorthands for their builders.
 */
public sealed interface TokenRollout extends AttributionMethod permits AttentionRollout, GradientWeightedRollout {

    /** How the rollout becomes one relevance per token. */
    TokenPooling pooling();

    /** The rollout maps {@code [batch, seq, seq]} of {@code ids}, with this run's provenance. */
    RolloutResult rollout(ForwardModel model, Tensor ids, Target target);

    /** The pooled rollout, {@code [batch, seq]}, with the provenance of the rollout. */
    @Override
    default Attribution attribute(ForwardModel model, Tensor ids, Target target) {
        RolloutResult r = rollout(model, ids, target);
        return new Attribution(r.tokenRelevance(pooling()), null, r.provenance());
    }

    /** Abnar &amp; Zuidema's rollout with the given options, pooled by {@code pooling}. */
    static TokenRollout attention(AttentionRollout rollout, TokenPooling pooling) {
        return require(rollout, "rollout").withPooling(require(pooling, "pooling"));
    }

    /** Chefer et al.'s gradient-weighted rollout on the default backend, pooled by {@code pooling}. */
    static TokenRollout gradientWeighted(TokenPooling pooling) {
        return gradientWeighted(GradientWeightedRollout.create(), pooling);
    }

    /** Chefer et al.'s gradient-weighted rollout (with its backend), pooled by {@code pooling}. */
    static TokenRollout gradientWeighted(GradientWeightedRollout rollout, TokenPooling pooling) {
        return require(rollout, "rollout").withPooling(require(pooling, "pooling"));
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new InvalidOptionException(what + " is null; pass a value (TokenPooling.CLS or MEAN for pooling)");
        }
        return value;
    }
}
