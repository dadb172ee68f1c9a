"""The notes made executable: every testable claim of ``CLAIMS.md`` as an experiment with a
computed verdict (``reproduced``, ``not reproduced at this scale`` or ``refuted``).

    from whiteboard import experiments
    exp = experiments.get("C24")
    trials = [exp.run(seed, quick=True) for seed in range(exp.seeds)]
    exp.judge(trials)         # Verdict(verdict='reproduced', deciding='...')

See :mod:`whiteboard.experiments.registry` for how an experiment is written.
"""

from .registry import (
    EXPECTED, NOT_REPRODUCED, REFUTED, REPRODUCED, SECTIONS, VERDICTS, Experiment, Verdict,
    experiment, experiments, get, registry, verdict,
)

__all__ = ["EXPECTED", "NOT_REPRODUCED", "REFUTED", "REPRODUCED", "SECTIONS", "VERDICTS",
           "Experiment", "Verdict", "experiment", "experiments", "get", "registry", "verdict"]
