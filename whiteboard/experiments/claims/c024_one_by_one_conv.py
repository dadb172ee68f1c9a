"""C24: a 1x1 convolution is a per-pixel linear map across channels and changes the channel count.

    y[n, o, h, w] = b[o] + Σ_c W[o, c, 0, 0] · x[n, c, h, w]       (einsum "oc,nchw->nohw")

so it has Cin·Cout + Cout parameters and mixes channels only, never neighbouring pixels.
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict

# (N, Cin, H, W, Cout)
SHAPES = [(1, 3, 5, 7, 2), (4, 16, 8, 8, 32), (2, 64, 3, 5, 16), (3, 8, 1, 1, 8)]


@experiment("C24", section="B", title="A 1x1 convolution is a per-pixel linear map across channels",
            expected="reproduce",
            claim="A 1x1 convolution is a per-pixel linear map across channels and changes the "
                  "channel count.",
            design="Random float64 inputs and weights for several (N, Cin, H, W, Cout); nn.Conv2d "
                   "with kernel 1 against einsum over channels; parameter count against "
                   "Cin*Cout + Cout.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn.functional:conv2d"],
            tests=["tests/nn/test_conv.py"])
def c24(seed, quick):
    rng = np.random.default_rng(seed)
    rows = []
    backend.manual_seed(seed)
    for n, cin, h, w, cout in SHAPES:
        conv = nn.Conv2d(cin, cout, 1).double()
        x = rng.normal(size=(n, cin, h, w))
        with no_grad():
            y = conv(tensor(x)).numpy()
        weight = conv.weight.data[:, :, 0, 0]
        ref = np.einsum("oc,nchw->nohw", weight, x) + conv.bias.data[None, :, None, None]
        params = sum(p.data.size for p in conv.parameters())
        rows.append({"shape": [n, cin, h, w], "cout": cout, "out_channels": int(y.shape[1]),
                     "max_abs_diff": float(np.abs(y - ref).max()),
                     "params": int(params), "formula": cin * cout + cout,
                     "y": y.ravel()[:200].tolist(), "ref": ref.ravel()[:200].tolist()})
    return {"rows": rows}


@c24.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    diff = max(r["max_abs_diff"] for r in rows)
    counts = all(r["params"] == r["formula"] and r["out_channels"] == r["cout"] for r in rows)
    return verdict(diff <= 1e-12 and counts,
                   f"max |conv1x1 - einsum| = {diff:.1e}; parameters = Cin*Cout+Cout in "
                   f"{sum(r['params'] == r['formula'] for r in rows)}/{len(rows)} shapes",
                   otherwise=REFUTED)


@c24.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for r in trials[0]["rows"]:
        ax.scatter(r["ref"], r["y"], s=6, label=f"Cin={r['shape'][1]} -> Cout={r['cout']}")
    lim = ax.get_xlim()
    ax.plot(lim, lim, "k--", lw=0.8)
    ax.set_xlabel("einsum over channels")
    ax.set_ylabel("nn.Conv2d(kernel_size=1)")
    ax.set_title("1x1 conv = per-pixel channel map")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
