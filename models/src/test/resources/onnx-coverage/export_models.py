"""Exports the models of issue 23 (torchvision classifiers with random weights, and BERT-, DistilBERT- and
ViT-style encoders built from torch.nn) to ONNX at opsets 11, 13 and 17 and as TorchScript traces, then lists the
ONNX operators each export contains. The .onnx/.pt files are large: they go to OUT (default /tmp/onnx-coverage),
never into the repository; only this script and the operator listing are committed.

Run with Debian's PyTorch 1.13 / torchvision 0.14 and python3-onnx, from the repository root:
    nice /usr/bin/python3 models/src/test/resources/onnx-coverage/export_models.py [OUT] [model ...]
Writes OUT/<model>.pt, OUT/<model>_op<N>.onnx, OUT/<model>.json (input shape, a random input) and
OUT/operators.json ({model: {opset: [operators]}}), and prints a table of the operators per model.

The transformer encoders take float embeddings [batch, tokens, dim] (what a gradient method differentiates
through: an attribution to token ids goes through the embedding layer), and otherwise follow the HuggingFace
modules: position embeddings gathered with arange, LayerNorm, attention as view/permute/matmul/softmax/matmul,
erf-GELU, a tanh pooler (BERT) or the first token (DistilBERT, ViT).
"""
import json
import math
import sys
from pathlib import Path

import onnx
import torch
import torchvision
from torch import nn

OPSETS = (11, 13, 17)


class SelfAttention(nn.Module):
    """HuggingFace BertSelfAttention + BertSelfOutput (no mask, eval mode)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.query, self.key, self.value = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim, eps=1e-12)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        context = torch.matmul(nn.functional.softmax(scores, dim=-1), v).permute(0, 2, 1, 3).contiguous()
        context = context.view(x.size(0), x.size(1), -1)
        return self.norm(self.out(context) + x)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.attention = SelfAttention(dim, heads)
        self.up, self.down = nn.Linear(dim, hidden), nn.Linear(hidden, dim)
        self.norm = nn.LayerNorm(dim, eps=1e-12)

    def forward(self, x):
        h = self.attention(x)
        return self.norm(self.down(nn.functional.gelu(self.up(h))) + h)


class BertStyle(nn.Module):
    """Embeddings (position by arange + token type 0) -> LayerNorm -> layers -> tanh pooler -> classifier."""

    def __init__(self, dim=32, heads=4, hidden=64, layers=2, positions=16, classes=3, pooler=True):
        super().__init__()
        self.positions = nn.Embedding(positions, dim)
        self.token_types = nn.Embedding(2, dim) if pooler else None
        self.norm = nn.LayerNorm(dim, eps=1e-12)
        self.layers = nn.ModuleList(EncoderLayer(dim, heads, hidden) for _ in range(layers))
        self.pooler = nn.Linear(dim, dim) if pooler else None
        self.classifier = nn.Linear(dim, classes)

    def forward(self, embeds):
        ids = torch.arange(embeds.size(1), dtype=torch.long, device=embeds.device).unsqueeze(0)
        h = embeds + self.positions(ids)
        if self.token_types is not None:
            h = h + self.token_types(torch.zeros_like(ids))
        h = self.norm(h)
        for layer in self.layers:
            h = layer(h)
        first = h[:, 0]
        return self.classifier(torch.tanh(self.pooler(first)) if self.pooler is not None else first)


def vit_style():
    """torchvision's VisionTransformer (nn.MultiheadAttention encoder) at a small size."""
    return torchvision.models.vision_transformer.VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=32, mlp_dim=64, num_classes=10)


def image(size):
    return (1, 3, size, size)


# name -> (constructor, input shape); 224 where an adaptive pool needs it (VGG, AlexNet) or the model fixes it
MODELS = {
    "resnet18": (lambda: torchvision.models.resnet18(), image(64)),
    "resnext50_32x4d": (lambda: torchvision.models.resnext50_32x4d(), image(64)),
    "wide_resnet50_2": (lambda: torchvision.models.wide_resnet50_2(), image(64)),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), image(64)),
    "mobilenet_v3_small": (lambda: torchvision.models.mobilenet_v3_small(), image(64)),
    "mobilenet_v3_large": (lambda: torchvision.models.mobilenet_v3_large(), image(64)),
    "efficientnet_b0": (lambda: torchvision.models.efficientnet_b0(), image(64)),
    "densenet121": (lambda: torchvision.models.densenet121(), image(64)),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(), image(64)),
    "shufflenet_v2_x0_5": (lambda: torchvision.models.shufflenet_v2_x0_5(), image(64)),
    "regnet_y_400mf": (lambda: torchvision.models.regnet_y_400mf(), image(64)),
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True), image(64)),
    "mnasnet0_5": (lambda: torchvision.models.mnasnet0_5(), image(64)),
    "convnext_tiny": (lambda: torchvision.models.convnext_tiny(), image(64)),
    "vgg11_bn": (lambda: torchvision.models.vgg11_bn(), image(224)),
    "alexnet": (lambda: torchvision.models.alexnet(), image(224)),
    "vit_b_16": (lambda: torchvision.models.vit_b_16(image_size=64), image(64)),
    "swin_t": (lambda: torchvision.models.swin_t(), image(64)),
    "bert_style": (lambda: BertStyle(), (1, 8, 32)),
    "distilbert_style": (lambda: BertStyle(pooler=False), (1, 8, 32)),
    "vit_style": (vit_style, image(32)),
}


def export(name, out):
    make, shape = MODELS[name]
    torch.manual_seed(0)
    model = make().eval()
    with torch.no_grad():  # zero-initialized heads (ViT, Swin) would make every gradient 0 and the comparison vacuous
        for p in model.parameters():
            if not p.any():
                p.normal_(0, 0.02)
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    operators = {}
    # with autograd on: under no_grad nn.MultiheadAttention takes its fused fast path, which neither exports
    # to ONNX nor differentiates in the trace
    traced = torch.jit.trace(model, x, check_trace=False)
    traced.save(str(out / f"{name}.pt"))
    for opset in OPSETS:
        path = out / f"{name}_op{opset}.onnx"
        try:
            torch.onnx.export(model, x, str(path), opset_version=opset, input_names=["input"],
                              output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                              do_constant_folding=True)
        except Exception as e:  # an export the exporter refuses is a result too
            operators[opset] = "export failed: " + str(e).splitlines()[0][:200]
            continue
        graph = onnx.load(str(path)).graph
        operators[opset] = sorted({n.op_type for n in graph.node})
    (out / f"{name}.json").write_text(json.dumps({"shape": list(shape), "input": x.flatten().tolist()}))
    return operators


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/onnx-coverage")
    out.mkdir(parents=True, exist_ok=True)
    names = sys.argv[2:] or list(MODELS)
    listing_file = out / "operators.json"
    listing = json.loads(listing_file.read_text()) if listing_file.exists() else {}
    for name in names:
        listing[name] = export(name, out)
        listing_file.write_text(json.dumps(listing, indent=1, sort_keys=True))
        print(name, json.dumps(listing[name]), flush=True)
    every = sorted({op for ops in listing.values() for v in ops.values() if isinstance(v, list) for op in v})
    print("all operators:", " ".join(every))


if __name__ == "__main__":
    main()
