"""Every claim of the catalogue has an experiment, except those still listed in PENDING.

The claim engineers remove ids from PENDING as they register experiments; the lead keeps it
honest. The test fails both ways: a claim with no experiment that is not pending, and a pending
claim that already has one (so the list only shrinks).
"""

from whiteboard.experiments import registry
from whiteboard.report.catalog import claims

PENDING = set()


def test_catalogue_is_c1_to_c206():
    assert list(claims()) == [f"C{i}" for i in range(1, 207)]


def test_every_claim_has_an_experiment_unless_pending():
    registered = set(registry())
    missing = [c for c in claims() if c not in registered and c not in PENDING]
    assert not missing, f"claims with no experiment and not in PENDING: {missing}"


def test_pending_lists_only_claims_without_an_experiment():
    done = sorted(PENDING & set(registry()), key=lambda c: int(c[1:]))
    assert not done, f"these claims have an experiment now; remove them from PENDING: {done}"


def test_registered_sections_match_the_catalogue():
    cat = claims()
    wrong = {c: (e.section, cat[c]["section"]) for c, e in registry().items()
             if cat[c]["section"] != e.section}
    assert not wrong, f"experiment section differs from CLAIMS.md: {wrong}"
