"""The registry of experiments: one per claim of the notes, or per tight group of claims.

An experiment is written as three small functions, registered under the claim ids it decides::

    @experiment("C1", section="A", title="L1 gives exact zeros, L2 does not",
                expected="reproduce", claim="L1 regularisation drives weights exactly to zero ...",
                code=["whiteboard.ml.linear_model:Lasso"], seeds=1)
    def c1(seed, quick):
        ...                      # uses the library's own code
        return {"lam": [...], "zeros_l1": [...], "zeros_l2": [...]}

    @c1.decide
    def _(trials):               # one numbers dict per seed, in seed order
        z1 = trials[0]["zeros_l1"][-1]
        return verdict(z1 > 0 and ..., f"L1 zeros {z1}/50 vs L2 0")

    @c1.plot
    def _(trials):               # optional: matplotlib figures, axes labelled
        ...
        return [fig]

``run(seed, quick)`` returns plain JSON data (numbers, lists, nested dicts, strings), so a trial can
be cached on disk, shipped to a Dask worker and compared bit for bit. ``decide(trials)`` turns the
trials of all seeds into the verdict (never hard-coded: computed from the numbers) and the deciding
number as a short string; ``plot(trials)`` draws the figures from the same data.

Experiment modules live in ``whiteboard.experiments.claims`` and register themselves on import;
:func:`registry` imports them all.
"""

import dataclasses
import importlib
import pkgutil
import re
from typing import Callable, Optional

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced at this scale"
REFUTED = "refuted"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, REFUTED)

# CLAIMS.md's tags: ✅ expected to reproduce, ⚠ contested / small / scale-dependent,
# ❌ expected to refute (the note is wrong).
EXPECTED = {"reproduce": "✅", "contested": "⚠", "refute": "❌"}

SECTIONS = {
    "A": "Regularisation, capacity, over- and underfitting",
    "B": "CNN layers, shapes and arithmetic",
    "C": "Normalisation",
    "D": "Dropout",
    "E": "Activations and gradient flow",
    "F": "Initialisation",
    "G": "Losses",
    "H": "Optimisation",
    "I": "Architectures",
    "J": "Classical supervised learning",
    "K": "Ensembles",
    "L": "Metrics, imbalance and augmentation",
    "M": "Tuning heuristics",
    "N": "Semi-/self-supervised learning and visualisation",
}

_CLAIM_ID = re.compile(r"^C([1-9][0-9]{0,2})$")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The outcome of an experiment: one of :data:`VERDICTS` and the number that decided it."""

    verdict: str
    deciding: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if not isinstance(self.deciding, str) or not self.deciding:
            raise ValueError("deciding must be a non-empty string naming the deciding number")


def verdict(holds: bool, deciding: str, *, otherwise: str = NOT_REPRODUCED) -> Verdict:
    """``REPRODUCED`` when the claim ``holds`` by the numbers, else ``otherwise``.

    Use ``otherwise=REFUTED`` where failing the test shows the note is wrong (the effect goes the
    other way, or an exact identity fails), and the default where the effect is merely not visible
    at the scale this machine allows.
    """
    return Verdict(REPRODUCED if bool(holds) else otherwise, deciding)


@dataclasses.dataclass
class Experiment:
    """One registered experiment; see the module docstring."""

    id: str
    claims: tuple
    section: str
    title: str
    expected: str
    claim: str
    run: Callable
    zh: str = ""
    design: str = ""
    code: tuple = ()
    tests: tuple = ()
    errata: tuple = ()
    seeds: int = 1
    module: str = ""
    decide_fn: Optional[Callable] = None
    plot_fn: Optional[Callable] = None

    def decide(self, fn):
        """Decorator: register ``fn(trials) -> Verdict``."""
        self.decide_fn = fn
        return fn

    def plot(self, fn):
        """Decorator: register ``fn(trials) -> list of matplotlib figures``."""
        self.plot_fn = fn
        return fn

    def __call__(self, seed=0, quick=False):
        return self.run(seed, quick)

    def judge(self, trials) -> Verdict:
        """The verdict over the trials of all seeds (a list of ``run`` outputs)."""
        if self.decide_fn is None:
            raise RuntimeError(f"experiment {self.id} has no decide function")
        if not trials:
            raise ValueError(f"experiment {self.id}: no trials to decide on")
        out = self.decide_fn(list(trials))
        if not isinstance(out, Verdict):
            raise TypeError(f"experiment {self.id}: decide must return a Verdict, got "
                            f"{type(out).__name__}")
        return out


_REGISTRY: dict = {}
_LOADED = False


def experiment(*claims, section, title, expected, claim, zh="", design="", code=(), tests=(),
               errata=(), seeds=1):
    """Decorator registering ``run(seed, quick)`` as the experiment for ``claims``."""
    if not claims:
        raise ValueError("experiment needs at least one claim id such as 'C1'")
    for c in claims:
        if not isinstance(c, str) or not _CLAIM_ID.match(c) or not 1 <= int(c[1:]) <= 206:
            raise ValueError(f"claim ids are 'C1' ... 'C206', got {c!r}")
    if section not in SECTIONS:
        raise ValueError(f"section must be one of {sorted(SECTIONS)}, got {section!r}")
    if expected not in EXPECTED:
        raise ValueError(f"expected must be one of {sorted(EXPECTED)}, got {expected!r}")
    if not isinstance(seeds, int) or isinstance(seeds, bool) or seeds < 1:
        raise ValueError(f"seeds must be a positive int, got {seeds!r}")

    def wrap(run):
        exp = Experiment(id=claims[0], claims=tuple(claims), section=section, title=title,
                         expected=expected, claim=claim, run=run, zh=zh, design=design,
                         code=tuple(code), tests=tuple(tests), errata=tuple(errata),
                         seeds=seeds, module=run.__module__)
        for c in claims:
            if c in _REGISTRY and _REGISTRY[c].module != exp.module:
                raise ValueError(f"claim {c} is already registered by {_REGISTRY[c].module}")
        for c in claims:
            _REGISTRY[c] = exp
        return exp

    return wrap


def _load_all():
    global _LOADED
    if _LOADED:
        return
    from . import claims as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{info.name}")
    _LOADED = True


def registry() -> dict:
    """``{claim_id: Experiment}`` for every registered claim (imports every experiment module)."""
    _load_all()
    return dict(sorted(_REGISTRY.items(), key=lambda kv: int(kv[0][1:])))


def experiments() -> list:
    """The distinct experiments, ordered by their first claim id."""
    seen, out = set(), []
    for exp in registry().values():
        if id(exp) not in seen:
            seen.add(id(exp))
            out.append(exp)
    return out


def get(claim_id: str) -> Experiment:
    """The experiment registered for ``claim_id`` (``'C1'``; ``'c1'`` and ``'1'`` also work)."""
    key = str(claim_id).strip().upper()
    if not key.startswith("C"):
        key = "C" + key
    reg = registry()
    if key not in reg:
        raise KeyError(f"no experiment is registered for claim {claim_id!r}; "
                       f"{len(reg)} claims have one (whiteboard experiments list)")
    return reg[key]
