"""Variable-length batches for the recurrent layers (``torch.nn.utils.rnn``).

A batch of B sequences of lengths l_0 ≥ l_1 ≥ … ≥ l_{B−1} (sorted, longest first) is *packed*
time step by time step: step t holds the rows of the ``batch_sizes[t] = #{b : l_b > t}``
sequences still running, and those are always the first ``batch_sizes[t]`` rows (a prefix),
because the batch is sorted::

    padded (T, B, *)                 packed data (Σ_b l_b, *)
    t=0   a0 b0 c0                   a0 b0 c0 | a1 b1 | a2        batch_sizes = [3, 2, 1]
    t=1   a1 b1 ·
    t=2   a2 ·  ·

Packed row ``offset[t] + b`` (``offset = cumsum(batch_sizes)`` shifted by one) is padded
position (t, b), for b < ``batch_sizes[t]``. Packing and unpacking are integer-array gathers,
so their gradients are scatter-adds (zero at the padding).

An unsorted batch (``enforce_sorted=False``) is first permuted by ``sorted_indices`` (the
lengths in decreasing order, ties in their original order); ``unsorted_indices`` is the inverse
permutation, which ``pad_packed_sequence`` and the recurrent layers' ``h_n`` apply to return the
original batch order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...autograd import Tensor
from ...autograd.ops import _as_tensor, cat

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "pack_sequence", "unpad_sequence", "unpack_sequence"]


class PackedSequence(NamedTuple):
    """``(data, batch_sizes, sorted_indices, unsorted_indices)`` as ``torch``'s.

    ``data`` (Σ lengths, *) — the steps of all sequences, time-major; ``batch_sizes`` (T,) int64
    — how many sequences are still running at each step; ``sorted_indices`` / ``unsorted_indices``
    (B,) int64 or None — the permutation from the original batch to the sorted one and back.
    Build it with ``pack_padded_sequence`` or ``pack_sequence``, not by hand.
    """

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


def _index_tensor(values):
    return Tensor(np.asarray(values, dtype=np.int64))


def _host(values):
    if values is None:
        return None
    if isinstance(values, Tensor):
        return np.asarray(values.numpy())
    return np.asarray(values)


def _lengths_array(lengths):
    arr = _host(lengths)
    if arr.ndim != 1:
        raise ValueError(f"pack_padded_sequence: lengths must be 1-D, got shape {arr.shape}")
    if arr.size and arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"pack_padded_sequence: lengths must be integers, got dtype "
                            f"{arr.dtype}")
    return arr.astype(np.int64)


def _padded_index(batch_sizes, total_length, pad_row):
    """(total_length, B) index into packed data for each padded position; ``pad_row`` where
    the position is padding. Row b is real at step t iff b < batch_sizes[t]."""
    bs = np.asarray(batch_sizes, dtype=np.int64)
    B = int(bs[0])
    offsets = np.concatenate([[0], np.cumsum(bs)[:-1]])
    cols = np.arange(B)
    index = np.full((total_length, B), pad_row, dtype=np.int64)
    real = cols[None, :] < bs[:, None]
    index[:len(bs)] = np.where(real, offsets[:, None] + cols[None, :], pad_row)
    return index


def _packed_positions(batch_sizes):
    """(t, b) of every packed row, in packed order."""
    bs = np.asarray(batch_sizes, dtype=np.int64)
    t = np.repeat(np.arange(len(bs)), bs)
    offsets = np.concatenate([[0], np.cumsum(bs)[:-1]])
    b = np.arange(int(bs.sum())) - np.repeat(offsets, bs)
    return t, b


def _pack_time_major(padded, batch_sizes):
    """Gather the real positions of a sorted, time-major (T, B, *) tensor into packed data."""
    t, b = _packed_positions(batch_sizes)
    return padded[t, b]


def _unpack_time_major(data, batch_sizes, total_length=None, padding_value=0.0):
    """Packed data → sorted, time-major (T, B, *) with ``padding_value`` at the padding."""
    data = _as_tensor(data)
    T = len(batch_sizes) if total_length is None else int(total_length)
    n = data.shape[0]
    pad = Tensor(data.xp.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype))
    extended = cat([data, pad], dim=0)
    return extended[_padded_index(batch_sizes, T, n)]


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch ``input`` (T, B, *) — (B, T, *) with ``batch_first`` — whose b-th
    sequence has ``lengths[b]`` real steps (a list, array or int64 Tensor).

    With ``enforce_sorted=True`` the lengths must be in decreasing order; otherwise the batch is
    sorted first and the permutation kept in the result (``sorted_indices``,
    ``unsorted_indices``). Differentiable with respect to ``input``.
    """
    x = _as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"pack_padded_sequence: input must be at least 2-D (T, B, *), got "
                         f"shape {x.shape}")
    lengths = _lengths_array(lengths)
    T, B = (x.shape[1], x.shape[0]) if batch_first else (x.shape[0], x.shape[1])
    if lengths.shape[0] != B:
        raise ValueError(f"pack_padded_sequence: expected len(lengths) equal to the batch size "
                         f"{B}, got {lengths.shape[0]} (input shape {x.shape}, "
                         f"batch_first={batch_first})")
    if B == 0:
        raise ValueError("pack_padded_sequence: the batch is empty (input shape "
                         f"{x.shape})")
    if np.any(lengths <= 0):
        raise ValueError(f"pack_padded_sequence: every length must be greater than 0, got "
                         f"lengths {lengths.tolist()}")
    if lengths.max() > T:
        raise ValueError(f"pack_padded_sequence: lengths {lengths.tolist()} exceed the input's "
                         f"sequence length {T} (input shape {x.shape}, "
                         f"batch_first={batch_first})")
    if enforce_sorted:
        if np.any(np.diff(lengths) > 0):
            raise ValueError(
                f"pack_padded_sequence: lengths must be sorted in decreasing order when "
                f"enforce_sorted=True, got {lengths.tolist()}; pass enforce_sorted=False to "
                f"sort them")
        sorted_indices = unsorted_indices = None
        order = None
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_indices = _index_tensor(order)
        unsorted_indices = _index_tensor(np.argsort(order))
        lengths = lengths[order]
    if batch_first:
        x = x.transpose(0, 1)
    if order is not None:
        x = x[:, order]
    batch_sizes = (lengths[None, :] > np.arange(int(lengths[0]))[:, None]).sum(axis=1)
    data = _pack_time_major(x, batch_sizes)
    return PackedSequence(data, _index_tensor(batch_sizes), sorted_indices, unsorted_indices)


