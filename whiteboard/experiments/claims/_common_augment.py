"""Shared pieces of the augmentation experiments (C154, C194, C199) and of the digits test in
``tests/augment``: few training digits as 1x8x8 images in [0, 1], a training loop that runs an
``augment`` pipeline on every mini-batch (and a ``Mixup``/``CutMix`` batch transform, whose soft
targets go straight into the cross-entropy), and the accuracies."""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ...optim import SGD, Adam


def digit_images(seed, n_train=200, test_size=0.3):
    """``(Xtr, Xte, ytr, yte)``: a 70/30 stratified split of digits (fixed, random_state=0) with
    ``n_train`` training images drawn by ``seed``; images (N, 1, 8, 8) float32 in [0, 1]."""
    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = (np.asarray(X, dtype=np.float32) / 16.0).reshape(-1, 1, 8, 8)
    Xtr, Xte, ytr, yte = train_test_split(X, np.asarray(y), test_size=test_size, random_state=0,
                                          stratify=y)
    idx = np.random.default_rng(seed).permutation(len(ytr))[:n_train]
    return Xtr[idx], Xte, np.asarray(ytr)[idx], np.asarray(yte)


def small_cnn(channels=8):
    """Conv(1→c, 3, pad 1) → ReLU → MaxPool 2 → Conv(c→2c, 3, pad 1) → ReLU → MaxPool 2 → Linear
    (float32, for 8x8 inputs)."""
    return nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * channels * 4, 10))


def mlp(width=512, dropout=0.0, batchnorm=False):
    """Flatten → [Linear(·, width) → (BN) → ReLU → (Dropout)] × 2 → Linear(width, 10)."""
    layers, d = [nn.Flatten()], 64
    for _ in range(2):
        layers.append(nn.Linear(d, width))
        if batchnorm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU())
        if dropout:
            layers.append(nn.Dropout(dropout))
        d = width
    layers.append(nn.Linear(width, 10))
    return nn.Sequential(*layers)


def train(model, Xtr, ytr, *, epochs, seed, transform=None, batch_transform=None,
          batch_size=32, lr=1e-2, optimizer="adam"):
    """Mini-batch training (Adam, or SGD with momentum 0.9); ``transform`` runs on every batch of
    images, ``batch_transform(x, y)`` returns mixed images and soft targets. Seeds both the data
    order and the library generator (so initialisation and augmentation draws are fixed)."""
    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = list(model.parameters())
    opt = Adam(params, lr=lr) if optimizer == "adam" else SGD(params, lr=lr, momentum=0.9)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(len(ytr))
        for start in range(0, len(ytr), batch_size):
            b = order[start:start + batch_size]
            x, y = Xtr[b], ytr[b]
            if transform is not None:
                x = transform(x)
            if batch_transform is not None:
                x, y = batch_transform(x, y)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(tensor(np.ascontiguousarray(x))), tensor(y))
            loss.backward()
            opt.step()
    model.eval()
    return model


def accuracy(model, X, y):
    """Eval-mode accuracy, without a graph."""
    model.eval()
    with no_grad():
        pred = model(tensor(X)).numpy().argmax(1)
    return float(np.mean(pred == y))


def fit_and_score(make_model, data, *, epochs, seed, **kw):
    """Train a fresh ``make_model()`` (built after seeding) and return train/test accuracy and
    their gap."""
    Xtr, Xte, ytr, yte = data
    backend.manual_seed(seed)
    model = train(make_model(), Xtr, ytr, epochs=epochs, seed=seed, **kw)
    tr, te = accuracy(model, Xtr, ytr), accuracy(model, Xte, yte)
    return {"train": tr, "test": te, "gap": tr - te}
