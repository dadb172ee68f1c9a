"""C74: every activation of the notes behaves as defined (values and gradients vs PyTorch).

    ReLU        max(0, x)                     Leaky ReLU   max(0, x) + α·min(0, x), α = 0.01
    PReLU       max(0, x) + a·min(0, x), a learnt (init 0.25)
    RReLU       slope ~ U(l, u) in training, (l + u)/2 at evaluation (l = 1/8, u = 1/3)
    ELU         x (x > 0), α(eˣ − 1) (x ≤ 0)  ReLU6        min(max(0, x), 6)
    Softplus    (1/β) log(1 + e^{βx}), = x where βx > threshold (20)
    Swish/SiLU  x·σ(x)                        Mish         x·tanh(softplus(x))
    Maxout      max_j (xW_jᵀ + b_j)           softmax      e^{x_i} / Σ_j e^{x_j}

E65/E66 of the errata: the note's tanh = (1 − e^{−x})/(1 + e^{−x}) is tanh(x/2), and its
Mish = x·tanh(ln(1 + e^{−x})) is −Mish(−x); both are shown as numbers next to the correct forms.
Values and autograd gradients (of Σ f(x)·c with random c, so softmax's Jacobian is exercised) on
a float64 grid x ∈ [−50, 50] are compared with ``torch.nn.functional``.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict

W_PRELU = 0.25


def _ours():
    return {
        "ReLU": F.relu,
        "LeakyReLU": lambda x: F.leaky_relu(x, 0.01),
        "PReLU": lambda x: F.prelu(x, tensor(np.array([W_PRELU]))),
        "RReLU (eval)": lambda x: F.rrelu(x, training=False),
        "ELU": F.elu,
        "ReLU6": F.relu6,
        "Softplus": F.softplus,
        "SiLU (Swish)": F.silu,
        "Mish": F.mish,
        "softmax": lambda x: F.softmax(x.reshape(-1, 7), dim=-1).reshape(-1),
        "Maxout (k = 3)": lambda x: F.maxout(x.reshape(-1, 21), 3, dim=-1),
    }


def _theirs(torch):
    TF = torch.nn.functional
    return {
        "ReLU": TF.relu,
        "LeakyReLU": lambda x: TF.leaky_relu(x, 0.01),
        "PReLU": lambda x: TF.prelu(x, torch.tensor([W_PRELU], dtype=torch.float64)),
        "RReLU (eval)": lambda x: TF.rrelu(x, training=False),
        "ELU": TF.elu,
        "ReLU6": TF.relu6,
        "Softplus": TF.softplus,
        "SiLU (Swish)": TF.silu,
        "Mish": TF.mish,
        "softmax": lambda x: TF.softmax(x.reshape(-1, 7), dim=-1).reshape(-1),
        # maxout has no torch op: the max over groups of k consecutive features
        "Maxout (k = 3)": lambda x: x.reshape(-1, 7, 3).amax(-1),
    }


@experiment("C74", section="E", title="Every listed activation behaves as defined",
            expected="reproduce", errata=["E65", "E66"],
            claim="Every listed activation (ReLU, Leaky ReLU, PReLU, RReLU, ELU, ReLU6, Softplus, "
                  "Swish, Mish, Maxout, softmax) behaves as defined (with the tanh and Mish "
                  "formulas corrected).",
            design="Float64 grid x ∈ [−50, 50] (2,100 points, 0 excluded: kinks): values and "
                   "autograd gradients of Σ f(x)·c (random c) of the library's functional ops "
                   "against torch.nn.functional (maxout against a grouped amax); Softplus = x "
                   "above the threshold 20; the notes' tanh and Mish formulas evaluated.",
            code=["whiteboard.nn.functional:relu", "whiteboard.nn.functional:leaky_relu",
                  "whiteboard.nn.functional:prelu", "whiteboard.nn.functional:rrelu",
                  "whiteboard.nn.functional:elu", "whiteboard.nn.functional:relu6",
                  "whiteboard.nn.functional:softplus", "whiteboard.nn.functional:silu",
                  "whiteboard.nn.functional:mish", "whiteboard.nn.functional:softmax",
                  "whiteboard.nn.functional:maxout"],
            tests=["tests/nn/test_activation.py"])
def c74(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    x = np.linspace(-50.0, 50.0, 2100)
    x = x[np.abs(x) > 1e-9]
    x = x[: (x.size // 21) * 21]
    c = rng.normal(size=x.size)
    mine, theirs = _ours(), _theirs(torch)
    rows = []
    for name in mine:
        xt = tensor(x, requires_grad=True)
        y = mine[name](xt)
        y = y.reshape(-1)
        (y * tensor(c[: y.shape[0]])).sum().backward()
        xo = torch.tensor(x, requires_grad=True)
        yo = theirs[name](xo).reshape(-1)
        (yo * torch.tensor(c[: yo.shape[0]])).sum().backward()
        rows.append({"name": name,
                     "value_err": float(np.abs(y.numpy() - yo.detach().numpy()).max()),
                     "grad_err": float(np.abs(xt.grad.numpy() - xo.grad.numpy()).max())})
    big = x[x > 20]
    sp_linear = float(np.abs(F.softplus(tensor(big)).numpy() - big).max())
    s = np.linspace(-5, 5, 101)
    note_tanh = (1 - np.exp(-s)) / (1 + np.exp(-s))
    mish = s * np.tanh(np.log1p(np.exp(s)))
    note_mish = s * np.tanh(np.log1p(np.exp(-s)))
    curves = {n: f(tensor(s)).numpy().tolist() for n, f in mine.items()
              if n not in ("softmax", "Maxout (k = 3)", "PReLU")}
    return {"rows": rows, "softplus_linear_err": sp_linear,
            "E65_note_tanh_vs_tanh_half": float(np.abs(note_tanh - np.tanh(s / 2)).max()),
            "E65_note_tanh_vs_tanh": float(np.abs(note_tanh - np.tanh(s)).max()),
            "E66_note_mish_vs_minus_mish_minus_x": float(np.abs(note_mish + mish[::-1]).max()),
            "E66_note_mish_vs_mish": float(np.abs(note_mish - mish).max()),
            "s": s.tolist(), "curves": curves}


@c74.decide
def _(trials):
    t = trials[0]
    val = max(r["value_err"] for r in t["rows"])
    grad = max(r["grad_err"] for r in t["rows"])
    worst = max(t["rows"], key=lambda r: max(r["value_err"], r["grad_err"]))["name"]
    errata = (t["E65_note_tanh_vs_tanh_half"] < 1e-12 and t["E65_note_tanh_vs_tanh"] > 0.1
              and t["E66_note_mish_vs_minus_mish_minus_x"] < 1e-12
              and t["E66_note_mish_vs_mish"] > 0.1)
    return verdict(val < 1e-6 and grad < 1e-6 and t["softplus_linear_err"] == 0.0 and errata,
                   f"max |value − torch| {val:.1e}, |grad − torch| {grad:.1e} over "
                   f"{len(t['rows'])} activations (worst {worst}); Softplus − x above 20: "
                   f"{t['softplus_linear_err']:.0e}; note's tanh = tanh(x/2) to "
                   f"{t['E65_note_tanh_vs_tanh_half']:.0e}, note's Mish = −Mish(−x) to "
                   f"{t['E66_note_mish_vs_minus_mish_minus_x']:.0e}", otherwise=REFUTED)


@c74.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, ys in t["curves"].items():
        ax.plot(t["s"], ys, label=name, lw=1.1)
    ax.set_ylim(-2, 6)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title("Library activations (= torch to < 1e-6)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [fig]
