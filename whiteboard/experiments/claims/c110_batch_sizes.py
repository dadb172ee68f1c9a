"""C110: batch GD is smooth but slow per example, SGD fast per update-per-example but noisy,
mini-batch in between and vectorised.

With per-example losses ℓ_i, an update on a batch B is θ ← θ − η (1/|B|) Σ_{i∈B} ∇ℓ_i(θ).
Per *example processed*, batch 1 makes n updates per epoch and full batch makes one, so SGD is far
ahead after an epoch; per *update*, the full gradient is exact and the full-batch loss decreases
monotonically for η ≤ 1/L, while a batch-|B| estimate has variance ∝ 1/|B| and the full loss goes
up on a fraction of the updates. One mini-batch update is one matrix product, so an epoch at batch
32 costs far less wall time than n single-example updates.
"""

import time

import numpy as np

from ... import backend, nn
from ...optim import SGD
from ..registry import REFUTED, experiment, verdict
from ._common_claims_gh import breast_cancer, line_figure, train_steps

BATCHES = (1, 32, "full")
LR = 0.05
UPDATES = 200


def _model(seed):
    backend.manual_seed(seed)
    return nn.Linear(30, 2, dtype=np.float64)


@experiment("C110", section="H", title="Batch vs stochastic vs mini-batch gradient descent",
            expected="reproduce",
            claim="Batch GD is smooth but slow per example; SGD is fast per update but noisy; "
                  "mini-batch is in between and vectorises.",
            design="Logistic regression (nn.Linear(30, 2), cross-entropy) on standardised "
                   "breast_cancer, SGD lr 0.05, batch 1, 32 and 569 (full), 3 seeds. Full "
                   "training loss after every update: value after the same number of epochs "
                   "(5, quick 2) and after the same number of updates (200); fraction of updates "
                   "that raise the full loss; wall time of one epoch.",
            code=["whiteboard.optim:SGD", "whiteboard.nn:Linear",
                  "whiteboard.nn:CrossEntropyLoss"],
            tests=["tests/optim/test_optimizers.py"], seeds=3)
def c110(seed, quick):
    X, y = breast_cancer()
    n = len(y)
    epochs = 2 if quick else 5
    out = {"epochs": epochs, "n": n, "runs": {}}
    for b in BATCHES:
        bs = n if b == "full" else b
        per_epoch = n // bs
        steps = max(UPDATES, epochs * per_epoch)
        r = train_steps(_model(seed), X, y, lambda p: SGD(p, lr=LR), steps=steps,
                        batch_size=bs, seed=seed, eval_every=1)
        full = r["full"]
        t0 = time.perf_counter()
        train_steps(_model(seed), X, y, lambda p: SGD(p, lr=LR), steps=per_epoch,
                    batch_size=bs, seed=seed)
        sec = time.perf_counter() - t0
        ups = np.diff(full[:UPDATES + 1])
        out["runs"][str(b)] = {
            "per_epoch_updates": per_epoch,
            "loss_at_epochs": full[epochs * per_epoch],
            "loss_at_updates": full[UPDATES],
            "frac_up": float(np.mean(ups > 1e-12)),
            "epoch_seconds": sec,
            "curve": full[:UPDATES + 1] if b != 1 else full[:epochs * per_epoch + 1:4],
            "curve_stride": 1 if b != 1 else 4,
        }
    return out


@c110.decide
def _(trials):
    def m(b, key):
        return float(np.mean([t["runs"][b][key] for t in trials]))

    ep = {b: m(b, "loss_at_epochs") for b in ("1", "32", "full")}
    up = {b: m(b, "loss_at_updates") for b in ("1", "32", "full")}
    fr = {b: m(b, "frac_up") for b in ("1", "32", "full")}
    sec = {b: m(b, "epoch_seconds") for b in ("1", "32", "full")}
    per_example = ep["1"] < ep["32"] < ep["full"]
    # per update the exact gradient is at least as good as a single-example estimate (within 5 %)
    per_update = up["full"] <= 1.05 * up["1"]
    noisy = fr["1"] > fr["32"] > fr["full"] and fr["full"] == 0.0
    vector = sec["32"] < sec["1"]
    holds = per_example and per_update and noisy and vector
    return verdict(holds, f"loss after {trials[0]['epochs']} epochs b1/b32/full {ep['1']:.3f}/"
                          f"{ep['32']:.3f}/{ep['full']:.3f}; after {UPDATES} updates "
                          f"{up['1']:.3f}/{up['32']:.3f}/{up['full']:.3f}; updates raising the "
                          f"loss {fr['1']:.0%}/{fr['32']:.0%}/{fr['full']:.0%}; epoch time "
                          f"{1e3 * sec['1']:.0f}/{1e3 * sec['32']:.1f}/{1e3 * sec['full']:.2f} ms",
                   otherwise=REFUTED)


@c110.plot
def _(trials):
    t = trials[0]
    n = t["n"]
    runs = t["runs"]
    xs_up = {f"batch {b}": np.arange(len(r["curve"])) * r["curve_stride"]
             for b, r in runs.items()}
    xs_ex = {f"batch {b}": np.arange(len(r["curve"])) * r["curve_stride"]
             * (n if b == "full" else int(b)) for b, r in runs.items()}
    curves = {f"batch {b}": r["curve"] for b, r in runs.items()}
    f1 = line_figure(curves, "examples processed", "full training loss",
                     "Logistic regression, breast_cancer: per example", logx=True, x=xs_ex)
    f2 = line_figure(curves, "updates", "full training loss", "Per update", x=xs_up)
    f2.axes[0].set_xlim(0, UPDATES)
    return [f1, f2]
