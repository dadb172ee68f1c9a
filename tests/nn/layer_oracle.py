"""Compare a whiteboard layer with its torch twin: outputs, input gradient, parameter gradients.

The torch module is built first; its state (parameters and buffers) is copied into the
whiteboard module, both run the same input, and the same random cotangent is back-propagated
through both. Buffers (running statistics) are compared after the forward pass.
"""

from __future__ import annotations

import numpy as np
import torch

import whiteboard as wb

TOL = {np.dtype(np.float64): dict(rtol=1e-8, atol=1e-10),
       np.dtype(np.float32): dict(rtol=1e-4, atol=1e-5)}


def copy_state(wb_module, torch_module):
    """Load torch's parameters and buffers into the whiteboard module (dtypes follow torch)."""
    state = {k: v.detach().numpy().copy() for k, v in torch_module.state_dict().items()}
    dtype = next((v.dtype for v in state.values() if v.dtype.kind == "f"), None)
    if dtype is not None:
        wb_module.to(dtype)
    wb_module.load_state_dict(state)


def compare_layer(wb_module, torch_module, x, *, steps=1, seed=0, tol=None, copy=True,
                  input_grad=True):
    """Run ``steps`` forward/backward passes through both modules and compare everything.

    ``x`` is a NumPy array (or a list of arrays, one per step). Returns the last whiteboard
    output.
    """
    if copy:
        copy_state(wb_module, torch_module)
    xs = x if isinstance(x, list) else [x] * steps
    rng = np.random.default_rng(seed)
    out_w = None
    for step, xa in enumerate(xs):
        tol_ = tol or TOL[np.dtype(xa.dtype)]
        xw = wb.tensor(xa.copy(), requires_grad=input_grad)
        xt = torch.from_numpy(xa.copy()).requires_grad_(input_grad)
        out_w, out_t = wb_module(xw), torch_module(xt)
        assert out_w.shape == tuple(out_t.shape), f"step {step}: shape {out_w.shape} vs " \
                                                  f"{tuple(out_t.shape)}"
        assert out_w.dtype == np.dtype(str(out_t.dtype).replace("torch.", "")), \
            f"step {step}: dtype {out_w.dtype} vs {out_t.dtype}"
        np.testing.assert_allclose(out_w.numpy(), out_t.detach().numpy(), **tol_,
                                   err_msg=f"step {step}: outputs differ")
        for name, buf in torch_module.named_buffers():
            mine = dict(wb_module.named_buffers())[name]
            np.testing.assert_allclose(mine.numpy(), buf.numpy(), **tol_,
                                       err_msg=f"step {step}: buffer {name} differs")
        if not out_t.requires_grad:
            continue
        v = rng.standard_normal(out_w.shape).astype(xa.dtype)
        for p in wb_module.parameters():
            p.grad = None
        torch_module.zero_grad()
        out_w.backward(wb.tensor(v))
        out_t.backward(torch.from_numpy(v))
        if input_grad:
            np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), **tol_,
                                       err_msg=f"step {step}: input gradient differs")
        wb_params = dict(wb_module.named_parameters())
        for name, p in torch_module.named_parameters():
            assert name in wb_params, f"parameter {name} missing in whiteboard"
            assert wb_params[name].grad is not None, f"step {step}: {name} has no gradient"
            np.testing.assert_allclose(wb_params[name].grad.numpy(), p.grad.numpy(), **tol_,
                                       err_msg=f"step {step}: gradient of {name} differs")
    return out_w
