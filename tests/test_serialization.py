"""wb.save / wb.load: fail-safe writes (kill -9, stale temporaries), one clear error for damage."""

import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

import whiteboard as wb
from whiteboard.serialization import ModelFileError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _state(seed=0):
    rng = np.random.default_rng(seed)
    return {"model": {"w": wb.Tensor(rng.standard_normal((8, 5)).astype(np.float32)),
                      "b": rng.standard_normal(5)},
            "epoch": 3, "history": [{"loss": 0.5, "lr": 1e-3}], "name": "mlp", "none": None,
            "shape": (2, 3)}


def _same(a, b):
    if isinstance(a, wb.Tensor):
        return isinstance(b, wb.Tensor) and np.array_equal(a.numpy(), b.numpy())
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return a == b


def test_round_trip(tmp_path):
    wb.save(_state(), tmp_path / "m.npz")
    assert _same(wb.load(tmp_path / "m.npz"), _state())
    assert os.listdir(tmp_path) == ["m.npz"]


# ---------------------------------------------------------------- stale temporaries
def _dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_next_save_removes_only_stale_temporaries_of_that_target(tmp_path):
    dead = _dead_pid()
    live = os.getppid()  # a process that is certainly alive and not us
    names = {
        "stale": f".tmp-m.npz.{dead}.abc123.npz",
        "live": f".tmp-m.npz.{live}.def456.npz",
        "old_live": f".tmp-m.npz.{live}.old999.npz",
        "other_target": f".tmp-other.npz.{dead}.abc123.npz",
        "longer_name": f".tmp-m.npz.1.{dead}.abc123.npz",  # target "m.npz.1", not "m.npz"
        "legacy": ".tmp-xyz.npz",
        "user": "m.npz.bak",
    }
    for n in names.values():
        (tmp_path / n).write_bytes(b"junk")
    old = time.time() - 2 * wb.serialization.STALE_SECONDS
    os.utime(tmp_path / names["old_live"], (old, old))
    wb.save(_state(), tmp_path / "m.npz")
    left = set(os.listdir(tmp_path))
    assert names["stale"] not in left and names["old_live"] not in left
    for key in ("live", "other_target", "longer_name", "legacy", "user"):
        assert names[key] in left, key
    assert "m.npz" in left


_LOOP = r"""
import sys, numpy as np
sys.path.insert(0, {root!r})
import whiteboard as wb
path = sys.argv[1]
x = np.random.default_rng(0).standard_normal((600, 600))  # ~3 MB per save: kills land mid-write
i = 0
while True:
    i += 1
    wb.save({{"x": x, "i": i}}, path)
    print(i, flush=True)
"""


