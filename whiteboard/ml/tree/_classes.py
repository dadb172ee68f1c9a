"""Decision trees: CART (Gini), ID3 (information gain), C4.5 (gain ratio) and regression trees.

A tree recursively splits the feature space with axis-aligned tests ``x_j <= t``. At a node with
samples ``D`` the split maximises the impurity decrease

    Delta(j, t) = i(D) - |D_L|/|D| i(D_L) - |D_R|/|D| i(D_R)        (weighted counts)

over every feature ``j`` and every threshold ``t`` halfway between two consecutive distinct values
of ``x_j``. Impurities: Gini ``1 - sum_c p_c^2`` (CART), entropy ``-sum_c p_c log2 p_c`` (ID3's
information gain is the entropy decrease), C4.5's gain ratio ``IG / SplitInfo``, squared error
``mean (y - ybar)^2`` for regression, whose leaves predict the mean of their training targets
(the notes' "average all nodes" is wrong -- only the leaf's own samples count, see ERRATA E90).

Pruning: pre-pruning by ``max_depth``, ``min_samples_split``, ``min_samples_leaf``,
``min_weight_fraction_leaf``, ``min_impurity_decrease``, ``max_leaf_nodes``; post-pruning by
minimal cost-complexity (``ccp_alpha``): the subtree minimising ``R(T) + alpha |leaves(T)|``.

The growing machinery is shared with every ensemble and lives in ``_tree.py``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import (
    BaseEstimator,
    ProbaClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from ._tree import CRITERIA_CLF, CRITERIA_REG, TreeBuilder, cost_complexity_prune, prune_tree
from ...validation import check_array, check_X_y

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "compute_class_weight_vector"]


def compute_class_weight_vector(class_weight, y_encoded, n_classes):
    """Weight of every sample from ``class_weight`` ('balanced', a {class index: weight}
    mapping or None): 'balanced' gives class c the weight ``n / (n_classes * n_c)``."""
    if class_weight is None:
        return np.ones(len(y_encoded))
    if class_weight == "balanced":
        counts = np.bincount(y_encoded, minlength=n_classes).astype(float)
        present = counts > 0
        per_class = np.ones(n_classes)
        per_class[present] = len(y_encoded) / (present.sum() * counts[present])
        return per_class[y_encoded]
    raise ValueError(f"class_weight must be None, 'balanced' or a dict, got {class_weight!r}")


def class_weight_dict_vector(class_weight, classes, y_encoded):
    """Per-sample weights from a {class label: weight} mapping (missing classes weigh 1)."""
    labels = classes.tolist()
    unknown = [k for k in class_weight if k not in labels]
    if unknown:
        raise ValueError(f"class_weight has labels {unknown!r} that are not classes of y "
                         f"({labels!r})")
    return np.array([float(class_weight.get(c, 1.0)) for c in labels])[y_encoded]


def _check_int_or_frac(name, value, lo_int, frac_open_high):
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool):
        if value < lo_int:
            raise ValueError(f"{name} must be an int >= {lo_int} or a float in (0, 1), "
                             f"got {value!r}")
        return "int"
    if isinstance(value, (numbers.Real, np.floating)) and not isinstance(value, bool):
        high_ok = value < 1.0 if frac_open_high else value <= 1.0
        if not (0.0 < value and high_ok):
            raise ValueError(f"{name} must be an int >= {lo_int} or a float in "
                             f"(0, 1{')' if frac_open_high else ']'}, got {value!r}")
        return "float"
    raise ValueError(f"{name} must be an int or a float, got {value!r}")


class BaseDecisionTree(BaseEstimator):
    """Shared ``fit`` of both trees: parameter checks, then ``TreeBuilder`` and optional
    cost-complexity pruning."""

    def _resolve_max_features(self, n_features):
        mf = self.max_features
        if mf is None:
            return n_features
        if isinstance(mf, str):
            if mf == "sqrt":
                return max(1, int(np.sqrt(n_features)))
            if mf == "log2":
                return max(1, int(np.log2(n_features)))
            raise ValueError(f"max_features must be 'sqrt', 'log2', an int, a float or None, "
                             f"got {mf!r}")
        if isinstance(mf, (numbers.Integral, np.integer)) and not isinstance(mf, bool):
            if not 1 <= mf <= n_features:
                raise ValueError(f"max_features must be in [1, n_features={n_features}], "
                                 f"got {mf}")
            return int(mf)
        if isinstance(mf, (numbers.Real, np.floating)) and not isinstance(mf, bool):
            if not 0.0 < mf <= 1.0:
                raise ValueError(f"max_features as a float must be in (0, 1], got {mf}")
            return max(1, int(mf * n_features))
        raise ValueError(f"max_features must be 'sqrt', 'log2', an int, a float or None, "
                         f"got {mf!r}")

    def _fit(self, X, y, sample_weight, criteria, n_classes, presorted=None):
        n, f = X.shape
        if self.criterion not in criteria:
            raise ValueError(f"criterion must be one of {sorted(criteria)}, got "
                             f"{self.criterion!r}")
        if self.splitter not in ("best", "random"):
            raise ValueError(f"splitter must be 'best' or 'random', got {self.splitter!r}")
        md = self.max_depth
        if md is not None and (not isinstance(md, (numbers.Integral, np.integer)) or md < 1):
            raise ValueError(f"max_depth must be None or an int >= 1, got {md!r}")
        kind = _check_int_or_frac("min_samples_leaf", self.min_samples_leaf, 1, True)
        msl = (int(self.min_samples_leaf) if kind == "int"
               else max(1, int(np.ceil(self.min_samples_leaf * n))))
        kind = _check_int_or_frac("min_samples_split", self.min_samples_split, 2, False)
        mss = (int(self.min_samples_split) if kind == "int"
               else max(2, int(np.ceil(self.min_samples_split * n))))
        mss = max(mss, 2 * msl)
        mwfl = self.min_weight_fraction_leaf
        if not 0.0 <= mwfl <= 0.5:
            raise ValueError(f"min_weight_fraction_leaf must be in [0, 0.5], got {mwfl!r}")
        mln = self.max_leaf_nodes
        if mln is not None and (not isinstance(mln, (numbers.Integral, np.integer)) or mln < 2):
            raise ValueError(f"max_leaf_nodes must be None or an int >= 2, got {mln!r}")
        if self.min_impurity_decrease < 0:
            raise ValueError(f"min_impurity_decrease must be >= 0, got "
                             f"{self.min_impurity_decrease!r}")
        if self.ccp_alpha < 0:
            raise ValueError(f"ccp_alpha must be >= 0, got {self.ccp_alpha!r}")
        self.max_features_ = self._resolve_max_features(f)
        crit_cls = criteria[self.criterion]
        criterion = crit_cls(n_classes) if n_classes is not None else crit_cls()
        builder = TreeBuilder(
            criterion, max_depth=np.iinfo(np.int32).max if md is None else int(md),
            min_samples_split=mss, min_samples_leaf=msl,
            min_weight_leaf=mwfl * float(sample_weight.sum()), max_features=self.max_features_,
            max_leaf_nodes=mln, min_impurity_decrease=float(self.min_impurity_decrease),
            splitter=self.splitter, random_state=check_random_state(self.random_state))
        # X as given (float64 from validation, or an ensemble's Fortran-ordered float32):
        # the builder makes the one feature-major float32 copy it reads, or none
        tree = builder.build(X, y, sample_weight,
                             [n_classes] if n_classes is not None else [1], presorted)
        if self.ccp_alpha > 0.0:
            tree = prune_tree(tree, self.ccp_alpha)
        self.tree_ = tree
        self.n_features_in_ = f
        self.n_outputs_ = 1
        return self

    def _validate_X_predict(self, X):
        check_is_fitted(self, "tree_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def apply(self, X):
        """Index of the leaf each sample ends in, shape (n_samples,)."""
        X = self._validate_X_predict(X)
        return self.tree_.apply(X)

    def decision_path(self, X):
        """Boolean (n_samples, n_nodes) indicator of the nodes each sample goes through."""
        X = self._validate_X_predict(X)
        return self.tree_.decision_path(X)

    def get_depth(self):
        """Depth of the tree (a lone root has depth 0)."""
        check_is_fitted(self, "tree_")
        return self.tree_.max_depth

    def get_n_leaves(self):
        """Number of leaves."""
        check_is_fitted(self, "tree_")
        return self.tree_.n_leaves

    @property
    def feature_importances_(self):
        """Normalised total impurity decrease brought by each feature (shape (n_features,))."""
        check_is_fitted(self, "tree_")
        return self.tree_.compute_feature_importances()

    def cost_complexity_pruning_path(self, X, y, sample_weight=None):
        """Effective alphas of the weakest-link pruning sequence and the total leaf impurity
        ``sum_leaves w_t/w i(t)`` of each pruned subtree (first entry: the full tree)."""
        est = type(self)(**{**self.get_params(deep=False), "ccp_alpha": 0.0})
        est.fit(X, y, sample_weight=sample_weight)
        alphas, impurities = cost_complexity_prune(est.tree_)
        return {"ccp_alphas": alphas, "impurities": impurities}


class DecisionTreeClassifier(ProbaClassifierMixin, BaseDecisionTree):
    """Classification tree: CART ('gini'), ID3 ('entropy', alias 'log_loss') or C4.5
    ('gain_ratio'; not in scikit-learn).

    ``predict_proba`` returns the weighted class fractions of the leaf, shape
    (n_samples, n_classes); ``predict`` the class of largest fraction. Same hyper-parameters and
    defaults as scikit-learn's ``DecisionTreeClassifier`` (``monotonic_cst`` excepted).
    """

    def __init__(self, *, criterion="gini", splitter="best", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features=None, random_state=None, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, class_weight=None, ccp_alpha=0.0):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on X (n_samples, n_features), labels y (n_samples,)."""
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, yi = encode_labels(y, min_classes=1, estimator=self)
        self.n_classes_ = len(self.classes_)
        w = check_sample_weight(sample_weight, len(yi))
        cw = self.class_weight
        if isinstance(cw, dict):
            w = w * class_weight_dict_vector(cw, self.classes_, yi)
        elif cw is not None:
            w = w * compute_class_weight_vector(cw, yi, self.n_classes_)
        if w.sum() <= 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        return self._fit(X, yi, w, CRITERIA_CLF, self.n_classes_)

    def predict_proba(self, X):
        """Class fractions of the leaf reached, shape (n_samples, n_classes)."""
        X = self._validate_X_predict(X)
        return self.tree_.predict(X)[:, 0, :]


class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """Regression tree (CART with squared error): splits maximise the weighted variance
    reduction; each leaf predicts the weighted mean of its training targets."""

    def __init__(self, *, criterion="squared_error", splitter="best", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features=None, random_state=None, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, ccp_alpha=0.0):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.ccp_alpha = ccp_alpha

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on X (n_samples, n_features), real targets y (n_samples,)."""
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        y = y.astype(np.float64)
        w = check_sample_weight(sample_weight, len(y))
        if w.sum() <= 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        return self._fit(X, y, w, CRITERIA_REG, None)

    def predict(self, X):
        """Mean target of the leaf reached, shape (n_samples,)."""
        X = self._validate_X_predict(X)
        return self.tree_.predict(X)[:, 0, 0]
