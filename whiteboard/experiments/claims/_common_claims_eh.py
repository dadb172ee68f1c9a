"""Shared helpers for the experiments of claims E–H (activations, initialisation, losses,
optimisation): an MLP builder; training and accuracy come from the A–D helpers."""

import numpy as np

from ... import backend, nn
from ._common_claims_ad import accuracy, digits_split, train_classifier

__all__ = ["accuracy", "digits_split", "init_mlp", "layer_grad_norms", "mlp", "train_classifier"]


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
