"""Captum references for the gradient-free methods and the metrics, on the oracle's `mlp`
(testkit/src/main/resources/oracle/models/mlp.pt, Linear(12,32)-ReLU-Linear(32,32)-ReLU-Linear(32,3)).

Writes, in the oracle's format (X.bin raw little-endian, X.json with shape and dtype; see shared/oracle/README.md):
  perturbation/src/test/resources/oracle/captum-perturbation/   occlusion, feature ablation, KernelSHAP, LIME
  metrics/src/test/resources/oracle/captum-metrics/             infidelity, sensitivity_max
Random draws are recorded so that the Java side replays them: KernelSHAP's coalitions and LIME's samples are read
back from the model inputs Captum evaluated (the baseline differs from x in every element), infidelity's and
sensitivity_max's perturbations from a recording perturb_func.

Run from the repository root, with Captum from source (commit fc17d5070c5447593749ce28f9602c7ae58d54ac, the
oracle's) and Debian's python3-torch 1.13 / python3-sklearn 1.2:
  git --git-dir=<captum mirror> archive fc17d5070c5447593749ce28f9602c7ae58d54ac captum | tar -x -C /tmp/captum
  PYTHONPATH=/tmp/captum:/tmp/pystub /usr/bin/python3 perturbation/src/test/resources/oracle/captum-perturbation/generate.py
(/tmp/pystub holds a one-line `tqdm` stand-in: Captum imports tqdm for progress bars only.)
"""
import json
import os

import numpy as np
import torch
from captum.attr import FeatureAblation, KernelShap, Lime, Occlusion, Saliency
from captum.attr._core.lime import get_exp_kernel_similarity_function
from captum._utils.models.linear_model import SkLearnRidge
from captum.metrics import infidelity, sensitivity_max

ROOT = os.getcwd()
PERT = os.path.join(ROOT, "perturbation/src/test/resources/oracle/captum-perturbation")
METR = os.path.join(ROOT, "metrics/src/test/resources/oracle/captum-metrics")
ORACLE = os.path.join(ROOT, "testkit/src/main/resources/oracle")
BASELINE = 0.1  # constant baseline; no element of x equals it, so each evaluated row tells its coalition


def load(name):
    meta = json.load(open(os.path.join(ORACLE, name + ".json")))
    return torch.from_numpy(np.fromfile(os.path.join(ORACLE, name + ".bin"), dtype=meta["dtype"]).reshape(meta["shape"]))


def save(folder, name, array, description):
    a = np.ascontiguousarray(array.detach().numpy() if isinstance(array, torch.Tensor) else np.asarray(array))
    if a.dtype == np.float64 and not name.endswith("_f64"):
        a = a.astype(np.float32)
    a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(folder, name + ".bin"))
    meta = {"name": os.path.basename(folder) + "/" + name, "bin": name + ".bin", "dtype": str(a.dtype),
            "byte_order": "little", "layout": "C-contiguous (row-major, last index fastest)",
            "shape": list(a.shape), "num_elements": int(a.size), "description": description}
    json.dump(meta, open(os.path.join(folder, name + ".json"), "w"), indent=1)


model = torch.jit.load(os.path.join(ORACLE, "models/mlp.pt")).eval()
x = load("mlp/x")[:2].float()
targets = [0, 1]
assert not torch.any(x == BASELINE)
with torch.no_grad():
    save(PERT, "x", x, "the oracle's mlp/x, first 2 examples")
    save(PERT, "targets", torch.tensor(targets, dtype=torch.int64), "one class per example")

    # Occlusion: window 3, stride 2 (positions 0,2,4,6,8,9: the last one clipped as Captum does), baseline 0.1
    occ = Occlusion(model).attribute(x, sliding_window_shapes=(3,), strides=(2,), baselines=BASELINE, target=targets)
    save(PERT, "occlusion_w3_s2", occ, "Occlusion(mlp).attribute(x, sliding_window_shapes=(3,), strides=(2,), "
         "baselines=0.1, target=[0,1])")

    # Feature ablation: per element, and 4 groups of 3
    fa = FeatureAblation(model).attribute(x, baselines=BASELINE, target=targets)
    save(PERT, "feature_ablation", fa, "FeatureAblation(mlp).attribute(x, baselines=0.1, target=[0,1])")
    mask = torch.tensor([[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]])
    fa_g = FeatureAblation(model).attribute(x, baselines=BASELINE, target=targets, feature_mask=mask)
    save(PERT, "feature_ablation_groups", fa_g, "FeatureAblation(mlp).attribute(x, baselines=0.1, target=[0,1], "
         "feature_mask=[[0,0,0,1,1,1,2,2,2,3,3,3]])")


def recorded_coalitions(rows, xi):
    """z per evaluated row: 1 where the row holds x, 0 where it holds the baseline."""
    z = (rows == xi).long()
    assert torch.all((rows == xi) | (rows == BASELINE))
    return z


