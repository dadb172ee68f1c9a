"""Data: datasets, loaders, and what scikit-learn ships (nothing is downloaded)."""

from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from .datasets import (
    load, load_breast_cancer, load_digits, load_iris, load_wine, make_blobs, make_circles,
    make_moons, make_spirals, train_test_split,
)
