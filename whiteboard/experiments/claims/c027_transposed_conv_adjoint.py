"""C27: transposed convolution is the adjoint of convolution, not its inverse.

With the same weight W, conv_transpose2d is the linear map Aᵀ for A = conv2d(·, W):

    ⟨conv(x), y⟩ = ⟨x, convT(y)⟩   for all x, y,

but convT(conv(x)) = AᵀA x ≠ x in general. Its output size is
H_out = (H − 1)·S − 2P + d·(K − 1) + output_padding + 1.
"""

import numpy as np

from ... import tensor
from ...inspect import conv_transpose_output_size
from ...nn.functional import conv2d, conv_transpose2d
from ..registry import REFUTED, experiment, verdict


def _cases(rng, n):
    out = []
    while len(out) < n:
        k, s, p, d = (int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(0, 3)),
                      int(rng.integers(1, 3)))
        h = int(rng.integers(6, 14))
        if (h + 2 * p - d * (k - 1) - 1) < 0:
            continue
        out.append((h, k, s, p, d))
    return out


@experiment("C27", section="B", title="Transposed convolution is the adjoint of convolution",
            expected="reproduce",
            claim="Transposed convolution is the adjoint (backward pass) of convolution, not its "
                  "inverse.",
            design="Random shapes, strides, paddings and dilations in float64: <conv(x), y> vs "
                   "<x, convT(y)> with the same weight; relative error of convT(conv(x)) vs x; "
                   "output size formula vs the layer and torch.",
            code=["whiteboard.nn.functional:conv_transpose2d", "whiteboard.nn.functional:conv2d",
                  "whiteboard.inspect:conv_transpose_output_size"],
            tests=["tests/nn/test_conv_transpose.py"])
def c27(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    rows = []
    for h, k, s, p, d in _cases(rng, 10 if quick else 60):
        cin, cout = 3, 2
        w = rng.normal(size=(cout, cin, k, k))
        x = rng.normal(size=(2, cin, h, h))
        y_fwd = conv2d(tensor(x), tensor(w), stride=s, padding=p, dilation=d).numpy()
        yv = rng.normal(size=y_fwd.shape)
        ho = y_fwd.shape[2]
        op = h - ((ho - 1) * s - 2 * p + d * (k - 1) + 1)
        back = conv_transpose2d(tensor(yv), tensor(w), stride=s, padding=p, output_padding=op,
                                dilation=d).numpy()
        lhs, rhs = float((y_fwd * yv).sum()), float((x * back).sum())
        rec = conv_transpose2d(tensor(y_fwd), tensor(w), stride=s, padding=p, output_padding=op,
                               dilation=d).numpy()
        t_size = torch.nn.functional.conv_transpose2d(
            torch.from_numpy(yv), torch.from_numpy(w), stride=s, padding=p, output_padding=op,
            dilation=d).shape[2]
        rows.append({"case": [h, k, s, p, d, op], "adjoint_rel": abs(lhs - rhs) / abs(lhs),
                     "recon_rel": float(np.linalg.norm(rec - x) / np.linalg.norm(x)),
                     "size_formula": conv_transpose_output_size(ho, k, s, p, op, d),
                     "size_layer": int(back.shape[2]), "size_torch": int(t_size)})
    return {"rows": rows}


@c27.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    adj = max(r["adjoint_rel"] for r in rows)
    rec = float(np.median([r["recon_rel"] for r in rows]))
    sizes = sum(r["size_formula"] == r["size_layer"] == r["size_torch"] for r in rows)
    return verdict(adj < 1e-10 and rec > 0.1 and sizes == len(rows),
                   f"max rel |<conv x,y> - <x,convT y>| = {adj:.1e}; median ||convT(conv x) - x||"
                   f"/||x|| = {rec:.2f}; sizes match {sizes}/{len(rows)}", otherwise=REFUTED)


@c27.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(1, 2, figsize=(8, 3.5))
    ax[0].bar(range(len(rows)), [max(r["adjoint_rel"], 1e-17) for r in rows])
    ax[0].set_yscale("log")
    ax[0].set_xlabel("random case")
    ax[0].set_ylabel("relative adjoint error")
    ax[0].set_title("<conv x, y> = <x, convT y>")
    ax[1].bar(range(len(rows)), [r["recon_rel"] for r in rows], color="C1")
    ax[1].set_xlabel("random case")
    ax[1].set_ylabel("||convT(conv x) - x|| / ||x||")
    ax[1].set_title("convT is not the inverse")
    fig.tight_layout()
    return [fig]
