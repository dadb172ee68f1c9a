"""Optimisers against torch.optim: 200 steps on the same deterministic gradient field, float64.

Both libraries start from the same parameters; at every step the gradient of a mildly non-convex
Rosenbrock-plus-quadratic function is evaluated (in NumPy) at torch's current parameters and
written into ``.grad`` of both, and both optimisers step. Final parameters and optimiser state must
agree to 1e-10; state_dict round trips (in memory and through ``wb.save``/``wb.load``) must
continue bit for bit like an uninterrupted run.
"""

import numpy as np
import pytest
import torch

import whiteboard as wb
import whiteboard.optim as optim

STEPS = 200
RNG = np.random.default_rng(7)


@pytest.fixture(autouse=True)
def _fresh_rng():
    """Each test draws the same numbers whatever ran before it (xdist reorders tests)."""
    global RNG
    RNG = np.random.default_rng(7)
W0 = RNG.uniform(-1.5, 1.5, size=(3, 4))
V0 = RNG.uniform(-1.0, 1.0, size=(5,))
A = RNG.standard_normal((4, 4))
A = A @ A.T / 4 + np.eye(4)


@pytest.fixture(autouse=True)
def _torch_float64():
    """NAdam keeps ``mu_product`` in a tensor of torch's default dtype: make that float64."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def grad_field(w, v, sign=1.0):
    """∇ of f(W, v) = Σ ½ w_rᵀ A w_r + 0.1 Σ_r cos(w_r) + Rosenbrock(v) (scaled)."""
    gw = w @ A - 0.1 * np.sin(w)
    gv = np.zeros_like(v)
    gv[:-1] += -0.5 * (1 - v[:-1]) - 2.0 * v[:-1] * (v[1:] - v[:-1] ** 2)
    gv[1:] += 1.0 * (v[1:] - v[:-1] ** 2)
    return sign * gw, sign * gv


def make(lib, cls_name, groups, w0=W0, v0=V0):
    if lib is torch:
        w = torch.tensor(w0.copy(), requires_grad=True)
        v = torch.tensor(v0.copy(), requires_grad=True)
        cls = getattr(torch.optim, cls_name)
    else:
        w = wb.nn.Parameter(w0.copy())
        v = wb.nn.Parameter(v0.copy())
        cls = getattr(optim, cls_name)
    g0, g1, common = groups
    if g1 is None:
        opt = cls([w, v], **{**common, **g0})
    else:
        opt = cls([{"params": [w], **g0}, {"params": [v], **g1}], **common)
    return w, v, opt


def numpy_of(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else t.numpy()


def maximize_flags(case):
    """Per parameter (w, v): whether its group maximises (then it is fed the ascent field −∇f)."""
    _, g0, g1, common = case
    return (bool({**common, **g0}.get("maximize")),
            bool({**common, **(g1 if g1 is not None else g0)}.get("maximize")))


def run(lib, opt_tuple, steps, flags):
    w, v, opt = opt_tuple
    conv = torch.tensor if lib is torch else wb.tensor
    for _ in range(steps):
        gw, gv = grad_field(numpy_of(w), numpy_of(v))
        w.grad = conv(-gw if flags[0] else gw)
        v.grad = conv(-gv if flags[1] else gv)
        opt.step()
    return numpy_of(w).copy(), numpy_of(v).copy()


# (name, group-0 options, group-1 options or None (one group), common options)
CASES = [
    ("SGD", dict(lr=0.05), None, {}),
    ("SGD", dict(lr=0.02, momentum=0.9), None, {}),
    ("SGD", dict(lr=0.02, momentum=0.8, dampening=0.3, weight_decay=0.01), None, {}),
    ("SGD", dict(lr=0.02, momentum=0.9, nesterov=True, weight_decay=0.05), None, {}),
    ("SGD", dict(lr=0.02, momentum=0.5, maximize=True), None, {}),
    ("SGD", dict(lr=0.03), dict(momentum=0.9, nesterov=True), dict(lr=0.01)),
    ("Adagrad", dict(lr=0.1), None, {}),
    ("Adagrad", dict(lr=0.2, lr_decay=0.01, initial_accumulator_value=0.1, eps=1e-6,
                     weight_decay=0.02), None, {}),
    ("Adagrad", dict(lr=0.1, maximize=True), dict(lr=0.05, lr_decay=0.05), {}),
    ("Adadelta", dict(), None, {}),
    ("Adadelta", dict(lr=0.5, rho=0.95, eps=1e-5, weight_decay=0.01), None, {}),
    ("Adadelta", dict(rho=0.8, maximize=True), dict(lr=2.0, eps=1e-4), {}),
    ("RMSprop", dict(lr=0.01), None, {}),
    ("RMSprop", dict(lr=0.005, alpha=0.9, eps=1e-6, momentum=0.5), None, {}),
    ("RMSprop", dict(lr=0.005, centered=True, weight_decay=0.01), None, {}),
    ("RMSprop", dict(lr=0.002, centered=True, momentum=0.9, maximize=True), None, {}),
    ("RMSprop", dict(alpha=0.95, centered=True), dict(momentum=0.7), dict(lr=0.003)),
    ("Adam", dict(lr=0.02), None, {}),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01), None, {}),
    ("Adam", dict(lr=0.05, amsgrad=True), None, {}),
    ("Adam", dict(lr=0.05, betas=(0.3, 0.9), amsgrad=True, weight_decay=0.1, maximize=True),
     None, {}),
    ("Adam", dict(lr=0.01, amsgrad=True), dict(betas=(0.5, 0.95), weight_decay=0.05),
     dict(lr=0.03)),
    ("AdamW", dict(lr=0.02), None, {}),
    ("AdamW", dict(lr=0.05, weight_decay=0.1, amsgrad=True, betas=(0.85, 0.98)), None, {}),
    ("AdamW", dict(lr=0.02, weight_decay=0.0), dict(weight_decay=0.3, maximize=True), {}),
    ("NAdam", dict(lr=0.02), None, {}),
    ("NAdam", dict(lr=0.05, momentum_decay=0.01, weight_decay=0.01, betas=(0.8, 0.99)), None, {}),
    ("NAdam", dict(lr=0.05, weight_decay=0.05, decoupled_weight_decay=True), None, {}),
    ("NAdam", dict(lr=0.02, maximize=True), dict(momentum_decay=0.0, eps=1e-6), {}),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_torch_200_steps(case):
    name, g0, g1, common = case
    flags = maximize_flags(case)
    tw_, tv_, topt = make(torch, name, (g0, g1, common))
    ww_, wv_, wopt = make(wb, name, (g0, g1, common))
    for _ in range(STEPS):
        # the gradient field is evaluated on torch's trajectory and fed to both libraries:
        # with feedback, rounding differences of 1e-16 grow chaotically for the sign-like
        # adaptive methods (a 1e-15 change of the start moves NAdam's end point by 0.18)
        gw, gv = grad_field(numpy_of(tw_), numpy_of(tv_))
        gw, gv = (-gw if flags[0] else gw), (-gv if flags[1] else gv)
        tw_.grad, tv_.grad = torch.tensor(gw), torch.tensor(gv)
        ww_.grad, wv_.grad = wb.tensor(gw), wb.tensor(gv)
        topt.step()
        wopt.step()
    tw, tv, ww, wv = (numpy_of(t) for t in (tw_, tv_, ww_, wv_))
    np.testing.assert_allclose(ww, tw, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(wv, tv, rtol=1e-10, atol=1e-10)
    assert np.abs(ww - W0).max() > 1e-3  # the run really moved the parameters
    # state_dict layout equals PyTorch's: same indices, same state names, same values
    ts, ws = topt.state_dict(), wopt.state_dict()
    assert [g["params"] for g in ws["param_groups"]] == [g["params"] for g in ts["param_groups"]]
    for g_w, g_t in zip(ws["param_groups"], ts["param_groups"]):
        assert set(g_w) <= set(g_t), set(g_w) - set(g_t)
        for key in g_w:
            if key != "params":
                assert g_w[key] == g_t[key], key
    assert set(ws["state"]) == set(ts["state"])
    for idx in ts["state"]:
        assert set(ws["state"][idx]) == set(ts["state"][idx])
        for key, value in ts["state"][idx].items():
            np.testing.assert_allclose(np.asarray(ws["state"][idx][key]), value.numpy(),
                                       rtol=1e-9, atol=1e-12, err_msg=key)


ROUND_TRIP = [CASES[i] for i in (2, 8, 11, 16, 21, 24, 28)]


@pytest.mark.parametrize("via_file", [False, True])
@pytest.mark.parametrize("case", ROUND_TRIP, ids=[c[0] for c in ROUND_TRIP])
def test_state_dict_round_trip_continues_identically(case, via_file, tmp_path):
    name, g0, g1, common = case
    flags = maximize_flags(case)
    full = run(wb, make(wb, name, (g0, g1, common)), STEPS, flags)
    w, v, opt = make(wb, name, (g0, g1, common))
    run(wb, (w, v, opt), STEPS // 2, flags)
    state = opt.state_dict()
    if via_file:
        wb.save({"optimizer": state}, tmp_path / "ckpt.npz")
        state = wb.load(tmp_path / "ckpt.npz")["optimizer"]
    # a new optimiser over (copies of) the model's current parameters, then load
    w2, v2, fresh = make(wb, name, (g0, g1, common), w.numpy().copy(), v.numpy().copy())
    fresh.load_state_dict(state)
    for values in opt.state.values():  # loading copied the arrays: the old run cannot leak in
        for arr in values.values():
            if isinstance(arr, np.ndarray):
                arr[...] = np.nan
    resumed = run(wb, (w2, v2, fresh), STEPS - STEPS // 2, flags)
    np.testing.assert_array_equal(resumed[0], full[0])
    np.testing.assert_array_equal(resumed[1], full[1])


def test_float32_parameters_track_torch():
    w32, v32 = W0.astype(np.float32), V0.astype(np.float32)
    out = {}
    for lib in (torch, wb):
        w, v, opt = make(lib, "Adam", (dict(lr=0.01), None, {}), w32, v32)
        for _ in range(50):
            gw, gv = grad_field(numpy_of(w).astype(np.float64), numpy_of(v).astype(np.float64))
            conv = torch.tensor if lib is torch else wb.tensor
            w.grad, v.grad = conv(gw.astype(np.float32)), conv(gv.astype(np.float32))
            opt.step()
        assert numpy_of(w).dtype == np.float32
        out[lib.__name__] = numpy_of(w).copy()
    np.testing.assert_allclose(out["whiteboard"], out["torch"], rtol=1e-4, atol=1e-5)


def test_training_a_model_with_autograd_matches_torch():
    """End to end: a linear model, MSE through autograd, SGD+Nesterov, 30 steps."""
    x = RNG.standard_normal((16, 4))
    y = RNG.standard_normal((16, 2))
    w0, b0 = RNG.standard_normal((4, 2)), RNG.standard_normal(2)
    results = {}
    for lib in (torch, wb):
        w = (torch.tensor(w0.copy(), requires_grad=True) if lib is torch
             else wb.nn.Parameter(w0.copy()))
        b = (torch.tensor(b0.copy(), requires_grad=True) if lib is torch
             else wb.nn.Parameter(b0.copy()))
        opt_cls = torch.optim.SGD if lib is torch else optim.SGD
        opt = opt_cls([w, b], lr=0.05, momentum=0.9, nesterov=True)
        xt, yt = lib.tensor(x), lib.tensor(y)

        def closure(w=w, b=b, opt=opt, xt=xt, yt=yt, lib=lib):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(xt @ w + b, yt)
            loss.backward()
            return loss

        losses = [opt.step(closure).item() for _ in range(30)]
        results[lib.__name__] = (numpy_of(w).copy(), losses)
    np.testing.assert_allclose(results["whiteboard"][0], results["torch"][0], rtol=1e-10)
    np.testing.assert_allclose(results["whiteboard"][1], results["torch"][1], rtol=1e-10)


def test_zero_grad_and_param_group_api():
    p, q = wb.nn.Parameter(np.ones(3)), wb.nn.Parameter(np.ones(2))
    opt = optim.SGD([p], lr=0.1)
    p.grad = wb.tensor(np.ones(3))
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad.numpy(), 0)
    opt.zero_grad()
    assert p.grad is None
    opt.add_param_group({"params": q, "momentum": 0.5})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["momentum"] == 0.5
    with pytest.raises(ValueError, match="more than one"):
        opt.add_param_group({"params": [p]})
    with pytest.raises(ValueError, match="empty"):
        optim.Adam([])
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="beta"):
        optim.Adam([p], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="group"):
        optim.SGD([p], lr=0.1).load_state_dict(opt.state_dict())
    # a parameter without gradient is skipped, as in torch
    opt2 = optim.Adam([p, q], lr=0.1)
    q.grad = wb.tensor(np.ones(2))
    before = p.numpy().copy()
    opt2.step()
    np.testing.assert_array_equal(p.numpy(), before)
    assert p not in opt2.state and q in opt2.state


def test_coupled_weight_decay_is_the_l2_penalty_gradient():
    """SGD(weight_decay=λ) ≡ SGD on loss + (λ/2)‖w‖² (the squared norm, ERRATA E3)."""
    x, y = RNG.standard_normal((10, 3)), RNG.standard_normal(10)
    lam = 0.3
    finals = []
    for use_decay in (True, False):
        w = wb.nn.Parameter(np.ones(3))
        opt = optim.SGD([w], lr=0.05, momentum=0.9, weight_decay=lam if use_decay else 0.0)
        for _ in range(40):
            opt.zero_grad()
            loss = wb.nn.functional.mse_loss(wb.tensor(x) @ w, wb.tensor(y))
            if not use_decay:
                loss = loss + lam / 2 * wb.nn.functional.l2_penalty([w])
            loss.backward()
            opt.step()
        finals.append(w.numpy().copy())
    np.testing.assert_allclose(finals[0], finals[1], rtol=1e-12)


def test_adamw_decay_is_not_adam_l2():
    """Decoupled decay (AdamW) is not Adam with coupled L2 (torch equality: the main test)."""
    outs = {}
    for cls in ("Adam", "AdamW"):
        w = wb.nn.Parameter(W0.copy())
        opt = getattr(optim, cls)([w], lr=0.05, weight_decay=0.2)
        for _ in range(50):
            w.grad = wb.tensor(grad_field(w.numpy(), V0)[0])
            opt.step()
        outs[cls] = w.numpy().copy()
    assert np.abs(outs["Adam"] - outs["AdamW"]).max() > 1e-3


def test_train_linear_classifier_like_torch():
    """nn.Linear + CrossEntropyLoss(weight, label_smoothing) + AdamW + CosineAnnealingLR, 25
    steps of full-batch training: weights equal torch's to 1e-9."""
    x = RNG.standard_normal((32, 6))
    y = RNG.integers(0, 3, size=32)
    cw = np.array([1.0, 2.0, 0.5])
    th_model = torch.nn.Linear(6, 3).double()
    model = wb.nn.Linear(6, 3).double()
    model.load_state_dict({k: v.detach().numpy() for k, v in th_model.state_dict().items()})
    runs = {}
    for lib, m in ((torch, th_model), (wb, model)):
        mod = torch.optim if lib is torch else optim
        opt = mod.AdamW(m.parameters(), lr=0.05, weight_decay=0.1)
        sched = mod.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
        loss_fn = lib.nn.CrossEntropyLoss(weight=lib.tensor(cw), label_smoothing=0.1)
        losses = []
        for _ in range(25):
            opt.zero_grad()
            loss = loss_fn(m(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.item())
        runs[lib.__name__] = (numpy_of(m.weight).copy(), losses)
    np.testing.assert_allclose(runs["whiteboard"][0], runs["torch"][0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(runs["whiteboard"][1], runs["torch"][1], rtol=1e-10)
    assert runs["whiteboard"][1][-1] < runs["whiteboard"][1][0]
