"""Shared data and the accuracy comparison used by the ensemble tests."""

import numpy as np
from sklearn import datasets
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score

from tests.oracles.sklearn_oracle import load


def clf_data(name):
    if name == "make_classification":
        return datasets.make_classification(2000, 20, n_informative=8, n_classes=3,
                                            random_state=0)
    return load(name)


def reg_data(name):
    if name == "make_regression":
        return datasets.make_regression(2000, 20, n_informative=10, noise=10.0, random_state=0)
    return datasets.make_friedman1(1200, n_features=20, noise=1.0, random_state=0)


def cv_score(est_factory, X, y, seeds, classification=True):
    """Mean 5-fold cross-validated score (accuracy or R^2) over ``seeds`` (each seed also seeds
    the estimator): every sample is a test sample once per seed, which keeps the comparison
    noise low on small data sets."""
    scores = []
    for s in seeds:
        cv = (StratifiedKFold if classification else KFold)(5, shuffle=True, random_state=s)
        scores.append(cross_val_score(est_factory(s), X, y, cv=cv).mean())
    return float(np.mean(scores))


def split_score(est_factory, X, y, seeds):
    """Mean held-out score over ``seeds`` on one fixed 50/50 split (for the larger synthetic
    sets, where 1,000+ test samples already make the score precise)."""
    from sklearn.model_selection import train_test_split
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=0)
    return float(np.mean([est_factory(s).fit(Xtr, ytr).score(Xte, yte) for s in seeds]))
