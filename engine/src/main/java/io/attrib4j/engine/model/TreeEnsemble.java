package io.attrib4j.engine.model;

/**
 * Capability of a model that is a tree ensemble (XGBoost, LightGBM, ONNX-ML trees): its trees as a format-free
 * {@link Forest}, so tree algorithms (TreeSHAP and its relatives) never see a file format. Ask for it with
 * {@code model.capability(TreeEnsemble.class)}.
 */
public interface TreeEnsemble {

    /** The ensemble's trees, base margins and output transform. */
    Forest forest();
}