def _check_packed(sequence, name):
    if not isinstance(sequence, PackedSequence):
        raise TypeError(f"{name}: expected a PackedSequence, got {type(sequence).__name__}")
    bs = _host(sequence.batch_sizes).astype(np.int64)
    if bs.ndim != 1 or bs.size == 0 or np.any(bs <= 0) or np.any(np.diff(bs) > 0):
        raise ValueError(f"{name}: batch_sizes must be a non-empty, non-increasing sequence of "
                         f"positive integers, got {bs.tolist()}")
    if _as_tensor(sequence.data).shape[0] != int(bs.sum()):
        raise ValueError(f"{name}: data has {sequence.data.shape[0]} rows but batch_sizes sum "
                         f"to {int(bs.sum())}")
    return bs


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Inverse of ``pack_padded_sequence``: returns ``(padded, lengths)`` with padded
    (T, B, *) — (B, T, *) with ``batch_first`` — in the original batch order, T =
    ``total_length`` or the longest length, ``padding_value`` past each sequence's end, and
    ``lengths`` an int64 Tensor (B,). Differentiable with respect to ``sequence.data``."""
    bs = _check_packed(sequence, "pad_packed_sequence")
    T = len(bs)
    if total_length is not None:
        if int(total_length) < T:
            raise ValueError(f"pad_packed_sequence: total_length must be at least the length of "
                             f"the longest sequence ({T}), got total_length={total_length}")
        T = int(total_length)
    padded = _unpack_time_major(sequence.data, bs, T, padding_value)
    lengths = (bs[None, :] > np.arange(int(bs[0]))[:, None]).sum(axis=1)
    if sequence.unsorted_indices is not None:
        unsort = _host(sequence.unsorted_indices).astype(np.int64)
        padded = padded[:, unsort]
        lengths = lengths[unsort]
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, _index_tensor(lengths)


def _check_sequences(sequences, name):
    seqs = [_as_tensor(s) for s in sequences]
    if not seqs:
        raise ValueError(f"{name}: expected a non-empty sequence of tensors")
    trailing = seqs[0].shape[1:]
    for i, s in enumerate(seqs):
        if s.ndim < 1:
            raise ValueError(f"{name}: sequence {i} is 0-D; each must be (L, *)")
        if s.shape[1:] != trailing:
            raise ValueError(f"{name}: sequence {i} has shape {s.shape}; every sequence must be "
                             f"(L, *{trailing}) like sequence 0 ({seqs[0].shape})")
        if s.dtype != seqs[0].dtype:
            raise TypeError(f"{name}: sequence {i} has dtype {s.dtype}, sequence 0 {seqs[0].dtype}")
    return seqs


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack the (L_b, *) tensors ``sequences`` into (L_max, B, *) — (B, L_max, *) with
    ``batch_first`` — filling with ``padding_value`` after (``padding_side='right'``) or
    before (``'left'``) each one. Differentiable with respect to every sequence."""
    if padding_side not in ("right", "left"):
        raise ValueError(f"pad_sequence: padding_side must be 'right' or 'left', got "
                         f"{padding_side!r}")
    seqs = _check_sequences(sequences, "pad_sequence")
    lengths = np.array([s.shape[0] for s in seqs], dtype=np.int64)
    T = int(lengths.max())
    first = seqs[0]
    pad = Tensor(first.xp.full((1,) + tuple(first.shape[1:]), padding_value, dtype=first.dtype))
    flat = cat(seqs + [pad], dim=0)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    steps = np.arange(T)[:, None]
    if padding_side == "right":
        real, local = steps < lengths[None, :], steps
    else:
        real, local = steps >= (T - lengths)[None, :], steps - (T - lengths)[None, :]
    index = np.where(real, starts[None, :] + local, int(lengths.sum()))
    out = flat[index]  # (T, B, *)
    return out.transpose(0, 1) if batch_first else out


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of (L_b, *) tensors: ``pack_padded_sequence(pad_sequence(sequences),
    lengths)``; with ``enforce_sorted=True`` they must come longest first."""
    seqs = _check_sequences(sequences, "pack_sequence")
    lengths = [s.shape[0] for s in seqs]
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of (L_b, *) tensors inside a padded batch (inverse of ``pad_sequence``)."""
    x = _as_tensor(padded_sequences)
    lengths = _lengths_array(lengths)
    if not batch_first:
        x = x.transpose(0, 1)
    if lengths.shape[0] != x.shape[0]:
        raise ValueError(f"unpad_sequence: expected {x.shape[0]} lengths, got "
                         f"{lengths.shape[0]}")
    return [x[b, :int(n)] for b, n in enumerate(lengths)]


def unpack_sequence(packed_sequences):
    """The list of (L_b, *) tensors inside a PackedSequence, in the original batch order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
