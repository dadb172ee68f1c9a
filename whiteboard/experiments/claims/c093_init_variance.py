"""C93–C96: weight scale at initialisation and the variance of activations through depth.

For h_l = φ(W_l h_{l−1}) with W_l entries of variance v and fan-in n, Var(W h)_i = n·v·E[h²]:

    linear / tanh near 0 (φ′(0) = 1)   keeps the variance iff n·v = 1      (LeCun; Xavier
                                       Var = 2/(n_in + n_out) equals 1/n when n_in = n_out)
    ReLU (E[relu(z)²] = Var(z)/2)      keeps it iff n·v = 2                (He: Var = 2/n_in)

so Xavier under ReLU halves the variance per layer, a tiny scale (0.01) collapses the signal
geometrically, and a large one (1.0) saturates tanh at ±1. The notes' He code multiplies by an
extra 0.001 (E36) and its Xavier std 2/√(n_in + n_out) doubles the variance (E94).
All weights are drawn with the library's ``nn.init`` into ``nn.Linear`` layers (bias 0) and the
activations are the library's modules.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ...nn import init
from ..registry import REFUTED, experiment, verdict


def _stds(depth, width, act, draw, n_samples, seed):
    """Std of the activations after each of ``depth`` layers (input N(0, 1), width ``width``)."""
    from ... import backend

    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    h = tensor(rng.normal(size=(n_samples, width)))
    stds, frac_sat = [], []
    with no_grad():
        for _ in range(depth):
            layer = nn.Linear(width, width, dtype=np.float64)
            draw(layer.weight)
            init.zeros_(layer.bias)
            h = layer(h)
            if act is not None:
                h = act()(h)
            a = h.numpy()
            stds.append(float(a.std()))
            frac_sat.append(float(np.mean(np.abs(a) > 0.99)))
    return stds, frac_sat


def _line(ax, ys, label):
    ax.semilogy(np.arange(1, len(ys) + 1), np.maximum(ys, 1e-300), "o-", ms=3, label=label)


@experiment("C93", section="F", title="Small random init (0.01·randn) makes activations vanish",
            expected="reproduce",
            claim="Small random initialisation (0.01·randn) makes activations and gradients "
                  "vanish in deep networks (and a large one saturates tanh).",
            design="10-layer tanh MLP, width 500, 1,000 (500 quick) N(0, 1) inputs (CS231n's "
                   "setup): std of each layer's activations for weight std 0.01, Xavier and "
                   "1.0; fraction of saturated units |h| > 0.99.",
            code=["whiteboard.nn.init:normal_", "whiteboard.nn.init:xavier_normal_",
                  "whiteboard.nn:Tanh"],
            tests=["tests/nn/test_init.py"])
def c93(seed, quick):
    n = 500 if quick else 1000
    out = {}
    for name, draw in (("0.01", lambda w: init.normal_(w, 0.0, 0.01)),
                       ("Xavier", init.xavier_normal_),
                       ("1.0", lambda w: init.normal_(w, 0.0, 1.0))):
        s, sat = _stds(10, 500, nn.Tanh, draw, n, seed)
        out[name] = {"std": s, "saturated": sat}
    return out


@c93.decide
def _(trials):
    t = trials[0]
    small, xav, big = t["0.01"]["std"][-1], t["Xavier"]["std"][-1], t["1.0"]["saturated"][-1]
    return verdict(small < 1e-4 and xav > 0.1 and big > 0.5,
                   f"std after 10 tanh layers: 0.01·randn {small:.1e}, Xavier {xav:.2f}; "
                   f"1.0·randn saturates {big:.0%} of units (|h| > 0.99)")


@c93.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for name in ("0.01", "Xavier", "1.0"):
        _line(ax, t[name]["std"], f"weight std {name}" if name != "Xavier" else "Xavier")
    ax.set_xlabel("layer")
    ax.set_ylabel("std of tanh activations")
    ax.set_title("10-layer tanh MLP at initialisation")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


C94_SETUPS = (("Xavier", "tanh"), ("Xavier", "ReLU"), ("He", "tanh"), ("He", "ReLU"))


@experiment("C94", section="F", title="Xavier preserves variance for tanh/linear, He for ReLU",
            expected="reproduce",
            claim="Xavier initialisation preserves the activation variance for tanh/linear "
                  "units, He initialisation for ReLU units.",
            design="20 layers of width 256, 1,000 (500 quick) N(0, 1) inputs: activation "
                   "variance per layer for {Xavier, He} × {tanh, ReLU}; geometric-mean ratio "
                   "Var_{l+1}/Var_l over layers 2–20.",
            code=["whiteboard.nn.init:xavier_normal_", "whiteboard.nn.init:kaiming_normal_",
                  "whiteboard.nn:ReLU", "whiteboard.nn:Tanh"],
            tests=["tests/nn/test_init.py"])
def c94(seed, quick):
    n = 500 if quick else 1000
    draws = {"Xavier": init.xavier_normal_,
             "He": lambda w: init.kaiming_normal_(w, nonlinearity="relu")}
    acts = {"tanh": nn.Tanh, "ReLU": nn.ReLU}
    out = {}
    for scheme, act in C94_SETUPS:
        s, _ = _stds(20, 256, acts[act], draws[scheme], n, seed)
        v = np.square(s)
        out[f"{scheme}+{act}"] = {"std": s,
                                  "var_ratio": float(np.exp(np.mean(np.diff(np.log(v[1:])))))}
    return out


@c94.decide
def _(trials):
    r = {k: v["var_ratio"] for k, v in trials[0].items()}
    holds = (abs(r["He+ReLU"] - 1) < 0.05 and abs(r["Xavier+ReLU"] - 0.5) < 0.05
             and r["Xavier+tanh"] > 0.8)
    return verdict(holds, "variance ratio per layer: He+ReLU {:.3f}, Xavier+ReLU {:.3f}, "
                          "Xavier+tanh {:.3f}, He+tanh {:.3f}".format(
                              r["He+ReLU"], r["Xavier+ReLU"], r["Xavier+tanh"], r["He+tanh"]))


@c94.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for k, v in t.items():
        _line(ax, v["std"], k)
    ax.set_xlabel("layer")
    ax.set_ylabel("activation std")
    ax.set_title("20 layers, width 256")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C95", section="F", title="The note's He code (extra 0.001) makes activations vanish",
            expected="refute", errata=["E36"],
            claim="The note's He initialisation code, w = 0.001·randn(n_in, n_out)/√(n/2), "
                  "preserves the activations of a ReLU network.",
            design="10 ReLU layers of width 256, N(0, 1) inputs: output std with the note's code "
                   "(normal_ with std 0.001·√(2/n)) vs the library's kaiming_normal_.",
            code=["whiteboard.nn.init:kaiming_normal_", "whiteboard.nn:ReLU"],
            tests=["tests/nn/test_init.py"])
def c95(seed, quick):
    n = 500 if quick else 1000
    he, _ = _stds(10, 256, nn.ReLU, lambda w: init.kaiming_normal_(w, nonlinearity="relu"),
                  n, seed)
    note, _ = _stds(10, 256, nn.ReLU, lambda w: init.normal_(w, 0.0, 0.001 * np.sqrt(2 / 256)),
                    n, seed)
    return {"he": he, "note": note}


@c95.decide
def _(trials):
    t = trials[0]
    he, note = t["he"][-1], t["note"][-1]
    # the note's claim holds only if its code keeps the output std of the order of He's
    return verdict(note > 0.1 * he, f"output std after 10 ReLU layers: note's code {note:.1e} "
                                    f"vs He {he:.2f}", otherwise=REFUTED)


@c95.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    _line(ax, t["he"], "He (kaiming_normal_)")
    _line(ax, t["note"], "note's code (× 0.001)")
    ax.set_xlabel("layer")
    ax.set_ylabel("activation std")
    ax.set_title("E36: the stray 0.001 kills the signal")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C96", section="F", title="The note's Xavier std 2/√(n_in + n_out) is Glorot's",
            expected="refute", errata=["E94"],
            claim="Xavier initialisation uses a weight std of 2/√(n_in + n_out).",
            design="Sample variance of 10⁶ weights drawn with std 2/√(n_in + n_out) against the "
                   "library's xavier_normal_ (Var 2/(n_in + n_out)) for (256, 256) and (784, 100); "
                   "activation std through 10 linear layers of width 256 with each.",
            code=["whiteboard.nn.init:xavier_normal_"],
            tests=["tests/nn/test_init.py"])
def c96(seed, quick):
    from ... import backend

    backend.manual_seed(seed)
    ratios = []
    for n_in, n_out in ((256, 256), (784, 100)):
        w = nn.Parameter(tensor(np.zeros((n_out, n_in))))
        init.xavier_normal_(w)
        v_lib = float(w.numpy().var())
        init.normal_(w, 0.0, 2 / np.sqrt(n_in + n_out))
        ratios.append({"shape": [n_in, n_out], "var_note": float(w.numpy().var()),
                       "var_xavier": v_lib, "glorot": 2 / (n_in + n_out)})
    n = 500 if quick else 1000
    xav, _ = _stds(10, 256, None, init.xavier_normal_, n, seed)
    note, _ = _stds(10, 256, None, lambda w: init.normal_(w, 0.0, 2 / np.sqrt(512)), n, seed)
    growth = float(np.exp(np.mean(np.diff(np.log(note)))))
    return {"ratios": ratios, "xavier_std": xav, "note_std": note, "note_growth": growth}


@c96.decide
def _(trials):
    t = trials[0]
    r = [x["var_note"] / x["var_xavier"] for x in t["ratios"]]
    lib_ok = all(abs(x["var_xavier"] / x["glorot"] - 1) < 0.02 for x in t["ratios"])
    # the note is right only if its std gives Glorot's variance (ratio 1)
    holds = all(abs(q - 1) < 0.05 for q in r) and lib_ok
    return verdict(holds, f"Var(note) / Var(Glorot) = {r[0]:.3f}, {r[1]:.3f}; linear-net std "
                          f"grows ×{t['note_growth']:.3f} per layer (√2 = 1.414)",
                   otherwise=REFUTED)


@c96.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    _line(ax, t["xavier_std"], "Xavier (√(2/(n_in+n_out)))")
    _line(ax, t["note_std"], "note (2/√(n_in+n_out))")
    ax.set_xlabel("linear layer")
    ax.set_ylabel("activation std")
    ax.set_title("E94: the note's Xavier doubles the variance")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
