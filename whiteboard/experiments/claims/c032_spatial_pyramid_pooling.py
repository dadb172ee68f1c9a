"""C32: spatial pyramid pooling gives a fixed-length output for any input size.

Levels are bin grids n×n (ERRATA E19): each level max-pools the map into n² adaptive bins, so the
output length is C·Σ n² = 256·(1 + 4 + 16) = 5,376 whatever H×W is.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict

SIZES = [(13, 13), (10, 17), (20, 20), (7, 9)]


@experiment("C32", section="B", title="Spatial pyramid pooling has a fixed output length",
            expected="reproduce", errata=["E19"],
            claim="Spatial pyramid pooling gives a fixed-length output for any input size.",
            design="SPP with 1x1, 2x2 and 4x4 bin levels on C = 256 maps of 13x13, 10x17, 20x20 "
                   "and 7x9; output length vs 21*C; the 1x1 level vs torch adaptive max pool.",
            code=["whiteboard.nn:SpatialPyramidPooling",
                  "whiteboard.nn.functional:spatial_pyramid_pool"],
            tests=["tests/nn/test_pooling.py"])
def c32(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    spp = nn.SpatialPyramidPooling((1, 2, 4))
    c = 32 if quick else 256
    rows = []
    for h, w in SIZES:
        x = rng.normal(size=(2, c, h, w))
        with no_grad():
            y = spp(tensor(x)).numpy()
        ref = torch.cat([torch.nn.functional.adaptive_max_pool2d(torch.from_numpy(x), n)
                         .flatten(1) for n in (1, 2, 4)], 1).numpy()
        # the bins may be ordered per level differently; compare the sorted values per level
        err = float(np.abs(np.sort(y, 1) - np.sort(ref, 1)).max()) if y.shape == ref.shape \
            else float("inf")
        rows.append({"hw": [h, w], "length": int(y.shape[1]), "expected": 21 * c,
                     "vs_torch": err})
    return {"channels": c, "rows": rows}


@c32.decide
def _(trials):
    rows = trials[0]["rows"]
    lengths = sorted({r["length"] for r in rows})
    ok = all(r["length"] == r["expected"] for r in rows)
    err = max(r["vs_torch"] for r in rows)
    return verdict(ok and err < 1e-12,
                   f"lengths {lengths} = 21*C = {rows[0]['expected']} for inputs "
                   f"{', '.join('x'.join(map(str, r['hw'])) for r in rows)}; vs torch {err:.1e}",
                   otherwise=REFUTED)


@c32.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    rows = trials[0]["rows"]
    return [bar_figure(["x".join(map(str, r["hw"])) for r in rows], [r["length"] for r in rows],
                       "SPP output length", f"SPP (1,2,4) on C = {trials[0]['channels']}")]
