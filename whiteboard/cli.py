"""The ``whiteboard`` command line: a thin layer of argument parsing over the packages.

    whiteboard --version
    whiteboard train mlp --dataset digits --epochs 20 --optimizer adam --lr 1e-3
"""

from __future__ import annotations

import argparse
import sys

from . import __version__

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw",
              "nadam")


def _build_optimizer(name, params, lr):
    from . import optim

    table = {
        "sgd": lambda: optim.SGD(params, lr=lr),
        "momentum": lambda: optim.SGD(params, lr=lr, momentum=0.9),
        "nesterov": lambda: optim.SGD(params, lr=lr, momentum=0.9, nesterov=True),
        "adagrad": lambda: optim.Adagrad(params, lr=lr),
        "adadelta": lambda: optim.Adadelta(params, lr=lr),
        "rmsprop": lambda: optim.RMSprop(params, lr=lr),
        "adam": lambda: optim.Adam(params, lr=lr),
        "adamw": lambda: optim.AdamW(params, lr=lr),
        "nadam": lambda: optim.NAdam(params, lr=lr),
    }
    return table[name]()


_DEFAULT_LR = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.05,
               "adadelta": 1.0, "rmsprop": 1e-3, "adam": 1e-3, "adamw": 1e-3, "nadam": 2e-3}


def cmd_train(args):
    """Train a model on a shipped dataset and print the test accuracy."""
    import numpy as np

    import whiteboard as wb
    from whiteboard import data, models, nn
    from whiteboard.train import ModelCheckpoint, Trainer

    wb.manual_seed(args.seed)
    images = models.needs_images(args.model)
    if args.dataset != "digits" and images:
        raise SystemExit(f"{args.model} needs image data; only 'digits' is an image dataset")
    X, y = data.load_digits(as_images=images) if args.dataset == "digits" else data.load(
        args.dataset)
    if not images:
        X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)
    X = X.astype(np.float32)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=args.test_size,
                                                   random_state=args.seed, stratify=y)
    n_classes = int(y.max()) + 1
    model = models.get(args.model, num_classes=n_classes,
                       **({"in_channels": X.shape[1]} if images else {"in_features": X.shape[1]}))
    lr = args.lr if args.lr is not None else _DEFAULT_LR[args.optimizer]
    optimizer = _build_optimizer(args.optimizer, model.parameters(), lr)
    callbacks = [ModelCheckpoint(args.checkpoint, monitor="val_loss")] if args.checkpoint else []
    trainer = Trainer(model, nn.CrossEntropyLoss(), optimizer, metrics=["accuracy"],
                      callbacks=callbacks, progress=not args.quiet)
    train_loader = data.DataLoader(data.TensorDataset(X_tr, y_tr), batch_size=args.batch_size,
                                   shuffle=True)
    test_loader = data.DataLoader(data.TensorDataset(X_te, y_te), batch_size=512)
    print(f"training {args.model} on {args.dataset}: {len(X_tr)} train / {len(X_te)} test "
          f"samples, {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{args.optimizer} lr={lr}, batch {args.batch_size}, {args.epochs} epochs")
    trainer.fit(train_loader, epochs=args.epochs, val_loader=test_loader)
    result = trainer.evaluate(test_loader)
    print(f"test accuracy: {result['accuracy']:.4f}  (test loss {result['loss']:.4f})")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="whiteboard",
        description="Machine learning and deep learning derived on the whiteboard, proven in "
                    "code against PyTorch and scikit-learn.",
    )
    parser.add_argument("--version", action="version", version=f"whiteboard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = sub.add_parser("train", help="train a model on a shipped dataset, print test accuracy")
    train.add_argument("model", help="model name, e.g. mlp or lenet (see `whiteboard models`)")
    train.add_argument("--dataset", default="digits",
                       help="digits, iris, wine, breast_cancer (default digits)")
    train.add_argument("--epochs", type=int, default=20)
    train.add_argument("--lr", type=float, default=None,
                       help="learning rate (default depends on the optimizer)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--test-size", type=float, default=0.25)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--checkpoint", default=None,
                       help="write the best checkpoint (model+optimizer+RNG) to this .npz path")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(func=cmd_train)

    models_cmd = sub.add_parser("models", help="list the model names")
    models_cmd.set_defaults(func=cmd_models)
    return parser


def cmd_models(args):
    from . import models

    for name in models.list_models():
        print(name)
    return 0


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (ValueError, KeyError) as exc:
        print(f"whiteboard: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
