"""Writes the operator fixtures of OnnxOpsTest: for each case a small torch function exported to ONNX at each of
its opsets (<case>_op<N>.onnx, a few KB), and <case>.json with the input x, a cotangent g, the output y = f(x) and
PyTorch's autograd vector-Jacobian product g^T df/dx, both computed in float64 (the model in double), so the Java
side can check its forward and its VJP against PyTorch on the same graph that it executes.

Run with Debian's PyTorch 1.13 (python3-torch) and python3-onnx, from the repository root:
    /usr/bin/python3 models/src/test/resources/onnx-ops/make_op_fixtures.py models/src/test/resources/onnx-ops
"""
import json
import sys
from pathlib import Path

import onnx
import torch
import torch.nn.functional as F
from torch import nn


class Fn(nn.Module):
    def __init__(self, f, params=()):
        super().__init__()
        self.f = f
        self.p = nn.ParameterList(nn.Parameter(p) for p in params)

    def forward(self, x):
        return self.f(x, *self.p)


def seeded(*shape, seed=3):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def bn():
    m = nn.BatchNorm2d(3).eval()
    m.running_mean.copy_(seeded(3, seed=4))
    m.running_var.copy_(seeded(3, seed=5).abs() + 0.5)
    m.weight.data.copy_(seeded(3, seed=6))
    m.bias.data.copy_(seeded(3, seed=7))
    return m


def shapes(x):
    a, b = torch.split(x, [2, 3], dim=3)  # Split
    y = torch.cat([b[..., 1:], a[:, 1:3], a], dim=1)  # Slice, Concat
    y = y[:, [0, 2, 1]]  # Gather
    y = torch.where(y > 0, y, 0.1 * y)  # Greater, Where
    y = y.permute(0, 2, 1, 3).reshape(y.size(0), 4, -1)  # Transpose, Reshape
    y = y.unsqueeze(1).expand(-1, 2, -1, -1)  # Unsqueeze, Expand
    return y[:, :1].squeeze(1) * y[:, 1]  # Squeeze, Gather


def dynamic_shapes(x):
    # kept dynamic by dynamic axes on every dimension: Shape, Range, ConstantOfShape, Cast
    ramp = torch.arange(x.size(-1), dtype=torch.float32)
    return x * ramp + x.new_ones(x.shape) * (x > 0).to(torch.float32)


IMG = (2, 3, 4, 5)
ALL = (10, 11, 13, 17)
CASES = {
    # name: (function, input shape, opsets, params, dims kept dynamic beyond the batch)
    "pad_constant": (lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), IMG, ALL, (), False),
    "pad_reflect": (lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), IMG, ALL, (), False),
    "pad_edge": (lambda x: F.pad(x, (1, 2, 2, 1), mode="replicate"), IMG, ALL, (), False),
    "avg_pool_padded": (lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), IMG, ALL, (), False),
    "avg_pool_2x2": (lambda x: F.avg_pool2d(x, 2, stride=2), (2, 3, 4, 6), ALL, (), False),
    "relu6": (F.relu6, IMG, ALL, (), False),
    "clamp": (lambda x: torch.clamp(x, -0.5, 0.7), IMG, ALL, (), False),
    "clamp_min": (lambda x: torch.clamp(x, min=-0.3), IMG, (11, 13), (), False),
    "hardsigmoid": (F.hardsigmoid, IMG, (11, 13, 17), (), False),
    "hardswish": (F.hardswish, IMG, (11, 13, 14, 17), (), False),
    "sigmoid_tanh_erf": (lambda x: torch.sigmoid(x) + torch.tanh(x) * torch.erf(x), IMG, (13,), (), False),
    "gelu": (F.gelu, IMG, (13,), (), False),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), IMG, (13,), (), False),
    "softmax_axis1": (lambda x: F.softmax(x, dim=1), (2, 3, 4), (11, 13), (), False),
    "log_softmax": (lambda x: F.log_softmax(x, dim=-1), (2, 3, 4), (11, 13), (), False),
    "log_softmax_axis1": (lambda x: F.log_softmax(x, dim=1), (2, 3, 4), (11, 13), (), False),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (5,), w, b, 1e-5), (2, 3, 5), (11, 13, 17),
                   (seeded(5, seed=8), seeded(5, seed=9)), False),
    "batch_norm": (None, IMG, (11, 13), (), False),
    "global_average_pool": (lambda x: F.adaptive_avg_pool2d(x, 1), IMG, (13,), (), False),
    "resize_nearest": (lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), IMG, (11, 13), (), False),
    "resize_bilinear": (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False), IMG,
                        (11, 13), (), False),
    "resize_bilinear_corners": (lambda x: F.interpolate(x, size=(7, 3), mode="bilinear", align_corners=True), IMG,
                                (11, 13), (), False),
    "shapes": (shapes, IMG, ALL, (), False),
    "dynamic_shapes": (dynamic_shapes, IMG, (11, 13, 17), (), True),
    "reduce": (lambda x: x.mean(dim=(2, 3), keepdim=True) * x + x.sum(dim=1, keepdim=True), IMG, ALL, (), False),
    "pow_sqrt_div": (lambda x: x.pow(3) + (x * x + 1).sqrt() / (x.abs() + 1), IMG, ALL, (), False),
    "einsum_batch_matmul": (lambda x, w: torch.einsum("bij,jk->bik", x, w), (2, 3, 4), (12, 13),
                            (seeded(4, 2, seed=10),), False),
    "einsum_attention": (lambda x: torch.einsum("bhqd,bhkd->bhqk", x, x * 2), IMG, (12, 13), (), False),
    "roll": (lambda x: torch.roll(x, shifts=(1, -2), dims=(2, 3)), IMG, (13,), (), False),
}


def module(name):
    f, _, _, params, _ = CASES[name]
    return bn() if name == "batch_norm" else Fn(f, params)


def short(t):
    """9 significant digits: x and g are float32 values, which 9 digits hold exactly; y and grad to ~1e-9."""
    return [float(f"{v:.9g}") for v in t.double().flatten().tolist()]


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, (_, shape, opsets, _, dynamic) in CASES.items():
        torch.manual_seed(0)
        m = module(name).eval()
        x = seeded(*shape, seed=1)
        exported = []
        for opset in opsets:
            axes = {"x": {i: f"d{i}" for i in range(len(shape))} if dynamic else {0: "batch"}}
            path = out / f"{name}_op{opset}.onnx"
            torch.onnx.export(m, x, str(path), opset_version=opset, input_names=["x"], output_names=["y"],
                              dynamic_axes=axes)
            exported.append({"opset": opset, "operators": sorted({n.op_type for n in onnx.load(str(path)).graph.node})})
        md = module(name).double().eval()
        xd = x.double().requires_grad_(True)
        y = md(xd)
        g = seeded(*y.shape, seed=2).double()
        (grad,) = torch.autograd.grad(y, xd, g)
        (out / f"{name}.json").write_text(json.dumps({
            "x_shape": list(x.shape), "x": short(x), "y_shape": list(y.shape), "y": short(y.detach()),
            "g": short(g), "grad": short(grad)}))
        index[name] = exported
        print(name, exported)
    (out / "index.json").write_text(json.dumps(index, indent=1))


if __name__ == "__main__":
    main()
