package io.attrib4j.engine.backend;

/** How {@link Backend#fuseHeads} reduces the heads of an attention map, element-wise. */
public enum HeadReduction {
    /** Mean over heads (in double). */
    MEAN,
    /** Maximum over heads. */
    MAX,
    /** Minimum over heads. */
    MIN
}
