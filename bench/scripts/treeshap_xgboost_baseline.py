"""The XGBoost side of TreeShapBenchmark (run with Debian's /usr/bin/python3, xgboost 1.7.4).

Trains the benchmark model (binary:logistic, 200 trees, max_depth 6, 40 features, 5% NaN) and writes it with
the 5,000 explained rows to OUT (default bench/target/treeshap): model.json, rows.npy; and model60.json (60 trees,
depth 4) for TreeShapLatencyBenchmark. Then times XGBoost's own
pred_contribs on those rows with nthread=2 and prints rows/s (best and median of REPEATS runs).

    /usr/bin/python3 bench/scripts/treeshap_xgboost_baseline.py [OUT]
"""
import os
import sys
import time

import numpy as np
import xgboost as xgb

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "target", "treeshap")
REPEATS = 5
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(2024)
F = 40
X = rng.normal(size=(20000, F)).astype(np.float32)
logit = X[:, :10] @ rng.normal(size=10) + np.sin(X[:, 10] * 2) * X[:, 11] + X[:, 12] * X[:, 13]
y = (logit + rng.normal(size=20000) > 0).astype(np.float32)
X[rng.random(X.shape) < 0.05] = np.nan
model_path = os.path.join(OUT, "model.json")
if not os.path.exists(model_path):
    bst = xgb.train({"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "nthread": 2, "seed": 1},
                    xgb.DMatrix(X, label=y), num_boost_round=200)
    bst.save_model(model_path)
model60_path = os.path.join(OUT, "model60.json")
if not os.path.exists(model60_path):  # TreeShapLatencyBenchmark's model: 60 trees, depth 4
    xgb.train({"objective": "binary:logistic", "max_depth": 4, "eta": 0.2, "nthread": 2, "seed": 1},
              xgb.DMatrix(X, label=y), num_boost_round=60).save_model(model60_path)
bst = xgb.Booster(model_file=model_path)
bst.set_param({"nthread": 2})
rows = X[:5000]
np.save(os.path.join(OUT, "rows.npy"), rows)
d = xgb.DMatrix(rows)
bst.predict(d, pred_contribs=True)  # warm-up
times = []
for _ in range(REPEATS):
    t0 = time.perf_counter()
    bst.predict(d, pred_contribs=True)
    times.append(time.perf_counter() - t0)
times.sort()
print(f"xgboost {xgb.__version__} pred_contribs nthread=2: {len(rows) / times[0]:.0f} rows/s best, "
      f"{len(rows) / times[len(times) // 2]:.0f} rows/s median ({REPEATS} runs of {len(rows)} rows)")
