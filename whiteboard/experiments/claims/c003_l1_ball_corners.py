"""C3: the corners of the L1 ball make constrained solutions land on the axes; the L2 ball's
round boundary does not.

min f(w) = ½(w − c)ᵀH(w − c) s.t. ‖w‖ ≤ 1 by projected gradient descent, w ← Π(w − η∇f), with the
exact Euclidean projections: onto the L2 ball w/max(1, ‖w‖₂); onto the L1 ball by soft
thresholding at the θ that makes ‖·‖₁ = 1 (sort-based, Duchi et al. 2008).
"""

import numpy as np

from ..registry import experiment, verdict


def project_l1(v, radius=1.0):
    """Euclidean projection of the rows of ``v`` onto {‖w‖₁ ≤ radius} (vectorised)."""
    a = np.abs(v)
    inside = a.sum(1) <= radius
    u = -np.sort(-a, axis=1)
    css = np.cumsum(u, axis=1)
    k = np.arange(1, v.shape[1] + 1)
    cond = u - (css - radius) / k > 0
    rho = cond.shape[1] - 1 - np.argmax(cond[:, ::-1], axis=1)
    theta = (css[np.arange(len(v)), rho] - radius) / (rho + 1)
    w = np.sign(v) * np.maximum(a - theta[:, None], 0.0)
    return np.where(inside[:, None], v, w)


def project_l2(v, radius=1.0):
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return v * np.minimum(1.0, radius / np.maximum(n, 1e-300))


@experiment("C3", section="A", title="L1-ball corners put constrained solutions on the axes",
            expected="reproduce",
            claim="The L1 ball's corners make constrained solutions hit the axes; the L2 ball "
                  "doesn't.",
            design="1,000 random 2-D convex quadratics (random PD Hessian, centre outside the "
                   "ball), projected GD onto ||w||_1 <= 1 and ||w||_2 <= 1 (all problems at "
                   "once, vectorised); share of solutions with a coordinate below 1e-9.",
            code=[], tests=[])
def c3(seed, quick):
    rng = np.random.default_rng(seed)
    m = 300 if quick else 1000
    A = rng.normal(size=(m, 2, 2))
    H = A @ A.transpose(0, 2, 1) + 0.1 * np.eye(2)
    ang = rng.uniform(0, 2 * np.pi, m)
    c = np.stack([np.cos(ang), np.sin(ang)], 1) * rng.uniform(1.5, 4, (m, 1))
    eta = 1.0 / np.linalg.eigvalsh(H)[:, -1:]
    out = {}
    for name, proj in (("l1", project_l1), ("l2", project_l2)):
        w = np.zeros((m, 2))
        for _ in range(3000):
            w = proj(w - eta * np.einsum("mij,mj->mi", H, w - c))
        out[name] = w
    return {"share_axis_l1": float(np.mean(np.abs(out["l1"]).min(1) < 1e-9)),
            "share_axis_l2": float(np.mean(np.abs(out["l2"]).min(1) < 1e-9)),
            "w_l1": out["l1"][:300].tolist(), "w_l2": out["l2"][:300].tolist()}


@c3.decide
def _(trials):
    t = trials[0]
    return verdict(t["share_axis_l1"] > 0.3 and t["share_axis_l2"] < 0.01,
                   f"solutions on an axis: L1 ball {100 * t['share_axis_l1']:.1f}%, L2 ball "
                   f"{100 * t['share_axis_l2']:.1f}%")


@c3.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    s = np.linspace(0, 2 * np.pi, 200)
    ax.plot(np.cos(s), np.sin(s), "k-", lw=0.6)
    ax.plot([1, 0, -1, 0, 1], [0, 1, 0, -1, 0], "k-", lw=0.6)
    w1, w2 = np.array(t["w_l1"]), np.array(t["w_l2"])
    ax.scatter(w1[:, 0], w1[:, 1], s=6, label="L1-constrained solutions")
    ax.scatter(w2[:, 0], w2[:, 1], s=6, label="L2-constrained solutions")
    ax.set_aspect("equal")
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_title("Constrained minimisers")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
