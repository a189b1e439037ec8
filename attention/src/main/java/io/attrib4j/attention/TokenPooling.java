package io.attrib4j.attention;

/**
 * How a rollout matrix {@code R [seq, seq]} (query rows, key columns) becomes one relevance per token,
 * matching the pooling of the classifier on top of the transformer.
 */
public enum TokenPooling {
    /** The classifier reads the first token ([CLS]): relevance is row 0, {@code R[0, :]}. */
    CLS,
    /** The classifier mean-pools the tokens: relevance is the mean over query rows, {@code mean_i R[i, :]}. */
    MEAN
}
