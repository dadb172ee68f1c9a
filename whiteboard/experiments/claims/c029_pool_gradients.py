"""C29: max-pool backward routes the gradient to the arg-max only; mean-pool spreads g/k²;
overlapping windows accumulate; pooling has no parameters.

    max:  ∂y_w/∂x_i = [i = argmax_{j∈w} x_j]        mean: ∂y_w/∂x_i = 1/k² for i ∈ w

so dL/dx_i = Σ_{w ∋ i} g_w · ∂y_w/∂x_i (a sum over every window containing i; ERRATA E17).
"""

import numpy as np

from ... import nn, tensor
from ...nn.functional import avg_pool2d, max_pool2d
from ..registry import REFUTED, experiment, verdict


def _grad(fn, x, g, k, s):
    xt = tensor(x, requires_grad=True)
    y = fn(xt, k, s)
    (y * tensor(g)).sum().backward()
    return y.numpy(), xt.grad.numpy()


@experiment("C29", section="B", title="Pooling backward: arg-max routing, even spreading",
            expected="reproduce", errata=["E17"],
            claim="Max-pool backward sends the gradient only to the arg-max; mean-pool spreads "
                  "it evenly; neither has parameters.",
            design="Float64 inputs without ties; kernel 2/stride 2 and overlapping 3/2. Gradients "
                   "of <pool(x), g> against torch autograd and central finite differences; count "
                   "non-zero gradient entries per window; parameter count of the modules.",
            code=["whiteboard.nn.functional:max_pool2d", "whiteboard.nn.functional:avg_pool2d",
                  "whiteboard.nn:MaxPool2d", "whiteboard.nn:AvgPool2d"],
            tests=["tests/nn/test_pooling.py"])
def c29(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    size = 6 if quick else 12
    x = rng.permutation(2 * 3 * size * size).reshape(2, 3, size, size) / 7.0  # distinct values
    rows = []
    for k, s in ((2, 2), (3, 2)):
        for name, fn, tfn in (("max", max_pool2d, torch.nn.functional.max_pool2d),
                              ("mean", avg_pool2d, torch.nn.functional.avg_pool2d)):
            y, _ = _grad(fn, x, np.ones((1,)), k, s)
            g = rng.normal(size=y.shape)
            _, gx = _grad(fn, x, g, k, s)
            xt = torch.from_numpy(x).requires_grad_()
            (tfn(xt, k, s) * torch.from_numpy(g)).sum().backward()
            torch_err = float(np.abs(gx - xt.grad.numpy()).max())
            # finite differences on a few entries
            eps, fd_err = 1e-6, 0.0
            for idx in map(tuple, rng.integers(0, [2, 3, size, size], size=(8, 4))):
                xp, xm = x.copy(), x.copy()
                xp[idx] += eps
                xm[idx] -= eps
                fd = ((fn(tensor(xp), k, s).numpy() - fn(tensor(xm), k, s).numpy()) * g).sum()
                fd_err = max(fd_err, abs(fd / (2 * eps) - gx[idx]))
            row = {"pool": name, "k": k, "s": s, "torch_err": torch_err, "fd_err": float(fd_err)}
            if name == "max" and k == s:
                # one non-zero per window, equal to that window's g
                blocks = gx.reshape(2, 3, size // k, k, size // k, k)
                nz = (blocks != 0).sum(axis=(3, 5))
                row["nonzero_per_window"] = sorted(set(nz.ravel().tolist()))
                row["routing_err"] = float(np.abs(blocks.sum(axis=(3, 5)) - g).max())
            if name == "mean" and k == s:
                row["spread_err"] = float(np.abs(gx - np.kron(g, np.ones((k, k))) / k**2).max())
            if k != s:
                ones_g = np.ones_like(g)
                _, cover = _grad(fn, x, ones_g, k, s)
                row["max_accumulated"] = float(cover.max())
            rows.append(row)
    params = sum(p.data.size for m in (nn.MaxPool2d(2), nn.AvgPool2d(2)) for p in m.parameters())
    return {"rows": rows, "params": int(params)}


@c29.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    err = max(max(r["torch_err"], r["fd_err"]) for r in rows)
    one = all(r.get("nonzero_per_window", [1]) == [1] and r.get("routing_err", 0) < 1e-12
              and r.get("spread_err", 0) < 1e-12 for r in rows)
    acc = max(r.get("max_accumulated", 0) for r in rows)
    params = max(t["params"] for t in trials)
    return verdict(err < 1e-6 and one and params == 0 and acc > 1.0,
                   f"max |grad - torch/FD| = {err:.1e}; one non-zero per max window: {one}; "
                   f"overlapping windows accumulate up to {acc:.2f}; {params} parameters",
                   otherwise=REFUTED)


@c29.plot
def _(trials):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    x = rng.permutation(36).reshape(1, 1, 6, 6) / 7.0
    fig, ax = plt.subplots(1, 3, figsize=(9, 3))
    for a, (title, fn, k, s) in zip(ax, (("max 2/2", max_pool2d, 2, 2),
                                         ("mean 2/2", avg_pool2d, 2, 2),
                                         ("max 3/2 (overlap)", max_pool2d, 3, 2))):
        y, _ = _grad(fn, x, np.ones(1), k, s)
        _, gx = _grad(fn, x, np.ones_like(y), k, s)
        im = a.imshow(gx[0, 0], cmap="viridis")
        a.set_title(f"dL/dx, g = 1: {title}", fontsize=9)
        a.set_xlabel("column")
        a.set_ylabel("row")
        fig.colorbar(im, ax=a, fraction=0.046)
    fig.tight_layout()
    return [fig]
