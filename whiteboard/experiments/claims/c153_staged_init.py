"""C153: initialising a deeper VGG-style net from a trained shallower one speeds up convergence.

VGG (Simonyan & Zisserman 2014, §3.1) trained the 11-layer net A from random weights, then started
the deeper nets with A's first four conv layers and its fully connected layers, the inserted
layers random; they later note that Glorot-style random init works without this. Here: train a
4-conv stack, copy its first two convs of each stage and its head into a 6-conv stack (the third
conv of each stage He-initialised), and count the epochs the deep net needs to reach 97 % training
accuracy against the same net He-initialised from scratch, with the shallow net's own epochs
reported beside (the staged scheme pays for them too).

Quick mode (budget 20 s over its 5 seeds) runs the same comparison on a cheaper pair: the native
8×8 digits (no upsampling; head on 2×2 maps), 8 and 16 channels per stage instead of 16 and 32,
Adam lr 3e-3 (the same 600 images per seed, 10 updates an epoch), cap 10 epochs. Every net
reaches the 97 % target there in 6–8 epochs (seeds 0–4), so the epoch counts are
not censored and the same decision rule (staged never slower and faster on average, paired
p < 0.1) can come out either way: quick mode can show whether copying a trained shallow net
speeds up a deeper one at this small scale. It cannot stand in for the full run's figures (16×16
inputs, 16/32 channels, lr 1e-3) — its epoch counts belong to the smaller nets — and neither mode
reaches VGG's scale (ImageNet, 11→19 layers). The earlier quick design (full nets, cap 5)
took 27.5 s and left the shallow net short of the target in 3 of 5 seeds.
"""

import numpy as np

from ... import backend, nn, tensor
from ..registry import NOT_REPRODUCED, experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_ad import digits16_split
from ._common_claims_in import he_init, predict, vgg_stack

TARGET = 0.97
EVAL_BATCH = 64


def _convs_by_stage(model):
    """``[[(key, Conv2d), ...] per stage]`` of a :func:`vgg_stack` (stages end at each pool)."""
    stages, current = [], []
    for name, m in model.named_children():
        if isinstance(m, nn.Conv2d):
            current.append((name, m))
        elif isinstance(m, nn.MaxPool2d):
            stages.append(current)
            current = []
    return stages


def staged_init(deep, shallow):
    """Copy ``shallow``'s convs (stage by stage, first ones first) and head into ``deep``; the
    extra convs of ``deep`` keep their own init. Returns the number of tensors copied."""
    src, own = shallow.state_dict(), {}
    for s_stage, d_stage in zip(_convs_by_stage(shallow), _convs_by_stage(deep)):
        for (s_key, _), (d_key, _) in zip(s_stage, d_stage):
            for p in ("weight", "bias"):
                own[f"{d_key}.{p}"] = src[f"{s_key}.{p}"]
    s_head, d_head = list(shallow.named_children())[-1][0], list(deep.named_children())[-1][0]
    for p in ("weight", "bias"):
        own[f"{d_head}.{p}"] = src[f"{s_head}.{p}"]
    deep.load_state_dict(own, strict=False)
    return len(own)


def epochs_to_target(model, X, y, max_epochs, seed, lr=1e-3, batch_size=64):
    """Adam until the training accuracy (eval pass after each epoch) reaches :data:`TARGET`;
    returns ``(epochs, accuracy per epoch)``; ``max_epochs + 1`` when never reached."""
    from ...optim import Adam

    rng = np.random.default_rng(seed)
    opt = Adam(model.parameters(), lr=lr)
    accs = []
    for _ in range(max_epochs):
        model.train()
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            nn.functional.cross_entropy(model(tensor(X[idx])), tensor(y[idx])).backward()
            opt.step()
        model.eval()
        # batches of 64 for the eval pass too: a 512-image batch's Winograd tiles fall out of
        # cache and made this pass ~35 % of the run (issue 14: 97 s > 60 s); same predictions
        accs.append(float(np.mean(predict(model, X, batch_size=EVAL_BATCH) == y)))
        if accs[-1] >= TARGET:
            return len(accs), accs
    return max_epochs + 1, accs


