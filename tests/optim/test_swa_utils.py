"""wb.optim.swa_utils against torch.optim.swa_utils: SWA / EMA averages, buffers, update_bn."""

import numpy as np
import pytest
import torch
from torch.optim import swa_utils as tswa

import whiteboard as wb
from whiteboard.optim import swa_utils

TOL = dict(rtol=1e-12, atol=1e-14)


def _pair(seed=0):
    torch.manual_seed(seed)
    ref = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(),
                              torch.nn.Linear(5, 3)).double()
    ours = wb.nn.Sequential(wb.nn.Linear(4, 5), wb.nn.BatchNorm1d(5), wb.nn.ReLU(),
                            wb.nn.Linear(5, 3))
    ours.to(wb.float64)
    return ours, ref


def _random_state(ref, rng, step):
    """A new 'iterate': random weights and running statistics, num_batches_tracked = 3·step+1."""
    state = {}
    for k, v in ref.state_dict().items():
        if v.dtype == torch.int64:
            state[k] = torch.tensor(3 * step + 1)
        elif "running_var" in k:
            state[k] = torch.from_numpy(rng.uniform(0.5, 2.0, v.shape))
        else:
            state[k] = torch.from_numpy(rng.standard_normal(v.shape))
    return state


def _load_both(ours, ref, state):
    ref.load_state_dict(state)
    ours.load_state_dict({k: v.numpy().copy() for k, v in state.items()})


def _assert_same(avg_w, avg_t, tol=TOL):
    sw, st = avg_w.state_dict(), avg_t.state_dict()
    assert set(sw) == set(st)
    for k, v in st.items():
        got = np.asarray(sw[k].numpy() if hasattr(sw[k], "numpy") else sw[k])
        assert got.dtype == v.numpy().dtype, k
        np.testing.assert_allclose(got, v.numpy(), err_msg=k, **tol)


