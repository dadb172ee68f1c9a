"""scikit-learn as the oracle: datasets, and its estimator-contract checks."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn import datasets
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator


def load(name, scale=False):
    """``(X, y)`` of a dataset that scikit-learn ships (iris, wine, breast_cancer, digits ...)."""
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    if scale:
        X = StandardScaler().fit_transform(X)
    return X.astype(np.float64), y


def run_check_estimator(estimator, expected_failed_checks=None):
    """Run scikit-learn's ``check_estimator``; fail on any check not listed with its reason.

    ``expected_failed_checks`` maps a check name to the written reason it does not apply.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(estimator, expected_failed_checks=expected_failed_checks or {})
