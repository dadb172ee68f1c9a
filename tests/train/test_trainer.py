"""Trainer: accuracy on digits, bit-exact resume, callbacks, non-finite detection, CLI."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import data, models, nn, optim
from whiteboard.cli import main
from whiteboard.train import (
    Callback, EarlyStopping, ModelCheckpoint, NonFiniteLossError, Trainer,
)


def digits(as_images=False, seed=0):
    X, y = data.load_digits(as_images=as_images)
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_size=0.25, random_state=seed,
                                               stratify=y)
    if not as_images:
        mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
        Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    return Xtr.astype(np.float32), Xte.astype(np.float32), ytr, yte


def fit_digits(model_name, epochs, seed=0, **model_kw):
    wb.manual_seed(seed)
    images = models.needs_images(model_name)
    Xtr, Xte, ytr, yte = digits(images, seed)
    model = models.get(model_name, **model_kw)
    opt = optim.Adam(model.parameters(), lr=2e-3)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    trainer = Trainer(model, nn.CrossEntropyLoss(), opt, scheduler=sched, metrics=["accuracy"],
                      progress=False)
    history = trainer.fit(data.DataLoader(data.TensorDataset(Xtr, ytr), 32, shuffle=True),
                          epochs, val_loader=data.DataLoader(data.TensorDataset(Xte, yte), 512))
    return trainer, history


def test_mlp_64_128_10_reaches_97_percent_on_digits():
    trainer, history = fit_digits("mlp", 30)
    assert history["val_accuracy"][-1] >= 0.97
    assert history["loss"][-1] < history["loss"][0] / 10
    assert len(history["lr"]) == 30 and history["lr"][0] == pytest.approx(2e-3)


@pytest.mark.slow
def test_lenet_reaches_97_percent_on_digits():
    for seed in (0, 1):
        _, history = fit_digits("lenet", 30, seed=seed)
        assert history["val_accuracy"][-1] >= 0.97


def _resumable_setup(seed=1):
    wb.manual_seed(seed)
    Xtr, _, ytr, _ = digits()
    Xtr, ytr = Xtr[:256], ytr[:256]
    model = models.get("mlp", hidden=(32,), dropout=0.3)  # dropout and shuffling use the RNG
    opt = optim.Adam(model.parameters(), lr=1e-3)
    sched = optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    trainer = Trainer(model, nn.CrossEntropyLoss(), opt, scheduler=sched, progress=False)
    loader = data.DataLoader(data.TensorDataset(Xtr, ytr), 16, shuffle=True)
    return trainer, loader


def test_resume_from_checkpoint_is_bit_exact(tmp_path):
    straight, loader = _resumable_setup()
    straight.fit(loader, epochs=10)

    first, loader = _resumable_setup()
    first.fit(loader, epochs=5)
    first.save_checkpoint(tmp_path / "ckpt.npz")
    wb.randn(100)  # disturb the global generator: the checkpoint must restore it
    resumed, loader = _resumable_setup(seed=99)  # fresh objects, different initial weights
    resumed.resume(tmp_path / "ckpt.npz")
    assert resumed.epoch == 5 and len(resumed.history) == 5
    resumed.fit(loader, epochs=10)

    for (name, a), (_, b) in zip(straight.model.state_dict().items(),
                                 resumed.model.state_dict().items()):
        assert np.array_equal(a.numpy(), b.numpy()), name
    assert straight.history["loss"] == resumed.history["loss"]
    assert straight.optimizer.param_groups[0]["lr"] == resumed.optimizer.param_groups[0]["lr"]


class _Scripted(Callback):
    """Feeds a scripted validation loss and perturbs the weights each epoch."""

    def __init__(self, values):
        self.values = values

    def on_epoch_end(self, trainer, epoch, logs):
        logs["val_loss"] = self.values[epoch]


def test_early_stopping_patience_and_restore_best_weights():
    trainer, loader = _resumable_setup()
    snapshots = []

    class Snap(Callback):
        def on_epoch_end(self, trainer, epoch, logs):
            snapshots.append({k: v.numpy().copy() for k, v in trainer.model.state_dict().items()})

    stop = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    trainer.callbacks = [_Scripted([5.0, 3.0, 3.5, 2.9999, 3.2, 3.1, 1.0]), Snap(), stop]
    history = trainer.fit(loader, epochs=7)
    assert len(history) == 6 and stop.best_epoch == 3 and stop.stopped_epoch == 5
    for k, v in trainer.model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), snapshots[3][k])
    stop = EarlyStopping(patience=1, min_delta=0.5)
    trainer, loader = _resumable_setup()
    trainer.callbacks = [_Scripted([5.0, 4.8, 4.7, 1.0]), stop]
    assert len(trainer.fit(loader, epochs=4)) == 2  # 4.8 is not 0.5 better than 5.0


def test_model_checkpoint_best_only(tmp_path):
    trainer, loader = _resumable_setup()
    ckpt = ModelCheckpoint(tmp_path / "e{epoch}.npz", save_best_only=True)
    trainer.callbacks = [_Scripted([3.0, 4.0, 2.0, 2.5]), ckpt]
    trainer.fit(loader, epochs=4)
    assert [p.split("/")[-1] for p in ckpt.saved] == ["e1.npz", "e3.npz"]
    state = wb.load(tmp_path / "e3.npz")
    assert state["epoch"] == 3 and set(state) >= {"model", "optimizer", "scheduler", "rng"}


def test_non_finite_loss_stops_with_the_step():
    trainer, loader = _resumable_setup()
    with wb.no_grad():
        first = next(iter(trainer.model.parameters()))
        first.data[0, 0] = np.inf
    with pytest.raises(NonFiniteLossError, match="epoch 1, step 1"):
        trainer.fit(loader, epochs=1)


def test_plateau_scheduler_receives_the_monitored_value():
    trainer, loader = _resumable_setup()
    opt = trainer.optimizer
    trainer.scheduler = optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
    trainer.monitor = "val_loss"
    X = np.zeros((4, 64), np.float32)
    val = data.DataLoader(data.TensorDataset(X, np.zeros(4, dtype=np.int64)), 4)
    trainer.fit(loader, epochs=4, val_loader=val)
    lrs = trainer.history["lr"]
    assert lrs[0] == pytest.approx(1e-3) and min(lrs) < 1e-3


def test_history_plot_writes_a_figure(tmp_path):
    trainer, loader = _resumable_setup()
    history = trainer.fit(loader, epochs=2)
    history.plot(path=tmp_path / "h.png")
    assert (tmp_path / "h.png").stat().st_size > 1000
    with pytest.raises(KeyError, match="has no"):
        history["val_accuracy"]


def test_trainer_argument_errors():
    model = models.get("mlp")
    with pytest.raises(ValueError, match="unknown metric"):
        Trainer(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                metrics=["auc"])
    with pytest.raises(ValueError, match="scheduler_interval"):
        Trainer(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
                scheduler_interval="batch")


def test_cli_train_prints_test_accuracy(capsys):
    assert main(["train", "mlp", "--epochs", "3", "--quiet"]) == 0
    out = capsys.readouterr().out
    acc = float(out.strip().splitlines()[-1].split()[2])
    assert 0.85 < acc <= 1.0
    assert main(["models"]) == 0 and "resnet50" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "whiteboard 0.1.0" in capsys.readouterr().out


def test_cli_unknown_model_is_a_clear_error(capsys):
    assert main(["train", "resnet9000", "--epochs", "1", "--quiet"]) == 2
    assert "known models" in capsys.readouterr().err


def test_cli_mid_epoch_checkpoint_and_resume_equal_the_uninterrupted_run(tmp_path, capsys):
    """`train --checkpoint P --every-n-steps N` writes mid-epoch files; `--resume` from one of
    them (same configuration: the cosine schedule spans --epochs) ends with the same test
    accuracy and loss line, to every printed digit, as the uninterrupted run."""
    common = ["train", "mlp", "--batch-size", "64", "--quiet"]
    assert main(common + ["--epochs", "3"]) == 0
    full = capsys.readouterr().out.strip().splitlines()[-1]
    ckpt = str(tmp_path / "ck-{step}.npz")
    assert main(common + ["--epochs", "3", "--checkpoint", ckpt, "--every-n-steps", "7"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == full
    saved = sorted(tmp_path.glob("ck-*.npz"), key=lambda p: int(p.stem.split("-")[1]))
    assert [int(p.stem.split("-")[1]) for p in saved][:2] == [7, 14]
    mid = saved[1]  # step 14: inside epoch 1 (1347 samples / 64 per batch = 22 steps)
    again = str(tmp_path / "again-{step}.npz")
    assert main(common + ["--epochs", "3", "--resume", str(mid), "--checkpoint", again,
                          "--every-n-steps", "7"]) == 0
    out = capsys.readouterr().out
    assert "resumed from" in out and "step 14" in out
    assert out.strip().splitlines()[-1] == full
    # it continued from step 14 (next save at 21), it did not start again
    first = min(int(p.stem.split("-")[1]) for p in tmp_path.glob("again-*.npz"))
    assert first == 21


def test_cli_every_n_steps_needs_a_checkpoint_path():
    with pytest.raises(SystemExit, match="--every-n-steps needs --checkpoint"):
        main(["train", "mlp", "--epochs", "1", "--every-n-steps", "5", "--quiet"])
