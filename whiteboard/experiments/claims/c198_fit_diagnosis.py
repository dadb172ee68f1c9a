"""C198: the rule of thumb "training loss < 0.01 with validation loss 0.3–0.6 means
overfitting; both > 0.3 means underfitting", checked on C197's width/depth sweep.

The sweep is C197's (300 training digits, plain ReLU MLPs, SGD momentum 0.9 lr 0.05, batch
64; widths 8–1024 at 2 hidden layers, depths 1–12 at width 64), run for two budgets (a short
and C197's) so that the sweep holds under- as well as over-fitted nets, with the validation
loss on the 30 % split. Each configuration is diagnosed twice:

* the rule (absolute thresholds): overfitting if train < 0.01 and 0.3 ≤ val ≤ 0.6,
  underfitting if train > 0.3 and val > 0.3, otherwise no diagnosis ("fine");
* the train–validation gap against what the sweep shows is achievable (E84): with
  L* = the best validation loss of the seed's sweep, underfitting if train > L* (the net fits
  its own training data worse than the best net generalises), overfitting if
  val − train > L* (the gap alone exceeds the achievable loss), otherwise fine.

The evidence is the agreement rate, overall and per diagnosis: the claim (a heuristic, ⚠)
reproduces when the two agree on ≥ 80 % of the configurations and the rule names ≥ 80 % of the
nets the gap calls overfitting and of those it calls underfitting (the overall rate alone is
dominated by the many plainly underfitted short-budget nets); refuted when the rule names none
of (at least 3) nets the gap calls overfitting.
"""

import numpy as np

from ... import backend
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ._common_claims_in import digits_split, eval_loss, train_sgd
from .c197_width_depth import mlp

N_TRAIN = 300
AGREEMENT = 0.8


def rule_of_thumb(train, val):
    """The note's diagnosis from absolute loss values."""
    if train < 0.01 and 0.3 <= val <= 0.6:
        return "overfitting"
    if train > 0.3 and val > 0.3:
        return "underfitting"
    return "fine"


def gap_diagnosis(train, val, best_val):
    """Diagnosis from the train–validation gap and the sweep's best validation loss."""
    if train > best_val:
        return "underfitting"
    if val - train > best_val:
        return "overfitting"
    return "fine"


@experiment("C198", section="M", title="Loss-threshold rule of thumb vs the train–val gap",
            expected="contested", seeds=3, errata=("E84",),
            claim="Rule of thumb: training loss < 0.01 with validation loss 0.3–0.6 means "
                  "overfitting; both > 0.3 means underfitting.",
            design="C197's sweep on 300 training digits (widths 8–1024 at depth 2, depths 1–12 "
                   "at width 64; quick: 3 widths, 2 depths) at two budgets (3 and 30 epochs; "
                   "quick 3 and 15), validation loss on the 30 % split; the rule's diagnosis vs "
                   "a gap diagnosis against the sweep's best validation loss L* (underfit: "
                   "train > L*; overfit: val − train > L*). 3 seeds; reproduced when they agree "
                   "on ≥ 80 % of the nets and the rule names ≥ 80 % of the gap's overfitted "
                   "and of its underfitted nets.",
            code=["whiteboard.nn:Linear", "whiteboard.optim:SGD",
                  "whiteboard.experiments.claims.c198_fit_diagnosis:rule_of_thumb",
                  "whiteboard.experiments.claims.c198_fit_diagnosis:gap_diagnosis"],
            tests=["tests/nn/test_linear.py", "tests/optim/test_optimizers.py"])
def c198(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    Xtr, ytr = Xtr[:N_TRAIN].astype(np.float32), ytr[:N_TRAIN]
    Xte = Xte.astype(np.float32)
    configs = ([(w, 2) for w in ((8, 128, 1024) if quick else (8, 32, 128, 512, 1024))]
               + [(64, d) for d in ((1, 8) if quick else (1, 4, 8, 12))])
    rows = []
    for epochs in ((3, 15) if quick else (3, 30)):
        for width, depth in configs:
            backend.manual_seed(seed)
            m = train_sgd(mlp(width, depth), Xtr, ytr, epochs, seed=seed)
            rows.append({"width": width, "depth": depth, "epochs": epochs,
                         "train_loss": eval_loss(m, Xtr, ytr), "val_loss": eval_loss(m, Xte, yte)})
    best = min(r["val_loss"] for r in rows)
    for r in rows:
        r["rule"] = rule_of_thumb(r["train_loss"], r["val_loss"])
        r["gap"] = gap_diagnosis(r["train_loss"], r["val_loss"], best)
    return {"best_val_loss": best, "rows": rows}


@c198.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    agree = np.mean([r["rule"] == r["gap"] for r in rows])
    counts = {}
    for r in rows:
        key = (r["rule"], r["gap"])
        counts[key] = counts.get(key, 0) + 1
    miss = ", ".join(f"rule {a} / gap {b}: {n}" for (a, b), n in sorted(counts.items())
                     if a != b) or "none"
    recall = {}
    for diag in ("overfitting", "underfitting"):
        sel = [r for r in rows if r["gap"] == diag]
        recall[diag] = (sum(r["rule"] == diag for r in sel) / len(sel), len(sel)) if sel \
            else (None, 0)
    parts_ok = all(v is not None and v >= AGREEMENT for v, _ in recall.values())
    caught = "; ".join(f"of the {n} nets the gap calls {d} the rule calls {v * 100:.0f} % so"
                       if n else f"the gap calls no net {d}" for d, (v, n) in recall.items())
    over, n_over = recall["overfitting"]
    missed_all = n_over >= 3 and over == 0
    return verdict(agree >= AGREEMENT and parts_ok, otherwise=REFUTED if missed_all
                   else NOT_REPRODUCED, deciding=
                   f"rule and gap diagnosis agree on {agree * 100:.0f} % of {len(rows)} nets; "
                   f"{caught}; disagreements: {miss}; "
                   f"best validation loss L* {np.mean([t['best_val_loss'] for t in trials]):.3f}")


@c198.plot
def _(trials):
    import matplotlib.pyplot as plt

    colours = {"overfitting": "C3", "underfitting": "C0", "fine": "C2"}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
    rows = [r for t in trials for r in t["rows"]]
    tr = np.maximum([r["train_loss"] for r in rows], 1e-5)
    va = np.array([r["val_loss"] for r in rows])
    for ax, key, title in ((axes[0], "rule", "rule of thumb"), (axes[1], "gap", "gap vs L*")):
        for diag, c in colours.items():
            sel = np.array([r[key] == diag for r in rows])
            if sel.any():
                ax.scatter(tr[sel], va[sel], c=c, label=diag, s=25)
        ax.axvline(0.01, color="k", lw=0.5, ls=":")
        ax.axhline(0.3, color="k", lw=0.5, ls=":")
        ax.set_xscale("log")
        ax.set_xlabel("training loss")
        ax.set_title(f"diagnosis by the {title}")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("validation loss")
    fig.suptitle(f"C197 sweep, {len(rows)} nets over {len(trials)} seeds")
    fig.tight_layout()
    return [fig]
