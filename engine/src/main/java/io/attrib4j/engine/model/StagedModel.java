package io.attrib4j.engine.model;

import java.util.List;

/**
 * A model whose computation is a visible chain of {@link Stage}s: {@code F = s_k ∘ ... ∘ s_1}. DeepLIFT
 * needs this view, because it replaces the gradient of each nonlinearity by a finite-difference
 * multiplier. Models whose graph is hidden (a TorchScript file) do not implement it.
 */
public interface StagedModel extends GradientModel {

    /** The stages in forward order; applying them in turn to an input batch gives the model output. */
    List<Stage> stages();
}
