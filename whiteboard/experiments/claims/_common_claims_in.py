"""Shared helpers for the experiments of claims I–N (C142–C206): data loading and small nets."""

import numpy as np

from ... import nn


def digits_split(seed=0, test_size=0.3, scale=True):
    """Digits (1797 × 64), 70/30 stratified split; pixels scaled to [0, 1] when ``scale``."""
    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64)
    if scale:
        X = X / 16.0
    return train_test_split(X, np.asarray(y), test_size=test_size, random_state=seed, stratify=y)


def standardise(X_train, *others):
    """Standardise by the training mean and sd (columns with sd 0 are left centred)."""
    mu, sd = X_train.mean(0), X_train.std(0)
    sd = np.where(sd > 0, sd, 1.0)
    return [(X_train - mu) / sd] + [(X - mu) / sd for X in others]


class ResidualBlock(nn.Module):
    """``x + branch(x)`` with ``branch = Linear → [BN] → ReLU → Linear → [BN]`` (post-add ReLU
    off, so a zero branch gives exactly the identity)."""

    def __init__(self, width, bn=True, residual=True):
        super().__init__()
        layers = [nn.Linear(width, width)]
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers += [nn.ReLU(), nn.Linear(width, width)]
        if bn:
            layers.append(nn.BatchNorm1d(width))
        self.branch = nn.Sequential(*layers)
        self.residual = residual

    def forward(self, x):
        out = self.branch(x)
        return x + out if self.residual else nn.functional.relu(out)


def block_mlp(d_in, width, n_blocks, n_out, bn=True, residual=True):
    """Stem Linear → ReLU, ``n_blocks`` :class:`ResidualBlock` (plain unless ``residual``), head."""
    return nn.Sequential(nn.Linear(d_in, width), nn.ReLU(),
                         *[ResidualBlock(width, bn, residual) for _ in range(n_blocks)],
                         nn.Linear(width, n_out))


def train_classifier(model, X, y, epochs, lr=1e-2, batch_size=64, seed=0, weight_decay=0.0):
    """Adam on the cross-entropy, shuffled mini-batches; returns the per-epoch mean loss."""
    from ...autograd import tensor
    from ...optim import Adam

    rng = np.random.default_rng(seed)
    opt = Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    model.train()
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(y))
        total = 0.0
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(tensor(X[idx])), tensor(y[idx]))
            loss.backward()
            opt.step()
            total += float(loss.item()) * len(idx)
        losses.append(total / len(y))
    model.eval()
    return losses


def predict(model, X, batch_size=512):
    """Arg-max class of the model's outputs, without a graph."""
    from ...autograd import no_grad, tensor

    out = []
    with no_grad():
        for start in range(0, len(X), batch_size):
            out.append(model(tensor(X[start:start + batch_size])).numpy().argmax(1))
    return np.concatenate(out)


def digits_cnn(channels=8):
    """Conv(1→c, 3, pad 1) → ReLU → MaxPool 2 → Conv(c→2c, 3, pad 1) → ReLU → MaxPool 2 → Linear."""
    return nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * channels * 4, 10))


def he_init(model):
    """He (Kaiming normal, fan_in, ReLU) weights and zero biases for every Linear/Conv2d."""
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def train_sgd(model, X, y, epochs, lr=0.05, momentum=0.9, batch_size=64, seed=0):
    """SGD with momentum on the cross-entropy, shuffled mini-batches (float32 inputs)."""
    from ...autograd import tensor
    from ...optim import SGD

    rng = np.random.default_rng(seed)
    opt = SGD(model.parameters(), lr=lr, momentum=momentum)
    X = np.asarray(X, dtype=np.float32)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            nn.functional.cross_entropy(model(tensor(X[idx])), tensor(y[idx])).backward()
            opt.step()
    model.eval()
    return model


def eval_loss(model, X, y):
    """Mean cross-entropy of ``model`` (eval mode, no graph) on ``(X, y)``."""
    from ...autograd import no_grad, tensor

    model.eval()
    with no_grad():
        return float(nn.functional.cross_entropy(model(tensor(np.asarray(X, np.float32))),
                                                 tensor(y)).item())


def digits_images(seed=0):
    """Digits as 1×8×8 float32 images in [0, 1], 70/30 stratified split: Xtr, Xte, ytr, yte."""
    Xtr, Xte, ytr, yte = digits_split(seed)
    return (Xtr.reshape(-1, 1, 8, 8).astype(np.float32),
            Xte.reshape(-1, 1, 8, 8).astype(np.float32), ytr, yte)


def n_params(model):
    """Number of trainable scalars of ``model``."""
    return int(sum(p.numpy().size for p in model.parameters()))


def vgg_stack(depth, channels=16, batch_norm=False, n_out=10, size=16):
    """VGG-style CNN for 1×size×size inputs (16 unless given; a multiple of 4): ``depth // 2``
    3×3 convs (pad 1) of ``channels``, 2×2 max pool, ``depth - depth // 2`` convs of
    ``2·channels``, max pool, linear head on (size/4)×(size/4) maps (4×4 for 16×16 inputs).

    Layer lists are stable in depth: the first convs of each stage and the head of a shallower
    stack have the same shapes as those of a deeper one (what C153's staged init copies).
    """
    layers, cin = [], 1
    for stage, n in enumerate((depth // 2, depth - depth // 2)):
        c = channels * (stage + 1)
        for _ in range(n):
            layers.append(nn.Conv2d(cin, c, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(c))
            layers.append(nn.ReLU())
            cin = c
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(cin * (size // 4) ** 2, n_out))
