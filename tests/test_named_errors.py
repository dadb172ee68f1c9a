"""Bad arguments fail at the call that received them, with an error naming the argument.

Where PyTorch accepts or rejects a call, whiteboard does the same (checked against torch here);
where PyTorch fails with a low-level message ("Trying to create tensor with negative
dimension") or only later, whiteboard raises a ValueError/TypeError that names the layer and the
argument at construction.
"""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import models, nn
from whiteboard.data import DataLoader, TensorDataset
from whiteboard.inspect import receptive_field, summary
from whiteboard.ml.base import NotFittedError

NEGATIVE_SIZES = [
    ("Linear", lambda: nn.Linear(-1, 4), "in_features"),
    ("Linear", lambda: nn.Linear(4, -2), "out_features"),
    ("BatchNorm1d", lambda: nn.BatchNorm1d(-3), "num_features"),
    ("BatchNorm2d", lambda: nn.BatchNorm2d(-3), "num_features"),
    ("InstanceNorm2d", lambda: nn.InstanceNorm2d(-2), "num_features"),
    ("LayerNorm", lambda: nn.LayerNorm(-2), "normalized_shape"),
    ("LayerNorm", lambda: nn.LayerNorm((3, -2)), "normalized_shape"),
    ("GroupNorm", lambda: nn.GroupNorm(0, 4), "num_groups"),
    ("GroupNorm", lambda: nn.GroupNorm(-1, 4), "num_groups"),
    ("GroupNorm", lambda: nn.GroupNorm(2, -4), "num_channels"),
    ("PReLU", lambda: nn.PReLU(-1), "num_parameters"),
    ("LocalResponseNorm", lambda: nn.LocalResponseNorm(0), "size"),
    ("Maxout", lambda: nn.Maxout(4, -2, 2), "out_features"),
    ("Maxout", lambda: nn.Maxout(4, 2, 0), "pool_size"),
    ("Conv2d", lambda: nn.Conv2d(-1, 4, 3), "in_channels"),
    ("ConvTranspose2d", lambda: nn.ConvTranspose2d(2, -1, 3), "out_channels"),
]


@pytest.mark.parametrize("layer,make,argument", NEGATIVE_SIZES)
def test_bad_sizes_raise_value_errors_naming_layer_and_argument(layer, make, argument):
    with pytest.raises(ValueError, match=rf"{layer}.*{argument}"):
        make()


@pytest.mark.parametrize("make,torch_make", [
    (lambda: nn.Linear(-1, 4), lambda: torch.nn.Linear(-1, 4)),
    (lambda: nn.BatchNorm2d(-3), lambda: torch.nn.BatchNorm2d(-3)),
    (lambda: nn.LayerNorm(-2), lambda: torch.nn.LayerNorm(-2)),
])
def test_what_torch_rejects_is_rejected(make, torch_make):
    with pytest.raises(RuntimeError):
        torch_make()
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("make,torch_make", [
    (lambda: nn.Linear(4, 0), lambda: torch.nn.Linear(4, 0)),
    (lambda: nn.Linear(0, 3), lambda: torch.nn.Linear(0, 3)),
    (lambda: nn.BatchNorm1d(0), lambda: torch.nn.BatchNorm1d(0)),
])
def test_zero_sizes_that_torch_accepts_are_accepted_with_the_same_shapes(make, torch_make):
    ours, theirs = make(), torch_make()
    assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape)
                                                            for p in theirs.parameters()]


@pytest.mark.parametrize("value", [2.5, True, "3", None])
def test_non_integer_sizes_raise_type_errors(value):
    with pytest.raises(TypeError, match="Linear: in_features must be an integer"):
        nn.Linear(value, 4)


@pytest.mark.parametrize("kwargs,argument", [
    (dict(hidden=-1), "hidden"), (dict(hidden=(16, 0)), "hidden"), (dict(num_classes=-5),
                                                                   "num_classes"),
    (dict(in_features=0), "in_features"), (dict(num_classes=2.5), "num_classes"),
])
def test_models_get_names_the_bad_size(kwargs, argument):
    with pytest.raises(ValueError, match=rf"models.get\('mlp'\): {argument}"):
        models.get("mlp", **kwargs)


@pytest.mark.parametrize("name", ["lenet", "alexnet", "vgg11", "resnet18"])
def test_models_get_rejects_negative_num_classes_for_every_family(name):
    with pytest.raises(ValueError, match="num_classes"):
        models.get(name, num_classes=-5)


