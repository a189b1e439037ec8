"""Writes the ONNX-ML fixtures of the trees module (Debian's /usr/bin/python3: sklearn 1.2.1, onnx 1.12).

skl2onnx is not installed here, so the TreeEnsemble*/Linear* nodes are written with onnx.helper straight from the
fitted sklearn estimators (sklearn splits go left when x <= threshold: BRANCH_LEQ; nodes_hitrates carries
weighted_n_node_samples so path-dependent TreeSHAP has covers; the extra-trees file leaves them out).
Each case: model.onnx, X.npy (float32), preds.npy (sklearn's predict / predict_proba / decision values).
"""
import os

import numpy as np
from onnx import TensorProto, checker, helper
from sklearn.ensemble import ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(3)
F = 5
X = rng.normal(size=(300, F)).astype(np.float32)
y_reg = X[:, 0] * 2 - X[:, 1] * X[:, 2] + np.where(X[:, 3] > 0, 1.0, -1.0) + 0.1 * rng.normal(size=300)
y_cls = np.digitize(X[:, 0] + X[:, 1] * X[:, 3], [-0.5, 0.5])
Xt = rng.normal(size=(12, F)).astype(np.float32)


def tree_nodes(estimators, leaf_weights, hitrates):
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "nodes_hitrates", "w_tree", "w_node", "w_id", "w_val"]}
    for t, est in enumerate(estimators):
        tr = est.tree_
        for n in range(tr.node_count):
            leaf = tr.children_left[n] < 0
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(n)
            a["nodes_featureids"].append(0 if leaf else int(tr.feature[n]))
            a["nodes_values"].append(0.0 if leaf else float(tr.threshold[n]))
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["nodes_truenodeids"].append(0 if leaf else int(tr.children_left[n]))
            a["nodes_falsenodeids"].append(0 if leaf else int(tr.children_right[n]))
            a["nodes_missing_value_tracks_true"].append(0)
            a["nodes_hitrates"].append(float(tr.weighted_n_node_samples[n]))
            if leaf:
                for k, v in enumerate(leaf_weights(tr, n)):
                    a["w_tree"].append(t)
                    a["w_node"].append(n)
                    a["w_id"].append(k)
                    a["w_val"].append(float(v))
    if not hitrates:
        del a["nodes_hitrates"]
    return a


def save(name, node, outputs, Xs, preds):
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, F])],
                              outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)])
    checker.check_model(model)
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    np.save(os.path.join(out, "X.npy"), Xs.astype(np.float32))
    np.save(os.path.join(out, "preds.npy"), np.asarray(preds, dtype=np.float32))


def regressor(name, est, hitrates):
    a = tree_nodes(est.estimators_, lambda tr, n: [tr.value[n][0][0]], hitrates)
    w = {"target_treeids": a.pop("w_tree"), "target_nodeids": a.pop("w_node"), "target_ids": a.pop("w_id"),
         "target_weights": a.pop("w_val")}
    node = helper.make_node("TreeEnsembleRegressor", ["X"], ["Y"], domain="ai.onnx.ml", n_targets=1,
                            aggregate_function="AVERAGE", post_transform="NONE", **a, **w)
    save(name, node, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 1])], Xt, est.predict(Xt)[:, None])


rf = RandomForestRegressor(n_estimators=4, max_depth=3, random_state=0).fit(X, y_reg)
regressor("forest_regressor", rf, True)
et = ExtraTreesRegressor(n_estimators=3, max_depth=3, random_state=0).fit(X, y_reg)
regressor("extratrees_no_covers", et, False)

rfc = RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0).fit(X, y_cls)
n_trees = len(rfc.estimators_)
a = tree_nodes(rfc.estimators_, lambda tr, n: tr.value[n][0] / tr.value[n][0].sum() / n_trees, True)
w = {"class_treeids": a.pop("w_tree"), "class_nodeids": a.pop("w_node"), "class_ids": a.pop("w_id"),
     "class_weights": a.pop("w_val")}
node = helper.make_node("TreeEnsembleClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml",
                        classlabels_int64s=[0, 1, 2], post_transform="NONE", **a, **w)
save("forest_classifier", node, [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                                 helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])],
     Xt, rfc.predict_proba(Xt))

lin = LinearRegression().fit(X, y_reg)
node = helper.make_node("LinearRegressor", ["X"], ["Y"], domain="ai.onnx.ml", coefficients=lin.coef_.tolist(),
                        intercepts=[float(lin.intercept_)], targets=1, post_transform="NONE")
save("linear_regressor", node, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 1])], Xt,
     lin.predict(Xt)[:, None])
np.save(os.path.join(HERE, "linear_regressor", "background.npy"), X[:50])

logit = LogisticRegression(max_iter=1000).fit(X, y_cls)
node = helper.make_node("LinearClassifier", ["X"], ["label", "scores"], domain="ai.onnx.ml",
                        coefficients=logit.coef_.ravel().tolist(), intercepts=logit.intercept_.tolist(),
                        classlabels_ints=[0, 1, 2], post_transform="SOFTMAX", multi_class=1)
save("logistic_classifier", node, [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                                   helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 3])],
     Xt, logit.predict_proba(Xt))
np.save(os.path.join(HERE, "logistic_classifier", "background.npy"), X[:50])
np.save(os.path.join(HERE, "logistic_classifier", "margins.npy"), logit.decision_function(Xt).astype(np.float32))
# shap's LinearExplainer closed form, from sklearn's own coefficients: phi = coef * (x - mean(background))
np.save(os.path.join(HERE, "logistic_classifier", "phi.npy"),
        (logit.coef_[None, :, :] * (Xt[:, None, :] - X[:50].mean(axis=0)[None, None, :])).astype(np.float32))
