"""Shared inputs for the convolution tests (tests/nn/test_conv*.py): tolerances, random arrays
for a configuration, hypothesis-drawn configurations, and the module-vs-torch comparison."""

import numpy as np
import torch
from hypothesis import strategies as st

import whiteboard as wb

F64 = dict(rtol=1e-8, atol=1e-10)
F32 = dict(rtol=1e-4, atol=1e-4)


def arrays(n, c, h, w, o, kh, kw, kwargs, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    groups = kwargs.get("groups", 1)
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    weight = rng.standard_normal((o, c // groups, kh, kw)).astype(dtype)
    bias = rng.standard_normal(o).astype(dtype)
    return x, weight, bias


@st.composite
def conv_configs(draw, transposed=False):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    n = draw(st.integers(1, 3))
    if transposed:
        h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        oph = draw(st.integers(0, max(sh, dh) - 1))
        opw = draw(st.integers(0, max(sw, dw) - 1))
        kwargs = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups,
                      output_padding=(oph, opw))
    else:
        h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 9))
        w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 9))
        kwargs = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups)
    return n, groups * cg, h, w, groups * og, kh, kw, kwargs, draw(st.booleans())


def transpose_arrays(n, c, h, w, o, kh, kw, kwargs, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    groups = kwargs.get("groups", 1)
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    weight = rng.standard_normal((c, o // groups, kh, kw)).astype(dtype)
    return x, weight, rng.standard_normal(o).astype(dtype)


def copy_params(torch_module, wb_module):
    wb_module.load_state_dict({k: v.detach().numpy() for k, v in torch_module.state_dict().items()})


def compare_module(make, x, tol=F64, **forward_kwargs):
    tm, wm = make(torch), make(wb)
    tm.double()
    wm.double()
    copy_params(tm, wm)
    xt = torch.tensor(x, requires_grad=True)
    xw = wb.tensor(x, requires_grad=True)
    yt, yw = tm(xt, **forward_kwargs), wm(xw, **forward_kwargs)
    assert yw.shape == tuple(yt.shape)
    np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), **tol)
    g = np.random.default_rng(3).standard_normal(yw.shape)
    yt.backward(torch.tensor(g))
    yw.backward(g)
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), **tol)
    named_t = dict(tm.named_parameters())
    for name, p in wm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), named_t[name].grad.numpy(), **tol,
                                   err_msg=f"gradient of {name}")
    return wm


def param(shape, seed):
    return wb.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)
