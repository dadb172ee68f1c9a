"""Module system semantics against torch.nn.Module, and save/load."""

import os

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import nn


def build(lib):
    """The same nested structure in both libraries (parameters only, no layers needed)."""
    class Block(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.Parameter(lib.zeros(2, 3, dtype=lib.float64))
            self.register_buffer("running", lib.ones(3, dtype=lib.float64))
            self.register_buffer("scratch", lib.zeros(1, dtype=lib.float64), persistent=False)

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.first = Block()
            self.blocks = lib.nn.ModuleList([Block(), Block()])
            self.heads = lib.nn.ModuleDict({"a": Block(), "b": lib.nn.Identity()})
            self.seq = lib.nn.Sequential(Block(), lib.nn.Flatten())
            self.shared = self.first  # the same module twice: its parameters count once
            self.bias = lib.nn.Parameter(lib.zeros(4, dtype=lib.float64))

    return Net()


def test_registration_and_traversal_equal_torch():
    w, t = build(wb), build(torch)
    assert [n for n, _ in w.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in w.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in w.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in w.named_children()] == [n for n, _ in t.named_children()]
    assert list(w.state_dict()) == list(t.state_dict())
    assert len(list(w.parameters())) == len(list(t.parameters()))


def test_train_eval_reach_every_module():
    net = build(wb)
    net.eval()
    assert all(not m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="boolean"):
        net.train("yes")


def test_state_dict_round_trip_through_save_and_load(tmp_path):
    src, dst = build(wb), build(wb)
    for i, p in enumerate(src.parameters()):
        p.data = np.full(p.shape, float(i + 1))
    path = tmp_path / "model.npz"
    wb.save(src.state_dict(), path)
    result = dst.load_state_dict(wb.load(path))
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (n1, a), (n2, b) in zip(src.state_dict().items(), dst.state_dict().items()):
        assert n1 == n2
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # the file holds plain arrays only: it loads without pickle
    with np.load(path, allow_pickle=False) as data:
        assert "first.weight" in data.files[0] or any("first.weight" in f for f in data.files)


def test_load_state_dict_errors_name_key_and_shapes():
    net = build(wb)
    state = net.state_dict()
    state["bias"] = np.zeros(5)
    with pytest.raises(ValueError, match=r"bias.*\(5,\).*\(4,\)"):
        net.load_state_dict(state)
    state = net.state_dict()
    del state["bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(KeyError, match="Missing key.*bias.*Unexpected key.*extra"):
        net.load_state_dict(state)
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]


def test_save_is_atomic_and_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / "ckpt.npz"
    wb.save({"step": 1, "w": wb.ones(3)}, path)
    with pytest.raises(TypeError, match="cannot store"):
        wb.save({"step": 2, "bad": object()}, path)
    assert wb.load(path)["step"] == 1
    assert [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")] == []


def test_save_load_nested_checkpoint_structure(tmp_path):
    ckpt = {
        "model": {"a.weight": wb.randn(2, 2)},
        "optimizer": {"state": {0: {"step": 3, "exp_avg": np.arange(3.0)}},
                      "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0]}]},
        "rng": wb.get_rng_state(),
        "epoch": 5, "name": "x", "none": None,
    }
    wb.save(ckpt, tmp_path / "c.npz")
    back = wb.load(tmp_path / "c.npz")
    assert back["optimizer"]["state"][0]["step"] == 3
    assert back["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)
    np.testing.assert_array_equal(back["optimizer"]["state"][0]["exp_avg"], np.arange(3.0))
    assert back["rng"] == ckpt["rng"] and back["epoch"] == 5 and back["none"] is None
    np.testing.assert_array_equal(back["model"]["a.weight"].numpy(),
                                  ckpt["model"]["a.weight"].numpy())


def test_hooks_containers_and_repr():
    seq = nn.Sequential(nn.Identity(), nn.Flatten(), nn.Unflatten(1, (2, 3)))
    seen = []
    handle = seq[1].register_forward_hook(lambda m, i, o: seen.append(o.shape))
    out = seq(wb.randn(4, 2, 3))
    assert out.shape == (4, 2, 3) and seen == [(4, 6)]
    handle.remove()
    seq(wb.randn(4, 2, 3))
    assert seen == [(4, 6)]
    assert len(seq) == 3 and isinstance(seq[1:], nn.Sequential) and len(seq[1:]) == 2
    assert "Flatten(start_dim=1, end_dim=-1)" in repr(seq)
    ml = nn.ModuleList([nn.Identity()])
    ml.append(nn.Flatten())
    ml.insert(0, nn.Unflatten(1, (1, 1)))
    assert [type(m).__name__ for m in ml] == ["Unflatten", "Identity", "Flatten"]
    with pytest.raises(IndexError):
        ml[5]
    with pytest.raises(TypeError, match="parameter"):
        m = build(wb)
        m.bias = wb.zeros(4)
    with pytest.raises(AttributeError, match="__init__"):
        class Broken(nn.Module):
            def __init__(self):
                self.w = nn.Parameter(wb.zeros(1))

        Broken()


def test_zero_grad_and_dtype_conversion():
    net = build(wb)
    for p in net.parameters():
        p.grad = wb.ones(*p.shape, dtype=wb.float64)
    net.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.float()
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert all(p.requires_grad for p in net.parameters())
