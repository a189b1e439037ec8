package io.attrib4j.attention;

import io.attrib4j.engine.backend.HeadReduction;

/** How {@link AttentionRollout} fuses the heads of one layer into a single attention matrix. */
public enum HeadFusion {
    /** Element-wise mean over heads (Abnar &amp; Zuidema's choice, the default). */
    MEAN(HeadReduction.MEAN),
    /** Element-wise maximum over heads. */
    MAX(HeadReduction.MAX),
    /** Element-wise minimum over heads. */
    MIN(HeadReduction.MIN);

    private final HeadReduction reduction;

    HeadFusion(HeadReduction reduction) {
        this.reduction = reduction;
    }

    /** The backend's name for this fusion ({@link io.attrib4j.engine.backend.Backend#fuseHeads}). */
    HeadReduction reduction() {
        return reduction;
    }
}
