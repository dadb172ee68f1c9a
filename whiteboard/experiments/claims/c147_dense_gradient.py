"""C147: in a DenseNet every layer gets gradient directly from the loss.

Layer l of a dense block reads the concatenation [x₀, h₁, …, h_{l−1}] and the head reads
[x₀, h₁, …, h_L], so ∂L/∂h_l has a direct term W_head,l^T ∂L/∂z (one matrix away from the loss)
besides the paths through later layers. In a plain chain h_{l+1} = ReLU(W h_l) the only path is
the product of L − l Jacobians, which shrinks geometrically at a variance-reducing init.
"""

import numpy as np

from ... import backend, cat, nn, tensor
from ..registry import NOT_REPRODUCED, experiment, verdict
from ._common_claims_in import digits_split


class DenseMLP(nn.Module):
    """Dense connectivity for vectors: layer l maps concat(x, h₁..h_{l−1}) → ReLU(growth units);
    the head reads concat(x, h₁..h_L)."""

    def __init__(self, d_in, growth, n_layers, n_out):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(d_in + i * growth, growth)
                                     for i in range(n_layers)])
        self.head = nn.Linear(d_in + n_layers * growth, n_out)

    def forward(self, x):
        feats = [x]
        for layer in self.layers:
            feats.append(nn.functional.relu(layer(cat(feats, dim=1))))
        return self.head(cat(feats, dim=1))


def _plain(d_in, width, n_layers, n_out):
    layers = []
    for i in range(n_layers):
        layers += [nn.Linear(d_in if i == 0 else width, width), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, n_out))


def _grad_norms(model, weights, X, y):
    model.zero_grad()
    nn.functional.cross_entropy(model(tensor(X)), tensor(y)).backward()
    return [float(np.linalg.norm(w.grad.numpy())) for w in weights]


@experiment("C147", section="I", title="Every DenseNet layer gets gradient directly from the loss",
            expected="reproduce",
            claim="In DenseNet every layer gets gradient directly from the loss.",
            design="At PyTorch's default init on 256 digits: a dense MLP (growth 16, each layer "
                   "reads the concatenation of the input and all earlier outputs, the head reads "
                   "all of them) vs a plain ReLU chain of width 16 and the same depth (32 layers; "
                   "quick 16); norm of ∂L/∂W for every layer, ratio first/last layer.",
            code=["whiteboard.experiments.claims.c147_dense_gradient:DenseMLP",
                  "whiteboard.autograd.ops:cat", "whiteboard.nn:Linear"],
            tests=["tests/autograd/test_ops.py", "tests/nn/test_linear.py"])
def c147(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed)
    X, y = Xtr[:256], ytr[:256]
    n = 16 if quick else 32
    backend.manual_seed(seed)
    dense = DenseMLP(64, 16, n, 10).double()
    gd = _grad_norms(dense, [lay.weight for lay in dense.layers], X, y)
    backend.manual_seed(seed)
    plain = _plain(64, 16, n, 10).double()
    gp = _grad_norms(plain, [m.weight for m in list(plain)[:-1:2]], X, y)
    return {"layers": n, "dense": gd, "plain": gp,
            "ratio_dense": gd[0] / gd[-1], "ratio_plain": gp[0] / max(gp[-1], 1e-300)}


@c147.decide
def _(trials):
    rd = min(t["ratio_dense"] for t in trials)
    rp = max(t["ratio_plain"] for t in trials)
    n = trials[0]["layers"]
    return verdict(rd > 0.1 and rd > 10 * rp,
                   f"first/last-layer gradient norm at {n} layers: dense {rd:.2g} vs "
                   f"plain {rp:.2g}",
                   otherwise=NOT_REPRODUCED)


@c147.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.semilogy(np.arange(1, t["layers"] + 1), t["dense"], "o-", label="dense (concatenation)")
    ax.semilogy(np.arange(1, t["layers"] + 1), t["plain"], "s-", label="plain chain")
    ax.set_xlabel("layer")
    ax.set_ylabel("‖∂L/∂W‖ at init")
    ax.set_title("Gradient reaching each layer")
    ax.legend()
    fig.tight_layout()
    return [fig]
