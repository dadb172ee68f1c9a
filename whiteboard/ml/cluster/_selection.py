"""Choosing the number of clusters: the elbow of the inertia curve and the silhouette.

Elbow: inertia J(k) falls with k (J(n) = 0); the "elbow" is where adding a cluster stops paying.
With the drops D(k) = J(k − 1) − J(k), the elbow is the k with the largest ratio D(k) / D(k + 1):
the last k whose cluster still bought a large decrease compared with the next one. (The chord
"kneedle" rule on the raw curve is dominated by the first, always large, drop J(1) − J(2) and
tends to answer 2.) Silhouette: the k with the largest mean silhouette coefficient (k ≥ 2).
"""

from __future__ import annotations

import numpy as np

from ...metrics.cluster import silhouette_score
from ..base import check_array
from ._kmeans import KMeans

__all__ = ["choose_k", "elbow_curve", "elbow_point"]


def elbow_curve(X, k_max=10, *, k_min=1, **kmeans_params):
    """Inertia of ``KMeans(n_clusters=k, **kmeans_params)`` for k = k_min..k_max.

    Returns ``(ks, inertias)``, both (k_max − k_min + 1,).
    """
    X = check_array(X)
    if not 1 <= k_min <= k_max <= X.shape[0]:
        raise ValueError(f"need 1 <= k_min <= k_max <= n_samples, got k_min={k_min}, "
                         f"k_max={k_max}, n_samples={X.shape[0]}")
    ks = np.arange(k_min, k_max + 1)
    inertias = np.array([KMeans(n_clusters=int(k), **kmeans_params).fit(X).inertia_
                         for k in ks])
    return ks, inertias


def elbow_point(ks, inertias):
    """The k maximising D(k) / D(k + 1), D(k) = J(k − 1) − J(k) (see the module docstring).

    ``ks`` consecutive integers, ``inertias`` J(k) for them; needs at least 3 points.
    """
    ks = np.asarray(ks)
    y = np.asarray(inertias, dtype=np.float64)
    if len(ks) < 3:
        raise ValueError(f"elbow_point needs at least 3 values of k, got {len(ks)}")
    drops = np.maximum(y[:-1] - y[1:], 0.0)
    tiny = 1e-12 * max(abs(y[0]), 1.0)
    ratio = drops[:-1] / np.maximum(drops[1:], tiny)
    return int(ks[1:-1][np.argmax(ratio)])


def choose_k(X, k_max=10, *, k_min=1, random_state=0, **kmeans_params):
    """Elbow and silhouette choice of k for k-means on ``X``.

    Returns a dict: ``ks``, ``inertias``, ``silhouettes`` (NaN for k = 1 and for k ≥ n),
    ``k_elbow``, ``k_silhouette``.
    """
    X = check_array(X)
    ks, inertias = elbow_curve(X, k_max, k_min=k_min, random_state=random_state,
                               **kmeans_params)
    sil = np.full(len(ks), np.nan)
    for i, k in enumerate(ks):
        if 2 <= k < X.shape[0]:
            labels = KMeans(n_clusters=int(k), random_state=random_state,
                            **kmeans_params).fit(X).labels_
            if 2 <= len(np.unique(labels)) < X.shape[0]:
                sil[i] = silhouette_score(X, labels)
    k_sil = int(ks[np.nanargmax(sil)]) if np.isfinite(sil).any() else None
    return {"ks": ks, "inertias": inertias, "silhouettes": sil,
            "k_elbow": elbow_point(ks, inertias), "k_silhouette": k_sil}
