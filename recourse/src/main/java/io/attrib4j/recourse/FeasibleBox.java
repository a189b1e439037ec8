package io.attrib4j.recourse;

import io.attrib4j.recourse.Constraints.Direction;
import io.attrib4j.recourse.Constraints.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@link Constraints} of one row turned into what a search needs: per feature the interval a changed value
 * may take (the constraint's range, cut at the row's value by a monotone direction, and cut to the training
 * data's range so the search stays near the data), its grid, and the units a search changes together (single
 * features, and one-hot groups). A unit whose interval is empty or that is immutable is fixed.
 *
 * <p>Two projections: {@link #clip} (continuous relaxation, used between gradient steps) and {@link #snap}
 * (onto the feasible set itself: grid points, one-hot vectors). {@code snap} of anything satisfies
 * {@link Constraints#violations}.
 */
final class FeasibleBox {
    private final float[] row;
    private final double[] lo;
    private final double[] hi;
    private final double[] step;
    private final double[] base;
    private final List<int[]> units = new ArrayList<>();
    private final List<int[]> free = new ArrayList<>();
    private final boolean[] group;
    private final boolean[] fixed;

    FeasibleBox(Constraints c, float[] row, FeatureSpace space) {
        int d = row.length;
        this.row = row;
        lo = new double[d];
        hi = new double[d];
        step = new double[d];
        base = new double[d];
        group = new boolean[d];
        fixed = new boolean[d];
        for (List<Integer> g : c.oneHotGroups()) {
            int[] u = g.stream().mapToInt(Integer::intValue).toArray();
            boolean frozen = false;
            for (int j : u) {
                group[j] = true;
                frozen |= c.isImmutable(j);
                lo[j] = 0;
                hi[j] = 1;
            }
            add(u, frozen);
        }
        for (int j = 0; j < d; j++) {
            if (group[j]) {
                continue;
            }
            Rule r = c.rule(j);
            double l = Math.max(r.min(), space.min(j));
            double h = Math.min(r.max(), space.max(j));
            if (r.direction() == Direction.INCREASE) {
                l = Math.max(l, row[j]);
            } else if (r.direction() == Direction.DECREASE) {
                h = Math.min(h, row[j]);
            }
            step[j] = r.step();
            base[j] = Constraints.base(r);
            boolean frozen = r.immutable() || l > h;
            if (!frozen && step[j] > 0) {
                double kmin = Math.ceil((l - base[j]) / step[j] - 1e-9);
                double kmax = Math.floor((h - base[j]) / step[j] + 1e-9);
                frozen = kmin > kmax;
                l = base[j] + kmin * step[j];
                h = base[j] + kmax * step[j];
            }
            // the values are floats: keep the interval's float points only, so a cast never leaves it
            float lf = (float) l;
            float hf = (float) h;
            lf = lf < l ? Math.nextUp(lf) : lf;
            hf = hf > h ? Math.nextDown(hf) : hf;
            frozen |= lf > hf || lf == hf && lf == row[j];
            lo[j] = lf;
            hi[j] = hf;
            add(new int[] {j}, frozen);
        }
    }

    private void add(int[] unit, boolean frozen) {
        units.add(unit);
        for (int j : unit) {
            fixed[j] = frozen;
        }
        if (!frozen) {
            free.add(unit);
        }
    }

    /** The units (single features or one-hot groups) that may change. */
    List<int[]> freeUnits() {
        return free;
    }

    boolean isFixed(int j) {
        return fixed[j];
    }

    /**
     * Continuous relaxation: fixed features keep the row's value, unchanged ones stay (always allowed), the
     * others are clipped to their interval.
     */
    void clip(float[] v) {
        for (int j = 0; j < v.length; j++) {
            v[j] = fixed[j] || v[j] == row[j] ? row[j] : (float) Math.min(hi[j], Math.max(lo[j], v[j]));
        }
    }

    /** Onto the feasible set: clip, then grid points and one-hot vectors. */
    void snap(float[] v) {
        clip(v);
        for (int[] u : units) {
            if (fixed[u[0]] || !changed(v, u)) {
                continue;
            }
            if (group[u[0]]) {
                int best = u[0];
                for (int j : u) {
                    best = v[j] > v[best] ? j : best;
                }
                for (int j : u) {
                    v[j] = j == best ? 1f : 0f;
                }
            } else {
                int j = u[0];
                if (step[j] > 0) {
                    if (Math.abs(v[j] - row[j]) < step[j] / 2) {
                        v[j] = row[j];
                    } else {
                        double k = Math.rint((v[j] - base[j]) / step[j]);
                        v[j] = (float) Math.min(hi[j], Math.max(lo[j], base[j] + k * step[j]));
                    }
                }
            }
        }
    }

    /** Resets unit {@code u} of {@code v} to the row's values. */
    void reset(float[] v, int[] u) {
        for (int j : u) {
            v[j] = row[j];
        }
    }

    /** Sets unit {@code u} of {@code v} to the values of training row {@code i}, then snaps the unit. */
    void copyFrom(float[] v, int[] u, float[] donor) {
        for (int j : u) {
            v[j] = donor[j];
        }
        snap(v);
    }

    /** A uniformly drawn value of the interval for a single-feature unit (snapped). */
    void draw(float[] v, int[] u, SplittableRandom rng) {
        for (int j : u) {
            v[j] = (float) (lo[j] + rng.nextDouble() * (hi[j] - lo[j]));
        }
        snap(v);
    }

    /** Whether unit {@code u} of {@code v} differs from the row. */
    boolean changed(float[] v, int[] u) {
        for (int j : u) {
            if (v[j] != row[j]) {
                return true;
            }
        }
        return false;
    }
}
