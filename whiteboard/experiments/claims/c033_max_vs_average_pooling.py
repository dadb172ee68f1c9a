"""C33: max pooling keeps texture; average pooling keeps the smooth background (qualitative).

Grayscale sample photos (luma 0.299 R + 0.587 G + 0.114 B, in [0, 1]) are down-sampled ×4 by
nn.MaxPool2d(4) and nn.AvgPool2d(4). Two numbers per pooled image P:

    texture   = Var(∇²P) / Var(∇²D)     (∇² = 5-point Laplacian; D = the image sub-sampled by
                                         taking every 4th pixel: the high-frequency energy kept)
    smoothness = PSNR(P, L) = 10·log10(1 / mean((P − L)²)),  L = Gaussian low-pass (σ = 2) of the
                 image sampled at the centres of the 4×4 windows

Max pooling should keep more high-frequency energy; average pooling should be closer to the
low-pass background.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ..registry import experiment, verdict

IMAGES = ("china.jpg", "flower.jpg")


def _gray(name):
    from sklearn.datasets import load_sample_image

    img = load_sample_image(name).astype(np.float64) / 255.0
    g = img @ np.array([0.299, 0.587, 0.114])
    h, w = (g.shape[0] // 4) * 4, (g.shape[1] // 4) * 4
    return g[:h, :w]


def _pool(layer, g):
    with no_grad():
        return layer(tensor(g[None, None])).numpy()[0, 0]


@experiment("C33", section="B", title="Max pooling keeps texture, average pooling the background",
            expected="contested",
            claim="Max pooling keeps texture; average pooling keeps the smooth background.",
            design="Grayscale china.jpg and flower.jpg (quick: china only) down-sampled x4 by "
                   "nn.MaxPool2d(4) vs nn.AvgPool2d(4): variance of the Laplacian relative to "
                   "plain sub-sampling (texture kept) and PSNR against a Gaussian low-pass "
                   "(sigma 2) version (background kept).",
            code=["whiteboard.nn:MaxPool2d", "whiteboard.nn:AvgPool2d"],
            tests=["tests/nn/test_pooling.py"])
def c33(seed, quick):
    from scipy import ndimage

    rows = []
    for name in IMAGES[:1] if quick else IMAGES:
        g = _gray(name)
        sub = g[::4, ::4]
        smooth = ndimage.gaussian_filter(g, 2.0)
        # the window centre (1.5, 1.5) lies between four pixels: average them
        low = 0.25 * (smooth[1::4, 1::4] + smooth[2::4, 2::4] + smooth[1::4, 2::4] +
                      smooth[2::4, 1::4])
        ref_tex = float(np.var(ndimage.laplace(sub)))
        row = {"image": name, "shape": list(g.shape)}
        for key, layer in (("max", nn.MaxPool2d(4)), ("avg", nn.AvgPool2d(4))):
            p = _pool(layer, g)
            row[f"texture_{key}"] = float(np.var(ndimage.laplace(p))) / ref_tex
            row[f"psnr_{key}"] = float(10 * np.log10(1.0 / np.mean((p - low) ** 2)))
            if quick or name == IMAGES[0]:
                row[f"crop_{key}"] = p[40:72, 60:92].tolist()
        rows.append(row)
    return {"rows": rows}


@c33.decide
def _(trials):
    rows = trials[0]["rows"]
    tex = all(r["texture_max"] > r["texture_avg"] for r in rows)
    bg = all(r["psnr_avg"] > r["psnr_max"] for r in rows)
    detail = "; ".join(f"{r['image']}: Laplacian variance max {r['texture_max']:.2f} vs avg "
                       f"{r['texture_avg']:.2f}, PSNR to low-pass max {r['psnr_max']:.1f} dB vs "
                       f"avg {r['psnr_avg']:.1f} dB" for r in rows)
    return verdict(tex and bg, detail)


@c33.plot
def _(trials):
    import matplotlib.pyplot as plt

    r = trials[0]["rows"][0]
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.6))
    for ax, key, label in ((axes[0], "max", "MaxPool2d(4)"), (axes[1], "avg", "AvgPool2d(4)")):
        ax.imshow(np.array(r[f"crop_{key}"]), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{label}: Lap. var {r[f'texture_{key}']:.2f}, "
                     f"PSNR {r[f'psnr_{key}']:.1f} dB", fontsize=8)
        ax.set_xlabel("pooled column")
        ax.set_ylabel("pooled row")
    fig.suptitle(f"{r['image']} down-sampled x4 (crop)")
    fig.tight_layout()
    return [fig]
