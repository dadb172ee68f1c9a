"""C65: test-time weight scaling approximates averaging the ensemble of thinned networks.

For one softmax layer with dropout on its input, z_m = W(m ⊙ x)/(1 − p) + b is linear in the
mask, so the renormalised geometric mean over all 2^d masks is exactly

    GM ∝ exp(mean_m log softmax(z_m)) ∝ exp(mean_m z_m) = exp(W x + b)  ⇒  GM = softmax(Wx + b),

i.e. the eval-mode (scaled) network. For deep nets it is an approximation: compare the eval
predictions of a trained dropout MLP with the arithmetic mean of Monte-Carlo masked passes.
"""

import itertools

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import NOT_REPRODUCED, REFUTED, Verdict, experiment
from ._common_claims_ad import digits_split, train_classifier


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@experiment("C65", section="D", title="Weight scaling approximates the dropout ensemble",
            expected="reproduce", errata=["E32"],
            claim="Test-time weight scaling approximates averaging an ensemble of thinned "
                  "networks (bagging with shared weights).",
            design="(1) one softmax layer, d = 10 inputs, dropout 0.5: normalised geometric mean "
                   "over all 1,024 masks vs the eval-mode output (exact). (2) MLP 64-256-256-10 "
                   "with dropout 0.5 trained on digits: eval-mode predictions vs the mean of 100 "
                   "Monte-Carlo masked passes on the test set.",
            code=["whiteboard.nn:Dropout", "whiteboard.nn.functional:dropout"],
            tests=["tests/nn/test_dropout.py"])
def c65(seed, quick):
    rng = np.random.default_rng(seed)
    d, k, p = 10, 4, 0.5
    w, b, x = rng.normal(size=(k, d)), rng.normal(size=k), rng.normal(size=(5, d))
    masks = np.array(list(itertools.product((0.0, 1.0), repeat=d)))  # all 2^d masks
    logp = np.log(_softmax(np.einsum("md,nd,kd->nmk", masks, x, w) / (1 - p) + b))
    gm = _softmax(logp.mean(1))
    single_err = float(np.abs(gm - _softmax(x @ w.T + b)).max())

    backend.manual_seed(seed)
    Xtr, Xte, ytr, yte = digits_split(seed)
    width = 128 if quick else 256
    net = nn.Sequential(nn.Linear(64, width), nn.ReLU(), nn.Dropout(0.5), nn.Linear(width, width),
                        nn.ReLU(), nn.Dropout(0.5), nn.Linear(width, 10)).double()
    train_classifier(net, Xtr, ytr, epochs=15 if quick else 30, lr=0.01, seed=seed)
    net.eval()
    with no_grad():
        p_eval = _softmax(net(tensor(Xte)).numpy())
    net.train()
    n_mc = 30 if quick else 100
    with no_grad():
        p_mc = np.mean([_softmax(net(tensor(Xte)).numpy()) for _ in range(n_mc)], axis=0)
    return {"single_layer_err": single_err, "n_mc": n_mc,
            "agreement": float(np.mean(p_eval.argmax(1) == p_mc.argmax(1))),
            "acc_eval": float(np.mean(p_eval.argmax(1) == yte)),
            "acc_mc": float(np.mean(p_mc.argmax(1) == yte))}


@c65.decide
def _(trials):
    t = trials[0]
    gap = abs(t["acc_eval"] - t["acc_mc"])
    text = (f"single layer |GM - eval| {t['single_layer_err']:.1e}; MLP argmax agreement "
            f"{100 * t['agreement']:.1f}%, accuracy eval {t['acc_eval']:.3f} vs MC "
            f"{t['acc_mc']:.3f}")
    if t["single_layer_err"] > 1e-10:
        return Verdict(REFUTED, text)
    ok = t["agreement"] > 0.98 and gap < 0.005 and t["acc_eval"] > 0.9  # a trained net
    return Verdict("reproduced" if ok else NOT_REPRODUCED, text)


@c65.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    return [bar_figure(["argmax agreement", "acc eval (scaled)", f"acc MC ({t['n_mc']})"],
                       [t["agreement"], t["acc_eval"], t["acc_mc"]], "fraction",
                       "Dropout MLP: weight scaling vs MC average")]
