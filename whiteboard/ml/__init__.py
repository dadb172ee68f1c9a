"""Classical machine learning with scikit-learn's interface, on NumPy alone.

Every estimator works with ``sklearn.base.clone``, ``Pipeline``, ``GridSearchCV`` and
``cross_val_score`` (scikit-learn itself is only a test dependency).
"""

from . import cluster, decomposition, ensemble, linear_model, manifold, svm, tree
from .cluster import KMeans, MiniBatchKMeans
from .decomposition import PCA
from .ensemble import (
    AdaBoostClassifier, AdaBoostRegressor, BaggingClassifier, BaggingRegressor,
    GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
    RandomForestRegressor, XGBoostClassifier, XGBoostRegressor,
)
from .discriminant_analysis import LinearDiscriminantAnalysis
from .linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Perceptron, Ridge
from .manifold import TSNE
from .naive_bayes import GaussianNB, MultinomialNB
from .neighbors import KNeighborsClassifier, KNeighborsRegressor
from .preprocessing import PolynomialFeatures, StandardScaler
from .svm import SVC, SVR, LinearSVC
from .tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text
