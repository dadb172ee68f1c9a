"""Every module imports on its own, in a fresh interpreter (no import cycles, no hidden
dependency on import order), and the runtime never imports an oracle."""

import pkgutil
import subprocess
import sys

import pytest

import whiteboard

MODULES = sorted(m.name for m in pkgutil.walk_packages(whiteboard.__path__, "whiteboard."))


@pytest.mark.parametrize("chunk", range(4))
def test_each_module_imports_alone_without_oracles(chunk):
    mine = MODULES[chunk::4]
    code = (
        "import importlib, sys\n"
        f"for name in {mine!r}:\n"
        "    before = set(sys.modules)\n"
        "    for m in [k for k in sys.modules if k.startswith('whiteboard')]:\n"
        "        del sys.modules[m]\n"
        "    importlib.import_module(name)\n"
        "    bad = [m for m in ('torch', 'sklearn', 'scipy', 'imblearn') if m in sys.modules]\n"
        "    assert not bad, (name, bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
