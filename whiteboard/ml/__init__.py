"""Classical machine learning with scikit-learn's interface, on NumPy alone.

Every estimator works with ``sklearn.base.clone``, ``Pipeline``, ``GridSearchCV`` and
``cross_val_score`` (scikit-learn itself is only a test dependency).

Subpackages load on first use (``from whiteboard.ml import SVC`` imports only the SVM code), which
keeps ``import whiteboard.ml.base`` free of import cycles with ``whiteboard.metrics``.
"""

import importlib

_SUBPACKAGES = ("base", "cluster", "decomposition", "discriminant_analysis", "ensemble",
                "factorization_machine", "linear_model", "manifold", "mixture", "naive_bayes",
                "neighbors", "preprocessing", "semi_supervised", "svm", "tree")

_EXPORTS = {
    "KMeans": "cluster", "KMedoids": "cluster", "MiniBatchKMeans": "cluster",
    "SphericalKMeans": "cluster",
    "PCA": "decomposition",
    "LinearDiscriminantAnalysis": "discriminant_analysis",
    "AdaBoostClassifier": "ensemble", "AdaBoostRegressor": "ensemble",
    "BaggingClassifier": "ensemble", "BaggingRegressor": "ensemble",
    "GBDTLogisticRegression": "ensemble",
    "GradientBoostingClassifier": "ensemble", "GradientBoostingRegressor": "ensemble",
    "RandomForestClassifier": "ensemble", "RandomForestRegressor": "ensemble",
    "XGBoostClassifier": "ensemble", "XGBoostRegressor": "ensemble",
    "VotingClassifier": "ensemble", "VotingRegressor": "ensemble",
    "FMClassifier": "factorization_machine", "FMRegressor": "factorization_machine",
    "ElasticNet": "linear_model", "Lasso": "linear_model", "LinearRegression": "linear_model",
    "LogisticRegression": "linear_model", "Perceptron": "linear_model", "Ridge": "linear_model",
    "TSNE": "manifold",
    "GaussianMixture": "mixture",
    "GaussianNB": "naive_bayes", "MultinomialNB": "naive_bayes",
    "KNeighborsClassifier": "neighbors", "KNeighborsRegressor": "neighbors",
    "PolynomialFeatures": "preprocessing", "StandardScaler": "preprocessing",
    "SelfTrainingClassifier": "semi_supervised",
    "SVC": "svm", "SVR": "svm", "LinearSVC": "svm",
    "DecisionTreeClassifier": "tree", "DecisionTreeRegressor": "tree", "export_text": "tree",
}

__all__ = sorted(_EXPORTS) + list(_SUBPACKAGES)


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
