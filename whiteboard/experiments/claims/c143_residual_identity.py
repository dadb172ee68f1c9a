"""C143, C144: a residual block with a zero branch is the identity; shortcuts carry the gradient.

A block computes y = x + F(x). If F's last BatchNorm has γ = 0 (and β = 0), F(x) = 0 and y = x
exactly, so a network with k extra such blocks computes the same function (and loss) as one
without them at initialisation (C143).

Backwards, ∂L/∂x_l = ∂L/∂x_L · Π_{i≥l} (I + ∂F_i/∂x_i): the product always contains the identity
term, so the gradient reaching early layers does not vanish with depth, whereas a plain stack
has ∂L/∂x_l = ∂L/∂x_L · Π J_i, a product of Jacobians that shrinks (or grows) geometrically (C144).
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict
from ._common_claims_in import block_mlp, digits_split


def _loss(model, X, y):
    return nn.functional.cross_entropy(model(tensor(X)), tensor(y)).item()


@experiment("C143", section="I", title="A residual block with a zero branch is the identity",
            expected="reproduce",
            claim="A residual block whose branch outputs 0 is the identity, so adding blocks "
                  "cannot make the model worse at initialisation.",
            design="Residual MLP blocks (Linear-BN-ReLU-Linear-BN) on digits with the last BN's "
                   "γ set to 0; output of each block against its input, and the training loss of a "
                   "2-block model against the same model with 2/8/30 extra zero-γ blocks inserted.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn:Linear",
                  "whiteboard.experiments.claims._common_claims_in:ResidualBlock"],
            tests=["tests/nn/test_normalization.py", "tests/nn/test_linear.py"])
def c143(seed, quick):
    backend.manual_seed(seed)
    Xtr, _, ytr, _ = digits_split(seed)
    X, y = Xtr[:256], ytr[:256]
    base = block_mlp(64, 64, 2, 10).double()
    rows = []
    with no_grad():
        base.train()
        loss0 = _loss(base, X, y)
        for extra in (2, 8) if quick else (2, 8, 30):
            deep = block_mlp(64, 64, 2 + extra, 10).double()
            # copy stem, the 2 trained-shape blocks and the head; zero the extra blocks' last γ
            deep[0].load_state_dict(base[0].state_dict())
            for i in range(2):
                deep[2 + i].load_state_dict(base[2 + i].state_dict())
            deep[-1].load_state_dict(base[-1].state_dict())
            block_err = 0.0
            h = nn.functional.relu(deep[0](tensor(X)))
            for blk in list(deep)[2:-1]:
                if blk is not deep[2] and blk is not deep[3]:
                    blk.branch[-1].weight.data[...] = 0.0
            for blk in list(deep)[2:-1]:
                out = blk(h)
                if blk is not deep[2] and blk is not deep[3]:
                    block_err = max(block_err, float(np.abs(out.numpy() - h.numpy()).max()))
                h = out
            # the extra blocks sit after the copied ones, so the function is unchanged
            rows.append({"extra_blocks": extra, "block_max_abs_diff": block_err,
                         "loss": _loss(deep, X, y), "loss_shallow": loss0})
    return {"rows": rows}


@c143.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    err = max(r["block_max_abs_diff"] for r in rows)
    dloss = max(abs(r["loss"] - r["loss_shallow"]) for r in rows)
    extra = ", +".join(str(r["extra_blocks"]) for r in trials[0]["rows"])
    return verdict(err == 0.0 and dloss <= 1e-12,
                   f"max |block(x) - x| = {err:.1e}; max |loss(deep) - loss(shallow)| at init = "
                   f"{dloss:.1e} over +{extra} blocks", otherwise=REFUTED)


@c143.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.bar([str(2 + r["extra_blocks"]) for r in rows], [r["loss"] for r in rows], label="deeper")
    ax.axhline(rows[0]["loss_shallow"], color="k", ls="--", label="2-block model")
    ax.set_xlabel("number of residual blocks (extra ones with γ = 0)")
    ax.set_ylabel("training cross-entropy at init")
    ax.set_title("Zero-branch residual blocks are the identity")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


def _grad_ratio(residual, n_blocks, X, y, seed):
    backend.manual_seed(seed)
    model = block_mlp(64, 64, n_blocks, 10, bn=False, residual=residual).double()
    hs = []
    h = nn.functional.relu(model[0](tensor(X)))
    for blk in list(model)[2:-1]:
        h.retain_grad()
        hs.append(h)
        h = blk(h)
    h.retain_grad()
    hs.append(h)
    nn.functional.cross_entropy(model[-1](h), tensor(y)).backward()
    norms = [float(np.linalg.norm(t.grad.numpy())) for t in hs]
    return norms


@experiment("C144", section="I", title="Identity shortcuts give the gradient a direct path",
            expected="reproduce",
            claim="Identity shortcuts give the gradient a direct path to early layers.",
            design="32-block MLPs of width 64 without BN at the default (PyTorch) init on 256 "
                   "digits, plain (h ← ReLU(F(h))) vs residual (h ← h + F(h)); the norm of ∂L/∂h "
                   "at every block input via autograd; ratio first/last block.",
            code=["whiteboard.autograd:Tensor", "whiteboard.nn:Linear",
                  "whiteboard.experiments.claims._common_claims_in:ResidualBlock"],
            tests=["tests/autograd/test_graph.py", "tests/nn/test_init.py"])
def c144(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed)
    X, y = Xtr[:256], ytr[:256]
    n = 16 if quick else 32
    plain = _grad_ratio(False, n, X, y, seed)
    res = _grad_ratio(True, n, X, y, seed)
    return {"blocks": n, "plain": plain, "residual": res,
            "ratio_plain": plain[0] / plain[-1], "ratio_residual": res[0] / res[-1]}


@c144.decide
def _(trials):
    rp = float(np.median([t["ratio_plain"] for t in trials]))
    rr = float(np.median([t["ratio_residual"] for t in trials]))
    holds = rr >= 0.5 and rp < 0.1 and rr > 10 * rp
    return verdict(holds, f"‖∂L/∂h_1‖/‖∂L/∂h_L‖ = {rr:.3g} residual vs {rp:.3g} plain "
                          f"({trials[0]['blocks']} blocks)")


@c144.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.semilogy(t["plain"], "o-", ms=3, label="plain")
    ax.semilogy(t["residual"], "s-", ms=3, label="residual")
    ax.set_xlabel("block index (input side → output side)")
    ax.set_ylabel("‖∂L/∂h‖")
    ax.set_title("Gradient reaching each block at init")
    ax.legend()
    fig.tight_layout()
    return [fig]
