"""The experiment registry: registration rules, verdict rules, and that each registered experiment
returns JSON data and a computed verdict."""

import json

import numpy as np
import pytest

from whiteboard.experiments import (
    REFUTED, REPRODUCED, Verdict, experiment, get, registry, verdict,
)
from whiteboard.experiments.stats import exceeds_noise, mean_sd, paired_test


def test_registration_rejects_bad_metadata():
    kw = dict(section="A", title="t", expected="reproduce", claim="c")
    with pytest.raises(ValueError, match="claim ids are 'C1' ... 'C206'"):
        experiment("C207", **kw)
    with pytest.raises(ValueError, match="claim ids"):
        experiment("24", **kw)
    with pytest.raises(ValueError, match="section must be one of"):
        experiment("C1", **{**kw, "section": "Z"})
    with pytest.raises(ValueError, match="expected must be one of"):
        experiment("C1", **{**kw, "expected": "yes"})
    with pytest.raises(ValueError, match="seeds must be a positive int"):
        experiment("C1", **kw, seeds=0)


def test_verdict_values_are_checked():
    assert verdict(True, "x = 1").verdict == REPRODUCED
    assert verdict(False, "x = 1", otherwise=REFUTED).verdict == REFUTED
    with pytest.raises(ValueError, match="verdict must be one of"):
        Verdict("maybe", "x")
    with pytest.raises(ValueError, match="deciding"):
        Verdict(REPRODUCED, "")


def test_get_normalises_ids_and_names_missing_ones():
    assert get("c24") is get("C24") is get("24")
    with pytest.raises(KeyError, match="no experiment is registered for claim 'C999'"):
        get("C999")


def test_paired_test_matches_scipy_t_and_exact_permutation():
    from scipy import stats

    rng = np.random.default_rng(3)
    a, b = rng.normal(1.0, 1, 8), rng.normal(0.2, 1, 8)
    r = paired_test(a, b)
    assert r["t"] == pytest.approx(stats.ttest_rel(a, b).statistic, rel=1e-12)
    ref = stats.permutation_test((a - b,), np.mean, permutation_type="samples",
                                 n_resamples=np.inf, alternative="two-sided")
    assert r["p"] == pytest.approx(ref.pvalue, rel=1e-12)
    assert mean_sd([1.0, 3.0]) == (2.0, pytest.approx(np.sqrt(2)))
    assert exceeds_noise(a + 5, b) and not exceeds_noise(b, a + 5)


@pytest.mark.parametrize("claim_id", sorted(registry(), key=lambda c: int(c[1:])))
def test_registered_experiment_is_json_and_decides(claim_id):
    exp = get(claim_id)
    trial = exp.run(0, True)
    assert json.loads(json.dumps(trial)) == trial
    v = exp.judge([trial])
    assert isinstance(v, Verdict) and v.deciding


def test_c24_is_decided_by_the_numbers():
    exp = get("C24")
    trial = exp.run(0, True)
    assert exp.judge([trial]).verdict == REPRODUCED
    broken = json.loads(json.dumps(trial))
    broken["rows"][1]["max_abs_diff"] = 1e-3
    assert exp.judge([broken]).verdict == REFUTED
