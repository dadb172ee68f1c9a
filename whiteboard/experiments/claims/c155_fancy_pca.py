"""C155: FancyPCA (AlexNet's PCA lighting noise) on scikit-learn's two sample photographs.

δ = Σᵢ αᵢ λᵢ pᵢ with αᵢ ~ N(0, 0.1²): the offset is the same for every pixel of an image, lies in
the span of the RGB principal components, and its coordinate on pᵢ has sd 0.1·λᵢ (so Cov(δ) =
0.01·Σ λᵢ² pᵢpᵢᵀ; the eigenvalue enters squared).
"""

import numpy as np

from ... import backend
from ...augment import FancyPCA
from ..registry import REFUTED, experiment, verdict

N_DRAWS = 10_000
ALPHASTD = 0.1


def _image(name):
    from sklearn.datasets import load_sample_image

    return np.moveaxis(load_sample_image(name).astype(np.float64) / 255.0, -1, 0)


@experiment("C155", section="I", title="FancyPCA perturbs colours along the RGB principal "
            "components", expected="reproduce",
            claim="FancyPCA perturbs colours along the RGB principal components with N(0, 0.1²) "
                  "coefficients scaled by the eigenvalues.",
            design="china.jpg and flower.jpg (scikit-learn), FancyPCA.fit on every pixel, 10⁴ "
                   "draws (quick 2,000) of the offset: its coordinates on the PCs (sd / "
                   "(0.1 λᵢ), 5-sd bound √(1/(2n))), the residual outside the span of the PCs, "
                   "and the spread of the shift across the pixels of one image (all equal).",
            code=["whiteboard.augment:FancyPCA", "whiteboard.ml.decomposition:PCA"],
            tests=["tests/augment/test_loader_pca.py"])
def c155(seed, quick):
    n = 2_000 if quick else N_DRAWS
    rows = []
    for k, name in enumerate(("china.jpg", "flower.jpg")):
        img = _image(name)
        t = FancyPCA(alphastd=ALPHASTD).fit(img[None])
        backend.manual_seed(2 * seed + k)
        delta = t(np.zeros((n, 3, 1, 1)))[:, :, 0, 0]
        P, lam = t.eigenvectors, t.eigenvalues
        coords = delta @ P.T  # coordinate of each offset on p_i
        residual = delta - coords @ P
        backend.manual_seed(seed)
        crop = img[:, :64, :64]
        shifted = t(np.repeat(crop[None], 8, axis=0)) - crop[None]
        spread = float(np.abs(shifted - shifted.mean(axis=(2, 3), keepdims=True)).max())
        rows.append({"image": name, "eigenvalues": lam.tolist(),
                     "sd_ratio": (coords.std(0, ddof=1) / (ALPHASTD * lam)).tolist(),
                     "mean_z": (coords.mean(0) / (ALPHASTD * lam / np.sqrt(n))).tolist(),
                     "max_residual": float(np.abs(residual).max()),
                     "pixel_spread": spread, "n": n})
    return {"rows": rows}


@c155.decide
def _(trials):
    ok, parts = True, []
    for r in trials[0]["rows"]:
        bound = 5 * np.sqrt(1 / (2 * r["n"]))
        sd_ok = all(abs(s - 1) < bound for s in r["sd_ratio"])
        mean_ok = all(abs(z) < 5 for z in r["mean_z"])
        exact = r["max_residual"] < 1e-10 and r["pixel_spread"] < 1e-6
        ok &= sd_ok and mean_ok and exact
        parts.append(f"{r['image']}: sd/(0.1λ) = " + ", ".join(f"{s:.3f}" for s in r["sd_ratio"])
                     + f" (bound ±{bound:.3f}), residual off the PCs {r['max_residual']:.1e}, "
                     f"spread across pixels {r['pixel_spread']:.1e}")
    return verdict(ok, "; ".join(parts), otherwise=REFUTED)


@c155.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for k, r in enumerate(rows):
        ax.bar(np.arange(3) + 0.35 * k, r["sd_ratio"], width=0.35, label=r["image"])
    bound = 5 * np.sqrt(1 / (2 * rows[0]["n"]))
    ax.axhspan(1 - bound, 1 + bound, color="0.85", zorder=0, label="5-sd band")
    ax.set_xticks(np.arange(3) + 0.175)
    ax.set_xticklabels(["p1", "p2", "p3"])
    ax.set_ylabel("sd of the coordinate / (0.1 λ)")
    ax.set_ylim(0.8, 1.2)
    ax.set_title(f"FancyPCA offsets, {rows[0]['n']} draws")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
