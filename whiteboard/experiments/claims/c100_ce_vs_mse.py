"""C100: with sigmoid/softmax outputs, cross-entropy learns faster than MSE.

For one sigmoid neuron a = σ(wx + b) with target y:

    MSE  ½(a − y)²:   ∂L/∂w = (a − y)·σ′(z)·x     (σ′ → 0 when the output saturates)
    CE   −y log a − (1 − y) log(1 − a):   ∂L/∂w = (a − y)·x   (no σ′ factor)

so a saturated *wrong* output (x = 1, y = 0, w = b = 2: a = 0.98) barely moves under MSE but
learns at once under CE (Nielsen, ch. 3). The same effect slows a softmax classifier trained
with MSE on one-hot targets. Everything runs on the library's autograd, losses and SGD.
"""

import numpy as np

from ... import nn, tensor
from ...nn import functional as F
from ...optim import SGD
from ._common_claims_eh import accuracy, digits_split, mlp
from ..registry import experiment, verdict

CHECK = (50, 100, 200, 300)


def _neuron(loss):
    w = nn.Parameter(tensor(np.array([2.0])))
    b = nn.Parameter(tensor(np.array([2.0])))
    opt = SGD([w, b], lr=0.15)
    x, y = tensor(np.array([1.0])), tensor(np.array([0.0]))
    out = []
    for _ in range(max(CHECK)):
        opt.zero_grad()
        a = F.sigmoid(w * x + b)
        out.append(float(a.item()))
        L = 0.5 * F.mse_loss(a, y) if loss == "MSE" else F.binary_cross_entropy(a, y)
        L.backward()
        opt.step()
    out.append(float(F.sigmoid(w * x + b).item()))
    return out


def _digits(loss, seed, epochs):
    Xtr, Xte, ytr, yte = digits_split(seed)
    model = mlp((64, 32, 10), nn.Sigmoid, seed=seed)
    opt = SGD(model.parameters(), lr=0.5)
    rng = np.random.default_rng(seed)
    onehot = np.eye(10)[ytr]
    accs = []
    for _ in range(epochs):
        order = rng.permutation(len(ytr))
        for i in range(0, len(ytr), 32):
            b = order[i:i + 32]
            opt.zero_grad()
            z = model(tensor(Xtr[b]))
            if loss == "MSE":
                L = F.mse_loss(F.softmax(z, dim=1), tensor(onehot[b]), reduction="sum") / len(b)
            else:
                L = F.cross_entropy(z, tensor(ytr[b]))
            L.backward()
            opt.step()
        accs.append(accuracy(model, Xte, yte))
    return accs


@experiment("C100", section="G", title="With sigmoid/softmax outputs, CE learns faster than MSE",
            expected="reproduce",
            claim="With sigmoid/softmax outputs, cross-entropy learns faster than MSE (MSE stalls "
                  "on saturated wrong outputs).",
            design="(a) One sigmoid neuron, x = 1, target 0, w = b = 2, SGD lr 0.15: output after "
                   "50/100/200/300 steps, MSE vs CE. (b) MLP 64-32(sigmoid)-10 with softmax on "
                   "digits, SGD lr 0.5, batch 32, 15 epochs (6 quick): test accuracy per epoch, "
                   "epochs to 90 %.",
            code=["whiteboard.nn.functional:binary_cross_entropy",
                  "whiteboard.nn.functional:mse_loss", "whiteboard.nn.functional:cross_entropy",
                  "whiteboard.optim:SGD"],
            tests=["tests/nn/test_loss.py"])
def c100(seed, quick):
    neuron = {k: _neuron(k) for k in ("MSE", "CE")}
    epochs = 6 if quick else 15
    dig = {k: _digits(k, seed, epochs) for k in ("MSE", "CE")}

    def first(accs):
        hit = [i + 1 for i, a in enumerate(accs) if a >= 0.9]
        return hit[0] if hit else None

    return {"neuron": neuron, "at": {k: [neuron[k][s] for s in CHECK] for k in neuron},
            "digits": dig, "epochs_to_90": {k: first(v) for k, v in dig.items()},
            "epochs": epochs}


@c100.decide
def _(trials):
    t = trials[0]
    m, c = t["at"]["MSE"], t["at"]["CE"]
    e = t["epochs_to_90"]
    neuron = m[1] > 0.9 and c[1] < 0.1
    digits = e["CE"] is not None and (e["MSE"] is None or e["MSE"] > e["CE"])
    return verdict(neuron and digits,
                   f"neuron output after {'/'.join(map(str, CHECK))} steps: MSE "
                   f"{'/'.join(f'{v:.3f}' for v in m)}, CE {'/'.join(f'{v:.3f}' for v in c)}; "
                   f"digits epochs to 90 % test accuracy: CE {e['CE']}, MSE "
                   f"{e['MSE'] if e['MSE'] is not None else '> ' + str(t['epochs'])}")


@c100.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for k in ("MSE", "CE"):
        axes[0].plot(t["neuron"][k], label=k)
        axes[1].plot(np.arange(1, len(t["digits"][k]) + 1), t["digits"][k], "o-", ms=3, label=k)
    axes[0].set_xlabel("SGD step")
    axes[0].set_ylabel("output σ(wx + b) (target 0)")
    axes[0].set_title("saturated wrong neuron")
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("test accuracy (digits)")
    axes[1].set_title("softmax MLP")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
