"""Shared helpers for the claims-gh optimisation experiments (H): a training loop that takes any
optimiser factory and scheduler, records the per-update loss and stops on divergence, the full
cross-entropy of a model, and the standardised breast_cancer set."""

import numpy as np

from ... import backend, nn, no_grad, tensor

__all__ = ["breast_cancer", "full_loss", "line_figure", "train_steps"]


def breast_cancer():
    """(X, y) of breast_cancer, features standardised, float64, labels int."""
    from ...data.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    X = np.asarray(X, dtype=np.float64)
    return (X - X.mean(0)) / X.std(0), np.asarray(y)


def full_loss(model, X, y):
    """Mean cross-entropy of ``model`` on all of (X, y), no gradient (inf when not finite)."""
    with no_grad():
        v = float(nn.CrossEntropyLoss()(model(tensor(X)), tensor(y)).item())
    return v if np.isfinite(v) else float("inf")


def train_steps(model, X, y, make_opt, *, steps, batch_size, seed=0, scheduler=None,
                blowup=1e6, eval_every=0):
    """``steps`` updates of ``make_opt(params)`` on cross-entropy with reshuffled mini-batches.

    ``scheduler(opt)`` (optional) builds a per-update lr scheduler. Returns ``dict(batch_loss,
    full)``: the loss of each mini-batch before its update, and (when ``eval_every``) the full
    training loss every ``eval_every`` updates, starting at step 0. Training stops early, padding
    with inf, when the batch loss is not finite or exceeds ``blowup``.
    """
    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    opt = make_opt(list(model.parameters()))
    sch = scheduler(opt) if scheduler is not None else None
    lossf = nn.CrossEntropyLoss()
    n = len(y)
    batch_losses, full = [], []
    order, pos = rng.permutation(n), 0
    model.train()
    for step in range(steps):
        if eval_every and step % eval_every == 0:
            full.append(full_loss(model, X, y))
        if pos + batch_size > n:
            order, pos = rng.permutation(n), 0
        b = order[pos:pos + batch_size]
        pos += batch_size
        opt.zero_grad()
        loss = lossf(model(tensor(X[b])), tensor(y[b]))
        v = float(loss.item())
        if not np.isfinite(v) or v > blowup:
            batch_losses += [float("inf")] * (steps - step)
            if eval_every:
                full += [float("inf")] * (len(range(0, steps + 1, eval_every)) - len(full))
            return {"batch_loss": batch_losses, "full": full}
        batch_losses.append(v)
        loss.backward()
        opt.step()
        if sch is not None:
            sch.step()
    if eval_every:
        full.append(full_loss(model, X, y))
    return {"batch_loss": batch_losses, "full": full}


def line_figure(curves, xlabel, ylabel, title, logy=True, logx=False, x=None):
    """One axes with a line per ``{label: values}`` (x = 0, 1, … unless ``x`` given)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 3.8))
    for k, v in curves.items():
        v = np.asarray(v, dtype=np.float64)
        xs = np.asarray(x[k] if isinstance(x, dict) else (x if x is not None
                        else np.arange(len(v))))
        ax.plot(xs, np.where(np.isfinite(v), v, np.nan), label=str(k))
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