def test_mlp_hidden_accepts_one_int_as_one_layer():
    net = models.get("mlp", in_features=5, hidden=7, num_classes=3)
    assert [tuple(p.shape) for p in net.parameters()] == [(7, 5), (7,), (3, 7), (3,)]


@pytest.mark.parametrize("shape,error", [("1x32x32", TypeError), ((1, -3), ValueError),
                                         ((0, 4), ValueError), ((1.5, 2), ValueError)])
def test_summary_rejects_bad_input_shapes(shape, error):
    with pytest.raises(error, match="summary: input_shape"):
        summary(nn.Linear(3, 4), shape)


def test_receptive_field_rejects_float_kernels():
    with pytest.raises(TypeError, match="layer 0: kernel, stride, padding"):
        receptive_field([(3.5, 1, 0)])
    assert receptive_field([(3, 1, 0), (3, 2, 1)])[-1].rf == 5


def test_dataloader_rejects_a_dataset_without_len_at_construction():
    with pytest.raises(TypeError, match="DataLoader: dataset must support len"):
        DataLoader(None)


@pytest.mark.parametrize("batch_size", [True, 0, -1, 2.0])
def test_dataloader_rejects_bad_batch_sizes_like_torch(batch_size):
    with pytest.raises(ValueError, match="batch_size should be a positive integer value") as ours:
        DataLoader([1, 2, 3], batch_size=batch_size)
    with pytest.raises(ValueError) as theirs:
        torch.utils.data.DataLoader([1, 2, 3], batch_size=batch_size)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("data", [[1, 2, 3, 4, 5], [1.5, 2.0, -3.0, 4.0, 0.5], [True, False, True,
                                                                               True, False],
                                  [(1, 2.0), (3, 4.0), (5, 6.0), (7, 8.0), (9, 10.0)],
                                  [np.arange(3) + i for i in range(5)]])
def test_dataloader_collates_python_values_as_torch(data):
    ours = list(DataLoader(data, batch_size=2))
    theirs = list(torch.utils.data.DataLoader(data, batch_size=2))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        a = a if isinstance(a, tuple) else (a,)
        b = tuple(b) if isinstance(b, (list, tuple)) else (b,)
        assert len(a) == len(b)
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x.data, y.numpy())
            assert x.data.dtype == y.numpy().dtype


def test_dataloader_collates_dicts_by_key():
    data = [{"x": np.full(2, i, dtype=np.float32), "y": i} for i in range(4)]
    batch = next(iter(DataLoader(data, batch_size=3)))
    np.testing.assert_array_equal(batch["y"].data, [0, 1, 2])
    assert batch["x"].shape == (3, 2)


def test_dataloader_over_a_tensor_dataset_is_unchanged():
    ds = TensorDataset(wb.tensor(np.arange(6.0).reshape(3, 2)), wb.tensor(np.arange(3)))
    xb, yb = next(iter(DataLoader(ds, batch_size=2)))
    np.testing.assert_array_equal(xb.data, [[0, 1], [2, 3]])
    np.testing.assert_array_equal(yb.data, [0, 1])


@pytest.mark.parametrize("ignore_index", [1.5, "1", None, True])
@pytest.mark.parametrize("loss", ["CrossEntropyLoss", "NLLLoss"])
def test_ignore_index_must_be_an_int_like_torch(loss, ignore_index):
    with pytest.raises(TypeError, match="ignore_index must be an int"):
        getattr(nn, loss)(ignore_index=ignore_index)
    with pytest.raises(TypeError, match="ignore_index must be an int"):
        nn.functional.cross_entropy(wb.tensor(np.zeros((2, 3))), wb.tensor(np.array([0, 1])),
                                    ignore_index=ignore_index)
    if ignore_index == 1.5:
        with pytest.raises(TypeError):
            getattr(torch.nn, loss)(ignore_index=ignore_index)(
                torch.zeros(2, 3), torch.tensor([0, 1]))


@pytest.mark.parametrize("name,method", [
    (name, method)
    for name in ("AdaCostClassifier", "EasyEnsembleClassifier", "BalanceCascadeClassifier")
    for method in ("predict", "predict_proba", "decision_function")
    if hasattr(getattr(wb.imbalance, name), method)])
def test_imbalance_ensembles_raise_not_fitted_before_fit(name, method):
    est = getattr(wb.imbalance, name)()
    with pytest.raises(NotFittedError):
        getattr(est, method)(np.zeros((3, 2)))
