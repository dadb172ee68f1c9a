"""Three small experiments that are not registered (so the real registry stays untouched), used
by the runner, CLI and report tests. They draw from the global RNGs on purpose: the runner must
seed them identically wherever a trial runs."""

import numpy as np

from whiteboard import backend
from whiteboard.experiments import REFUTED, Experiment, verdict


def _noise_run(seed, quick):
    n = 200 if quick else 2000
    x = np.random.normal(size=n)
    w = backend.get_rng().normal(size=8)
    return {"n": n, "mean": float(x.mean()), "sd": float(x.std()),
            "w": np.asarray(w, dtype=float).tolist(),
            "table": {"rows": [{"k": k, "sum": float(np.sum(x[:k]))} for k in (10, 100)]}}


def _noise_decide(trials):
    m = max(abs(t["mean"]) for t in trials)
    return verdict(m < 0.5, f"max |mean| = {m:.3f} over {len(trials)} seeds")


def _noise_plot(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2.5))
    ax.bar(range(len(trials)), [t["mean"] for t in trials])
    ax.set_xlabel("seed")
    ax.set_ylabel("sample mean")
    return [fig]


def _identity_run(seed, quick):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(5, 5))
    return {"max_abs_diff": float(np.abs(a @ np.eye(5) - a).max())}


def _identity_decide(trials):
    d = max(t["max_abs_diff"] for t in trials)
    return verdict(d == 0.0, f"max |A I - A| = {d:.1e}", otherwise=REFUTED)


NOISE = Experiment(id="C1", claims=("C1", "C2"), section="A", title="Sample means are near zero",
                   expected="reproduce", claim="The mean of standard normal draws is near zero.",
                   zh="样本均值接近零。",
                   design="Draw n normals per seed; compare |mean| with 0.5.",
                   code=("whiteboard.experiments.stats:mean_sd",),
                   tests=("tests/experiments/test_registry.py",), errata=("E1",), seeds=3,
                   run=_noise_run, module=__name__, decide_fn=_noise_decide, plot_fn=_noise_plot)

IDENTITY = Experiment(id="C24", claims=("C24",), section="B", title="A times I is A",
                      expected="refute", claim="Multiplying by the identity changes the matrix.",
                      design="Random 5x5 A; max |A I - A|.", run=_identity_run, module=__name__,
                      decide_fn=_identity_decide)

ALL = [NOISE, IDENTITY]
