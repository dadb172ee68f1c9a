"""MSE, MAE and R² against scikit-learn 1.9.1 (rtol 1e-12)."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import whiteboard.metrics as wbm

from ._compare import compare


@st.composite
def regression(draw):
    n = draw(st.integers(1, 30))
    k = draw(st.sampled_from([None, 1, 3]))
    size = n * (k or 1)
    vals = st.sampled_from([0.0, 1.0, 2.5]) if draw(st.booleans()) else st.floats(-100, 100)
    y = np.array(draw(st.lists(vals, min_size=size, max_size=size)))
    p = np.array(draw(st.lists(vals, min_size=size, max_size=size)))
    if k is not None:
        y, p = y.reshape(n, k), p.reshape(n, k)
    w = np.array(draw(st.lists(st.floats(0.1, 3), min_size=n, max_size=n))) \
        if draw(st.booleans()) else None
    return y, p, w, k


@given(regression(), st.sampled_from(["raw_values", "uniform_average", "weights"]))
def test_mse_mae(data, multioutput):
    y, p, w, k = data
    if multioutput == "weights":
        multioutput = np.arange(1, (k or 1) + 1, dtype=float)
    for name in ("mean_squared_error", "mean_absolute_error"):
        compare(getattr(wbm, name), getattr(skm, name), y, p, sample_weight=w,
                multioutput=multioutput)


@given(regression(), st.sampled_from(["raw_values", "uniform_average", "variance_weighted",
                                      "weights"]), st.booleans())
def test_r2(data, multioutput, force_finite):
    y, p, w, k = data
    if multioutput == "weights":
        multioutput = np.arange(1, (k or 1) + 1, dtype=float)
    compare(wbm.r2_score, skm.r2_score, y, p, sample_weight=w, multioutput=multioutput,
            force_finite=force_finite, rtol=1e-10, atol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="y_true has 2, y_pred has 3"):
        wbm.mean_squared_error([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="different number of output"):
        wbm.r2_score([[1, 2], [3, 4]], [[1], [2]])
