"""Shared helpers for the experiments of claims A–D (regularisation, CNN layers, normalisation,
dropout): empirical receptive fields, a scatter-against-reference figure, a tiny trainer."""

import numpy as np

from ... import backend, nn, tensor


def gradient_support(model, input_shape, dtype=np.float64):
    """Rows and columns of the input that reach the centre output unit of ``model``.

    The empirical receptive field: ∂ y[0, :, h_c, w_c].sum() / ∂x, non-zero where the centre
    unit depends on the pixel. Weights are set positive and the input positive so that no
    gradient cancels by accident, and the convolutions run without Winograd: its transforms
    can leave rounding noise (~1e-31) where the exact gradient is 0, which would widen the support
    by up to a tile (``whiteboard.nn.winograd``). Returns ``(rf_rows, rf_cols, output_hw)``.
    """
    from ... import no_grad
    from ...nn import winograd

    with no_grad():
        for p in model.parameters():
            p.data = np.abs(p.data).astype(dtype) + 0.1
    model.eval()
    x = tensor(np.ones((1,) + tuple(input_shape), dtype=dtype) +
               np.random.default_rng(0).random((1,) + tuple(input_shape)), requires_grad=True)
    with winograd.flags(enabled=False):
        y = model(x)
        if y.ndim == 4:
            hc, wc = y.shape[2] // 2, y.shape[3] // 2
            y[0, :, hc, wc].sum().backward()
            out_hw = [int(y.shape[2]), int(y.shape[3])]
        else:
            y.sum().backward()
            out_hw = []
    g = np.abs(x.grad.data[0]).sum(0) if hasattr(x.grad, "data") else np.abs(x.grad[0]).sum(0)
    rows = np.flatnonzero(g.sum(1) > 0)
    cols = np.flatnonzero(g.sum(0) > 0)
    rf_r = int(rows.max() - rows.min() + 1) if rows.size else 0
    rf_c = int(cols.max() - cols.min() + 1) if cols.size else 0
    return rf_r, rf_c, out_hw


def scatter_figure(pairs, xlabel, ylabel, title):
    """One scatter of ``[(label, reference, value), ...]`` against the identity line."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for label, ref, val in pairs:
        ax.scatter(ref, val, s=6, label=label)
    lim = ax.get_xlim()
    ax.plot(lim, lim, "k--", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if pairs:
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def bar_figure(labels, values, ylabel, title, log=False):
    """A labelled bar chart."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(range(len(values)), values)
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(labels, rotation=20, fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def digits_split(seed=0, n_train=None):
    """Digits standardised by training statistics, 70/30 stratified split (random_state=0)."""
    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    if n_train is not None:
        idx = np.random.default_rng(seed).permutation(len(ytr))[:n_train]
        Xtr, ytr = Xtr[idx], ytr[idx]
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
    return (Xtr - mu) / sd, (Xte - mu) / sd, np.asarray(ytr), np.asarray(yte)


def digits16_split(seed=0, n_train=None, upsample=True):
    """Digits upsampled to 16×16 (bilinear ``scipy.ndimage.zoom``) as ``(N, 1, 16, 16)``, scaled
    by one global mean and sd of the training images (not per pixel, which would give every
    position its own scale and break what weight sharing assumes); 70/30 stratified split
    (random_state=0), ``n_train`` random training images per ``seed`` if given. With
    ``upsample=False`` the native 8×8 images, ``(N, 1, 8, 8)``, same split and scaling."""
    from scipy.ndimage import zoom

    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64) / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, np.asarray(y), test_size=0.3, random_state=0,
                                          stratify=y)
    if n_train is not None:
        idx = np.random.default_rng(seed).permutation(len(ytr))[:n_train]
        Xtr, ytr = Xtr[idx], ytr[idx]
    Itr, Ite = ((zoom(A.reshape(-1, 8, 8), (1, 2, 2), order=1) if upsample
                 else A.reshape(-1, 8, 8))[:, None] for A in (Xtr, Xte))
    mu, sd = Itr.mean(), Itr.std()
    return (Itr - mu) / sd, (Ite - mu) / sd, np.asarray(ytr), np.asarray(yte)


def train_classifier(model, X, y, *, epochs, lr, batch_size=32, seed=0, optimizer="sgd",
                     momentum=0.9, record_batches=False):
    """Mini-batch training with the library's SGD/Adam and cross-entropy; returns per-batch
    losses if ``record_batches``."""
    from ... import optim

    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = list(model.parameters())
    opt = (optim.SGD(params, lr=lr, momentum=momentum) if optimizer == "sgd"
           else optim.Adam(params, lr=lr))
    lossf = nn.CrossEntropyLoss()
    losses = []
    n = len(y)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = order[i:i + batch_size]
            opt.zero_grad()
            loss = lossf(model(tensor(X[b])), tensor(y[b]))
            loss.backward()
            opt.step()
            if record_batches:
                losses.append(float(loss.item()))
    return losses


def accuracy(model, X, y, train_mode=False):
    """Accuracy of ``model`` on (X, y), in eval mode unless ``train_mode``."""
    from ... import no_grad

    model.train(train_mode)
    with no_grad():
        pred = model(tensor(X)).numpy().argmax(1)
    model.train(True)
    return float(np.mean(pred == np.asarray(y)))


def mlp(widths, *, p=0.0, p_in=0.0, bn=False, bn_after_relu=False):
    """float64 MLP ``widths[0] → … → widths[-1]``: Linear → [BN] → ReLU → [Dropout(p)] per hidden
    layer (``bn_after_relu`` puts BN after the ReLU), Dropout(p_in) on the input if ``p_in``;
    ``p`` may be a list with one rate per hidden layer."""
    rates = list(p) if isinstance(p, (list, tuple)) else [p] * (len(widths) - 2)
    layers = [nn.Dropout(p_in)] if p_in else []
    for (a, b), rate in zip(zip(widths[:-2], widths[1:-1]), rates):
        block = [nn.Linear(a, b), nn.ReLU()]
        if bn:
            block.insert(2 if bn_after_relu else 1, nn.BatchNorm1d(b))
        layers += block + ([nn.Dropout(rate)] if rate else [])
    layers.append(nn.Linear(widths[-2], widths[-1]))
    return nn.Sequential(*layers).double()


def seeds_or_single(a, b):
    """``a`` > ``b`` beyond seed noise over paired seeds, or plainly for a single trial."""
    from ..stats import exceeds_noise

    return exceeds_noise(a, b) if len(a) > 1 else a[0] > b[0]
