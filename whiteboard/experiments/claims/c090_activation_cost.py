"""C90: sigmoid and tanh cost more than ReLU (they need exponentials).

ReLU's forward is one comparison per element, max(0, z), and its backward a mask, g·[z > 0];
sigmoid σ(z) = 1/(1 + e^{−z}) and tanh (an exponential-based transcendental) need an exp or
equivalent per element forward, and their backward g·σ(1 − σ), g·(1 − tanh²) a few more
multiplies. The experiment times the library's autograd ``relu``, ``sigmoid``, ``tanh`` (and
``elu``, also exponential-based) on a float64 vector — forward plus ``backward`` with an all-ones
upstream gradient — 10⁷ elements, median of 20 repeats (10⁶ and 7 quick), and NumPy's own
forward kernels (``np.maximum``, the stable logistic, ``np.tanh``) for reference. NumPy ufuncs
run on one thread; the timing is recorded with the thread setting. Evidence: the median time
ratios sigmoid/ReLU and tanh/ReLU; they count as "costlier" when the median ratio exceeds 1 and
the interquartile ranges do not overlap. A benchmark, so the figures are machine-dependent.
"""

import os
import time

import numpy as np

from ..registry import experiment, verdict

ACTS = ("relu", "sigmoid", "tanh", "elu")


def _numpy_forward():
    def sigmoid(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    return {"relu": lambda z: np.maximum(z, 0.0), "sigmoid": sigmoid, "tanh": np.tanh,
            "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))}


def time_autograd(fn, x, g, repeats):
    """Seconds per forward + backward of ``fn`` on the leaf tensor ``x`` with upstream ``g``."""
    out = []
    for _ in range(repeats):
        x.grad = None
        t0 = time.perf_counter()
        fn(x).backward(g)
        out.append(time.perf_counter() - t0)
    return out


def time_numpy(fn, z, repeats):
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(z)
        out.append(time.perf_counter() - t0)
    return out


@experiment("C90", section="E", title="sigmoid / tanh cost more than ReLU (benchmark)",
            expected="reproduce",
            claim="sigmoid/tanh cost more than ReLU (exponentials).",
            design="Library autograd relu / sigmoid / tanh / elu on a float64 vector of 10⁷ "
                   "elements (10⁶ quick): forward + backward time, median and quartiles of 20 "
                   "repeats (7 quick), plus NumPy's forward kernels; ratio to ReLU.",
            code=["whiteboard.nn.functional:relu", "whiteboard.nn.functional:sigmoid",
                  "whiteboard.nn.functional:tanh", "whiteboard.nn.functional:elu"],
            tests=["tests/nn/test_activation.py"])
def c90(seed, quick):
    from ... import tensor
    from ...nn import functional as F

    n, repeats = (10**6, 7) if quick else (10**7, 20)
    z = np.random.default_rng(seed).standard_normal(n)
    x, g = tensor(z.copy(), requires_grad=True), tensor(np.ones(n))
    fns = {"relu": F.relu, "sigmoid": F.sigmoid, "tanh": F.tanh, "elu": F.elu}
    autograd = {a: time_autograd(fns[a], x, g, repeats) for a in ACTS}
    npf = _numpy_forward()
    forward = {a: time_numpy(npf[a], z, repeats) for a in ACTS}
    return {"n": n, "repeats": repeats, "autograd_s": autograd, "numpy_forward_s": forward,
            "threads": os.environ.get("OMP_NUM_THREADS", "unset (NumPy ufuncs: 1 thread)")}


def _q(v, q):
    return float(np.quantile(v, q))


@c90.decide
def _(trials):
    t = trials[0]
    a = t["autograd_s"]
    relu_med, relu_q75 = _q(a["relu"], 0.5), _q(a["relu"], 0.75)
    costly, parts = [], []
    for name in ACTS[1:]:
        ratio = _q(a[name], 0.5) / relu_med
        if name in ("sigmoid", "tanh"):
            costly.append(ratio > 1 and _q(a[name], 0.25) > relu_q75)
        npr = _q(t["numpy_forward_s"][name], 0.5) / _q(t["numpy_forward_s"]["relu"], 0.5)
        parts.append(f"{name}/ReLU {ratio:.2f}× (NumPy forward {npr:.2f}×)")
    return verdict(all(costly),
                   f"forward + backward on {t['n']:.0e} float64 elements, median of "
                   f"{t['repeats']}: ReLU {relu_med * 1e3:.1f} ms; " + ", ".join(parts)
                   + f"; threads {t['threads']}")


@c90.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.4))
    data = [np.asarray(t["autograd_s"][a]) * 1e3 for a in ACTS]
    ax.boxplot(data)
    ax.set_xticks(np.arange(1, len(ACTS) + 1))
    ax.set_xticklabels(ACTS)
    ax.set_xlabel("activation (library autograd, forward + backward)")
    ax.set_ylabel(f"ms per {t['n']:.0e} float64 elements")
    ax.set_title(f"{t['repeats']} repeats; threads: {t['threads']}", fontsize=8)
    fig.tight_layout()
    return [fig]
