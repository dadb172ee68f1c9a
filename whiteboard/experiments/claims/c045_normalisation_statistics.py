"""C45–C48: what the standardising norms compute (shapes N×C×H×W).

    μ = mean_S x,  σ² = mean_S (x − μ)² (biased),  y = γ (x − μ)/√(σ² + ε) + β

BatchNorm: S = (N, H, W) per channel → C statistics, broadcast as 1×C×1×1 (C45, E57);
GroupNorm: N·G, InstanceNorm: N·C, LayerNorm: N (C46); GroupNorm with G = 1 normalises like
LayerNorm over (C, H, W) and with G = C like InstanceNorm (C47); γ = √(σ² + ε), β = μ undoes
the normalisation (C48). The oracles are torch's layers.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure

SHAPE = (16, 8, 5, 5)


def _run(module, x):
    with no_grad():
        return module(tensor(x)).numpy()


@experiment("C45", section="C", title="BatchNorm standardises each channel over the batch",
            expected="reproduce", errata=["E57", "E28"],
            claim="BN standardises each channel over the batch (mean 0, variance 1 before gamma, "
                  "beta); statistics have shape 1xCx1x1.",
            design="Random (16, 8, 5, 5) float64 input with per-channel offsets and scales, "
                   "training mode: per-channel mean and biased variance of the output; shape of "
                   "the running statistics; output vs torch BatchNorm2d.",
            code=["whiteboard.nn:BatchNorm2d", "whiteboard.nn.functional:batch_norm"],
            tests=["tests/nn/test_normalization.py"])
def c45(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    x = rng.normal(size=SHAPE) * rng.uniform(0.5, 5, (1, 8, 1, 1)) + rng.normal(0, 3, (1, 8, 1, 1))
    bn = nn.BatchNorm2d(8, dtype=np.float64)
    y = _run(bn, x)
    ref = torch.nn.BatchNorm2d(8, dtype=torch.float64)(torch.from_numpy(x)).detach().numpy()
    return {"channel_mean_abs": np.abs(y.mean((0, 2, 3))).tolist(),
            "channel_var": y.var((0, 2, 3)).tolist(),
            "stat_shape": list(bn.running_mean.shape), "vs_torch": float(np.abs(y - ref).max())}


@c45.decide
def _(trials):
    t = trials[0]
    m, v = max(t["channel_mean_abs"]), t["channel_var"]
    dv = max(abs(a - 1) for a in v)
    holds = m < 1e-7 and dv < 1e-3 and t["stat_shape"] == [SHAPE[1]] and t["vs_torch"] < 1e-6
    return verdict(holds, f"max |channel mean| {m:.1e}, max |var - 1| {dv:.1e} (eps), "
                          f"{t['stat_shape'][0]} statistics, vs torch {t['vs_torch']:.1e}",
                   otherwise=REFUTED)


@c45.plot
def _(trials):
    t = trials[0]
    return [bar_figure([f"c{i}" for i in range(len(t["channel_var"]))], t["channel_var"],
                       "output variance per channel", "BatchNorm2d: per-channel variance")]


@experiment("C46", section="C", title="BN keeps C statistics, GN N*G, IN N*C, LN N",
            expected="reproduce", errata=["E57"],
            claim="BN keeps C statistics, GN N*G, IN N*C, LN N.",
            design="On a (16, 8, 5, 5) input count the distinct (mean, var) groups each norm "
                   "standardises (the output is standardised over exactly those groups) and "
                   "compare the outputs with torch's BN/GN(4)/IN/LN.",
            code=["whiteboard.nn:BatchNorm2d", "whiteboard.nn:GroupNorm",
                  "whiteboard.nn:InstanceNorm2d", "whiteboard.nn:LayerNorm"],
            tests=["tests/nn/test_normalization.py"])
def c46(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    n, c, h, w = SHAPE
    g = 4
    x = rng.normal(size=SHAPE) * 3 + 1
    tx = torch.from_numpy(x)
    d = torch.float64
    cases = {
        "BN": (nn.BatchNorm2d(c, dtype=np.float64), torch.nn.BatchNorm2d(c, dtype=d),
               lambda y: y.transpose(1, 0, 2, 3).reshape(c, -1)),
        "GN": (nn.GroupNorm(g, c, dtype=np.float64), torch.nn.GroupNorm(g, c, dtype=d),
               lambda y: y.reshape(n * g, -1)),
        "IN": (nn.InstanceNorm2d(c), torch.nn.InstanceNorm2d(c), lambda y: y.reshape(n * c, -1)),
        "LN": (nn.LayerNorm((c, h, w), dtype=np.float64), torch.nn.LayerNorm((c, h, w), dtype=d),
               lambda y: y.reshape(n, -1)),
    }
    out = {}
    for name, (mine, ref, groups) in cases.items():
        y = _run(mine, x)
        yr = ref(tx).detach().numpy()
        grp = groups(y)
        out[name] = {"groups": int(grp.shape[0]),
                     "max_group_mean": float(np.abs(grp.mean(1)).max()),
                     "max_group_var_dev": float(np.abs(grp.var(1) - 1).max()),
                     "vs_torch": float(np.abs(y - yr).max())}
    out["expected"] = {"BN": c, "GN": n * g, "IN": n * c, "LN": n}
    return out


@c46.decide
def _(trials):
    t = trials[0]
    names = ("BN", "GN", "IN", "LN")
    ok = all(t[k]["groups"] == t["expected"][k] and t[k]["max_group_mean"] < 1e-7
             and t[k]["max_group_var_dev"] < 1e-3 and t[k]["vs_torch"] < 1e-6 for k in names)
    err = max(t[k]["vs_torch"] for k in names)
    return verdict(ok, "statistics " + ", ".join(f"{k} {t[k]['groups']}" for k in names) +
                   f" (N=16, C=8, G=4); max |y - torch| {err:.1e}", otherwise=REFUTED)


@c46.plot
def _(trials):
    t = trials[0]
    names = ("BN", "GN", "IN", "LN")
    return [bar_figure(names, [t[k]["groups"] for k in names], "number of (mean, var) pairs",
                       "Statistics per norm, input 16x8x5x5")]


@experiment("C47", section="C", title="GroupNorm with G=1 is LayerNorm, with G=C InstanceNorm",
            expected="reproduce",
            claim="GroupNorm with G = 1 is LayerNorm, with G = C is InstanceNorm (in the "
                  "normalisation; the affine shapes differ).",
            design="Random (16, 8, 5, 5) float64 input: GN(1) vs LN over (C, H, W) and GN(C) vs "
                   "IN, all with default affine parameters (gamma 1, beta 0).",
            code=["whiteboard.nn:GroupNorm", "whiteboard.nn:LayerNorm",
                  "whiteboard.nn:InstanceNorm2d"],
            tests=["tests/nn/test_normalization.py"])
def c47(seed, quick):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=SHAPE) * 2 - 1
    c = SHAPE[1]
    g1 = _run(nn.GroupNorm(1, c, dtype=np.float64), x)
    ln = _run(nn.LayerNorm(SHAPE[1:], dtype=np.float64), x)
    gc = _run(nn.GroupNorm(c, c, dtype=np.float64), x)
    inn = _run(nn.InstanceNorm2d(c), x)
    return {"gn1_vs_ln": float(np.abs(g1 - ln).max()), "gnc_vs_in": float(np.abs(gc - inn).max()),
            "gn2_vs_ln": float(np.abs(_run(nn.GroupNorm(2, c, dtype=np.float64), x) - ln).max()),
            "affine_shapes": {"GN": [c], "LN": list(SHAPE[1:])}}


@c47.decide
def _(trials):
    t = trials[0]
    holds = t["gn1_vs_ln"] < 1e-6 and t["gnc_vs_in"] < 1e-6 and t["gn2_vs_ln"] > 1e-3
    return verdict(holds, f"|GN(1) - LN| {t['gn1_vs_ln']:.1e}, |GN(C) - IN| {t['gnc_vs_in']:.1e} "
                          f"(control |GN(2) - LN| {t['gn2_vs_ln']:.2f})", otherwise=REFUTED)


@c47.plot
def _(trials):
    t = trials[0]
    return [bar_figure(["GN(1) vs LN", "GN(C) vs IN", "GN(2) vs LN"],
                       [max(t[k], 1e-17) for k in ("gn1_vs_ln", "gnc_vs_in", "gn2_vs_ln")],
                       "max |difference| (log)", "GroupNorm's two limits", log=True)]


@experiment("C48", section="C", title="gamma and beta can undo the normalisation",
            expected="reproduce",
            claim="gamma and beta can undo the normalisation (gamma = sqrt(var + eps), beta = mu "
                  "gives the identity).",
            design="BatchNorm2d in training mode on a random (16, 8, 5, 5) float64 input with "
                   "gamma set to sqrt(batch var + eps) and beta to the batch mean per channel.",
            code=["whiteboard.nn:BatchNorm2d"], tests=["tests/nn/test_normalization.py"])
def c48(seed, quick):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=SHAPE) * rng.uniform(0.5, 5, (1, 8, 1, 1)) + 4
    bn = nn.BatchNorm2d(8, dtype=np.float64)
    bn.weight.data = np.sqrt(x.var((0, 2, 3)) + bn.eps)
    bn.bias.data = x.mean((0, 2, 3))
    y = _run(bn, x)
    return {"max_abs_diff": float(np.abs(y - x).max()),
            "x": x.ravel()[:300].tolist(), "y": y.ravel()[:300].tolist()}


@c48.decide
def _(trials):
    d = max(t["max_abs_diff"] for t in trials)
    return verdict(d < 1e-6, f"max |BN(x) - x| = {d:.1e} with gamma = sqrt(var + eps), beta = mu",
                   otherwise=REFUTED)


@c48.plot
def _(trials):
    from ._common_claims_ad import scatter_figure

    t = trials[0]
    return [scatter_figure([("entries", t["x"], t["y"])], "input x", "BN(x), gamma=sigma, beta=mu",
                           "BN can represent the identity")]
