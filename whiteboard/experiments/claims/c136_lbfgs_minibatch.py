"""C136: L-BFGS needs the full training set; it misbehaves with mini-batches.

L-BFGS builds its inverse-Hessian model from pairs s_k = x_{k+1} − x_k, y_k = ∇f_{k+1} − ∇f_k and
takes the step the strong-Wolfe line search accepts on f. Both assume one fixed f: when each
iteration sees a different mini-batch, y_k mixes the curvature of f with the difference of two
batches' gradients (noise that does not shrink as s_k does), so the curvature pairs, the step
scale γ = sᵀy/yᵀy and the line search's f(0) all come from different functions. The experiment
runs the library's ``lbfgs`` on the flattened weights of an MLP on digits, once on the full
training loss and once on a loss whose 32-example batch changes after every iteration, with
mini-batch SGD (same batches) as the control that mini-batches themselves are fine.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ...optim import SGD
from ...optim.minimize import lbfgs
from ..registry import experiment, verdict
from ._common_claims_ad import digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, line_figure, train_steps

BATCH = 32


def _flat(model):
    return np.concatenate([p.numpy().ravel() for p in model.parameters()])


def _assign(model, x):
    with no_grad():
        i = 0
        for p in model.parameters():
            n = p.numpy().size
            p.data = x[i:i + n].reshape(p.shape).copy()
            i += n


def _objective(model, X, y, batches=None):
    """``fun(x) -> (f, ∇f)`` of the cross-entropy on all of (X, y) or on ``batches[state[0]]``."""
    lossf = nn.CrossEntropyLoss()
    state = [0]

    def fun(x):
        _assign(model, x)
        b = slice(None) if batches is None else batches[state[0] % len(batches)]
        model.zero_grad()
        loss = lossf(model(tensor(X[b])), tensor(y[b]))
        loss.backward()
        return float(loss.item()), np.concatenate([p.grad.numpy().ravel()
                                                   for p in model.parameters()])
    return fun, state


@experiment("C136", section="H", title="L-BFGS on mini-batches",
            expected="reproduce",
            claim="L-BFGS needs the full training set; it misbehaves with mini-batches.",
            design="MLP 64-32-10 on digits: the library's lbfgs (m = 10, strong Wolfe) on the "
                   "full training loss for 100 iterations (quick 40), and on 32-example batches "
                   "that change every iteration for 300 (quick 120); mini-batch SGD (η = 0.1) on "
                   "the same batches as control; 3 seeds. Evidence: full training loss per "
                   "iteration, share of iterations where it rises, line-search failures, final "
                   "loss.",
            code=["whiteboard.optim.minimize:lbfgs", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_minimize.py"], seeds=3)
def c136(seed, quick):
    Xtr, _, ytr, _ = digits_split()
    it_full, it_mini = (40, 120) if quick else (100, 300)
    rng = np.random.default_rng(seed)
    n_ep = -(-it_mini * BATCH // len(ytr)) + 1
    order = np.concatenate([rng.permutation(len(ytr)) for _ in range(n_ep)])
    batches = [order[i * BATCH:(i + 1) * BATCH] for i in range(it_mini + 1)]
    out = {}
    for name, bs, iters in (("full batch", None, it_full), ("mini-batch 32", batches, it_mini)):
        model = mlp((64, 32, 10), seed=seed)
        fun, state = _objective(model, Xtr, ytr, bs)
        curve = [full_loss(model, Xtr, ytr)]
        probe = mlp((64, 32, 10), seed=seed)

        def callback(x, probe=probe, state=state, curve=curve):
            _assign(probe, x)
            curve.append(full_loss(probe, Xtr, ytr))
            state[0] += 1

        res = lbfgs(fun, _flat(model), gtol=1e-8, max_iter=iters, callback=callback)
        curve = [min(v, 1e6) for v in curve]
        out[name] = {"curve": curve, "nit": int(res.nit), "status": int(res.status),
                     "final": curve[-1],
                     "rises": float(np.mean(np.diff(curve) > 0)) if len(curve) > 1 else 0.0}
    model = mlp((64, 32, 10), seed=seed)
    r = train_steps(model, Xtr, ytr, lambda p: SGD(p, lr=0.1), steps=it_mini, batch_size=BATCH,
                    seed=seed, eval_every=max(1, it_mini // 30))
    out["SGD mini-batch 32"] = {"curve": r["full"], "final": r["full"][-1]}
    return out


@c136.decide
def _(trials):
    full = np.mean([t["full batch"]["final"] for t in trials])
    mini = np.mean([t["mini-batch 32"]["final"] for t in trials])
    sgd = np.mean([t["SGD mini-batch 32"]["final"] for t in trials])
    rises_f = np.mean([t["full batch"]["rises"] for t in trials])
    rises_m = np.mean([t["mini-batch 32"]["rises"] for t in trials])
    failed = np.mean([t["mini-batch 32"]["status"] == 2 for t in trials])
    nit = np.mean([t["mini-batch 32"]["nit"] for t in trials])
    misbehaves = failed > 0.5 or rises_m > rises_f + 0.1
    holds = mini > 3 * full and misbehaves and sgd < mini
    return verdict(holds, f"final training loss: L-BFGS full batch {full:.2e} (rises in "
                          f"{rises_f:.0%} of iterations), L-BFGS mini-batch {mini:.4f} (rises "
                          f"in {rises_m:.0%}, line search failed in {failed:.0%} of runs after "
                          f"{nit:.0f} iterations on average), SGD on the same batches "
                          f"{sgd:.4f} — "
                          f"{len(trials)} seeds")


@c136.plot
def _(trials):
    t = trials[0]
    curves = {k: t[k]["curve"] for k in ("full batch", "mini-batch 32")}
    xs = {k: np.arange(len(v)) for k, v in curves.items()}
    sgd = t["SGD mini-batch 32"]["curve"]
    curves["SGD mini-batch 32"] = sgd
    xs["SGD mini-batch 32"] = np.linspace(0, len(t["mini-batch 32"]["curve"]) - 1, len(sgd))
    return [line_figure(curves, "iteration (L-BFGS) / update (SGD)", "full training loss",
                        "L-BFGS on an MLP: full batch vs 32-example batches", x=xs)]
