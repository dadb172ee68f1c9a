"""Every claim of the catalogue has an experiment, except those still listed in PENDING.

The claim engineers remove ids from PENDING as they register experiments; the lead keeps it
honest. The test fails both ways: a claim with no experiment that is not pending, and a pending
claim that already has one (so the list only shrinks).
"""

from whiteboard.experiments import registry
from whiteboard.report.catalog import claims

PENDING = {
    "C22", "C30", "C31", "C44", "C60", "C74",
    "C75", "C76", "C77", "C78", "C79", "C80", "C81", "C82", "C83", "C84", "C85", "C86", "C87",
    "C88", "C89", "C90", "C91", "C92", "C93", "C94", "C95", "C96", "C97", "C98", "C99", "C100",
    "C101", "C103", "C104", "C105", "C106", "C107", "C108", "C110", "C111", "C112", "C113", "C114",
    "C115", "C116", "C117", "C118", "C119", "C120", "C121", "C122", "C123", "C124", "C125", "C126",
    "C127", "C128", "C129", "C130", "C131", "C132", "C133", "C134", "C135", "C136", "C137", "C139",
    "C140", "C141", "C142", "C145", "C146", "C147", "C148", "C151", "C152", "C153", "C154", "C155",
    "C160", "C164", "C171", "C174", "C183", "C187", "C194", "C195", "C196", "C197", "C198", "C199",
    "C200", "C201", "C202",
}


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
