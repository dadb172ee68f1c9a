"""The ``whiteboard`` command line: a thin layer of argument parsing over the packages.

    whiteboard --version
    whiteboard train mlp --dataset digits --epochs 20 --optimizer adam --lr 1e-3
    whiteboard summary resnet50 --input 3x224x224
    whiteboard receptive-field alexnet
    whiteboard receptive-field --layers "11,4,0 3,2,0 5,1,2 3,2,0 3,1,1"
    whiteboard experiments list
    whiteboard experiments run C24 C72 --seeds 3 --quick --json
    whiteboard report --quick --out report --jobs 2 [--scheduler tcp://HOST:8786]
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
               "adadelta": 1.0, "rmsprop": 1e-3, "adam": 2e-3, "adamw": 2e-3, "nadam": 2e-3}


def cmd_train(args):
    """Train a model on a shipped dataset and print the test accuracy."""
    import numpy as np

    import whiteboard as wb
    from whiteboard import data, models, nn, optim
    from whiteboard.train import ModelCheckpoint, Trainer

    wb.manual_seed(args.seed)
    images = models.needs_images(args.model)
    if args.dataset != "digits" and images:
        raise SystemExit(f"{args.model} needs image data; only 'digits' is an image dataset")
    X, y = data.load_digits(as_images=images) if args.dataset == "digits" else data.load(
        args.dataset)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=args.test_size,
                                                   random_state=args.seed, stratify=y)
    if not images:  # standardise with the training statistics only
        mean, std = X_tr.mean(axis=0), X_tr.std(axis=0) + 1e-8
        X_tr, X_te = (X_tr - mean) / std, (X_te - mean) / std
    X_tr, X_te = X_tr.astype(np.float32), X_te.astype(np.float32)
    n_classes = int(y.max()) + 1
    model = models.get(args.model, num_classes=n_classes,
                       **({"in_channels": X_tr.shape[1]} if images
                          else {"in_features": X_tr.shape[1]}))
    lr = args.lr if args.lr is not None else _DEFAULT_LR[args.optimizer]
    optimizer = _build_optimizer(args.optimizer, model.parameters(), lr)
    scheduler = (optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
                 if args.schedule == "cosine" else None)
    if args.every_n_steps is not None and not args.checkpoint:
        raise SystemExit("whiteboard train: --every-n-steps needs --checkpoint PATH")
    callbacks = ([ModelCheckpoint(args.checkpoint, monitor="val_loss",
                                  every_n_train_steps=args.every_n_steps)]
                 if args.checkpoint else [])
    trainer = Trainer(model, nn.CrossEntropyLoss(), optimizer, scheduler=scheduler,
                      metrics=["accuracy"],
                      callbacks=callbacks, progress=not args.quiet)
    train_loader = data.DataLoader(data.TensorDataset(X_tr, y_tr), batch_size=args.batch_size,
                                   shuffle=True)
    test_loader = data.DataLoader(data.TensorDataset(X_te, y_te), batch_size=512)
    print(f"training {args.model} on {args.dataset}: {len(X_tr)} train / {len(X_te)} test "
          f"samples, {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{args.optimizer} lr={lr} ({args.schedule} schedule), batch {args.batch_size}, "
          f"{args.epochs} epochs")
    if args.resume:
        trainer.resume(args.resume)
        print(f"resumed from {args.resume} at epoch {trainer.epoch}, step {trainer.global_step}")
    trainer.fit(train_loader, epochs=args.epochs, val_loader=test_loader)
    result = trainer.evaluate(test_loader)
    print(f"test accuracy: {result['accuracy']:.4f}  (test loss {result['loss']:.4f})")
    return 0


def _parse_shape(text):
    try:
        shape = tuple(int(v) for v in text.lower().replace(",", "x").split("x"))
    except ValueError:
        raise ValueError(f"--input must look like 3x224x224, got {text!r}") from None
    if not shape or any(v < 1 for v in shape):
        raise ValueError(f"--input must be positive sizes like 3x224x224, got {text!r}")
    return shape


_DEFAULT_INPUT = {"alexnet": "3x227x227", "lenet5": "1x32x32", "lenet": "1x8x8",
                  "mlp": "64", "inception_v3_small": "3x32x32"}


def cmd_summary(args):
    """Per-layer output shapes, parameters, MACs and FLOPs of a model."""
    from . import models
    from .inspect import summary

    shape = _parse_shape(args.input or _DEFAULT_INPUT.get(args.model, "3x224x224"))
    kwargs = {"num_classes": args.num_classes} if args.num_classes else {}
    if models.needs_images(args.model):
        kwargs["in_channels"] = shape[0]
    model = models.get(args.model, **kwargs)
    result = summary(model, shape)
    if args.json:
        import json

        print(json.dumps(result.to_dict(), indent=1))
    else:
        print(result)
    return 0


def cmd_receptive_field(args):
    """Receptive field per layer, from a layer list or a model's module graph."""
    from .inspect import model_receptive_field, parse_layers, receptive_field

    if args.layers:
        size = args.input_size
        rows = receptive_field(parse_layers(args.layers), input_size=size)
    else:
        if not args.model:
            raise ValueError("give a model name or --layers 'k,s,p[,d] k,s,p ...'")
        from . import models

        shape = _parse_shape(args.input or _DEFAULT_INPUT.get(args.model, "3x224x224"))
        model = models.get(args.model, in_channels=shape[0])
        rows = model_receptive_field(model, shape)
        if not args.all:
            rows = [r for r in rows if r.kernel is not None]
    print(f"{'layer':<28} {'k':>3} {'s':>3} {'p':>3} {'d':>3} {'out':>5} {'RF':>6} {'jump':>6} "
          f"{'start':>7}")
    for r in rows:
        cells = [("-" if v is None else str(v)) for v in (r.kernel, r.stride, r.padding,
                                                           r.dilation, r.output_size)]
        print(f"{r.name:<28} {cells[0]:>3} {cells[1]:>3} {cells[2]:>3} {cells[3]:>3} "
              f"{cells[4]:>5} {r.rf:>6g} {r.jump:>6g} {r.start:>7g}")
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
    train.add_argument("--epochs", type=int, default=30)
    train.add_argument("--schedule", choices=("cosine", "constant"), default="cosine",
                       help="learning-rate schedule over the epochs (default cosine annealing)")
    train.add_argument("--lr", type=float, default=None,
                       help="learning rate (default depends on the optimizer)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--test-size", type=float, default=0.25)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--checkpoint", default=None,
                       help="write the best checkpoint (model+optimizer+RNG) to this .npz path")
    train.add_argument("--every-n-steps", type=int, default=None,
                       help="also checkpoint after every N optimisation steps (mid-epoch "
                            "included; the path may use {epoch} and {step})")
    train.add_argument("--resume", default=None,
                       help="continue from a checkpoint written by --checkpoint (bit for bit)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(func=cmd_train)

    summ = sub.add_parser("summary", help="per-layer table: output shape, parameters, MACs, "
                                           "FLOPs (FLOPs = 2 x MACs)")
    summ.add_argument("model")
    summ.add_argument("--input", default=None, help="input shape CxHxW, e.g. 3x224x224")
    summ.add_argument("--num-classes", type=int, default=None)
    summ.add_argument("--json", action="store_true", help="print the table as JSON")
    summ.set_defaults(func=cmd_summary)

    rf = sub.add_parser("receptive-field",
                        help="receptive field per layer of a model or of a layer list")
    rf.add_argument("model", nargs="?", default=None)
    rf.add_argument("--layers", default=None,
                    help='layers as "kernel,stride,padding[,dilation]" separated by spaces, '
                         'e.g. "11,4,0 3,2,0 5,1,2 3,2,0 3,1,1"')
    rf.add_argument("--input", default=None, help="model input shape CxHxW")
    rf.add_argument("--input-size", type=int, default=None,
                    help="with --layers: input size, to print each layer's output size")
    rf.add_argument("--all", action="store_true",
                    help="list every layer, not only convolutions and pooling")
    rf.set_defaults(func=cmd_receptive_field)

    models_cmd = sub.add_parser("models", help="list the model names")
    models_cmd.set_defaults(func=cmd_models)
    _add_experiment_commands(sub)

    aug = sub.add_parser("augment", help="image augmentation: --show draws a grid of transforms")
    aug.add_argument("--show", action="store_true", help="draw the grid on sklearn's sample image")
    aug.add_argument("--out", default=None, help="save the grid to this file instead of a window")
    aug.set_defaults(func=cmd_augment)

    topics_cmd = sub.add_parser(
        "topics", help="the notes' questions: search (zh/en), `topics show ID`, --seed 002")
    topics_cmd.add_argument("query", nargs="*",
                            help="search words (Chinese or English), or `show ID`")
    topics_cmd.add_argument("--seed", default=None, help="list one note's questions in order")
    topics_cmd.add_argument("--limit", type=int, default=10)
    topics_cmd.set_defaults(func=cmd_topics)
    return parser


def cmd_topics(args):
    from . import topics

    if args.seed is not None:
        for heading, t in topics.by_seed(args.seed):
            print(f"{t.id:<28} {heading}")
        return 0
    if args.query[:1] == ["show"]:
        if len(args.query) != 2:
            raise ValueError("usage: whiteboard topics show ID")
        print(topics.render(topics.get(args.query[1])), end="")
        return 0
    if not args.query:
        for area, entries in topics.areas().items():
            print(f"{area} ({len(entries)})")
            for t in entries:
                print(f"  {t.id:<28} {t.en}")
        return 0
    found = topics.search(" ".join(args.query), limit=args.limit)
    if not found:
        print("no topic matches")
        return 1
    for t in found:
        print(f"{t.id:<28} {t.en} | {t.zh}")
    return 0


def cmd_models(args):
    from . import models

    for name in models.list_models():
        print(name)
    return 0


def cmd_augment(args):
    if not args.show:
        print("whiteboard augment: nothing to do (use --show [--out grid.png])")
        return 0
    from .augment.show import show

    show(out=args.out)
    if args.out:
        print(f"grid written to {args.out}")
    return 0


def _sweep_options(p):
    p.add_argument("--seeds", type=int, default=None,
                   help="seeds 0..N-1 for every experiment (default: each experiment's own)")
    p.add_argument("--quick", action="store_true", help="quick mode (seconds per experiment)")
    p.add_argument("--jobs", type=int, default=1, help="joblib workers (-1: all cores)")
    p.add_argument("--scheduler", default=None,
                   help="run the sweep on a Dask cluster: tcp://HOST:PORT (needs whiteboard[dask])")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the trial cache ($WHITEBOARD_CACHE or "
                        "~/.cache/whiteboard/experiments)")


def cmd_experiments_list(args):
    from .experiments import EXPECTED, experiments

    for exp in experiments():
        ids = ",".join(exp.claims)
        print(f"{ids:<12} {exp.section}  {EXPECTED[exp.expected]} {exp.expected:<9}  {exp.title}")
    return 0


def cmd_experiments_run(args):
    import json

    from .experiments.runner import run_experiments

    results = run_experiments(args.claims, seeds=args.seeds, quick=args.quick, n_jobs=args.jobs,
                              scheduler=args.scheduler, cache=not args.no_cache,
                              progress=not args.json)
    for res in results:
        if args.json:
            print(json.dumps(res.to_json()))
        else:
            verdict = res.verdict.verdict if res.ok else "error"
            deciding = res.verdict.deciding if res.ok else res.error
            print(f"{','.join(res.experiment.claims)}: {verdict} (expected "
                  f"{res.experiment.expected}) - {deciding}  [{res.compute_seconds:.2f} s"
                  f"{', over budget' if res.over_budget else ''}]")
    return 0 if all(r.ok for r in results) else 1


def cmd_report(args):
    from .report import build_report

    index = build_report(args.out, seeds=args.seeds, quick=args.quick, n_jobs=args.jobs,
                         scheduler=args.scheduler, cache=not args.no_cache, progress=True)
    print(f"report written to {index}")
    return 0


def _add_experiment_commands(sub):
    exps = sub.add_parser("experiments", help="the notes' claims as experiments: list, run")
    esub = exps.add_subparsers(dest="experiments_command", metavar="ACTION")
    lst = esub.add_parser("list", help="id, section, expected outcome and title of each experiment")
    lst.set_defaults(func=cmd_experiments_list)
    run = esub.add_parser("run", help="run experiments and print their verdicts")
    run.add_argument("claims", nargs="+", metavar="CLAIM", help="claim ids, e.g. C24 C72")
    _sweep_options(run)
    run.add_argument("--json", action="store_true",
                     help="one JSON object per experiment per line")
    run.set_defaults(func=cmd_experiments_run)
    exps.set_defaults(func=lambda args: exps.print_help() or 0)

    rep = sub.add_parser("report", help="run every experiment and write the static HTML report")
    rep.add_argument("--out", default="report", help="output folder (default ./report)")
    _sweep_options(rep)
    rep.set_defaults(func=cmd_report)


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
