"""C203, C204, C205, C206: looking inside trained networks with whiteboard.inspect.

C203. t-SNE (Hinton & van der Maaten 2008) keeps neighbourhoods: if a hidden layer has made the
classes separable, its 2-D t-SNE map groups them better than one of the raw pixels (measured by
the 5-NN accuracy and the class silhouette in 2-D).

C204. Occlusion (Zeiler & Fergus 2014): the drop p(x)[y] − p(x⁽ⁱʲ⁾)[y] when a patch covers
(i, j) is large where the evidence is — on the strokes, not on the empty background.

C205. The top-k inputs along a hidden unit and along a random unit-norm direction of the same
layer are similarly class-pure (Szegedy et al. 2014: units are not special axes).

C206. Heuristic: a well-trained CNN has sparse activations (many ReLU zeros) and smooth
first-layer filters; a badly trained one (too high a learning rate) or an untrained one does not.
"""

import numpy as np

from ... import backend, nn
from ...inspect import (
    embed_layer, feature_maps, layer_activations, occlusion_map, top_k_from_activations,
    total_variation,
)
from ...metrics import silhouette_score
from ...ml.manifold import TSNE
from ..registry import experiment, verdict
from ..stats import paired_test
from ._common_claims_in import digits_cnn, digits_split, predict, train_classifier


def _mlp(seed, epochs=30):
    backend.manual_seed(seed)
    Xtr, Xte, ytr, yte = digits_split(0)
    m = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
                      nn.Linear(32, 10))
    train_classifier(m, Xtr.astype(np.float32), ytr, epochs, seed=seed)
    return m, Xte.astype(np.float32), yte, float(np.mean(predict(m, Xte.astype(np.float32))
                                                         == yte))


