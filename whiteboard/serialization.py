"""``save`` / ``load``: state dicts and checkpoints as ``.npz`` files that never run code.

Any nesting of dicts (string or integer keys), lists and tuples whose leaves are tensors, arrays,
numbers, strings, booleans or None is stored: arrays as ``.npz`` entries named by their path in the
structure (``"model/layer1.0.conv1.weight"``), everything else as one JSON document. Loading uses
``allow_pickle=False``, so a file can carry data but never executable objects. Writing goes to a
temporary file in the same folder that is then renamed over the target (atomic on POSIX), so a
crash mid-write never destroys the previous checkpoint; after the rename the file and its folder
are fsynced, so the new file survives a power cut once ``save`` returns.

Temporaries are named ``.tmp-<target>.<pid>.<random>.npz``. A writer killed mid-save (``kill -9``)
leaves one behind; the next ``save`` of the *same target* removes those whose writer process is
gone (or that are older than ``STALE_SECONDS``), and never touches anything else: other targets'
temporaries, or those of a live concurrent writer of the same target.

Loading refuses damage with one exception type, :class:`ModelFileError` (a ``ValueError``) whose
message names the file and what is wrong: not a zip/npz archive, truncated or failed CRC, no
structure entry, a malformed structure, a reference to a missing array, or a pickled object array
(refused by design: a model file carries data, never code).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import zipfile

import numpy as np

from . import backend
from .autograd import Tensor

__all__ = ["save", "load", "ModelFileError"]

_STRUCTURE = "__structure__"
STALE_SECONDS = 3600.0  # a temporary this old is removed even if its pid is alive (pid reuse)
_TMP_TAIL = re.compile(r"(\d+)\.[A-Za-z0-9_]+\.npz")


class ModelFileError(ValueError):
    """A model / checkpoint file is damaged or not one written by :func:`save`."""


def _pack(obj, path, arrays):
    if isinstance(obj, Tensor):
        arrays[path] = backend.to_numpy(obj.data)
        return {"__tensor__": path}
    if isinstance(obj, np.ndarray):
        arrays[path] = obj
        return {"__array__": path}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int)):
                raise TypeError(f"save: dict keys must be str or int, got {type(key).__name__}")
            items.append([key, _pack(value, f"{path}/{key}" if path else str(key), arrays)])
        return {"__dict__": items}
    if isinstance(obj, (list, tuple)):
        packed = [_pack(v, f"{path}/{i}" if path else str(i), arrays) for i, v in enumerate(obj)]
        return {"__tuple__" if isinstance(obj, tuple) else "__list__": packed}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise TypeError(
        f"save: cannot store an object of type {type(obj).__name__} at {path or 'top level'!r}; "
        "only tensors, arrays, numbers, strings, None and dicts/lists of them"
    )


_MARKERS = ("__tensor__", "__array__", "__dict__", "__tuple__", "__list__")


def _unpack(obj, arrays, where="structure", depth=0):
    """Rebuild the object, checking every node: a bad file raises ``ValueError(reason)``."""
    if depth > 100:
        raise ValueError(f"{where}: nesting deeper than 100 levels")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if not isinstance(obj, dict) or len(obj) != 1 or next(iter(obj)) not in _MARKERS:
        raise ValueError(f"{where}: unexpected node {str(obj)[:60]!r}")
    (kind, value), = obj.items()
    if kind in ("__tensor__", "__array__"):
        if not isinstance(value, str) or value not in arrays:
            raise ValueError(f"{where}: refers to array {str(value)[:60]!r}, which is missing")
        return Tensor(arrays[value]) if kind == "__tensor__" else arrays[value]
    if not isinstance(value, list):
        raise ValueError(f"{where}: {kind} holds {type(value).__name__}, expected a list")
    if kind == "__dict__":
        out = {}
        for item in value:
            if (not isinstance(item, list) or len(item) != 2
                    or not isinstance(item[0], (str, int)) or isinstance(item[0], bool)):
                raise ValueError(f"{where}: malformed dict item {str(item)[:60]!r}")
            out[item[0]] = _unpack(item[1], arrays, f"{where}/{item[0]}", depth + 1)
        return out
    items = [_unpack(v, arrays, f"{where}/{i}", depth + 1) for i, v in enumerate(value)]
    return tuple(items) if kind == "__tuple__" else items


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours (or unknowable): leave it
    return True


def _remove_stale_temporaries(folder, base):
    """Delete ``.tmp-<base>.<pid>.<rand>.npz`` files whose writer is gone or that are stale."""
    prefix = f".tmp-{base}."
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.startswith(prefix):
            continue
        match = _TMP_TAIL.fullmatch(name[len(prefix):])
        if match is None:
            continue
        full = os.path.join(folder, name)
        pid = int(match.group(1))
        try:
            old = now - os.stat(full).st_mtime > STALE_SECONDS
            if old or (pid != os.getpid() and not _alive(pid)):
                os.unlink(full)
        except OSError:
            pass  # already removed by a concurrent writer


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: folders cannot be opened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(obj, path):
    """Write ``obj`` (e.g. ``model.state_dict()`` or a checkpoint dict) to ``path`` atomically."""
    arrays = {}
    structure = _pack(obj, "", arrays)
    if _STRUCTURE in arrays:
        raise ValueError(f"save: the key {_STRUCTURE!r} is reserved")
    arrays[_STRUCTURE] = np.frombuffer(json.dumps(structure).encode("utf-8"), dtype=np.uint8)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    _remove_stale_temporaries(folder, base)
    fd, tmp = tempfile.mkstemp(prefix=f".tmp-{base}.{os.getpid()}.", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_folder(folder)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path):
    """Read what :func:`save` wrote (arrays come back as Tensors where Tensors were saved).

    Raises ``FileNotFoundError`` for a missing file and :class:`ModelFileError` for any file that
    is damaged or was not written by :func:`save`; pickled (object) arrays are refused.
    """
    name = os.fspath(path)

    def fail(reason):
        return ModelFileError(f"load: {name!r} {reason}")

    if not os.path.isfile(name):
        if os.path.exists(name):
            raise fail("is not a file")
        raise FileNotFoundError(f"load: no such file {name!r}")
    if not zipfile.is_zipfile(name):
        raise fail("is not a model file (not an .npz/zip archive; truncated or another format)")
    try:
        with np.load(name, allow_pickle=False) as data:
            arrays = {}
            for key in data.files:
                try:
                    arrays[key] = data[key]
                except ValueError as exc:
                    if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
                        raise fail(
                            f"holds a pickled object array {key!r}; loading code from model "
                            "files is refused by design (only plain numeric arrays are read)"
                        ) from None
                    raise
    except ModelFileError:
        raise
    except Exception as exc:  # zipfile, zlib, numpy header parsing...: any failure is damage
        raise fail(f"is damaged (truncated or corrupt archive): {type(exc).__name__}: {exc}") \
            from exc
    if _STRUCTURE not in arrays:
        raise fail(
            f"was not written by whiteboard.save (no {_STRUCTURE!r} entry; it has "
            f"{sorted(arrays)[:5]})"
        )
    raw = arrays.pop(_STRUCTURE)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise fail(f"has a malformed {_STRUCTURE!r} entry ({raw.dtype}, shape {raw.shape})")
    try:
        structure = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise fail(f"has a malformed structure (not valid UTF-8 JSON: {exc})") from None
    try:
        return _unpack(structure, arrays)
    except (ValueError, RecursionError) as exc:
        raise fail(f"has a malformed structure: {exc}") from None
