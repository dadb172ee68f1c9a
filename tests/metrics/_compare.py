"""Run a whiteboard metric and its oracle on the same input; compare values, warnings, errors."""

from __future__ import annotations

import warnings

import numpy as np

# warnings whose category and message must agree between whiteboard and the oracle
_CHECKED = ("UndefinedMetricWarning", "UserWarning")


def _run(fn, args, kwargs):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        try:
            out, exc = fn(*args, **kwargs), None
        except Exception as e:  # noqa: BLE001 - the exception itself is compared
            out, exc = None, e
    msgs = {(type(w.message).__name__, str(w.message)) for w in rec
            if type(w.message).__name__ in _CHECKED}
    return out, exc, msgs


def assert_same(a, b, rtol=1e-12, atol=1e-12, path="result"):
    if isinstance(b, dict):
        assert isinstance(a, dict) and list(a) == list(b), f"{path}: keys {list(a)} vs {list(b)}"
        for k in b:
            assert_same(a[k], b[k], rtol, atol, f"{path}[{k!r}]")
    elif isinstance(b, (tuple, list)):
        assert len(a) == len(b), f"{path}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, rtol, atol, f"{path}[{i}]")
    elif b is None:
        assert a is None, f"{path}: {a!r} vs None"
    elif isinstance(b, str):
        # text reports print weighted supports with repr(): scikit-learn sums the weights with
        # a BLAS-backed reduction whose last bit depends on memory alignment (the same input
        # gives ...165 or ...1652 from run to run), so numbers compare at rtol, words exactly
        ta, tb = a.split(), b.split()
        assert len(ta) == len(tb), f"{path}:\n{a}\nvs\n{b}"
        for x, y in zip(ta, tb):
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                assert x == y, f"{path}:\n{a}\nvs\n{b}"
            else:
                assert np.isclose(fx, fy, rtol=rtol, atol=0, equal_nan=True), \
                    f"{path}:\n{a}\nvs\n{b}"
    else:
        a_arr, b_arr = np.asarray(a), np.asarray(b)
        assert a_arr.shape == b_arr.shape, f"{path}: shape {a_arr.shape} vs {b_arr.shape}"
        np.testing.assert_allclose(a_arr.astype(float), b_arr.astype(float), rtol=rtol,
                                   atol=atol, equal_nan=True, err_msg=path)


def compare(wb_fn, sk_fn, *args, rtol=1e-12, atol=1e-12, check_warnings=True, **kwargs):
    """Same value (or same exception type) and the same checked warnings from both functions."""
    out, exc, msgs = _run(wb_fn, args, kwargs)
    ref, ref_exc, ref_msgs = _run(sk_fn, args, kwargs)
    if ref_exc is not None:
        assert exc is not None, f"oracle raised {ref_exc!r}, whiteboard returned {out!r}"
        assert isinstance(exc, type(ref_exc)) or isinstance(ref_exc, type(exc)), (
            f"whiteboard raised {exc!r}, oracle {ref_exc!r}")
        return exc, ref_exc
    if exc is not None:
        raise AssertionError(f"whiteboard raised {exc!r}, oracle returned {ref!r}") from exc
    assert_same(out, ref, rtol, atol)
    if check_warnings:
        assert msgs == ref_msgs, f"warnings differ:\n{msgs}\nvs oracle\n{ref_msgs}"
    return out, ref
