"""Small statistics for deciding claims over seeds (NumPy only).

CLAIMS.md's ground rule: where an effect may be small, run several seeds, report mean ± sd and a
paired test; a claim reproduces only if the difference exceeds seed noise.

    paired_test(a, b): d_i = a_i - b_i over seeds. t = mean(d) / (sd(d) / sqrt(n)), and the exact
    two-sided sign-flip permutation p-value: the share of the 2^n sign patterns s ∈ {±1}^n with
    |mean(s·d)| >= |mean(d)| (exact up to n = 16 seeds, 20,000 seeded random patterns beyond).
"""

import itertools

import numpy as np


def mean_sd(values):
    """``(mean, sd)`` with the sample standard deviation (ddof=1; 0.0 for one value)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        raise ValueError("mean_sd needs at least one value")
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


def fmt_mean_sd(values, digits=3):
    """``'0.912 ± 0.004'`` (the mean and sd of ``values``)."""
    m, s = mean_sd(values)
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def paired_test(a, b):
    """Paired comparison of ``a`` and ``b`` over the same seeds: ``dict(mean, sd, t, p, n)``."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"paired_test needs two equal-length non-empty samples, got {a.size} "
                         f"and {b.size}")
    d = a - b
    n = d.size
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if n > 1 else 0.0
    if sd == 0.0:
        t = 0.0 if mean == 0.0 else float(np.sign(mean) * np.inf)
    else:
        t = mean / (sd / np.sqrt(n))
    if n <= 16:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    else:
        signs = np.random.default_rng(0).choice((1.0, -1.0), size=(20_000, n))
    flipped = np.abs(signs @ d) / n
    p = float(np.mean(flipped >= abs(mean) - 1e-12 * max(1.0, abs(mean))))
    return {"mean": mean, "sd": sd, "t": float(t), "p": p, "n": n}


def exceeds_noise(a, b, alpha=0.05):
    """True when ``a`` > ``b`` over paired seeds beyond seed noise (mean > 0 and p < 2α)."""
    r = paired_test(a, b)
    return r["mean"] > 0 and r["p"] < 2 * alpha
