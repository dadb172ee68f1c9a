"""C42: add ≡ concat followed by a conv whose kernels for corresponding channels are shared.

By linearity, conv_K(X + Y) = conv_K(X) + conv_K(Y) = conv_[K, K](concat(X, Y)), where the
concatenated conv has weight [K, K] along the input channels. The concat version has 2·C_in input
channels, so the next conv has twice the weights and twice the MACs unless the halves are tied.
"""

import numpy as np

from ... import cat, tensor
from ...inspect import conv_macs, conv_params
from ...nn.functional import conv2d
from ..registry import REFUTED, experiment, verdict


@experiment("C42", section="B", title="add = concat + conv with shared kernels",
            expected="reproduce",
            claim="add is concat followed by a conv whose kernels for corresponding channels are "
                  "shared; concat costs 2x in the next conv.",
            design="Random float64 X, Y (C = 8, 12x12) and a 3x3 kernel K to 16 channels: "
                   "conv_K(X + Y) vs conv_[K,K](concat(X, Y)); weight and MAC counts of the "
                   "next conv for both.",
            code=["whiteboard.nn.functional:conv2d", "whiteboard:cat",
                  "whiteboard.inspect:conv_params"],
            tests=["tests/nn/test_conv.py"])
def c42(seed, quick):
    rng = np.random.default_rng(seed)
    c, o = 8, 16
    x, y = rng.normal(size=(2, 4, c, 12, 12))
    k, b = rng.normal(size=(o, c, 3, 3)), rng.normal(size=o)
    add = conv2d(tensor(x) + tensor(y), tensor(k), tensor(b), padding=1).numpy()
    kk = np.concatenate([k, k], axis=1)
    concat = conv2d(cat([tensor(x), tensor(y)], 1), tensor(kk), tensor(b), padding=1).numpy()
    return {"max_abs_diff": float(np.abs(add - concat).max()),
            "params_add": conv_params(c, o, 3), "params_concat": conv_params(2 * c, o, 3),
            "macs_add": conv_macs(c, o, 3, 12), "macs_concat": conv_macs(2 * c, o, 3, 12),
            "add": add.ravel()[:300].tolist(), "concat": concat.ravel()[:300].tolist()}


@c42.decide
def _(trials):
    t = trials[0]
    ratio = t["macs_concat"] / t["macs_add"]
    w_ratio = (t["params_concat"] - 16) / (t["params_add"] - 16)
    return verdict(t["max_abs_diff"] < 1e-10 and ratio == 2 and w_ratio == 2,
                   f"max |conv(X+Y) - conv_[K,K](concat)| = {t['max_abs_diff']:.1e}; next conv "
                   f"weights x{w_ratio:g}, MACs x{ratio:g}", otherwise=REFUTED)


@c42.plot
def _(trials):
    from ._common_claims_ad import scatter_figure

    t = trials[0]
    return [scatter_figure([("outputs", t["add"], t["concat"])], "conv_K(X + Y)",
                           "conv_[K,K](concat(X, Y))", "add = concat + tied conv")]
