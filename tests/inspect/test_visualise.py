"""Forward hooks (against torch) and the visualisation tools of whiteboard.inspect, each against a
brute-force reference."""

import numpy as np
import pytest

from whiteboard import backend, nn, no_grad, tensor
from whiteboard.inspect import (
    embed_layer, feature_maps, filter_grid, layer_activations, occlusion_map, top_k_activating,
    top_k_from_activations, total_variation,
)


def _pair_models():
    import torch

    backend.manual_seed(0)
    ours = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3)).double()
    ref = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.ReLU(),
                              torch.nn.Linear(7, 3)).double()
    with torch.no_grad():
        for i in (0, 2):
            ref[i].weight.copy_(torch.from_numpy(ours[i].weight.data))
            ref[i].bias.copy_(torch.from_numpy(ours[i].bias.data))
    return ours, ref


def test_forward_hooks_match_torch_semantics():
    import torch

    ours, ref = _pair_models()
    x = np.random.default_rng(0).normal(size=(4, 5))
    seen_o, seen_r = [], []
    h_o = ours[0].register_forward_hook(lambda m, i, o: seen_o.append((i[0].numpy(), o.numpy())))
    h_r = ref[0].register_forward_hook(
        lambda m, i, o: seen_r.append((i[0].detach().numpy(), o.detach().numpy())))
    with no_grad():
        out_o = ours(tensor(x)).numpy()
    out_r = ref(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(out_o, out_r, rtol=1e-12, atol=1e-12)
    assert len(seen_o) == len(seen_r) == 1
    for (io, oo), (ir, orr) in zip(seen_o, seen_r):
        np.testing.assert_allclose(io, ir, rtol=0, atol=0)
        np.testing.assert_allclose(oo, orr, rtol=1e-12, atol=1e-12)
    # a non-None return replaces the output, in both
    h2_o = ours[1].register_forward_hook(lambda m, i, o: o * 0.0)
    h2_r = ref[1].register_forward_hook(lambda m, i, o: o * 0.0)
    with no_grad():
        z_o = ours(tensor(x)).numpy()
    z_r = ref(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(z_o, z_r, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(z_o, np.broadcast_to(ours[2].bias.data, z_o.shape), atol=1e-15)
    # remove() unregisters
    for h in (h_o, h_r, h2_o, h2_r):
        h.remove()
    with no_grad():
        ours(tensor(x))
    ref(torch.from_numpy(x))
    assert len(seen_o) == len(seen_r) == 2  # the call after remove() recorded nothing
    with no_grad():
        np.testing.assert_allclose(ours(tensor(x)).numpy(), out_r, rtol=1e-12, atol=1e-12)


def test_forward_hooks_fire_in_registration_order_and_chain():
    ours, _ = _pair_models()
    order = []
    ours[0].register_forward_hook(lambda m, i, o: order.append("a") or o + 1.0)
    ours[0].register_forward_hook(lambda m, i, o: order.append("b") or o * 2.0)
    x = np.ones((1, 5))
    with no_grad():
        out = ours[0](tensor(x)).numpy()
    plain = x @ ours[0].weight.data.T + ours[0].bias.data
    assert order == ["a", "b"]
    np.testing.assert_allclose(out, (plain + 1.0) * 2.0, rtol=1e-12)


def _cnn():
    backend.manual_seed(1)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(4 * 4 * 4, 3)).double()


def test_feature_maps_equal_a_manual_forward_and_remove_their_hooks():
    model = _cnn()
    x = np.random.default_rng(2).normal(size=(7, 1, 8, 8))
    maps = feature_maps(model, x, ["0", model[2]], batch_size=3)
    with no_grad():
        h0 = model[0](tensor(x)).numpy()
        h2 = model[2](model[1](model[0](tensor(x)))).numpy()
    np.testing.assert_allclose(maps["0"], h0, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(maps["2"], h2, rtol=1e-12, atol=1e-12)
    assert all(not m._forward_hooks for m in model.modules())
    acts = layer_activations(model, x, "0", reduce="max")
    np.testing.assert_allclose(acts, h0.reshape(7, 4, -1).max(-1))
    with pytest.raises(KeyError, match="layer 'nope' is not a submodule"):
        feature_maps(model, x, "nope")


def test_filter_grid_places_each_normalised_filter():
    w = np.random.default_rng(3).normal(size=(5, 1, 3, 3))
    w[4] = 2.0  # constant filter → 0.5
    g = filter_grid(w, ncols=3, pad=1)
    assert g.shape == (1 + 2 * 4, 1 + 3 * 4)
    for o in range(5):
        r, c = divmod(o, 3)
        cell = g[1 + r * 4: 1 + r * 4 + 3, 1 + c * 4: 1 + c * 4 + 3]
        k = w[o, 0]
        ref = np.full((3, 3), 0.5) if np.ptp(k) == 0 else (k - k.min()) / np.ptp(k)
        np.testing.assert_allclose(cell, ref, rtol=1e-12)
    assert np.all(g[1 + 4: 1 + 7, 1 + 2 * 4: 1 + 2 * 4 + 3] == 1.0)   # empty 6th cell
    rgb = filter_grid(np.random.default_rng(4).normal(size=(4, 3, 5, 5)))
    assert rgb.shape == (1 + 2 * 6, 1 + 2 * 6, 3) and rgb.min() >= 0 and rgb.max() <= 1
    with pytest.raises(ValueError, match=r"\(out_channels, in_channels, kh, kw\)"):
        filter_grid(np.zeros((3, 3)))
    smooth = np.tile(np.linspace(0, 1, 5), (2, 1, 5, 1))
    noisy = np.random.default_rng(5).normal(size=(2, 1, 5, 5))
    assert total_variation(smooth) < total_variation(noisy)


def test_occlusion_map_equals_a_brute_force_loop():
    model = _cnn()
    img = np.random.default_rng(6).normal(size=(1, 8, 8))
    for patch, stride, score in ((2, 1, "prob"), (3, 2, "logit"), ((2, 4), (1, 2), "prob")):
        got, base = occlusion_map(model, img, target=1, patch=patch, stride=stride, fill=0.25,
                                  score=score, batch_size=5)
        ph, pw = (patch, patch) if isinstance(patch, int) else patch
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        ref = np.empty(((8 - ph) // sh + 1, (8 - pw) // sw + 1))
        with no_grad():
            for i in range(ref.shape[0]):
                for j in range(ref.shape[1]):
                    x = img.copy()
                    x[:, i * sh:i * sh + ph, j * sw:j * sw + pw] = 0.25
                    z = model(tensor(x[None])).numpy()[0]
                    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
                    ref[i, j] = (p if score == "prob" else z)[1]
            z0 = model(tensor(img[None])).numpy()[0]
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)
        p0 = np.exp(z0 - z0.max()) / np.exp(z0 - z0.max()).sum()
        assert base == pytest.approx((p0 if score == "prob" else z0)[1], rel=1e-12)
    with pytest.raises(ValueError, match="image must be"):
        occlusion_map(model, img[0], 0)


def test_top_k_matches_sorting_and_directions():
    model = _cnn()
    X = np.random.default_rng(7).normal(size=(30, 1, 8, 8))
    idx, s = top_k_activating(model, X, "1", unit=2, k=5)
    with no_grad():
        a = model[1](model[0](tensor(X))).numpy().mean(axis=(2, 3))
    np.testing.assert_array_equal(idx, np.argsort(-a[:, 2], kind="stable")[:5])
    np.testing.assert_allclose(s, a[idx, 2])
    v = np.array([1.0, -2.0, 0.5, 3.0])
    idx2, s2 = top_k_from_activations(a, direction=v, k=4)
    proj = a @ v / np.linalg.norm(v)
    np.testing.assert_array_equal(idx2, np.argsort(-proj, kind="stable")[:4])
    with pytest.raises(ValueError, match="exactly one of unit= or direction="):
        top_k_from_activations(a, k=3)


def test_embed_layer_is_tsne_of_the_layer():
    from whiteboard.ml import TSNE

    model = _cnn()
    X = np.random.default_rng(8).normal(size=(40, 1, 8, 8))
    emb, tsne = embed_layer(model, X, "3", perplexity=10, max_iter=250, random_state=0)
    with no_grad():
        acts = model[3](model[2](model[1](model[0](tensor(X))))).numpy()
    ref = TSNE(perplexity=10, max_iter=250, random_state=0).fit_transform(acts)
    np.testing.assert_allclose(emb, ref, rtol=1e-10, atol=1e-10)
    assert emb.shape == (40, 2) and np.isfinite(tsne.kl_divergence_)
