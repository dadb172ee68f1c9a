"""Shared helpers for the experiments of claims E–F assigned to the claims-ad branch (the ReLU
family, ReLU vs saturating units, sparse initialisation): the activation factories, digits on
[0, 1] (the C79 setting), per-unit gradient and activation statistics."""

import numpy as np

from ... import nn, no_grad, tensor

__all__ = ["LEAKY_FAMILY", "digits_unit_scale", "hidden_pre_activations", "zero_grad_units"]


def _prelu(num_parameters=1):
    """A float64 PReLU (init 0.25) factory; ``num_parameters`` > 1 is channel-wise."""
    return lambda: nn.PReLU(num_parameters=num_parameters, dtype=np.float64)


# the ReLU family compared in C80/C85 (factories: a module per hidden layer)
LEAKY_FAMILY = {
    "ReLU": nn.ReLU,
    "LeakyReLU": nn.LeakyReLU,
    "PReLU": _prelu(),
    "RReLU": nn.RReLU,
    "ELU": nn.ELU,
}


def digits_unit_scale():
    """Digits pixels / 16 ∈ [0, 1], 70/30 stratified split (random_state=0)."""
    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64) / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    return Xtr, Xte, np.asarray(ytr), np.asarray(yte)


def hidden_pre_activations(model, X):
    """Pre-activations ``z_l`` (N, width) of every hidden Linear of a ``Sequential`` MLP, in eval
    mode (RReLU at its mean slope)."""
    was = model.training
    model.eval()
    out = []
    h = tensor(X)
    layers = list(model)
    with np.errstate(all="ignore"), no_grad():
        for i, layer in enumerate(layers[:-1]):
            h = layer(h)
            if isinstance(layer, nn.Linear) and i + 1 < len(layers):
                out.append(h.numpy().copy())
    model.train(was)
    return out


def zero_grad_units(model, X, y):
    """Per hidden layer, the number of units whose incoming weights and bias get exactly zero
    gradient from the full-batch cross-entropy on (X, y) (eval mode), and the layer widths.

    A unit j of layer l receives ∂L/∂W_l[j, :] = Σ_n δ_nj x_n with δ_nj = f′(z_nj)·(∂L/∂h_nj):
    for ReLU f′ = 0 wherever z ≤ 0, so a unit negative on every example gets exactly zero; for
    Leaky ReLU / PReLU (α ≠ 0) / RReLU / ELU f′ > 0 everywhere and it does not.
    """
    was = model.training
    model.eval()
    model.zero_grad()
    with np.errstate(all="ignore"):
        nn.CrossEntropyLoss()(model(tensor(X)), tensor(y)).backward()
    linears = [m for m in model if isinstance(m, nn.Linear)][:-1]
    zero, width = [], []
    for m in linears:
        g = np.abs(m.weight.grad.numpy()).sum(1) + np.abs(m.bias.grad.numpy())
        zero.append(int(np.sum(g == 0.0)))
        width.append(int(g.size))
    model.zero_grad()
    model.train(was)
    return zero, width
