"""GaussianNoise: train vs eval, noise moments with a fixed seed, bad std."""

import numpy as np
import pytest

import whiteboard as wb


def test_gaussian_noise_properties():
    x = wb.tensor(np.zeros((200, 500)), requires_grad=True)
    layer = wb.nn.GaussianNoise(0.5)
    wb.manual_seed(0)
    y = layer(x)
    # 1e5 draws: the mean's sd is 0.5/316 ≈ 0.0016, the variance's relative sd ≈ 0.45 %
    assert abs(y.data.mean()) < 0.01
    assert abs(y.data.var() / 0.25 - 1) < 0.02
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones_like(x.data))
    layer.eval()
    assert np.array_equal(layer(x).data, x.data)
    assert np.array_equal(wb.nn.GaussianNoise(0.0)(x).data, x.data)
    with pytest.raises(ValueError, match="std"):
        wb.nn.GaussianNoise(-1.0)


# ---------------------------------------------------------------- weight noise
torch = pytest.importorskip("torch")


def _noise_like(shape, std, seed):
    """The noise weight_noise draws after ``wb.manual_seed(seed)``."""
    wb.manual_seed(seed)
    return wb.backend.get_rng().standard_normal(shape) * std


@pytest.mark.parametrize("layer", ["linear", "conv"])
def test_weight_noise_gradient_is_torch_gradient_at_the_perturbed_weights(layer):
    rng = np.random.default_rng(3)
    if layer == "linear":
        ours = wb.nn.Linear(5, 4).to(wb.float64)
        ref = torch.nn.Linear(5, 4).double()
        x = rng.standard_normal((7, 5))
    else:
        ours = wb.nn.Conv2d(2, 3, 3, padding=1).to(wb.float64)
        ref = torch.nn.Conv2d(2, 3, 3, padding=1).double()
        x = rng.standard_normal((2, 2, 6, 6))
    w, b = ours.weight.data.copy(), ours.bias.data.copy()
    wb.nn.utils.weight_noise(ours, std=0.3)
    eps = _noise_like(w.shape, 0.3, seed=11)
    with torch.no_grad():
        ref.weight.copy_(torch.from_numpy(w + eps))
        ref.bias.copy_(torch.from_numpy(b))
    wb.manual_seed(11)
    out = ours(wb.tensor(x))
    (out ** 2).sum().backward()
    out_t = ref(torch.from_numpy(x))
    (out_t ** 2).sum().backward()
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.weight_orig.grad, ref.weight.grad.numpy(), rtol=1e-11,
                               atol=1e-11)
    np.testing.assert_allclose(ours.bias.grad, ref.bias.grad.numpy(), rtol=1e-11, atol=1e-11)
    np.testing.assert_array_equal(ours.weight_orig.data, w)  # the clean weight is untouched


def test_weight_noise_on_a_linear_model_adds_a_constant_not_an_l2_penalty():
    """E11: for y = Xw, E‖X(w+ε) − y‖²/n = ‖Xw − y‖²/n + σ² Σ_j ‖x_j‖²/n (w-independent), so the
    expected gradient is the clean one; 4,000 draws, bounds of ~4 Monte-Carlo standard errors."""
    rng = np.random.default_rng(0)
    n, d, std, draws = 40, 3, 0.2, 4000
    X, y = rng.standard_normal((n, d)), rng.standard_normal((n, 1))
    model = wb.nn.Linear(d, 1, bias=False).to(wb.float64)
    clean = model.weight.data.copy()
    wb.nn.utils.weight_noise(model, std=std)
    wb.manual_seed(5)
    losses, grads = np.empty(draws), np.empty((draws, d))
    for k in range(draws):
        model.zero_grad()
        loss = ((model(wb.tensor(X)) - wb.tensor(y)) ** 2).mean()
        loss.backward()
        losses[k], grads[k] = loss.item(), np.asarray(model.weight_orig.grad.data).ravel()
    r = X @ clean.T - y
    expected = (r ** 2).mean() + std ** 2 * (X ** 2).sum() / n
    assert abs(losses.mean() - expected) < 4 * losses.std() / np.sqrt(draws)
    clean_grad = (2 * r * X).mean(axis=0)
    se = grads.std(axis=0) / np.sqrt(draws)
    assert np.all(np.abs(grads.mean(axis=0) - clean_grad) < 4 * se)
    # ... while the noise is real: single-draw gradients spread well beyond that
    assert np.all(grads.std(axis=0) > 10 * se)


def test_weight_noise_eval_state_dict_and_removal():
    model = wb.nn.Linear(4, 3)
    x = wb.tensor(np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32))
    clean_out = model(x).data
    wb.nn.utils.weight_noise(model, std=0.5)
    assert sorted(model.state_dict()) == ["bias", "weight_orig"]
    assert sorted(n for n, _ in model.named_parameters()) == ["bias", "weight_orig"]
    assert not np.allclose(model(x).data, clean_out)          # training: perturbed
    model.eval()
    np.testing.assert_array_equal(model(x).data, clean_out)   # eval: the clean weights
    model.train()
    wb.nn.utils.remove_weight_noise(model)
    assert sorted(model.state_dict()) == ["bias", "weight"]
    np.testing.assert_array_equal(model(x).data, clean_out)
    zero = wb.nn.utils.weight_noise(wb.nn.Linear(4, 3), std=0.0)
    zero.load_state_dict({"weight_orig": model.weight.data, "bias": model.bias.data})
    np.testing.assert_array_equal(zero(x).data, clean_out)


def test_weight_noise_bad_arguments():
    with pytest.raises(ValueError, match="std"):
        wb.nn.utils.weight_noise(wb.nn.Linear(2, 2), std=-0.1)
    with pytest.raises(ValueError, match="'kernel'.*parameters: \\['weight', 'bias'\\]"):
        wb.nn.utils.weight_noise(wb.nn.Linear(2, 2), name="kernel")
    with pytest.raises(TypeError, match="nn.Module"):
        wb.nn.utils.weight_noise(np.zeros(3))
    twice = wb.nn.utils.weight_noise(wb.nn.Linear(2, 2))
    with pytest.raises(RuntimeError, match="already"):
        wb.nn.utils.weight_noise(twice)
    with pytest.raises(ValueError, match="no weight noise"):
        wb.nn.utils.remove_weight_noise(wb.nn.Linear(2, 2))
