"""Run every benchmark in turn: ``python -m benchmarks`` (or ``make bench``).

Each ``bench_*`` module runs in its own process (so thread settings and memory peaks do not leak
between them), prints its table and, for most, writes ``docs/benchmarks/<topic>.md``.
``python -m benchmarks NAME ...`` runs only the named ones (e.g. ``train nn``).
"""

import pkgutil
import subprocess
import sys
from pathlib import Path


def main(argv):
    here = Path(__file__).resolve().parent
    names = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)])
                   if m.name.startswith("bench_"))
    chosen = argv or names
    unknown = [n for n in chosen if n not in names]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; available: {names}")
    failed = []
    for name in chosen:
        print(f"\n===== benchmarks.bench_{name} =====", flush=True)
        done = subprocess.run([sys.executable, "-m", f"benchmarks.bench_{name}"],
                              cwd=here.parent)
        if done.returncode:
            failed.append(name)
    if failed:
        raise SystemExit(f"benchmarks failed: {failed}")


if __name__ == "__main__":
    main(sys.argv[1:])
