"""The data sets shared by ``make_imbens_reference.py`` and the tests that read its output."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification

# scikit-learn checks that need scikit-learn's own classes, which whiteboard cannot import
SKLEARN_ONLY_CLASSES = {
    "check_estimators_unfitted": "whiteboard.ml.base.NotFittedError is a ValueError and "
    "AttributeError like scikit-learn's, but cannot subclass sklearn.exceptions.NotFittedError "
    "without importing scikit-learn at run time",
    "check_supervised_y_2d": "the column-vector warning is whiteboard's DataConversionWarning; "
    "the check only records sklearn.exceptions.DataConversionWarning",
}

DATASETS = {
    "w90_s0": {"n_samples": 3000, "weights": [0.9, 0.1], "random_state": 0},
    "w95_s1": {"n_samples": 3000, "weights": [0.95, 0.05], "random_state": 1},
    "w97_s2": {"n_samples": 4500, "weights": [0.97, 0.03], "random_state": 2},
}


def dataset(n_samples, weights, random_state):
    """The shared data: make_classification, every third row held out for testing."""
    X, y = make_classification(
        n_samples=n_samples, n_features=10, n_informative=5, n_redundant=2, weights=weights,
        n_classes=len(weights),
        flip_y=0.01, class_sep=1.0, random_state=random_state,
    )
    test = np.arange(len(y)) % 3 == 0
    return X[~test], y[~test], X[test], y[test]


def fingerprint(X):
    return [float(X.sum()), [float(v) for v in X[0]]]
