"""Evaluation metrics with scikit-learn's names and semantics, and pairwise distances."""

from ..validation import UndefinedMetricWarning
from .classification import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    geometric_mean_score,
    log_loss,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from .cluster import silhouette_samples, silhouette_score
from .pairwise import euclidean_distances, kneighbors
from .ranking import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from .regression import mean_absolute_error, mean_squared_error, r2_score

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "auc",
    "average_precision_score",
    "balanced_accuracy_score",
    "classification_report",
    "confusion_matrix",
    "euclidean_distances",
    "f1_score",
    "fbeta_score",
    "geometric_mean_score",
    "kneighbors",
    "log_loss",
    "matthews_corrcoef",
    "mean_absolute_error",
    "mean_squared_error",
    "multilabel_confusion_matrix",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "silhouette_samples",
    "silhouette_score",
]