def run_recorded(method_cls, i, seed, **kwargs):
    calls = []

    def fwd(inp):
        calls.append(inp.detach().clone())
        return model(inp)

    torch.manual_seed(seed)
    np.random.seed(seed)
    method = method_cls(fwd, **kwargs.pop("init", {}))
    attr = method.attribute(x[i:i + 1], baselines=BASELINE, target=targets[i], **kwargs)
    return attr, recorded_coalitions(torch.cat(calls), x[i:i + 1])


ks_attr, ks_z, lime_attr, lime_z = [], [], [], []
for i in range(2):
    a, z = run_recorded(KernelShap, i, 100 + i, n_samples=200)
    ks_attr.append(a)
    ks_z.append(z)
    a, z = run_recorded(Lime, i, 200 + i, n_samples=100, init={"interpretable_model": SkLearnRidge(alpha=0.01)})
    lime_attr.append(a)
    lime_z.append(z)
# LIME with the other distance and a kernel width that is not 1 (example 0 only)
lime_euc, lime_euc_z = run_recorded(Lime, 0, 210, n_samples=100, init={
    "interpretable_model": SkLearnRidge(alpha=0.01),
    "similarity_func": get_exp_kernel_similarity_function("euclidean", kernel_width=0.5)})
save(PERT, "lime_euclidean_w05_attr", lime_euc, "Lime(mlp, interpretable_model=SkLearnRidge(alpha=0.01), "
     "similarity_func=get_exp_kernel_similarity_function('euclidean', kernel_width=0.5)).attribute(x[0:1], "
     "baselines=0.1, target=0, n_samples=100) after torch.manual_seed(210)")
save(PERT, "lime_euclidean_w05_samples", lime_euc_z.unsqueeze(0), "[1, sample, feature] its samples as evaluated")
save(PERT, "kernel_shap_attr", torch.cat(ks_attr), "per example i: KernelShap(mlp).attribute(x[i:i+1], baselines=0.1, "
     "target=[0,1][i], n_samples=200) after torch.manual_seed(100+i): unconstrained weighted regression with "
     "intercept, the full and empty coalitions (rows 0 and 1 of the draws) weighted 1e6, the others 1")
save(PERT, "kernel_shap_coalitions", torch.stack(ks_z), "[example, sample, feature] the coalitions Captum evaluated, "
     "in order (1: x, 0: baseline); rows 0 and 1 are the full and empty coalitions")
save(PERT, "lime_attr", torch.cat(lime_attr), "per example i: Lime(mlp, interpretable_model=SkLearnRidge(alpha=0.01))"
     ".attribute(x[i:i+1], baselines=0.1, target=[0,1][i], n_samples=100) after torch.manual_seed(200+i); default "
     "similarity: exp(-(1 - cos(x, x~))^2 / 2) on the flattened inputs; sklearn Ridge with sample_weight, intercept")
save(PERT, "lime_samples", torch.stack(lime_z), "[example, sample, feature] LIME's Bernoulli(0.5) samples as evaluated")

# ---- metrics
x_m = x.clone()
sal = Saliency(model)
attr_m = sal.attribute(x_m, target=targets)  # |gradient|, Captum's default abs=True
noises = []


def gaussian_perturb(inputs):
    noise = torch.randn_like(inputs) * 0.1
    noises.append(noise.clone())
    return noise, inputs - noise


save(METR, "x", x_m, "the oracle's mlp/x, first 2 examples (targets [0, 1])")
save(METR, "saliency", attr_m, "Saliency(mlp).attribute(x, target=[0,1]) (abs=True): the attributions scored")
for normalize in (False, True):
    noises.clear()
    torch.manual_seed(300)
    infd = infidelity(model, gaussian_perturb, x_m, attr_m, target=targets, n_perturb_samples=10, normalize=normalize)
    name = "infidelity_normalized" if normalize else "infidelity"
    save(METR, name, infd, f"captum.metrics.infidelity(mlp, perturb, x, saliency, target=[0,1], n_perturb_samples=10, "
         f"normalize={normalize}); perturb returns (I, x - I), I = randn * 0.1")
    save(METR, name + "_noise", torch.cat(noises), "I as drawn, row k = i * 10 + s (inputs repeat_interleaved)")

deltas = []


def uniform_perturb(inputs, perturb_radius=0.02):
    d = torch.empty_like(inputs).uniform_(-perturb_radius, perturb_radius)
    deltas.append(d.clone())
    return inputs + d


torch.manual_seed(400)
sens = sensitivity_max(sal.attribute, x_m, perturb_func=uniform_perturb, n_perturb_samples=10, target=targets)
save(METR, "sensitivity_max", sens, "captum.metrics.sensitivity_max(Saliency(mlp).attribute, x, perturb_func=uniform, "
     "perturb_radius=0.02, n_perturb_samples=10, target=[0,1]); norm 'fro' over each example")
save(METR, "sensitivity_max_deltas", torch.cat(deltas), "d as drawn, row k = i * 10 + s (inputs repeat_interleaved)")
print("calls: sensitivity perturb", len(deltas), [d.shape for d in deltas][:3])
print("done")
