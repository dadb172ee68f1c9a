"""Regression metrics: mean squared error, mean absolute error and R², as in scikit-learn.

    MSE = Σ_i w_i (y_i − ŷ_i)² / Σ_i w_i        MAE = Σ_i w_i |y_i − ŷ_i| / Σ_i w_i
    R² = 1 − Σ_i w_i (y_i − ŷ_i)² / Σ_i w_i (y_i − ȳ_w)²   (ȳ_w the weighted mean of y)

Targets may be (n,) or (n, n_outputs); ``multioutput`` is ``"raw_values"`` (one value per output),
``"uniform_average"`` (their mean), an array of output weights, or for R² also
``"variance_weighted"`` (weighted by each output's variance Σ w (y − ȳ)²).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..validation import UndefinedMetricWarning, check_consistent_length

__all__ = ["mean_absolute_error", "mean_squared_error", "r2_score"]


def _reg_targets(y_true, y_pred, sample_weight, multioutput, allowed):
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric: {exc}") from None
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2:
            raise ValueError(f"{name} must be 1-D or 2-D, got shape {y.shape}")
        if y.shape[0] < 1:
            raise ValueError(f"Found array with 0 sample(s) (shape={y.shape}) while a minimum "
                             "of 1 is required.")
        if not np.isfinite(y).all():
            raise ValueError(f"Input {name} contains NaN or infinity.")
        arrays.append(y)
    y_true, y_pred = arrays
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(f"y_true and y_pred have different number of output "
                         f"({y_true.shape[1]}!={y_pred.shape[1]})")
    w = None
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.ndim == 0:
            w = np.full(len(y_true), float(w))
        if w.shape != (len(y_true),):
            raise ValueError(f"sample_weight.shape == {w.shape}, expected ({len(y_true)},)")
        if np.all(w == 0):
            raise ValueError("Sample weights must contain at least one non-zero number.")
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(f"Allowed 'multioutput' string values are {allowed}. You provided "
                             f"multioutput={multioutput!r}")
    elif multioutput is not None:
        multioutput = np.asarray(multioutput, dtype=np.float64)
        if y_true.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape[0] != y_true.shape[1]:
            raise ValueError(f"There must be equally many custom weights "
                             f"({multioutput.shape[0]}) as outputs ({y_true.shape[1]}).")
    return y_true, y_pred, w, multioutput


def _combine(errors, multioutput):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error Σ w (y − ŷ)² / Σ w, per output then combined by ``multioutput``."""
    y_true, y_pred, w, multioutput = _reg_targets(
        y_true, y_pred, sample_weight, multioutput, ("raw_values", "uniform_average"))
    return _combine(np.average((y_true - y_pred) ** 2, axis=0, weights=w), multioutput)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error Σ w |y − ŷ| / Σ w, per output then combined by ``multioutput``."""
    y_true, y_pred, w, multioutput = _reg_targets(
        y_true, y_pred, sample_weight, multioutput, ("raw_values", "uniform_average"))
    return _combine(np.average(np.abs(y_pred - y_true), axis=0, weights=w), multioutput)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite=True):
    """Coefficient of determination R² = 1 − SS_res / SS_tot (1 is perfect; can be negative).

    A constant ``y_true`` makes SS_tot = 0: with ``force_finite`` the score is 1.0 for a
    perfect prediction and 0.0 otherwise (else NaN / −inf). Fewer than two samples: NaN and an
    ``UndefinedMetricWarning``.
    """
    y_true, y_pred, w, multioutput = _reg_targets(
        y_true, y_pred, sample_weight, multioutput,
        ("raw_values", "uniform_average", "variance_weighted"))
    if len(y_pred) < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    weight = 1.0 if w is None else w[:, None]
    numerator = np.sum(weight * (y_true - y_pred) ** 2, axis=0)
    denominator = np.sum(weight * (y_true - np.average(y_true, axis=0, weights=w)) ** 2, axis=0)
    nonzero_den = denominator != 0
    if not force_finite:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - numerator / denominator
    else:
        nonzero_num = numerator != 0
        scores = np.ones(y_true.shape[1])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores
        weights = None
        if multioutput == "variance_weighted" and nonzero_den.any():
            weights = denominator
    else:
        weights = multioutput
    return float(np.average(scores, weights=weights))
