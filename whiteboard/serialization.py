"""``save`` / ``load``: state dicts and checkpoints as ``.npz`` files that never run code.

Any nesting of dicts (string or integer keys), lists and tuples whose leaves are tensors, arrays,
numbers, strings, booleans or None is stored: arrays as ``.npz`` entries named by their path in the
structure (``"model/layer1.0.conv1.weight"``), everything else as one JSON document. Loading uses
``allow_pickle=False``, so a file can carry data but never executable objects. Writing goes to a
temporary file in the same folder that is then renamed over the target (atomic on POSIX), so a
crash mid-write never destroys the previous checkpoint.
"""

from __future__ import annotations

import json
import os
import tempfile

import numpy as np

from . import backend
from .autograd import Tensor

__all__ = ["save", "load"]

_STRUCTURE = "__structure__"


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


def _unpack(obj, arrays):
    if isinstance(obj, dict):
        if "__tensor__" in obj:
            return Tensor(arrays[obj["__tensor__"]])
        if "__array__" in obj:
            return arrays[obj["__array__"]]
        if "__dict__" in obj:
            return {key: _unpack(value, arrays) for key, value in obj["__dict__"]}
        if "__tuple__" in obj:
            return tuple(_unpack(v, arrays) for v in obj["__tuple__"])
        if "__list__" in obj:
            return [_unpack(v, arrays) for v in obj["__list__"]]
    return obj


def save(obj, path):
    """Write ``obj`` (e.g. ``model.state_dict()`` or a checkpoint dict) to ``path`` atomically."""
    arrays = {}
    structure = _pack(obj, "", arrays)
    if _STRUCTURE in arrays:
        raise ValueError(f"save: the key {_STRUCTURE!r} is reserved")
    arrays[_STRUCTURE] = np.frombuffer(json.dumps(structure).encode("utf-8"), dtype=np.uint8)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path):
    """Read what :func:`save` wrote (arrays come back as Tensors where Tensors were saved)."""
    with np.load(os.fspath(path), allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    if _STRUCTURE not in arrays:
        raise ValueError(f"load: {path!r} was not written by whiteboard.save (no structure entry)")
    structure = json.loads(arrays.pop(_STRUCTURE).tobytes().decode("utf-8"))
    return _unpack(structure, arrays)
