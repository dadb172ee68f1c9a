"""C19: sparse connectivity and weight sharing cut parameters; sharing does not cut multiply-adds.

Map a 1×8×8 input to 8×6×6 outputs three ways (biases counted separately):

    dense            every output sees every input:      params = MACs = 64·288      = 18,432
    locally connected 3×3 windows, one kernel per output: params = MACs = 288·9       =  2,592
    convolution      3×3 windows, one kernel per channel: params = 8·9 = 72, MACs    =  2,592

Sparse connectivity cuts both; weight *sharing* cuts only the parameters (ERRATA E12). A locally
connected layer whose 36 per-position kernels are all set to the conv kernel gives the conv's
output, which shows sharing is a tie between the unshared kernels, not fewer products.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ...inspect import summary
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure


def _locally_connected(x, kernels, bias):
    """y[n, o, i, j] = b[o, i, j] + Σ_{c,u,v} K[o, i, j, c, u, v] · x[n, c, i+u, j+v]."""
    n, c, h, w = x.shape
    o, oh, ow, _, k, _ = kernels.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))  # n,c,oh,ow,k,k
    return np.einsum("nchwuv,ohwcuv->nohw", win, kernels) + bias[None]


@experiment("C19", section="A", title="Weight sharing cuts parameters, not multiply-adds",
            expected="reproduce", errata=["E12"],
            claim="Sparse connectivity and weight sharing cut parameters; sharing does not cut "
                  "the number of multiply-adds.",
            design="Map 1x8x8 to 8x6x6 with a dense layer, a locally connected (unshared 3x3) "
                   "layer and a 3x3 conv; count weights and MACs (summary hooks for the library "
                   "layers); a locally connected layer tied to the conv kernel equals the conv.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn:Linear", "whiteboard.inspect:summary"],
            tests=["tests/inspect/test_arithmetic_rf.py", "tests/nn/test_conv.py"])
def c19(seed, quick):
    rng = np.random.default_rng(seed)
    conv, dense = nn.Conv2d(1, 8, 3), nn.Linear(64, 8 * 6 * 6)
    s_conv, s_dense = summary(conv, (1, 8, 8)), summary(dense, (64,))
    conv = conv.double()
    lc_params = 8 * 6 * 6 * 1 * 3 * 3
    lc_macs = 8 * 6 * 6 * 1 * 3 * 3  # one product per weight per sample (no sharing)
    x = rng.normal(size=(4, 1, 8, 8))
    tied = np.broadcast_to(conv.weight.data[:, None, None], (8, 6, 6, 1, 3, 3))
    bias = np.broadcast_to(conv.bias.data[:, None, None], (8, 6, 6))
    with no_grad():
        y_conv = conv(tensor(x)).numpy()
    tie_err = float(np.abs(_locally_connected(x, tied, bias) - y_conv).max())
    return {"weights": {"dense": int(dense.weight.data.size), "local": lc_params,
                        "conv": int(conv.weight.data.size)},
            "macs": {"dense": int(s_dense.total_macs), "local": lc_macs,
                     "conv": int(s_conv.total_macs)},
            "tied_local_vs_conv": tie_err}


@c19.decide
def _(trials):
    t = trials[0]
    w, m = t["weights"], t["macs"]
    holds = (w["dense"] > w["local"] > w["conv"] and m["dense"] > m["local"]
             and m["local"] == m["conv"] and t["tied_local_vs_conv"] < 1e-12)
    return verdict(holds, f"weights {w['dense']:,}/{w['local']:,}/{w['conv']:,}, MACs "
                          f"{m['dense']:,}/{m['local']:,}/{m['conv']:,} (dense/local/conv)",
                   otherwise=REFUTED)


@c19.plot
def _(trials):
    t = trials[0]
    labels = ["dense", "local", "conv"]
    return [bar_figure([f"{k} weights" for k in labels] + [f"{k} MACs" for k in labels],
                       [t["weights"][k] for k in labels] + [t["macs"][k] for k in labels],
                       "count (log)", "1x8x8 -> 8x6x6: weights vs MACs", log=True)]
