"""Shared helpers for the experiments of claims E–H (activations, initialisation, losses,
optimisation): an MLP builder; training and accuracy come from the A–D helpers."""

import numpy as np

from ... import backend, nn
from ._common_claims_ad import accuracy, digits_split, train_classifier

__all__ = ["accuracy", "breast_cancer_logreg", "digits_split", "expected_calibration_error",
           "init_mlp", "layer_grad_norms",
           "mlp", "train_classifier"]


def mlp(sizes, activation=nn.ReLU, seed=0, dtype=np.float64):
    """``Linear → activation → … → Linear`` with widths ``sizes`` (PyTorch default init, seeded).

    ``activation`` is a module class or a zero-argument factory; ``None`` means identity.
    """
    backend.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b, dtype=dtype))
        if i < len(sizes) - 2 and activation is not None:
            layers.append(activation())
    return nn.Sequential(*layers)


def init_mlp(model, scheme, gain=1.0):
    """Re-initialise every Linear of ``model``: ``'xavier'`` (normal, gain), ``'he'`` (normal,
    fan_in, ReLU gain) or ``'normal:<std>'``; biases set to 0."""
    from ...nn import init

    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            if scheme == "xavier":
                init.xavier_normal_(layer.weight, gain=gain)
            elif scheme == "he":
                init.kaiming_normal_(layer.weight, nonlinearity="relu")
            elif scheme.startswith("normal:"):
                init.normal_(layer.weight, 0.0, float(scheme.split(":")[1]))
            else:
                raise ValueError(f"scheme must be 'xavier', 'he' or 'normal:<std>', got "
                                 f"{scheme!r}")
            if layer.bias is not None:
                init.zeros_(layer.bias)
    return model


def layer_grad_norms(model, X, y):
    """‖∂L/∂W_l‖ (Frobenius) for each Linear, input side first, of the cross-entropy on (X, y)."""
    from ... import tensor

    model.zero_grad()
    nn.CrossEntropyLoss()(model(tensor(X)), tensor(y)).backward()
    return [float(np.linalg.norm(m.weight.grad.numpy())) for m in model.modules()
            if isinstance(m, nn.Linear)]


def breast_cancer_logreg(lam=1e-2):
    """(fg, hess, w0) of L2-regularised logistic regression on standardised breast_cancer with an
    intercept column: f = mean(log(1 + e^z) − y z) + λ‖w‖²/2, z = Xw."""
    from ...data.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    X = np.asarray(X, dtype=np.float64)
    X = np.hstack([np.ones((len(X), 1)), (X - X.mean(0)) / X.std(0)])
    y = np.asarray(y, dtype=np.float64)

    def fg(w):
        z = X @ w
        return (float(np.mean(np.logaddexp(0.0, z) - y * z) + lam / 2 * w @ w),
                X.T @ (1 / (1 + np.exp(-z)) - y) / len(y) + lam * w)

    def hess(w):
        p = 1 / (1 + np.exp(-X @ w))
        return (X.T * (p * (1 - p))) @ X / len(y) + lam * np.eye(w.size)

    return fg, hess, np.zeros(X.shape[1])


def expected_calibration_error(proba, y, n_bins=15):
    """ECE = Σ_b (|B_b|/n) |acc(B_b) − conf(B_b)| over ``n_bins`` equal-width bins of the top-class
    confidence (Guo et al. 2017); ``proba`` (n, K), ``y`` (n,) class indices."""
    proba, y = np.asarray(proba), np.asarray(y)
    conf, pred = proba.max(1), proba.argmax(1)
    b = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    acc = np.bincount(b, weights=(pred == y).astype(float), minlength=n_bins)
    cs = np.bincount(b, weights=conf, minlength=n_bins)
    return float(np.abs(acc - cs).sum() / len(y))