def _knn_accuracy(E, y, k=5):
    d = ((E[:, None, :] - E[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nb = np.argsort(d, axis=1)[:, :k]
    votes = np.apply_along_axis(np.bincount, 1, y[nb], minlength=10)
    return float(np.mean(votes.argmax(1) == y))


@experiment("C203", section="N", title="t-SNE of a hidden layer groups the classes",
            expected="reproduce",
            claim="A t-SNE embedding of a hidden layer groups the classes better than one of the "
                  "raw pixels.",
            design="MLP 64-128-32-10 trained on digits (Adam, 30 epochs); t-SNE (perplexity 30, "
                   "PCA init, the library's TSNE via inspect.embed_layer) of the test images' raw "
                   "pixels vs the last hidden layer (300 test images in quick mode); 5-NN "
                   "accuracy and class silhouette in 2-D; KL divergence against sklearn's TSNE.",
            code=["whiteboard.inspect:embed_layer", "whiteboard.ml.manifold:TSNE",
                  "whiteboard.metrics:silhouette_score"],
            tests=["tests/inspect/test_visualise.py", "tests/ml/manifold/test_tsne.py"])
def c203(seed, quick):
    from sklearn.manifold import TSNE as SkTSNE  # oracle (KL divergence)

    model, X, y, acc = _mlp(seed)
    n = 300 if quick else len(y)
    X, y = X[:n].astype(np.float64), y[:n]
    it = 500 if quick else 1000
    kw = dict(perplexity=30.0, init="pca", random_state=seed, max_iter=it)
    raw = TSNE(**kw).fit_transform(X)
    hid, tsne_hid = embed_layer(model, X.astype(np.float32), "3", **kw)
    sk = SkTSNE(perplexity=30.0, init="pca", random_state=seed, max_iter=it,
                method="exact").fit(layer_activations(model, X.astype(np.float32), "3"))
    return {"test_accuracy": acc, "n": int(n),
            "knn_raw": _knn_accuracy(raw, y), "knn_hidden": _knn_accuracy(hid, y),
            "sil_raw": float(silhouette_score(raw, y)),
            "sil_hidden": float(silhouette_score(hid, y)),
            "kl_ours": float(tsne_hid.kl_divergence_), "kl_sklearn": float(sk.kl_divergence_),
            "raw": raw[:300].tolist(), "hidden": hid[:300].tolist(), "y": y[:300].tolist()}


@c203.decide
def _(trials):
    t = trials[0]
    kl_ok = abs(t["kl_ours"] - t["kl_sklearn"]) <= 0.1 * t["kl_sklearn"]
    holds = t["knn_hidden"] > t["knn_raw"] and t["sil_hidden"] > t["sil_raw"] and kl_ok
    return verdict(holds, f"2-D 5-NN accuracy hidden {t['knn_hidden']:.3f} vs raw "
                          f"{t['knn_raw']:.3f}; silhouette {t['sil_hidden']:.3f} vs "
                          f"{t['sil_raw']:.3f}; KL ours "
                          f"{t['kl_ours']:.3f} vs sklearn {t['kl_sklearn']:.3f}")


@c203.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    y = np.asarray(t["y"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 4))
    for ax, key, name in ((axes[0], "raw", "raw pixels"), (axes[1], "hidden", "last hidden layer")):
        E = np.asarray(t[key])
        sc = ax.scatter(E[:, 0], E[:, 1], c=y, cmap="tab10", s=6)
        ax.set_xlabel("t-SNE 1")
        ax.set_ylabel("t-SNE 2")
        ax.set_title(f"{name}: 5-NN acc {t['knn_' + key]:.2f}")
    fig.colorbar(sc, ax=axes, label="digit")
    return [fig]


def _cnn(seed, epochs, lr):
    backend.manual_seed(seed)
    Xtr, Xte, ytr, yte = digits_split(0)
    Xtr = Xtr.reshape(-1, 1, 8, 8).astype(np.float32)
    Xte = Xte.reshape(-1, 1, 8, 8).astype(np.float32)
    m = digits_cnn(8)
    if epochs:
        train_classifier(m, Xtr, ytr, epochs, lr=lr, seed=seed)
    m.eval()
    return m, Xte, yte, float(np.mean(predict(m, Xte) == yte))


@experiment("C204", section="N", title="Occlusion maps show which regions drive the prediction",
            expected="reproduce",
            claim="Occlusion maps show which image regions drive the prediction.",
            design="CNN (2 conv layers) trained on digits 8x8; for 40 correctly classified test "
                   "images (20 quick) a 2x2 black patch slid with stride 1 "
                   "(inspect.occlusion_map); Pearson correlation between the drop in the true "
                   "class's probability and the stroke mass under the patch.",
            code=["whiteboard.inspect:occlusion_map", "whiteboard.nn:Conv2d"],
            tests=["tests/inspect/test_visualise.py"])
def c204(seed, quick):
    model, X, y, acc = _cnn(seed, 10, 1e-2)
    pred = predict(model, X)
    idx = np.where(pred == y)[0][: 20 if quick else 40]
    corrs, examples = [], []
    for i in idx:
        occ, base = occlusion_map(model, X[i], int(y[i]), patch=2, stride=1, fill=0.0)
        drop = base - occ
        img = X[i, 0]
        mass = (img[:-1, :-1] + img[1:, :-1] + img[:-1, 1:] + img[1:, 1:])   # under each patch
        if np.std(drop) > 0:
            corrs.append(float(np.corrcoef(drop.ravel(), mass.ravel())[0, 1]))
        if len(examples) < 4:
            examples.append({"image": img.tolist(), "drop": drop.tolist(), "label": int(y[i])})
    return {"test_accuracy": acc, "correlations": corrs, "examples": examples}


@c204.decide
def _(trials):
    c = [v for t in trials for v in t["correlations"]]
    med = float(np.median(c))
    share = float(np.mean(np.asarray(c) > 0))
    return verdict(med > 0.2 and share > 0.75,
                   f"median corr(probability drop, stroke mass) = {med:.2f}; positive in "
                   f"{share:.0%} of {len(c)} images (CNN test accuracy "
                   f"{trials[0]['test_accuracy']:.3f})")


@c204.plot
def _(trials):
    import matplotlib.pyplot as plt

    ex = trials[0]["examples"]
    fig, axes = plt.subplots(2, len(ex), figsize=(2.2 * len(ex), 4.4))
    axes = np.asarray(axes).reshape(2, -1)
    for j, e in enumerate(ex):
        axes[0, j].imshow(e["image"], cmap="gray_r")
        axes[0, j].set_title(f"digit {e['label']}")
        im = axes[1, j].imshow(e["drop"], cmap="magma")
        axes[1, j].set_title("probability drop")
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    fig.colorbar(im, ax=axes[1].tolist(), label="p(x) − p(occluded)")
    return [fig]


def _purity(labels):
    return float(np.bincount(labels, minlength=10).max() / len(labels))


@experiment("C205", section="N", title="Top images of units vs random directions",
            expected="contested", seeds=5,
            claim="The images that maximally activate a hidden unit share semantics — but so do "
                  "those of random directions in the hidden space.",
            design="MLP 64-128-32-10 trained on digits; for the 32 units of the last hidden layer "
                   "and 32 random unit-norm directions (inspect.top_k_from_activations), the class "
                   "purity of the top-9 test images; 5 seeds, paired mean difference.",
            code=["whiteboard.inspect:top_k_activating",
                  "whiteboard.inspect:top_k_from_activations"],
            tests=["tests/inspect/test_visualise.py"])
def c205(seed, quick):
    model, X, y, acc = _mlp(seed, epochs=20 if quick else 30)
    A = layer_activations(model, X, "3")
    rng = np.random.default_rng(seed)
    units, dirs = [], []
    live = [u for u in range(A.shape[1]) if np.ptp(A[:, u]) > 0]
    for u in live:
        idx, _ = top_k_from_activations(A, unit=u, k=9)
        units.append(_purity(y[idx]))
    for _ in range(len(live)):
        idx, _ = top_k_from_activations(A, direction=rng.normal(size=A.shape[1]), k=9)
        dirs.append(_purity(y[idx]))
    return {"test_accuracy": acc, "units": units, "directions": dirs,
            "mean_unit": float(np.mean(units)), "mean_direction": float(np.mean(dirs))}


@c205.decide
def _(trials):
    u = [t["mean_unit"] for t in trials]
    d = [t["mean_direction"] for t in trials]
    both_pure = min(np.mean(u), np.mean(d)) >= 0.7
    if len(trials) > 1:
        r = paired_test(u, d)
        similar = abs(r["mean"]) < 0.1 or r["p"] >= 0.1
        pstr = f", paired Δ = {r['mean']:+.3f} (p = {r['p']:.2f})"
    else:
        similar = abs(u[0] - d[0]) < 0.1
        pstr = f", Δ = {u[0] - d[0]:+.3f}"
    return verdict(both_pure and similar,
                   f"top-9 class purity: units {np.mean(u):.3f}, random directions "
                   f"{np.mean(d):.3f}{pstr}")


@c205.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    bins = np.linspace(0, 1, 11)
    ax.hist(t["units"], bins=bins, alpha=0.6, label="hidden units")
    ax.hist(t["directions"], bins=bins, alpha=0.6, label="random directions")
    ax.set_xlabel("class purity of the top-9 test images")
    ax.set_ylabel("count")
    ax.set_title("Units are not special")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C206", section="N", title="Sparse activations and smooth filters signal good training",
            expected="contested",
            claim="Good activations are sparse and localised, good first-layer filters are smooth; "
                  "an activation map that looks like the input, or noisy filters, signal a "
                  "problem.",
            design="The digits CNN at init, trained well (Adam 1e-2, 10 epochs) and trained at a "
                   "too-high rate (Adam 0.3): share of zero ReLU activations after conv 1, mean "
                   "|corr| between each feature map and the input, total variation of the "
                   "first-layer filters (inspect.feature_maps, inspect.total_variation).",
            code=["whiteboard.inspect:feature_maps", "whiteboard.inspect:total_variation",
                  "whiteboard.inspect:filter_grid"],
            tests=["tests/inspect/test_visualise.py"])
def c206(seed, quick):
    out = {}
    for name, (epochs, lr) in {"init": (0, 0.0), "good": (6 if quick else 10, 1e-2),
                               "too_high_lr": (6 if quick else 10, 0.3)}.items():
        model, X, y, acc = _cnn(seed, epochs, lr)
        X = X[:200]
        maps = feature_maps(model, X, ["1"])["1"]                  # (N, C, 8, 8) after ReLU
        xs = X[:, 0].reshape(len(X), -1)
        ms = maps.reshape(len(X), maps.shape[1], -1)
        xc = xs - xs.mean(1, keepdims=True)
        mc = ms - ms.mean(2, keepdims=True)
        num = np.einsum("np,ncp->nc", xc, mc)
        den = np.linalg.norm(xc, axis=1)[:, None] * np.linalg.norm(mc, axis=2)
        corr = np.abs(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
        out[name] = {"test_accuracy": acc, "sparsity": float(np.mean(maps == 0)),
                     "input_corr": float(corr.mean()),
                     "filter_tv": total_variation(model[0].weight),
                     "filters": model[0].weight.data[:, 0].tolist()}
    return out


@c206.decide
def _(trials):
    t = trials[0]
    g, b, i = t["good"], t["too_high_lr"], t["init"]
    holds = (g["test_accuracy"] > b["test_accuracy"] and g["sparsity"] > i["sparsity"]
             and g["filter_tv"] < b["filter_tv"] and g["filter_tv"] < i["filter_tv"])
    return verdict(holds, f"accuracy good {g['test_accuracy']:.2f} / high-lr "
                          f"{b['test_accuracy']:.2f} / init {i['test_accuracy']:.2f}; zero "
                          f"activations {g['sparsity']:.2f}"
                          f" / {b['sparsity']:.2f} / {i['sparsity']:.2f}; filter TV "
                          f"{g['filter_tv']:.3f} / {b['filter_tv']:.3f} / {i['filter_tv']:.3f}; "
                          f"|corr(map, input)| {g['input_corr']:.2f} / {b['input_corr']:.2f} / "
                          f"{i['input_corr']:.2f}")


@c206.plot
def _(trials):
    import matplotlib.pyplot as plt

    from ...inspect import filter_grid

    t = trials[0]
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.4))
    for ax, name in zip(axes, ("init", "good", "too_high_lr")):
        w = np.asarray(t[name]["filters"])[:, None]
        ax.imshow(filter_grid(w, ncols=4), cmap="gray")
        ax.set_title(f"{name}: TV {t[name]['filter_tv']:.3f}, acc {t[name]['test_accuracy']:.2f}",
                     fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("First-layer 3x3 filters")
    fig.tight_layout()
    return [fig]
