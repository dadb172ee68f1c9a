"""A 2-D t-SNE map of any layer's activations (the library's own :class:`whiteboard.ml.TSNE`)."""

from __future__ import annotations

from .feature_maps import layer_activations

__all__ = ["embed_layer"]


def embed_layer(model, X, layer, reduce="flatten", **tsne_kwargs):
    """``(embedding (N, 2), tsne)``: t-SNE of ``layer``'s activations for the inputs ``X``.

    ``tsne_kwargs`` go to :class:`whiteboard.ml.TSNE` (perplexity, init, random_state, ...).
    """
    from ..ml.manifold import TSNE

    acts = layer_activations(model, X, layer, reduce=reduce)
    tsne = TSNE(**tsne_kwargs)
    return tsne.fit_transform(acts), tsne