@experiment("C153", section="I", title="Staged init: deep VGG from a trained shallow one",
            expected="contested", seeds=5,
            claim='Initialising a deeper VGG-style network from a trained shallower one ("train '
                  'the small net first, then fine-tune the big one") speeds up convergence.',
            design="On 600 digits upsampled to 16×16: train a 4-conv VGG-style net (no BN, He "
                   "init, Adam lr 1e-3) to 97 % training accuracy; a 6-conv net whose first two "
                   "convs per stage and head are copied from it vs the same net He-initialised; "
                   "epochs to 97 % training accuracy (cap 12; the shallow net trains to the target "
                   "or the cap), 5 seeds paired. Quick: native 8×8 digits, 8/16 channels, "
                   "lr 3e-3, cap 10.",
            code=["whiteboard.experiments.claims.c153_staged_init:staged_init",
                  "whiteboard.nn:Module.load_state_dict", "whiteboard.models.vgg:VGG"],
            tests=["tests/nn/test_module.py", "tests/nn/test_conv.py"])
def c153(seed, quick):
    # quick: the same comparison on 8×8 inputs with half the channels (see the module docstring)
    size, channels, lr, cap = (8, 8, 3e-3, 10) if quick else (16, 16, 1e-3, 12)
    Xtr, _, ytr, _ = digits16_split(seed, n_train=600, upsample=size == 16)
    Xtr = Xtr.astype(np.float32)
    backend.manual_seed(seed)
    shallow = he_init(vgg_stack(4, channels=channels, size=size))
    shallow_epochs, shallow_acc = epochs_to_target(shallow, Xtr, ytr, cap, seed, lr=lr)
    out = {"shallow_epochs": shallow_epochs, "shallow_acc": shallow_acc,
           "shallow_final_acc": shallow_acc[-1], "cap": cap}
    for name in ("scratch", "staged"):
        backend.manual_seed(seed + 1)
        deep = he_init(vgg_stack(6, channels=channels, size=size))
        if name == "staged":
            out["copied_tensors"] = staged_init(deep, shallow)
        out[f"{name}_start_acc"] = float(np.mean(predict(deep, Xtr, batch_size=EVAL_BATCH) == ytr))
        out[f"{name}_epochs"], out[f"{name}_acc"] = epochs_to_target(deep, Xtr, ytr, cap,
                                                                      seed + 1, lr=lr)
    return out


@c153.decide
def _(trials):
    scratch = [t["scratch_epochs"] for t in trials]
    staged = [t["staged_epochs"] for t in trials]
    p = paired_test(scratch, staged)
    faster = p["mean"] > 0 and all(b <= a for a, b in zip(scratch, staged)) and \
        (len(trials) < 5 or p["p"] < 0.1)
    cap = trials[0]["cap"]
    return verdict(faster,
                   f"epochs to {TARGET:.0%} training accuracy (cap {cap}, {cap + 1} = never): "
                   f"from scratch {fmt_mean_sd(scratch, 1)} vs staged {fmt_mean_sd(staged, 1)} "
                   f"(paired {p['mean']:+.1f}, p = {p['p']:.3f}); staged net starts at "
                   f"{fmt_mean_sd([t['staged_start_acc'] for t in trials], 2)} training accuracy; "
                   f"the shallow net itself took "
                   f"{fmt_mean_sd([t['shallow_epochs'] for t in trials], 1)} epochs (reached "
                   f"{fmt_mean_sd([t['shallow_final_acc'] for t in trials], 3)})",
                   otherwise=NOT_REPRODUCED)


@c153.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    for name, color in (("scratch", "tab:blue"), ("staged", "tab:orange")):
        for i, t in enumerate(trials):
            acc = [t[f"{name}_start_acc"]] + t[f"{name}_acc"]
            ax.plot(range(len(acc)), acc, color=color, alpha=0.6,
                    label=f"6-conv, {'from scratch' if name == 'scratch' else 'staged init'}"
                    if i == 0 else None)
    ax.axhline(TARGET, color="grey", ls="--", lw=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training accuracy")
    ax.set_title("Deep net from scratch vs from a trained 4-conv net")
    ax.legend()
    fig.tight_layout()
    return [fig]
