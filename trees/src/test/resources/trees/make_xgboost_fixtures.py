"""Writes the XGBoost fixtures of the trees module (run with Debian's /usr/bin/python3, xgboost 1.7.4).

For each case: model.json and model.ubj (the same booster), X.npy (float32 rows, NaN = missing),
margins.npy, preds.npy, contribs.npy (pred_contribs, last column = bias/expected value) and
interactions.npy (pred_interactions). Shapes keep XGBoost's layout: multiclass adds a class axis after rows.
"""
import json
import os

import numpy as np
import xgboost as xgb
from sklearn.datasets import load_breast_cancer

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def with_nans(X, rate):
    X = X.astype(np.float32).copy()
    X[rng.random(X.shape) < rate] = np.nan
    return X


def write(name, params, X, y, rounds, rows, feature_types=None):
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    d = xgb.DMatrix(X, label=y, feature_types=feature_types, enable_categorical=feature_types is not None)
    bst = xgb.train(params, d, num_boost_round=rounds)
    bst.save_model(os.path.join(out, "model.json"))
    bst.save_model(os.path.join(out, "model.ubj"))
    Xt = X[:rows]
    dt = xgb.DMatrix(Xt, feature_types=feature_types, enable_categorical=feature_types is not None)
    np.save(os.path.join(out, "X.npy"), Xt.astype(np.float32))
    np.save(os.path.join(out, "margins.npy"), bst.predict(dt, output_margin=True).astype(np.float32))
    np.save(os.path.join(out, "preds.npy"), bst.predict(dt).astype(np.float32))
    np.save(os.path.join(out, "contribs.npy"), bst.predict(dt, pred_contribs=True).astype(np.float32))
    np.save(os.path.join(out, "interactions.npy"), bst.predict(dt, pred_interactions=True).astype(np.float32))
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"params": params, "rounds": rounds, "rows": rows, "xgboost": xgb.__version__}, f, indent=1)


# binary:logistic on sklearn's breast-cancer data, 8% of the values missing (default directions matter)
bc = load_breast_cancer()
Xb = with_nans(bc.data, 0.08)
write("binary", {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "seed": 1}, Xb, bc.target, 20, 12)

# reg:squarederror on a synthetic set with NaNs; feature 7 is pure noise never worth a split (constant)
n = 400
Xr = rng.normal(size=(n, 8)).astype(np.float32)
Xr[:, 7] = 1.0
yr = 2 * Xr[:, 0] - Xr[:, 1] * Xr[:, 2] + np.sin(3 * Xr[:, 3]) + 0.1 * rng.normal(size=n)
Xr = with_nans(Xr, 0.1)
write("regression", {"objective": "reg:squarederror", "max_depth": 5, "eta": 0.2, "base_score": 0.3, "seed": 1},
      Xr, yr, 30, 16)

# multi:softprob, 3 classes, with NaNs
Xm = rng.normal(size=(n, 6)).astype(np.float32)
ym = (np.argmax(Xm[:, :3] + 0.3 * rng.normal(size=(n, 3)), axis=1)).astype(np.float32)
Xm = with_nans(Xm, 0.1)
write("multiclass", {"objective": "multi:softprob", "num_class": 3, "max_depth": 4, "eta": 0.3, "seed": 1},
      Xm, ym, 10, 16)

# categorical splits (hist, one categorical feature with 6 categories) for regression
Xc = rng.normal(size=(n, 4)).astype(np.float32)
Xc[:, 0] = rng.integers(0, 6, size=n)
yc = np.where(np.isin(Xc[:, 0], [1, 4]), 2.0, -1.0) + Xc[:, 1] + 0.1 * rng.normal(size=n)
Xc = with_nans(Xc, 0.05)
write("categorical", {"objective": "reg:squarederror", "max_depth": 3, "eta": 0.3, "tree_method": "hist",
                      "max_cat_to_onehot": 1, "seed": 1}, Xc, yc, 10, 16, feature_types=["c", "q", "q", "q"])
