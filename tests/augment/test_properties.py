"""Hypothesis over shapes and parameters (batch 1, odd and non-square sizes, 1 and 3 channels):
the shape contract, the [0, 1] range kept, ``p = 0`` is the identity, a seed fixes the output."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import whiteboard as wb
import whiteboard.augment as A

FAST = settings(max_examples=20, deadline=None)


@st.composite
def batches(draw, channels=(1, 3), min_side=3, max_side=13):
    n = draw(st.integers(1, 4))
    c = draw(st.sampled_from(channels))
    h = draw(st.integers(min_side, max_side))
    w = draw(st.integers(min_side, max_side))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    seed = draw(st.integers(0, 2**16))
    return np.random.default_rng(seed).random((n, c, h, w)).astype(dtype)


def _in_unit(y):
    return float(y.min()) >= 0.0 and float(y.max()) <= 1.0


def _check(t, x, shape):
    y = t(x)
    assert y.shape == shape and y.dtype == x.dtype
    single = t(x[0])
    assert single.shape == shape[1:] and single.dtype == x.dtype
    return y


@FAST
@given(batches(), st.floats(0, 1))
def test_flips_keep_shape_range_and_pixels(x, p):
    for t in (A.RandomHorizontalFlip(p), A.RandomVerticalFlip(p)):
        y = _check(t, x, x.shape)
        # a flip permutes pixels: every image keeps its sorted values
        np.testing.assert_array_equal(np.sort(y.reshape(len(x), -1), 1),
                                      np.sort(x.reshape(len(x), -1), 1))


@FAST
@given(batches(), st.data())
def test_crops_and_resizes_keep_the_shape_contract(x, data):
    n, c, H, W = x.shape
    h, w = data.draw(st.integers(1, H)), data.draw(st.integers(1, W))
    oh, ow = data.draw(st.integers(1, 17)), data.draw(st.integers(1, 17))
    mode = data.draw(st.sampled_from(["nearest", "bilinear"]))
    pad = data.draw(st.integers(0, 2))
    for t, shape in ((A.CenterCrop((h, w)), (n, c, h, w)),
                     (A.RandomCrop((h, w)), (n, c, h, w)),
                     (A.RandomCrop((h + pad, w), padding=pad), (n, c, h + pad, w)),
                     (A.RandomCrop((H + 2, W + 1), pad_if_needed=True), (n, c, H + 2, W + 1)),
                     (A.Pad(pad, padding_mode="edge"), (n, c, H + 2 * pad, W + 2 * pad)),
                     (A.Resize((oh, ow), interpolation=mode), (n, c, oh, ow)),
                     (A.RandomResizedCrop((oh, ow), interpolation=mode), (n, c, oh, ow))):
        y = _check(t, x, shape)
        assert _in_unit(y), t
    for crops in (A.FiveCrop((h, w))(x), A.TenCrop((h, w))(x)):
        assert all(cr.shape == (n, c, h, w) for cr in crops)


@FAST
@given(batches(), st.floats(0, 180), st.sampled_from(["nearest", "bilinear"]),
       st.floats(0, 1))
def test_rotation_and_affine_keep_shape_and_range(x, deg, mode, fill):
    for t in (A.RandomRotation(deg, interpolation=mode, fill=fill),
              A.RandomAffine(deg, translate=(0.2, 0.3), scale=(0.7, 1.3), shear=(-10, 10, -5, 5),
                             interpolation=mode, fill=fill)):
        y = _check(t, x, x.shape)
        assert _in_unit(y)


@FAST
@given(batches(channels=(3,)), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1),
       st.floats(0, 0.5))
def test_colour_ops_keep_shape_and_the_unit_range(x, b, c, s, h):
    for t in (A.ColorJitter(b, c, s, h), A.RandomGrayscale(0.5), A.RandomAdjustSharpness(3.0),
              A.GaussianBlur(3), A.GaussianNoise(sigma=0.3), A.Cutout(3, n_holes=2),
              A.RandomErasing(p=0.7)):
        assert _in_unit(_check(t, x, x.shape)), t
    assert A.Grayscale(3)(x).shape == x.shape
    assert A.Grayscale(1)(x).shape == (len(x), 1) + x.shape[2:]


@FAST
@given(batches())
def test_probability_zero_is_the_identity(x):
    ts = [A.RandomHorizontalFlip(0), A.RandomVerticalFlip(0), A.RandomAdjustSharpness(5, p=0),
          A.RandomErasing(p=0), A.RandomApply([A.GaussianNoise(sigma=1.0)], p=0),
          A.RandomRotation(0), A.RandomAffine(0), A.ColorJitter() if x.shape[1] == 3 else None,
          A.RandomGrayscale(0) if x.shape[1] == 3 else None, A.GaussianNoise(sigma=0.0)]
    for t in filter(None, ts):
        np.testing.assert_array_equal(t(x), x, err_msg=repr(t))


@FAST
@given(batches(channels=(3,)), st.integers(0, 2**31 - 1))
def test_a_seed_fixes_the_pipeline(x, seed):
    pipe = A.Compose([A.RandomResizedCrop((7, 5)), A.RandomHorizontalFlip(),
                      A.RandomApply([A.RandomRotation(20, interpolation="bilinear")], p=0.5),
                      A.ColorJitter(0.3, 0.3, 0.3, 0.1), A.RandomErasing(value="random"),
                      A.FancyPCA(np.array([0.2, 0.02, 0.002]), np.eye(3))])
    wb.manual_seed(seed)
    a = pipe(x)
    wb.manual_seed(seed)
    b = pipe(x)
    np.testing.assert_array_equal(a, b)
    wb.manual_seed(seed)
    y = np.arange(len(x)) % 3
    m1 = A.CutMix(num_classes=3)(x, y)
    wb.manual_seed(seed)
    m2 = A.CutMix(num_classes=3)(x, y)
    np.testing.assert_array_equal(m1[0], m2[0])
    np.testing.assert_array_equal(m1[1], m2[1])


@FAST
@given(batches(min_side=4), st.floats(0.05, 5.0), st.integers(3, 6))
def test_mixing_keeps_shapes_soft_labels_and_range(x, alpha, k):
    y = np.arange(len(x)) % k
    for mix in (A.Mixup(alpha, num_classes=k), A.CutMix(alpha, num_classes=k)):
        xm, ym = mix(x, y)
        assert xm.shape == x.shape and xm.dtype == x.dtype and _in_unit(xm)
        assert ym.shape == (len(x), k)
        np.testing.assert_allclose(ym.sum(1), 1.0, rtol=1e-6)
        assert 0.0 <= mix.last_lambda <= 1.0