@pytest.mark.parametrize("delay", [0.05, 0.13, 0.31])
def test_kill_9_during_saves_never_damages_the_file_and_litter_is_cleaned(tmp_path, delay):
    target = tmp_path / "ckpt.npz"
    script = tmp_path / "loop.py"
    script.write_text(_LOOP.format(root=ROOT))
    proc = subprocess.Popen([sys.executable, str(script), str(target)], stdout=subprocess.PIPE,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        assert proc.stdout.readline()  # one save finished
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    out = wb.load(target)  # the last completed save, intact
    assert out["i"] >= 1 and out["x"].shape == (600, 600)
    # the killed writer may have left its temporary; the next save removes it
    wb.save({"i": 0}, target)
    assert set(os.listdir(tmp_path)) == {"ckpt.npz", "loop.py"}
    assert wb.load(target) == {"i": 0}


def test_save_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    wb.save({"a": 1}, tmp_path / "m.npz")
    with pytest.raises(TypeError):
        wb.save({"a": object()}, tmp_path / "m.npz")
    assert wb.load(tmp_path / "m.npz") == {"a": 1} and os.listdir(tmp_path) == ["m.npz"]


# ---------------------------------------------------------------- damaged files
def _saved_bytes(tmp_path):
    wb.save(_state(), tmp_path / "good.npz")
    return (tmp_path / "good.npz").read_bytes()


def _check(path, original):
    """Loading damaged bytes gives the original back (harmless metadata) or ModelFileError."""
    try:
        out = wb.load(path)
    except ModelFileError as exc:
        assert str(path) in str(exc)
        return False
    assert _same(out, original), "damage went undetected and changed the data"
    return True


def test_truncation_at_every_offset_raises_model_file_error(tmp_path):
    blob = _saved_bytes(tmp_path)
    path = tmp_path / "bad.npz"
    for cut in range(0, len(blob) - 1, 7):
        path.write_bytes(blob[:cut])
        with pytest.raises(ModelFileError, match="bad.npz"):
            wb.load(path)


def test_flipped_bytes_raise_model_file_error_or_change_nothing(tmp_path):
    blob = _saved_bytes(tmp_path)
    path = tmp_path / "bad.npz"
    detected = total = 0
    for pos in range(len(blob)):  # every byte, three ways (low bit, high bit, all bits)
        for mask in (0x01, 0x80, 0xFF):
            damaged = bytearray(blob)
            damaged[pos] ^= mask
            path.write_bytes(bytes(damaged))
            detected += not _check(path, _state())
            total += 1
    # the rest are zip metadata (timestamps, version fields...) that change nothing
    assert detected > 0.75 * total


def _npz(path, **members):
    buf = io.BytesIO()
    np.savez(buf, **members)
    path.write_bytes(buf.getvalue())


def _structure(text):
    return np.frombuffer(text.encode("utf-8") if isinstance(text, str) else text, np.uint8)


@pytest.mark.parametrize("members, reason", [
    ({"w": np.zeros(3)}, "no '__structure__' entry"),
    ({"__structure__": np.zeros(3)}, "malformed '__structure__'"),
    ({"__structure__": _structure(b"\xff\xfe{")}, "not valid UTF-8 JSON"),
    ({"__structure__": _structure("{not json")}, "not valid UTF-8 JSON"),
    ({"__structure__": _structure("[" * 100000 + "]" * 100000)}, "malformed structure"),
    ({"__structure__": _structure('{"__tensor__": "w"}')}, "missing"),
    ({"__structure__": _structure('{"__dict__": [["a", {"__array__": 3}]]}')}, "missing"),
    ({"__structure__": _structure('{"__dict__": 5}')}, "expected a list"),
    ({"__structure__": _structure('{"__dict__": [[1, 2, 3]]}')}, "malformed dict item"),
    ({"__structure__": _structure('{"__bogus__": 1}')}, "unexpected node"),
    ({"__structure__": _structure('[1, 2]')}, "unexpected node"),
    ({"__structure__": _structure('{"__list__": []}'),
      "evil": np.array([{"a": 1}], dtype=object)}, "refused by design"),
])
def test_replaced_members_raise_one_clear_error(tmp_path, members, reason):
    path = tmp_path / "m.npz"
    _npz(path, **members)
    with pytest.raises(ModelFileError, match=reason) as info:
        wb.load(path)
    assert "m.npz" in str(info.value)


def test_deeply_nested_valid_json_is_refused_not_recursion_error(tmp_path):
    path = tmp_path / "m.npz"
    for levels in (480, 900):  # past the 100-level limit of _unpack / past JSON's own limit
        _npz(path, __structure__=_structure('{"__list__": [' * levels + "]}" * levels))
        with pytest.raises(ModelFileError, match="malformed structure"):
            wb.load(path)


def test_other_formats_raise_model_file_error(tmp_path):
    import pickle
    cases = {"text.npz": b"hello world", "empty.npz": b"",
             "pickle.npz": pickle.dumps({"a": 1}), "npy.npz": b""}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    np.save(tmp_path / "npy.npz", np.zeros(3))  # np.save keeps the given name with .npy added
    os.replace(tmp_path / "npy.npz.npy", tmp_path / "npy.npz")
    with zipfile.ZipFile(tmp_path / "zip.npz", "w") as z:
        z.writestr("readme.txt", "not an array")
    for name in [*cases, "zip.npz"]:
        with pytest.raises(ModelFileError, match=name):
            wb.load(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        wb.load(tmp_path / "missing.npz")
    with pytest.raises(ModelFileError, match="not a file"):
        wb.load(tmp_path)


def test_model_file_error_is_a_value_error():
    assert issubclass(ModelFileError, ValueError) and wb.ModelFileError is ModelFileError


_WRITER = r"""
import sys, numpy as np
sys.path.insert(0, {root!r})
import whiteboard as wb
x = np.full((300, 300), float(sys.argv[2]))
for i in range(40):
    wb.save({{"x": x, "who": sys.argv[2]}}, sys.argv[1])
"""


def test_concurrent_writers_of_one_target_never_remove_each_others_temporaries(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(root=ROOT))
    target = tmp_path / "shared.npz"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    procs = [subprocess.Popen([sys.executable, str(script), str(target), str(k)], env=env,
                              stderr=subprocess.PIPE) for k in (1, 2)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()  # a removed temporary would fail os.replace
    out = wb.load(target)
    assert out["who"] in ("1", "2") and np.all(out["x"] == float(out["who"]))
    assert set(os.listdir(tmp_path)) == {"writer.py", "shared.npz"}
