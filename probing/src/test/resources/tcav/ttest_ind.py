"""Writes ttest_ind.json: SciPy's two-sided ttest_ind (pooled variance, the test the reference TCAV uses)
on TCAV-like score vectors, for TcavTest.

Run with Debian's interpreter and python3-scipy:  /usr/bin/python3 ttest_ind.py
Scores are fractions k/n as TCAV produces them (n class inputs); the cases cover R = 3..20 random sets,
unequal sample sizes, p-values from ~1 down to ~1e-30 (where 1 - cdf loses every digit) and the two
degenerate cases (both samples constant: NaN for equal means, 0 for different ones, as SciPy returns).
"""
import json

import numpy as np
import scipy
import scipy.stats as st

rng = np.random.default_rng(20261204)
cases = []


def add(name, a, b):
    r = st.ttest_ind(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    p = float(r.pvalue)
    cases.append({"name": name, "a": [float(v) for v in a], "b": [float(v) for v in b],
                  "p": None if np.isnan(p) else p, "t": float(r.statistic) if np.isfinite(r.statistic) else str(r.statistic)})


add("hand", [0.9, 0.8, 1.0, 0.95], [0.5, 0.2, 0.7, 0.4, 0.6])
for r_sets, n_class, concept_p, random_p in [(10, 50, 0.52, 0.5), (10, 50, 0.6, 0.5), (10, 50, 0.8, 0.5),
                                             (10, 50, 0.97, 0.5), (20, 200, 0.99, 0.5), (5, 20, 0.7, 0.45),
                                             (3, 11, 0.6, 0.4), (20, 100, 0.3, 0.5)]:
    a = rng.binomial(n_class, concept_p, r_sets) / n_class
    b = rng.binomial(n_class, random_p, r_sets) / n_class
    add(f"R{r_sets}_n{n_class}_{concept_p}_vs_{random_p}", a, b)
add("unequal_sizes", rng.binomial(40, 0.7, 7) / 40, rng.binomial(40, 0.5, 12) / 40)
add("tiny_p", 0.95 + rng.normal(0, 0.002, 20), 0.5 + rng.normal(0, 0.01, 20))
add("constant_equal", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
add("constant_different", [1.0, 1.0, 1.0], [0.5, 0.5, 0.5])

with open("ttest_ind.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
