package io.attrib4j.engine.model;

import java.util.List;

/**
 * A tree ensemble as a value: the trees, how many features they read, how many output groups (classes) they
 * feed, the base margin of each group and the output transform. The margin of group {@code g} is
 * {@code baseMargin[g] + scale * sum of the leaf values the row reaches that feed g}; the prediction is
 * {@code transform(margin)}. {@code scale} is 1 for boosting and {@code 1 / trees} for averaged forests.
 *
 * @param trees the trees
 * @param features number of input features (the input width)
 * @param groups number of output groups
 * @param baseMargin per group, added before the transform
 * @param scale factor on every leaf value (1 for boosting, 1/trees for averaged forests)
 * @param transform margin to prediction
 */
public record Forest(List<DecisionTree> trees, int features, int groups, double[] baseMargin, double scale,
        OutputTransform transform) {

    public Forest {
        trees = List.copyOf(trees);
        baseMargin = baseMargin.clone();
        if (baseMargin.length != groups) {
            throw new IllegalArgumentException("baseMargin has " + baseMargin.length + " entries for " + groups
                    + " groups");
        }
        for (DecisionTree t : trees) {
            if (t.firstGroup() + t.width() > groups) {
                throw new IllegalArgumentException("a tree feeds group " + (t.firstGroup() + t.width() - 1)
                        + " of a " + groups + "-group ensemble");
            }
            if (t.maxFeature() >= features) {
                throw new IllegalArgumentException("a tree splits on feature " + t.maxFeature() + " of a "
                        + features + "-feature ensemble");
            }
        }
    }

    @Override
    public double[] baseMargin() {
        return baseMargin.clone();
    }

    /** Base margin of group {@code g}. */
    public double baseMargin(int g) {
        return baseMargin[g];
    }

    /** Whether every tree carries covers (the path-dependent TreeSHAP needs them). */
    public boolean hasCovers() {
        return trees.stream().allMatch(DecisionTree::hasCovers);
    }

    /** The margins of row {@code x} (features from {@code offset}) into {@code out} (length {@link #groups}). */
    public void margins(float[] x, int offset, double[] out) {
        System.arraycopy(baseMargin, 0, out, 0, groups);
        for (DecisionTree t : trees) {
            int leaf = t.leaf(x, offset);
            for (int k = 0; k < t.width(); k++) {
                out[t.firstGroup() + k] += scale * t.value(leaf, k);
            }
        }
    }
}
