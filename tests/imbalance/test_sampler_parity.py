"""The samplers' API matches imbalanced-learn's: containers in → containers out, feature names,
parameter errors at fit, sampler tags. (Resampling values are tested in test_samplers etc.)"""

import numpy as np
import pytest
from imblearn import over_sampling as io
from imblearn import under_sampling as iu

import whiteboard.imbalance as W
from whiteboard.ml.base import NotFittedError

PAIRS = [(W.RandomOverSampler, io.RandomOverSampler), (W.SMOTE, io.SMOTE),
         (W.BorderlineSMOTE, io.BorderlineSMOTE), (W.RandomUnderSampler, iu.RandomUnderSampler)]
IDS = [p[0].__name__ for p in PAIRS]


def _data(seed=0, n_features=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, n_features))
    y = np.r_[np.zeros(28, int), np.ones(12, int)]
    return X, y


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=IDS)
@pytest.mark.parametrize("x_list,y_list", [(True, True), (True, False), (False, True)])
def test_list_in_list_out_as_imblearn(ours, theirs, x_list, y_list):
    X, y = _data()
    Xa = X.tolist() if x_list else X
    ya = y.tolist() if y_list else y
    Xw, yw = ours(random_state=0).fit_resample(Xa, ya)
    Xi, yi = theirs(random_state=0).fit_resample(Xa, ya)
    assert type(Xw) is type(Xi)
    assert type(yw) is type(yi)
    assert np.shape(Xw) == np.shape(Xi)
    assert sorted(np.asarray(yw).tolist()) == sorted(np.asarray(yi).tolist())


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=IDS)
@pytest.mark.parametrize("n_features", [1, 4])
def test_get_feature_names_out_as_imblearn(ours, theirs, n_features):
    X, y = _data(n_features=n_features)
    w, i = ours(random_state=0).fit(X, y), theirs(random_state=0).fit(X, y)
    np.testing.assert_array_equal(w.get_feature_names_out(), i.get_feature_names_out())
    assert w.get_feature_names_out().dtype == i.get_feature_names_out().dtype
    names = [f"f{k}" for k in range(n_features)]
    np.testing.assert_array_equal(w.get_feature_names_out(names),
                                  i.get_feature_names_out(names))
    with pytest.raises(ValueError, match="input_features"):
        w.get_feature_names_out(names + ["extra"])
    with pytest.raises(ValueError):
        i.get_feature_names_out(names + ["extra"])


@pytest.mark.parametrize("ours", [p[0] for p in PAIRS], ids=IDS)
def test_get_feature_names_out_before_fit_raises_not_fitted(ours):
    with pytest.raises(NotFittedError):
        ours().get_feature_names_out()


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=IDS)
@pytest.mark.parametrize("params", [dict(random_state="x"), dict(random_state=-1),
                                    dict(random_state=2.5), dict(sampling_strategy="bogus"),
                                    dict(sampling_strategy=-0.5)])
def test_bad_parameters_raise_at_fit_naming_the_parameter_where_imblearn_does(ours, theirs,
                                                                              params):
    X, y = _data()
    with pytest.raises(ValueError):  # imblearn's InvalidParameterError is a ValueError
        theirs(**params).fit_resample(X, y)
    (name,) = params
    with pytest.raises(ValueError, match=name):
        ours(**params).fit_resample(X, y)


@pytest.mark.parametrize("ours,theirs", [p for p in PAIRS if "k_neighbors" in p[1]().get_params()],
                         ids=["SMOTE", "BorderlineSMOTE"])
@pytest.mark.parametrize("k", [0, -1, 2.5])
def test_bad_k_neighbors_raise_like_imblearn(ours, theirs, k):
    X, y = _data()
    with pytest.raises(ValueError):
        theirs(k_neighbors=k).fit_resample(X, y)
    with pytest.raises((ValueError, TypeError), match="k_neighbors"):
        ours(k_neighbors=k).fit_resample(X, y)


@pytest.mark.parametrize("ours,theirs", PAIRS, ids=IDS)
def test_sampler_tags_as_imblearn(ours, theirs):
    tw, ti = ours().__sklearn_tags__(), theirs().__sklearn_tags__()
    assert tw.estimator_type == ti.estimator_type == "sampler"
    assert tw.input_tags.allow_nan == ti.input_tags.allow_nan
    assert tw.target_tags.required == ti.target_tags.required
    assert tw.sampler_tags.sample_indices == ti.sampler_tags.sample_indices
    X, y = _data()
    fitted = ours(random_state=0)
    fitted.fit_resample(X, y)
    assert hasattr(fitted, "sample_indices_") == tw.sampler_tags.sample_indices


@pytest.mark.parametrize("ours", [p[0] for p in PAIRS], ids=IDS)
@pytest.mark.parametrize("random_state", [None, 7, np.random.RandomState(3),
                                          np.random.default_rng(3)])
def test_valid_random_states_are_accepted(ours, random_state):
    X, y = _data()
    Xr, yr = ours(random_state=random_state).fit_resample(X, y)
    assert len(Xr) == len(yr)
