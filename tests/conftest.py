"""Shared test set-up: one thread for every oracle (the CI machine has 2 cores), fixed seeds."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("default", deadline=None, max_examples=25, derandomize=True,
                          database=None)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def _seed():
    import whiteboard as wb

    wb.manual_seed(0)
    np.random.seed(0)
    yield


@pytest.fixture(params=["numpy", "jit"])
def jit_path(request):
    """Run a test on both paths: pure NumPy and the compiled kernels (skipped without Numba).

    Yields the path's name; the previous jit setting is restored afterwards.
    """
    from whiteboard import jit

    if request.param == "jit" and not jit.available():
        pytest.skip("Numba is not installed")
    with jit.flags(enabled=request.param == "jit"):
        yield request.param


def pytest_addoption(parser):
    parser.addoption("--shuffle-seed", type=int, default=None,
                     help="run the collected tests in a random order drawn from this seed "
                          "(audits that no test depends on another's side effects)")


def pytest_collection_modifyitems(config, items):
    seed = config.getoption("--shuffle-seed")
    if seed is not None:
        import random

        random.Random(seed).shuffle(items)