@pytest.mark.parametrize("use_buffers", [False, True])
@pytest.mark.parametrize("kind", ["swa", "ema", "ema_multi", "swa_multi"])
def test_averaged_model_matches_torch(kind, use_buffers):
    ours, ref = _pair()
    fns = {"swa": ({}, {}),
           "ema": ({"avg_fn": swa_utils.get_ema_avg_fn(0.9)},
                   {"avg_fn": tswa.get_ema_avg_fn(0.9)}),
           "ema_multi": ({"multi_avg_fn": swa_utils.get_ema_multi_avg_fn(0.8)},
                         {"multi_avg_fn": tswa.get_ema_multi_avg_fn(0.8)}),
           "swa_multi": ({"multi_avg_fn": swa_utils.get_swa_multi_avg_fn()},
                         {"multi_avg_fn": tswa.get_swa_multi_avg_fn()})}
    kw_w, kw_t = fns[kind]
    if use_buffers and kind == "swa_multi":
        # torch's SWA multi_avg_fn raises on the int64 num_batches_tracked buffer (integer
        # addcdiv); its default SWA averaging is the same running mean and handles it
        kw_t = {}
    avg_w = swa_utils.AveragedModel(ours, use_buffers=use_buffers, **kw_w)
    avg_t = tswa.AveragedModel(ref, use_buffers=use_buffers, **kw_t)
    rng = np.random.default_rng(0)
    # torch's SWA multi_avg_fn lerps with weight float(1 / (n_averaged + 1)), computed
    # from a tensor in float32: its averages carry a ~1e-7 relative error, ours are exact
    tol = dict(rtol=1e-6, atol=1e-8) if kind == "swa_multi" and kw_t else TOL
    for step in range(5):
        _load_both(ours, ref, _random_state(ref, rng, step))
        avg_w.update_parameters(ours)
        avg_t.update_parameters(ref)
        _assert_same(avg_w, avg_t, tol)
    assert int(avg_w.n_averaged.numpy()) == 5
    x = rng.standard_normal((6, 4))
    avg_w.eval()
    avg_t.eval()
    with torch.no_grad():
        expected = avg_t(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(avg_w(wb.tensor(x)).numpy(), expected, **tol)


def test_swa_is_the_mean_of_the_snapshots_and_the_source_is_untouched():
    ours, _ = _pair()
    avg = swa_utils.AveragedModel(ours)
    snaps = []
    rng = np.random.default_rng(3)
    for _ in range(4):
        w = rng.standard_normal(ours[0].weight.shape)
        ours[0].weight.data = w.copy()
        snaps.append(w)
        avg.update_parameters(ours)
    np.testing.assert_allclose(avg.module[0].weight.numpy(), np.mean(snaps, axis=0), rtol=1e-12)
    np.testing.assert_array_equal(ours[0].weight.numpy(), snaps[-1])
    assert avg.module[0].weight is not ours[0].weight


def test_update_bn_matches_torch():
    ours, ref = _pair(1)
    rng = np.random.default_rng(1)
    _load_both(ours, ref, _random_state(ref, rng, 0))
    batches = [rng.standard_normal((n, 4)) * 2 + 1 for n in (8, 5, 11)]
    labels = [np.zeros(len(b)) for b in batches]
    ours.eval()
    ref.eval()
    swa_utils.update_bn([(wb.tensor(b), y) for b, y in zip(batches, labels)], ours)
    tswa.update_bn([(torch.from_numpy(b), torch.from_numpy(y))
                    for b, y in zip(batches, labels)], ref)
    for k, v in ref.state_dict().items():
        np.testing.assert_allclose(np.asarray(ours.state_dict()[k]), v.numpy(), err_msg=k, **TOL)
    assert not ours.training and ours[1].momentum == 0.1  # mode and momentum restored
    # plain tensors as batches; a model without BatchNorm is left alone
    swa_utils.update_bn([wb.tensor(b) for b in batches], ours)
    tswa.update_bn([torch.from_numpy(b) for b in batches], ref)
    np.testing.assert_allclose(ours[1].running_var.numpy(), ref[1].running_var.numpy(), **TOL)
    lin = wb.nn.Linear(4, 2)
    swa_utils.update_bn([wb.tensor(batches[0])], lin)


def test_errors():
    ours, _ = _pair()
    with pytest.raises(ValueError, match="only one of avg_fn and multi_avg_fn"):
        swa_utils.AveragedModel(ours, avg_fn=swa_utils.get_swa_avg_fn(),
                                multi_avg_fn=swa_utils.get_swa_multi_avg_fn())
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        swa_utils.AveragedModel(np.zeros(3))
    avg = swa_utils.AveragedModel(ours)
    with pytest.raises(ValueError, match="do not match"):
        avg.update_parameters(wb.nn.Linear(4, 5))


def _two_group_optimizers(lr=(0.5, 0.2)):
    w = [wb.Tensor(np.zeros(2), requires_grad=True), wb.Tensor(np.zeros(3), requires_grad=True)]
    t = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    ours = wb.optim.SGD([{"params": [w[0]], "lr": lr[0]}, {"params": [w[1]], "lr": lr[1]}],
                        lr=0.1)
    ref = torch.optim.SGD([{"params": [t[0]], "lr": lr[0]}, {"params": [t[1]], "lr": lr[1]}],
                          lr=0.1)
    return ours, ref


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("anneal_epochs", [0, 1, 3, 10])
@pytest.mark.parametrize("swa_lr", [0.05, [0.01, 0.3]])
def test_swalr_matches_torch(strategy, anneal_epochs, swa_lr):
    ours, ref = _two_group_optimizers()
    s_w = swa_utils.SWALR(ours, swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    s_t = tswa.SWALR(ref, swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    seen = []
    for _ in range(anneal_epochs + 4):
        np.testing.assert_allclose(s_w.get_last_lr(), s_t.get_last_lr(), rtol=1e-13, atol=0)
        seen.append(s_w.get_last_lr())
        ours.step()
        ref.step()
        s_w.step()
        s_t.step()
    # after the annealing phase the rate is held at swa_lr
    target = swa_lr if isinstance(swa_lr, list) else [swa_lr] * 2
    np.testing.assert_allclose(seen[-1], target, rtol=1e-12)


def test_swalr_follows_a_schedule_that_ran_before_it():
    """SWA's recipe: a decay first, then SWALR from whatever rate that left (recursive form)."""
    ours, ref = _two_group_optimizers()
    step_w = wb.optim.lr_scheduler.StepLR(ours, 1, gamma=0.5)
    step_t = torch.optim.lr_scheduler.StepLR(ref, 1, gamma=0.5)
    ours.step()
    ref.step()
    step_w.step()
    step_t.step()
    s_w = swa_utils.SWALR(ours, 0.02, anneal_epochs=4)
    s_t = tswa.SWALR(ref, 0.02, anneal_epochs=4)
    for _ in range(6):
        ours.step()
        ref.step()
        s_w.step()
        s_t.step()
        np.testing.assert_allclose(s_w.get_last_lr(), s_t.get_last_lr(), rtol=1e-13)


def test_swalr_bad_arguments():
    ours, _ = _two_group_optimizers()
    with pytest.raises(ValueError, match="anneal_strategy"):
        swa_utils.SWALR(ours, 0.1, anneal_strategy="step")
    with pytest.raises(ValueError, match="anneal_epochs"):
        swa_utils.SWALR(ours, 0.1, anneal_epochs=-1)
    with pytest.raises(ValueError, match="anneal_epochs"):
        swa_utils.SWALR(ours, 0.1, anneal_epochs=2.5)
    with pytest.raises(ValueError, match="swa_lr"):
        swa_utils.SWALR(ours, [0.1, 0.2, 0.3])
