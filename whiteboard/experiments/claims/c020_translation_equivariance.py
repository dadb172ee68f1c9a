"""C20: convolution (stride 1) is translation-equivariant; stride and pooling break exactness.

    conv(shift_δ x) = shift_δ conv(x)        away from the borders, at stride 1,

because every output is the same kernel applied to the window at its position. At stride 2 an
odd shift moves the input by half an output pixel, which no output shift can represent.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ...data.datasets import load_digits
from ..registry import REFUTED, experiment, verdict

SHIFT = (1, 2)


def _shift(x, dy, dx):
    return np.roll(np.roll(x, dy, axis=-2), dx, axis=-1)


def _interior_err(conv, x, dy, dx, stride):
    with no_grad():
        y0 = conv(tensor(x)).numpy()
        y1 = conv(tensor(_shift(x, dy, dx))).numpy()
    if stride == 1:
        ref, sy, sx = _shift(y0, dy, dx), dy, dx
    else:  # the best output shift (rounded) at stride 2
        sy, sx = int(round(dy / stride)), int(round(dx / stride))
        ref = _shift(y0, sy, sx)
    m = 3  # margin clear of the borders and of the roll's wrap-around
    sl = (slice(None), slice(None), slice(m, -m), slice(m, -m))
    return float(np.abs(y1[sl] - ref[sl]).max() / np.abs(y0).max())


@experiment("C20", section="A", title="Convolution is translation-equivariant at stride 1",
            expected="reproduce", errata=["E15"],
            claim="Convolution is translation-equivariant (stride 1); stride and pooling break "
                  "exact equivariance.",
            design="Random 3x3 convs on digits padded to 16x16; shift the input by (1, 2) px and "
                   "compare the interior of the output with the shifted output, at stride 1 "
                   "and stride 2 (best rounded output shift).",
            code=["whiteboard.nn:Conv2d"], tests=["tests/nn/test_conv.py"])
def c20(seed, quick):
    from ... import backend

    backend.manual_seed(seed)
    X, _ = load_digits(as_images=True)
    x = np.pad(np.asarray(X[:16 if quick else 128], dtype=np.float64).reshape(-1, 1, 8, 8),
               ((0, 0), (0, 0), (4, 4), (4, 4)))
    out = {}
    for stride in (1, 2):
        conv = nn.Conv2d(1, 4, 3, stride=stride, padding=1).double()
        out[f"stride{stride}"] = _interior_err(conv, x, *SHIFT, stride)
        out[f"stride{stride}_even"] = _interior_err(conv, x, 2, 2, stride)
    return out


@c20.decide
def _(trials):
    e1 = max(t["stride1"] for t in trials)
    e2 = min(t["stride2"] for t in trials)
    return verdict(e1 < 1e-12 and e2 > 1e-3,
                   f"relative interior error after a (1, 2) px shift: stride 1 {e1:.1e}, "
                   f"stride 2 {e2:.2f}", otherwise=REFUTED)


@c20.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    keys = ["stride1", "stride1_even", "stride2", "stride2_even"]
    return [bar_figure(["s=1, shift (1,2)", "s=1, shift (2,2)", "s=2, shift (1,2)",
                        "s=2, shift (2,2)"], [max(t[k], 1e-17) for k in keys],
                       "relative interior error (log)", "Equivariance of a 3x3 conv", log=True)]
