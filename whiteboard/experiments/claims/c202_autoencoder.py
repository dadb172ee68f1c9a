"""C202: an autoencoder learns a compact representation from the inputs alone; a linear
autoencoder spans the PCA subspace.

A linear autoencoder x̂ = W_d W_e x with a k-dimensional code, trained on the squared
reconstruction error of centred data, has as global minima exactly the maps whose decoder
columns span the top-k principal subspace (Baldi & Hornik 1989): its error equals PCA-k's and
the principal angles between span(W_d) and the top-k eigenvectors go to 0 — the weights
themselves need not be orthonormal or equal to the eigenvectors (any invertible mix of them is
a minimum). A non-linear autoencoder of the same code size can only do as well or better.
Usefulness of the code without labels: logistic regression on the 16-d codes of 50 labelled
digits against the same on the 64 raw pixels.
"""

import numpy as np

from ... import backend, nn, optim
from ...autograd import no_grad, tensor
from ...ml.linear_model import LogisticRegression
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_in import digits_split

CODE = 16
N_LABELLED = 50


def _train(model, A, steps, lr, seed):
    """Full-batch Adam on the mean squared reconstruction error of the rows of ``A``."""
    backend.manual_seed(seed)
    opt = optim.Adam(model.parameters(), lr=lr)
    X = tensor(A)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(X) - X) ** 2).mean()
        loss.backward()
        opt.step()
    return model


def _mse(model, B):
    with no_grad():
        return float(((model(tensor(B)) - tensor(B)) ** 2).mean().item())


def _codes(encoder, B):
    with no_grad():
        return encoder(tensor(B)).numpy().astype(np.float64)


def _max_principal_angle(W, V):
    """Largest principal angle (degrees) between span(W) and span(V) (V orthonormal columns)."""
    Q = np.linalg.qr(W)[0]
    cos = np.linalg.svd(Q.T @ V, compute_uv=False)
    return float(np.degrees(np.arccos(np.clip(cos.min(), 0.0, 1.0))))


def _lr_accuracy(Ztr, ytr, Zte, yte, seed):
    """Logistic regression on N_LABELLED stratified training rows (5 per class)."""
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(ytr == c), N_LABELLED // 10, replace=False)
                          for c in range(10)])
    mu, sd = Ztr[idx].mean(0), Ztr[idx].std(0) + 1e-8
    clf = LogisticRegression(C=1.0, max_iter=2000).fit((Ztr[idx] - mu) / sd, ytr[idx])
    return float(np.mean(clf.predict((Zte - mu) / sd) == yte))


@experiment("C202", section="N", title="A linear autoencoder spans the PCA subspace",
            expected="reproduce", seeds=3,
            claim="An autoencoder learns a compact representation from the inputs alone "
                  "(self-supervision); a linear autoencoder spans the PCA subspace.",
            design="Digits (pixels / 16, centred on the training mean), 16-d code, 3 splits: "
                   "linear AE 64-16-64 without biases and non-linear AE 64-64-ReLU-16-64-ReLU-64, "
                   "full-batch Adam on the reconstruction MSE (linear 2000 steps lr 0.01, "
                   "non-linear 2000 steps lr 0.003; quick 1200 / 1000) vs PCA-16 (SVD of the "
                   "training data); test MSE ratios, the largest principal angle between the "
                   "decoder's column space and the top-16 eigenvectors; logistic regression on "
                   "the codes of 50 labelled digits vs on raw pixels (reported). Reproduced when "
                   "the linear AE is within 1 % of PCA's test MSE with all angles < 10°, and the "
                   "non-linear AE's test MSE is ≤ PCA's, in every split.",
            code=["whiteboard.nn:Linear", "whiteboard.optim:Adam",
                  "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/nn/test_linear.py", "tests/optim/test_optimizers.py"])
def c202(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    mu = Xtr.mean(0)
    A, B = (Xtr - mu).astype(np.float32), (Xte - mu).astype(np.float32)
    V = np.linalg.svd(A.astype(np.float64), full_matrices=False)[2][:CODE].T
    pca_mse = float(np.mean((B - B @ V @ V.T) ** 2))

    backend.manual_seed(seed)
    lin = nn.Sequential(nn.Linear(64, CODE, bias=False), nn.Linear(CODE, 64, bias=False))
    _train(lin, A, 1200 if quick else 2000, 1e-2, seed)
    backend.manual_seed(seed)
    nonlin = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, CODE),
                           nn.Linear(CODE, 64), nn.ReLU(), nn.Linear(64, 64))
    _train(nonlin, A, 1000 if quick else 2000, 3e-3, seed)

    encoder = nn.Sequential(*list(nonlin)[:3])
    Ztr, Zte = _codes(encoder, A), _codes(encoder, B)
    return {
        "pca_mse": pca_mse,
        "linear_mse": _mse(lin, B),
        "nonlinear_mse": _mse(nonlin, B),
        "angle_deg": _max_principal_angle(lin[1].weight.data.astype(np.float64), V),
        "acc_codes": _lr_accuracy(Ztr, ytr, Zte, yte, seed),
        "acc_pixels": _lr_accuracy(A.astype(np.float64), ytr, B.astype(np.float64), yte, seed),
    }


@c202.decide
def _(trials):
    lin = [t["linear_mse"] / t["pca_mse"] for t in trials]
    nonlin = [t["nonlinear_mse"] / t["pca_mse"] for t in trials]
    ang = [t["angle_deg"] for t in trials]
    holds = (all(abs(r - 1) <= 0.01 for r in lin) and all(a < 10 for a in ang)
             and all(r <= 1 for r in nonlin))
    return verdict(holds, f"test MSE / PCA-16's: linear AE {fmt_mean_sd(lin, 4)}, largest "
                          f"principal angle to the PCA subspace {max(ang):.2f}°; non-linear AE "
                          f"{fmt_mean_sd(nonlin, 3)}; LR with {N_LABELLED} labels on the 16-d "
                          f"codes {fmt_mean_sd([t['acc_codes'] for t in trials])} vs raw pixels "
                          f"{fmt_mean_sd([t['acc_pixels'] for t in trials])}; n = {len(trials)}")


@c202.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    names = ["PCA-16", "linear AE", "non-linear AE"]
    vals = np.array([[t["pca_mse"], t["linear_mse"], t["nonlinear_mse"]] for t in trials])
    ax.bar(names, vals.mean(0), yerr=vals.std(0), capsize=3, color=["C7", "C0", "C2"])
    ax.set_ylabel("test reconstruction MSE")
    ax.set_xlabel("16-d representation")
    ax.set_title(f"Digits, {len(trials)} splits; linear AE angle to PCA "
                 f"≤ {max(t['angle_deg'] for t in trials):.2f}°")
    fig.tight_layout()
    return [fig]
