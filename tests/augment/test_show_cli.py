"""``whiteboard augment --show --out grid.png`` writes a PNG; the grid keeps every batch's shape
and values in [0, 1]."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")

import whiteboard as wb  # noqa: E402
from whiteboard.augment.show import augmentation_grid, sample_image  # noqa: E402
from whiteboard.cli import main  # noqa: E402


def test_grid_shapes_and_range():
    wb.manual_seed(0)
    img = sample_image(size=32)
    assert img.shape[0] == 3 and img.min() >= 0 and img.max() <= 1
    for name, batch in augmentation_grid(img, n=3):
        assert batch.shape == (3,) + img.shape, name
        assert np.isfinite(batch).all(), name


def test_cli_writes_png(tmp_path):
    out = tmp_path / "grid.png"
    assert main(["augment", "--show", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
