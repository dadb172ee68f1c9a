"""``whiteboard.validation`` is the one home of the input checks: every layer uses the same
objects (so a message is the same everywhere) and the module imports nothing of the library."""

import ast
import pathlib

import numpy as np
import pytest

import whiteboard.imbalance._sampling_strategy as sampling
import whiteboard.metrics.classification as classification
import whiteboard.ml.base as base
import whiteboard.ml.svm.classes as svm_classes
import whiteboard.nn.linear as linear
import whiteboard.validation as v

ROOT = pathlib.Path(v.__file__).parent


def test_validation_imports_nothing_of_the_library():
    tree = ast.parse(pathlib.Path(v.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("whiteboard"), \
                ast.dump(node)
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("whiteboard") for a in node.names)


def test_no_private_validation_modules_remain():
    assert sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("_validation.py")) == []


@pytest.mark.parametrize("module,name", [(base, "check_array"), (base, "NotFittedError"),
                                         (base, "check_X_y"), (sampling, "check_array"),
                                         (svm_classes, "InvalidParameterError"),
                                         (classification, "check_targets"),
                                         (linear, "check_size")])
def test_every_layer_uses_the_same_objects(module, name):
    assert getattr(module, name) is getattr(v, name)


def test_the_same_mistake_gives_the_same_message_in_ml_and_imbalance():
    import whiteboard.imbalance as imb
    import whiteboard.ml as ml

    X = np.array([[0.0, np.nan], [1.0, 2.0], [2.0, 1.0], [3.0, 0.0]])
    y = np.array([0, 1, 0, 1])
    messages = set()
    for est in (ml.LogisticRegression(), imb.SMOTE(k_neighbors=1)):
        fit = getattr(est, "fit_resample", est.fit)
        with pytest.raises(ValueError) as info:
            fit(X, y)
        messages.add(str(info.value).replace(type(est).__name__, "<estimator>"))
    assert messages == {"Input X in <estimator> contains NaN."}
