"""The optional Numba kernels: the switch, lazy compilation, and the error without Numba."""

import threading

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import jit


@jit.kernel
def _running_max(x, out):
    best = -np.inf
    for i in range(x.shape[0]):
        if x[i] > best:
            best = x[i]
        out[i] = best


def _running_max_numpy(x):
    return np.maximum.accumulate(x)


def test_flags_switch_and_restore():
    before = jit.enabled()
    with jit.disabled():
        assert not jit.enabled()
        with jit.flags(enabled=True):
            assert jit.enabled() == jit.available()
        assert not jit.enabled()
    assert jit.enabled() == before


def test_flags_restore_after_an_error():
    before = jit.enabled()
    with pytest.raises(KeyError), jit.disabled():
        raise KeyError("x")
    assert jit.enabled() == before


def test_arguments_are_checked():
    with pytest.raises(TypeError, match="flag must be a bool"):
        jit.enable(1)
    with pytest.raises(TypeError, match="enabled must be a bool"), jit.flags(enabled="yes"):
        pass


def test_import_does_not_import_numba():
    import subprocess
    import sys

    code = "import sys, whiteboard; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_environment_switches_off(monkeypatch):
    import subprocess
    import sys

    code = "import whiteboard as wb; print(wb.jit.enabled())"
    env = {**__import__("os").environ, "WHITEBOARD_JIT": "0"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.strip() == "False"


def test_kernel_equals_its_python_function_and_numpy_twin():
    if not jit.available():
        pytest.skip("Numba is not installed")
    x = np.random.default_rng(3).standard_normal(101)
    got, ref = np.empty_like(x), np.empty_like(x)
    _running_max(x, got)
    _running_max.py_func(x, ref)
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(got, _running_max_numpy(x))


def test_first_call_from_many_threads_compiles_once():
    if not jit.available():
        pytest.skip("Numba is not installed")

    @jit.kernel(cache=False)
    def double(x):
        for i in range(x.shape[0]):
            x[i] *= 2.0

    arrays = [np.arange(5.0) for _ in range(4)]
    threads = [threading.Thread(target=double, args=(a,)) for a in arrays]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in arrays:
        np.testing.assert_array_equal(a, 2.0 * np.arange(5.0))
    assert double.compiled() is double.compiled()


def test_without_numba_the_kernel_says_what_to_do(monkeypatch):
    monkeypatch.setattr(jit, "_available", [False])

    @jit.kernel
    def noop(x):
        return x

    assert not jit.enabled()
    with pytest.raises(RuntimeError, match="needs Numba.*NumPy path"):
        noop(1.0)


def test_fixture_runs_both_paths(jit_path):
    assert jit.enabled() == (jit_path == "jit")
    assert wb.jit is jit


@jit.shared
def _clip01(v):
    if v < 0.0:
        return 0.0
    if v > 1.0:
        return 1.0
    return v


@jit.kernel(cache=False)
def _clip_all(x, out):
    for i in range(x.shape[0]):
        out[i] = _clip01(x[i])


def test_shared_helper_is_python_for_python_and_inlined_in_kernels():
    x = np.array([-0.5, 0.25, 3.0, 1.0, 0.0])
    assert [_clip01(v) for v in x] == [0.0, 0.25, 1.0, 1.0, 0.0]
    assert _clip01.__name__ == "_clip01"
    if not jit.available():
        pytest.skip("Numba is not installed")
    out = np.empty_like(x)
    _clip_all(x, out)
    np.testing.assert_array_equal(out, np.clip(x, 0.0, 1.0))


@jit.kernel
def _twice_running_max(x, out):
    _running_max(x, out)          # a kernel calling a kernel
    for i in range(out.shape[0]):
        out[i] *= 2.0


def test_a_kernel_calls_another_kernel():
    if not jit.available():
        pytest.skip("Numba is not installed")
    x = np.random.default_rng(4).standard_normal(57)
    out = np.empty_like(x)
    _twice_running_max(x, out)
    np.testing.assert_array_equal(out, 2 * _running_max_numpy(x))


def test_intrinsics_are_built_lazily_and_only_run_in_kernels():
    """``jit.intrinsic``: ``make`` runs when the first kernel using it compiles; calling the
    intrinsic from Python says where it belongs."""
    built = []

    @jit.intrinsic
    def plus_one():
        from numba import types
        from numba.extending import intrinsic

        built.append(1)

        @intrinsic
        def plus_one(typingctx, v):
            def codegen(context, builder, sig, args):
                return builder.add(args[0], context.get_constant(types.int64, 1))
            return types.int64(types.int64), codegen

        return plus_one

    with pytest.raises(TypeError, match="jit.kernel"):
        plus_one(3)
    assert not built
    if not jit.available():
        return

    def use(v):
        return plus_one(v) * 10

    kern = jit.kernel(cache=False)(use)               # `plus_one` is a closure variable
    assert kern(np.int64(4)) == 50
    assert kern(np.int64(-1)) == 0
    assert built == [1]
