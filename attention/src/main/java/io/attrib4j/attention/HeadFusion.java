package io.attrib4j.attention;

/** How {@link AttentionRollout} fuses the heads of one layer into a single attention matrix. */
public enum HeadFusion {
    /** Element-wise mean over heads (Abnar &amp; Zuidema's choice, the default). */
    MEAN,
    /** Element-wise maximum over heads. */
    MAX,
    /** Element-wise minimum over heads. */
    MIN
}
