"""Trainer reliability: bit-exact resume after ``kill -9`` (mid-epoch and epoch end), foreign
checkpoints refused, NaN/inf in the loss or gradients reported with the step and parameter."""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import data, models, nn, optim
from whiteboard.train import (
    EarlyStopping, ModelCheckpoint, NonFiniteError, NonFiniteGradientError, NonFiniteLossError,
    Trainer,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# One set-up, used in-process and by the killed subprocess: dropout and shuffling use the RNG,
# a per-step scheduler and Adam's moments carry state, 256 samples / 16 = 16 steps per epoch.
SETUP = r"""
import numpy as np
import whiteboard as wb
from whiteboard import data, models, nn, optim
from whiteboard.train import Trainer

def setup(seed=1, callbacks=()):
    wb.manual_seed(seed)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 64)).astype(np.float32)
    y = (X[:, :10].argmax(1)).astype(np.int64)
    model = models.get("mlp", hidden=(32,), dropout=0.3)
    opt = optim.Adam(model.parameters(), lr=1e-3)
    sched = optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.5)
    trainer = Trainer(model, nn.CrossEntropyLoss(), opt, scheduler=sched,
                      scheduler_interval="step", metrics=["accuracy"], callbacks=callbacks,
                      progress=False)
    return trainer, data.DataLoader(data.TensorDataset(X, y), 16, shuffle=True)
"""
namespace = {}
exec(SETUP, namespace)
setup = namespace["setup"]

CHILD = SETUP + r"""
import sys, time
from whiteboard.train import Callback, ModelCheckpoint
folder = sys.argv[1]

class Report(Callback):
    def on_batch_end(self, trainer, step, loss):
        print(trainer.global_step, flush=True)
        time.sleep(0.004)

trainer, loader = setup(callbacks=[
    ModelCheckpoint(folder + "/steps.npz", every_n_train_steps=5),
    ModelCheckpoint(folder + "/epoch.npz"),
    Report()])
trainer.fit(loader, epochs=1000)
"""

EPOCHS = 8  # 128 steps: well past the kill at global step ~36


def _final(trainer):
    return ({k: v.numpy().copy() for k, v in trainer.model.state_dict().items()},
            trainer.optimizer.state_dict(), trainer.scheduler.state_dict(),
            wb.backend.get_rng_state(), trainer.history.to_dict(), trainer.global_step)


def _assert_identical(a, b, path=""):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _assert_identical(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (u, v) in enumerate(zip(a, b)):
            _assert_identical(u, v, f"{path}/{i}")
    elif isinstance(a, (np.ndarray, wb.Tensor)):
        u = a.numpy() if isinstance(a, wb.Tensor) else a
        v = b.numpy() if isinstance(b, wb.Tensor) else np.asarray(b)
        assert u.dtype == v.dtype and np.array_equal(u, v), path  # bit for bit
    else:
        assert a == b or (a != a and b != b), (path, a, b)


@pytest.fixture(scope="module")
def straight():
    trainer, loader = setup()
    trainer.fit(loader, epochs=EPOCHS)
    return _final(trainer)


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("killed")
    (folder / "child.py").write_text(CHILD)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "PYTHONPATH": ROOT}
    proc = subprocess.Popen([sys.executable, str(folder / "child.py"), str(folder)],
                            stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        for line in proc.stdout:  # kill in epoch 3, after its 3rd step (global step 35)
            if int(line) >= 36:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return folder


def test_resume_after_kill_9_mid_epoch_is_bit_exact(killed_run, straight):
    state = wb.load(killed_run / "steps.npz")
    assert state["global_step"] % 5 == 0 and state["partial"] is not None  # mid-epoch
    trainer, loader = setup(seed=99)  # other initial weights: everything must come from the file
    trainer.resume(killed_run / "steps.npz")
    trainer.fit(loader, epochs=EPOCHS)
    _assert_identical(_final(trainer), straight)


def test_resume_after_kill_9_at_an_epoch_end_is_bit_exact(killed_run, straight):
    state = wb.load(killed_run / "epoch.npz")
    assert state["partial"] is None and state["epoch"] >= 2
    trainer, loader = setup(seed=99)
    trainer.resume(killed_run / "epoch.npz")
    trainer.fit(loader, epochs=EPOCHS)
    _assert_identical(_final(trainer), straight)


@pytest.mark.parametrize("stop_step", [16, 21, 40])  # epoch boundary (last batch), mid-epoch
def test_in_process_step_checkpoints_resume_bit_exact(tmp_path, straight, stop_step):
    ckpt = ModelCheckpoint(tmp_path / "s{step}.npz", every_n_train_steps=stop_step)
    trainer, loader = setup(callbacks=[ckpt])
    trainer.fit(loader, epochs=3)
    resumed, loader = setup(seed=7)
    resumed.resume(tmp_path / f"s{stop_step}.npz")
    assert resumed.global_step == stop_step
    resumed.fit(loader, epochs=EPOCHS)
    _assert_identical(_final(resumed), straight)


def test_mid_epoch_checkpoint_needs_a_stateful_loader(tmp_path):
    trainer, loader = setup(callbacks=[ModelCheckpoint(tmp_path / "s.npz",
                                                       every_n_train_steps=3)])
    batches = list(loader)
    with pytest.raises(TypeError, match="mid-epoch checkpoint needs the train_loader's position"):
        trainer.fit(batches, epochs=1)  # a plain list of batches cannot be resumed mid-pass


def test_loader_state_dict_continues_the_pass():
    loader = data.DataLoader(data.TensorDataset(np.arange(10)), 3, shuffle=True)
    it = iter(loader)
    first = [next(it)[0].numpy() for _ in range(2)]
    state = loader.state_dict()
    rest = [b[0].numpy() for b in it]
    again = data.DataLoader(data.TensorDataset(np.arange(10)), 3, shuffle=True)
    again.load_state_dict(state)
    assert state["next_batch"] == 2 and len(rest) == 2
    for u, v in zip(rest, [b[0].numpy() for b in again]):
        np.testing.assert_array_equal(u, v)
    assert sorted(np.concatenate(first + rest)) == list(range(10))
    with pytest.raises(ValueError, match="shape"):
        data.DataLoader(data.TensorDataset(np.arange(4)), 3).load_state_dict(state)


def test_checkpoint_of_another_architecture_is_refused_with_key_and_shapes(tmp_path):
    trainer, loader = setup()
    trainer.save_checkpoint(tmp_path / "c.npz")
    wb.manual_seed(0)
    other = Trainer(models.get("mlp", hidden=(48,)), nn.CrossEntropyLoss(),
                    optim.Adam(models.get("mlp", hidden=(48,)).parameters()), progress=False)
    with pytest.raises(ValueError, match=r"size mismatch for .*\(48, 64\).*\(32, 64\)|"
                                         r"size mismatch for .*\(32, 64\).*\(48, 64\)"):
        other.resume(tmp_path / "c.npz")
    deeper = Trainer(models.get("mlp", hidden=(32, 32)), nn.CrossEntropyLoss(),
                     optim.SGD(models.get("mlp", hidden=(32, 32)).parameters(), lr=0.1),
                     progress=False)
    with pytest.raises((KeyError, ValueError), match="Missing key|size mismatch"):
        deeper.resume(tmp_path / "c.npz")
    wb.save({"model": {}}, tmp_path / "not_a_ckpt.npz")
    with pytest.raises(wb.ModelFileError, match="not a Trainer checkpoint"):
        other.resume(tmp_path / "not_a_ckpt.npz")


# ---------------------------------------------------------------- numerical faults
class _PoisonGrad(wb.autograd.Function):
    """Identity forward; the backward multiplies the incoming gradient by ``value``."""

    @staticmethod
    def forward(ctx, x, value):
        ctx.value = value
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad * np.float32(ctx.value), None


class _Poison(nn.Module):
    """Identity in the forward pass; its backward writes NaN/inf into the gradient at chosen
    calls (1-based global steps), so only the gradients of the layers below it are poisoned."""

    def __init__(self, steps, value):
        super().__init__()
        self.steps, self.value, self.calls = set(steps), value, 0

    def forward(self, x):
        self.calls += 1
        return _PoisonGrad.apply(x, self.value) if self.calls in self.steps else x


def _fault_setup(on_nonfinite, poison_steps=(), value=np.nan):
    wb.manual_seed(3)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 8)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    poison = _Poison(poison_steps, value)
    model = nn.Sequential(nn.Linear(8, 4), poison, nn.ReLU(), nn.Linear(4, 2))
    trainer = Trainer(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                      progress=False, on_nonfinite=on_nonfinite)
    return trainer, data.DataLoader(data.TensorDataset(X, y), 16)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN arithmetic on purpose
def test_nonfinite_gradient_raises_with_step_and_parameter():
    trainer, loader = _fault_setup("raise", poison_steps=[6], value=np.inf)
    with pytest.raises(NonFiniteGradientError,
                       match=r"gradient of '0\.(weight|bias)' holds (inf|nan) at epoch 2, "
                             r"step 2 \(global step 6\)"):
        trainer.fit(loader, epochs=3)
    assert issubclass(NonFiniteGradientError, NonFiniteError)
    assert issubclass(NonFiniteLossError, NonFiniteError)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN arithmetic on purpose
def test_nonfinite_loss_raises_with_step():
    trainer, loader = _fault_setup("raise")
    with wb.no_grad():
        trainer.model[3].bias.data[:] = np.nan
    with pytest.raises(NonFiniteLossError, match=r"loss is nan at epoch 1, step 1"):
        trainer.fit(loader, epochs=1)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN arithmetic on purpose
def test_skip_leaves_weights_untouched_and_counts_the_steps():
    clean, loader = _fault_setup("skip")
    clean.fit(loader, epochs=1)
    trainer, loader = _fault_setup("skip", poison_steps=[2, 3], value=np.nan)
    before = {}

    class Watch(wb.train.Callback):
        def on_batch_end(self, tr, step, loss):
            before[tr.global_step] = {k: v.numpy().copy()
                                      for k, v in tr.model.state_dict().items()}

    trainer.callbacks = [Watch()]
    history = trainer.fit(loader, epochs=2)
    assert history["skipped_steps"] == [2, 0]
    assert [s for s, _ in trainer.skipped] == [2, 3]
    assert "gradient of '0." in trainer.skipped[0][1]
    for k in before[1]:  # steps 2 and 3 changed nothing
        np.testing.assert_array_equal(before[1][k], before[3][k])
    assert np.isfinite(history["loss"]).all()
    assert history["loss"][0] != clean.history["loss"][0]  # two batches left out of the mean


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN arithmetic on purpose
def test_skip_on_nonfinite_loss_and_option_is_validated():
    trainer, loader = _fault_setup("skip")
    with wb.no_grad():
        trainer.model[3].bias.data[:] = np.inf
    history = trainer.fit(loader, epochs=1)
    assert history["skipped_steps"] == [4] and np.isnan(history["loss"][0])
    assert trainer.skipped[0][1].startswith("loss is ")
    with pytest.raises(ValueError, match="on_nonfinite"):
        Trainer(trainer.model, nn.CrossEntropyLoss(), trainer.optimizer, on_nonfinite="ignore")


def _early_stopping_run(tmp_path, resume_from=None, epochs=40):
    tmp_path.mkdir(parents=True, exist_ok=True)
    wb.manual_seed(3)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 5)).astype(np.float32)
    y = (X[:, 0] + 0.8 * rng.normal(size=120) > 0).astype(np.int64)
    train = data.DataLoader(data.TensorDataset(X[:80], y[:80]), batch_size=16, shuffle=True)
    val = data.DataLoader(data.TensorDataset(X[80:], y[80:]), batch_size=64)
    model = models.get("mlp", in_features=5, hidden=(32,), num_classes=2)
    stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    ckpt = ModelCheckpoint(str(tmp_path / "es-{epoch}.npz"))
    trainer = Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05),
                      callbacks=[stop, ckpt], progress=False)
    if resume_from is not None:
        trainer.resume(resume_from)
    trainer.fit(train, epochs=epochs, val_loader=val)
    return trainer, stop


def test_early_stopping_state_survives_a_resume(tmp_path):
    """EarlyStopping's counters and best weights are in the checkpoint: resuming after a few
    epochs stops at the same epoch with the same restored weights as the uninterrupted run."""
    full_trainer, full_stop = _early_stopping_run(tmp_path / "a")
    assert full_stop.stopped_epoch is not None and full_stop.stopped_epoch > 3
    # resume from an epoch where the patience counter is already running
    waits = []
    for e in range(1, full_stop.stopped_epoch + 1):
        state = wb.load(tmp_path / "a" / f"es-{e}.npz")
        waits.append(int(state["callbacks"]["0:EarlyStopping"]["wait"]))
    e = max(i for i, w in enumerate(waits, 1) if w > 0 and i < full_stop.stopped_epoch)
    trainer, stop = _early_stopping_run(tmp_path / "b", resume_from=tmp_path / "a" / f"es-{e}.npz")
    assert stop.stopped_epoch == full_stop.stopped_epoch
    assert stop.best_epoch == full_stop.best_epoch
    for k, v in full_trainer.model.state_dict().items():
        np.testing.assert_array_equal(trainer.model.state_dict()[k].numpy(), v.numpy(), err_msg=k)
