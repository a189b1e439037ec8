"""Writes the breast-cancer MLP fixture used by the recourse tests.

Run with Debian's interpreter (python3-torch 1.13, python3-sklearn 1.2.1):
    /usr/bin/python3 make_fixture.py
Outputs (beside this script):
    mlp.pt       TorchScript of a 30 -> 16 -> 2 ReLU MLP on standardised features (logits)
    train_x.npy  standardised training rows, float32 [n_train, 30]
    train_y.npy  their labels, float32 [n_train]   (0 = malignant, 1 = benign, sklearn's coding)
    test_x.npy   standardised held-out rows, float32 [n_test, 30]
    test_y.npy   their labels, float32 [n_test]
    features.txt the 30 feature names, one a line
The standardisation uses the training rows' mean and standard deviation only.
"""
import numpy as np
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
data = load_breast_cancer()
x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25, random_state=0,
                                          stratify=data.target)
mean, std = x_tr.mean(axis=0), x_tr.std(axis=0)
x_tr = ((x_tr - mean) / std).astype(np.float32)
x_te = ((x_te - mean) / std).astype(np.float32)

net = torch.nn.Sequential(torch.nn.Linear(30, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
opt = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=1e-3)
xt, yt = torch.from_numpy(x_tr), torch.from_numpy(y_tr).long()
for epoch in range(300):
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(net(xt), yt)
    loss.backward()
    opt.step()
net.eval()
with torch.no_grad():
    acc_tr = (net(xt).argmax(1) == yt).float().mean().item()
    acc_te = (net(torch.from_numpy(x_te)).argmax(1) == torch.from_numpy(y_te)).float().mean().item()
print(f"train accuracy {acc_tr:.3f}, test accuracy {acc_te:.3f}")
torch.jit.script(net).save("mlp.pt")
np.save("train_x.npy", x_tr)
np.save("train_y.npy", y_tr.astype(np.float32))
np.save("test_x.npy", x_te)
np.save("test_y.npy", y_te.astype(np.float32))
with open("features.txt", "w") as f:
    f.write("\n".join(data.feature_names) + "\n")
