"""C35: the output size of a convolution is W₂ = ⌊(W₁ − F + 2P)/S⌋ + 1 — with a floor
(ERRATA E18) and, for dilation d, F replaced by d·(F − 1) + 1.

The note's unfloored (W₁ − F + 2P)/S + 1 is not an integer whenever S does not divide
W₁ − F + 2P; frameworks then drop the last partial window.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ...inspect import conv_output_size
from ..registry import REFUTED, experiment, verdict


@experiment("C35", section="B", title="Conv output size needs a floor (and a dilation term)",
            expected="reproduce", errata=["E18"],
            claim="The output size of a convolution is W2 = (W1 - F + 2P)/S + 1 (with a floor).",
            design="Random (W, F, P, S, d) cases: the floored formula with dilation vs the "
                   "library's Conv2d output and torch's; share of cases where the note's "
                   "unfloored value is not an integer.",
            code=["whiteboard.inspect:conv_output_size", "whiteboard.nn:Conv2d"],
            tests=["tests/inspect/test_arithmetic_rf.py", "tests/nn/test_conv.py"])
def c35(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    n = 150 if quick else 1000
    rows = []
    while len(rows) < n:
        w, f, p, s, d = (int(rng.integers(1, 33)), int(rng.integers(1, 8)),
                         int(rng.integers(0, 4)), int(rng.integers(1, 5)),
                         int(rng.integers(1, 4)))
        span = d * (f - 1) + 1
        if w + 2 * p < span or p > f // 2 + d:  # no window fits / torch rejects huge padding
            continue
        formula = (w - span + 2 * p) // s + 1
        with no_grad():
            y = nn.Conv2d(1, 1, f, stride=s, padding=p, dilation=d)(
                tensor(np.zeros((1, 1, w, span), dtype=np.float32)))
        t = torch.nn.functional.conv2d(torch.zeros(1, 1, w, span), torch.zeros(1, 1, f, f),
                                       stride=s, padding=p, dilation=d)
        rows.append([w, f, p, s, d, formula, int(conv_output_size(w, f, s, p, d)),
                     int(y.shape[2]), int(t.shape[2]), (w - span + 2 * p) % s != 0])
    return {"cases": rows}


@c35.decide
def _(trials):
    rows = [r for t in trials for r in t["cases"]]
    match = sum(r[5] == r[6] == r[7] == r[8] for r in rows)
    frac = float(np.mean([r[9] for r in rows]))
    return verdict(match == len(rows),
                   f"floored formula = Conv2d = torch in {match}/{len(rows)} cases; note's "
                   f"unfloored value non-integer in {100 * frac:.0f}%", otherwise=REFUTED)


@c35.plot
def _(trials):
    from ._common_claims_ad import scatter_figure

    rows = trials[0]["cases"]
    return [scatter_figure([("cases", [r[5] for r in rows], [r[7] for r in rows])],
                           "floor((W - d(F-1) - 1 + 2P)/S) + 1", "Conv2d output size",
                           "Output size formula vs layer")]
