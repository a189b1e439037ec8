package io.attrib4j.perturbation;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Feature groups given by a feature mask (Captum's {@code feature_mask}): elements of an example with the
 * same integer id form one group, perturbed together. The mask has the input's shape, one row of it
 * ({@code [1, ...]}) or the example shape; any of its dimensions may be 1 to broadcast. Without a mask
 * every element is its own group. Groups are numbered {@code 0..count-1} in increasing id order.
 */
final class FeatureGroups {
    private final int[][] groupOf; // [example][element] -> group number
    private final int[][][] members; // [example][group] -> element indices
    private final int count;

    private FeatureGroups(int[][] groupOf, int count) {
        this.groupOf = groupOf;
        this.count = count;
        this.members = new int[groupOf.length][][];
        for (int i = 0; i < groupOf.length; i++) {
            int[] sizes = new int[count];
            for (int g : groupOf[i]) {
                sizes[g]++;
            }
            members[i] = new int[count][];
            for (int g = 0; g < count; g++) {
                members[i][g] = new int[sizes[g]];
            }
            int[] fill = new int[count];
            for (int j = 0; j < groupOf[i].length; j++) {
                int g = groupOf[i][j];
                members[i][g][fill[g]++] = j;
            }
        }
    }

    /** The groups of {@code input}'s examples under {@code mask}, or one group per element when it is null. */
    static FeatureGroups of(Tensor mask, Tensor input) {
        int n = input.batch();
        int rs = input.rowSize();
        if (mask == null) {
            int[] ids = new int[rs];
            Arrays.setAll(ids, j -> j);
            int[][] groupOf = new int[n][];
            Arrays.fill(groupOf, ids);
            return new FeatureGroups(groupOf, rs);
        }
        float[] ids = broadcast(mask, input.shape());
        TreeMap<Float, Integer> numbers = new TreeMap<>();
        for (int e = 0; e < ids.length; e++) {
            if (ids[e] != Math.rint(ids[e])) {
                throw new InvalidInputException("feature mask holds " + ids[e] + " at " + e
                        + "; a feature mask holds whole-number group ids (Tensor.ofInt64)");
            }
            numbers.put(ids[e], 0);
        }
        int g = 0;
        for (var entry : numbers.entrySet()) {
            entry.setValue(g++);
        }
        int[][] groupOf = new int[n][rs];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rs; j++) {
                groupOf[i][j] = numbers.get(ids[i * rs + j]);
            }
        }
        return new FeatureGroups(groupOf, g);
    }

    /** The mask's values broadcast to {@code shape}. */
    private static float[] broadcast(Tensor mask, Shape shape) {
        Shape m = mask.shape();
        if (m.rank() == shape.rank() - 1) {
            m = m.prependBatch(1);
        }
        boolean fits = m.rank() == shape.rank();
        for (int a = 0; fits && a < m.rank(); a++) {
            fits = m.dim(a) == shape.dim(a) || m.dim(a) == 1;
        }
        if (!fits) {
            throw new InvalidInputException("feature mask shape " + mask.shape() + " does not fit input shape " + shape
                    + "; give a mask of shape " + shape + ", " + shape.withBatch(1) + " or " + shape.dropBatch()
                    + " (dimensions of size 1 broadcast)");
        }
        float[] src = mask.data();
        float[] out = new float[shape.size()];
        int rank = shape.rank();
        int[] idx = new int[rank];
        for (int e = 0; e < out.length; e++) {
            int flat = 0;
            for (int a = 0; a < rank; a++) {
                flat = flat * m.dim(a) + (m.dim(a) == 1 ? 0 : idx[a]);
            }
            out[e] = src[flat];
            for (int a = rank - 1; a >= 0 && ++idx[a] == shape.dim(a); a--) {
                idx[a] = 0;
            }
        }
        return out;
    }

    /** Number of groups (interpretable features). */
    int count() {
        return count;
    }

    /** The elements of group {@code g} in example {@code i} (empty when the example has none). */
    int[] members(int example, int g) {
        return members[example][g];
    }

    /** Writes the baseline into every element of example {@code i} whose group is off in {@code on}. */
    void ablateOff(boolean[] on, int example, float[] base, float[] rows, int offset) {
        int[] groups = groupOf[example];
        int b0 = example * groups.length;
        for (int j = 0; j < groups.length; j++) {
            if (!on[groups[j]]) {
                rows[offset + j] = base[b0 + j];
            }
        }
    }

    /** One value per group for each example, spread to every element of the group: {@code [N, ...]}. */
    Tensor spread(double[][] perGroup, Shape shape) {
        int rs = shape.rowSize();
        float[] out = new float[shape.size()];
        for (int i = 0; i < groupOf.length; i++) {
            for (int j = 0; j < rs; j++) {
                out[i * rs + j] = (float) perGroup[i][groupOf[i][j]];
            }
        }
        return Tensor.of(out, shape);
    }
}
