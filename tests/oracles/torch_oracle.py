"""PyTorch as the oracle: run the *same* lambda through whiteboard and torch, compare everything.

Because whiteboard's names and arguments equal PyTorch's, one function ``fn(lib, *tensors)`` runs
against both libraries (``lib`` is ``whiteboard`` or ``torch``). :func:`check` compares output
values, shapes and dtypes, then back-propagates the same random cotangent through both graphs and
compares every input gradient; when torch raises, whiteboard must raise too.
"""

from __future__ import annotations

import numpy as np
import torch

import whiteboard as wb

torch.set_num_threads(1)

_TORCH_DTYPES = {
    np.dtype(np.float16): torch.float16,
    np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64,
    np.dtype(np.int32): torch.int32,
    np.dtype(np.int64): torch.int64,
    np.dtype(np.bool_): torch.bool,
}


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in _flatten(item)]
    return [out]


def to_torch(x, requires_grad=False):
    t = torch.from_numpy(np.array(x, copy=True))
    return t.requires_grad_(requires_grad) if requires_grad else t


def to_wb(x, requires_grad=False):
    return wb.tensor(np.array(x, copy=True), requires_grad=requires_grad)


def check(fn, *arrays, rtol=1e-10, atol=1e-12, grad=True, requires_grad=None, seed=0,
          expect_error=False):
    """Compare ``fn(wb, *tensors)`` with ``fn(torch, *tensors)``.

    ``arrays`` are NumPy arrays (or Python scalars passed through unchanged). Floating arrays
    require grad unless ``requires_grad`` (a list of bools, one per array) says otherwise.
    Returns the whiteboard outputs (flattened list) for further checks.
    """
    if requires_grad is None:
        requires_grad = [isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays]
    wb_in = [to_wb(a, rg) if isinstance(a, np.ndarray) else a
             for a, rg in zip(arrays, requires_grad)]
    th_in = [to_torch(a, rg) if isinstance(a, np.ndarray) else a
             for a, rg in zip(arrays, requires_grad)]

    th_error = wb_error = None
    try:
        th_out = fn(torch, *th_in)
    except Exception as exc:  # noqa: BLE001 - any torch failure must be mirrored
        th_error = exc
    try:
        wb_out = fn(wb, *wb_in)
    except Exception as exc:  # noqa: BLE001
        wb_error = exc
    if expect_error or th_error is not None:
        assert th_error is not None, "torch did not raise but the test expects an error"
        assert wb_error is not None, f"torch raised {th_error!r} but whiteboard did not"
        return None
    if wb_error is not None:
        raise wb_error

    wb_outs, th_outs = _flatten(wb_out), _flatten(th_out)
    assert len(wb_outs) == len(th_outs), f"{len(wb_outs)} outputs vs torch's {len(th_outs)}"
    for k, (w, t) in enumerate(zip(wb_outs, th_outs)):
        assert isinstance(w, wb.Tensor), f"output {k} is {type(w).__name__}, not a Tensor"
        assert w.shape == tuple(t.shape), f"output {k}: shape {w.shape} vs torch {tuple(t.shape)}"
        assert _TORCH_DTYPES[np.dtype(w.dtype)] == t.dtype, (
            f"output {k}: dtype {w.dtype} vs torch {t.dtype}"
        )
        np.testing.assert_allclose(w.numpy(), t.detach().numpy(), rtol=rtol, atol=atol,
                                   err_msg=f"output {k} values differ")
        assert w.requires_grad == t.requires_grad, (
            f"output {k}: requires_grad {w.requires_grad} vs torch {t.requires_grad}"
        )

    if not grad:
        return wb_outs
    rng = np.random.default_rng(seed)
    wb_total, th_total = None, None
    for w, t in zip(wb_outs, th_outs):
        if not t.requires_grad:
            continue
        v = rng.standard_normal(w.shape).astype(w.dtype)
        ws, ts = (w * wb.tensor(v)).sum(), (t * torch.from_numpy(v)).sum()
        wb_total = ws if wb_total is None else wb_total + ws
        th_total = ts if th_total is None else th_total + ts
    if th_total is None:
        return wb_outs
    th_total.backward()
    wb_total.backward()
    for k, (w, t) in enumerate(zip(wb_in, th_in)):
        if not isinstance(t, torch.Tensor) or not t.requires_grad:
            continue
        if t.grad is None:
            assert w.grad is None or not np.any(w.grad.numpy()), f"input {k}: torch grad is None"
            continue
        assert w.grad is not None, f"input {k}: whiteboard produced no gradient"
        assert w.grad.shape == tuple(t.grad.shape)
        np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {k} differs")
    return wb_outs
