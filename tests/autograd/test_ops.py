"""Every autograd op against torch.autograd (float64, 1e-10) and against central differences."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import whiteboard as wb
from whiteboard.testing import gradcheck
from tests.oracles.torch_oracle import check

RTOL = 1e-10


def arr(shape, seed=0, low=None, high=None):
    rng = np.random.default_rng(seed)
    if low is not None:
        return rng.uniform(low, high, size=shape)
    return rng.standard_normal(shape)


def wbt(a):
    return wb.tensor(a, requires_grad=True)


pair_shapes = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4)

BINARY = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / b,
    "pow": lambda lib, a, b: a ** b,
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: lib.minimum(a, b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(shapes=pair_shapes, seed=st.integers(0, 1000))
def test_binary_ops_broadcast_like_torch(name, shapes, seed):
    sa, sb = shapes.input_shapes
    a = arr(sa, seed, 0.5, 2.0) if name == "pow" else arr(sa, seed)
    b = arr(sb, seed + 1)
    if name == "div":
        b = np.where(np.abs(b) < 0.3, 0.3, b)
    check(BINARY[name], a, b, rtol=RTOL)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_gradcheck(name):
    a = arr((3, 1, 2), 1, 0.5, 2.0)
    b = arr((4, 2), 2, 0.5, 2.0)
    assert gradcheck(lambda x, y: BINARY[name](wb, x, y), (wbt(a), wbt(b)))


@pytest.mark.parametrize("scalar", [2, 0.5, -1.5])
def test_reflected_operators_with_scalars(scalar):
    a = arr((2, 3), 3, 0.5, 2.0)
    check(lambda lib, x: scalar + x, a)
    check(lambda lib, x: scalar - x, a)
    check(lambda lib, x: scalar * x, a)
    check(lambda lib, x: scalar / x, a)
    check(lambda lib, x: scalar ** x if scalar > 0 else x ** scalar, a)
    check(lambda lib, x: x ** scalar, a)
    check(lambda lib, x: -x, a)


def test_ties_split_gradient_like_torch():
    a = np.array([1.0, 2.0, 3.0, 2.0])
    b = np.array([1.0, 1.0, 3.0, 5.0])
    check(lambda lib, x, y: lib.maximum(x, y), a, b)
    check(lambda lib, x, y: lib.minimum(x, y), a, b)
    check(lambda lib, x: x.clamp(1.0, 2.0), a)
    check(lambda lib, x: x.amax(), np.array([[3.0, 1.0, 3.0], [0.0, 3.0, 2.0]]))
    check(lambda lib, x: x.max(), np.array([[3.0, 1.0, 3.0], [0.0, 3.0, 2.0]]))
    check(lambda lib, x: x.abs(), np.array([-1.0, 0.0, 2.0]))
    check(lambda lib, x: x ** 0.0, np.array([0.0, 1.0]))


UNARY = {
    "exp": (lambda lib, x: x.exp(), None),
    "log": (lambda lib, x: x.log(), (0.1, 3.0)),
    "sqrt": (lambda lib, x: x.sqrt(), (0.1, 3.0)),
    "abs": (lambda lib, x: x.abs(), None),
    "tanh": (lambda lib, x: x.tanh(), None),
    "sigmoid": (lambda lib, x: x.sigmoid(), None),
    "relu": (lambda lib, x: x.relu(), None),
    "neg": (lambda lib, x: -x, None),
    "clamp": (lambda lib, x: x.clamp(-0.5, 0.7), None),
    "clamp_min": (lambda lib, x: lib.clamp(x, min=0.1), None),
    "sign": (lambda lib, x: x.sign() * x, None),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=5), seed=st.integers(0, 1000))
def test_unary_ops_like_torch(name, shape, seed):
    fn, bounds = UNARY[name]
    a = arr(shape, seed, *bounds) if bounds else arr(shape, seed)
    check(fn, a, rtol=RTOL)
    if a.size:
        assert gradcheck(lambda x: fn(wb, x), (wbt(np.where(np.abs(a) < 1e-3, 0.1, a)),))


def test_sigmoid_is_stable_for_huge_inputs():
    check(lambda lib, x: x.sigmoid(), np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    check(lambda lib, x: x.logsumexp(0), np.array([1000.0, 999.0, -1000.0]))


def _dims(ndim):
    opts = [None] + list(range(-ndim, ndim))
    if ndim >= 2:
        opts.append((0, ndim - 1))
    return st.sampled_from(opts)


REDUCTIONS = {
    "sum": lambda lib, x, d, k: x.sum(dim=d, keepdim=k) if d is not None else x.sum(),
    "mean": lambda lib, x, d, k: x.mean(dim=d, keepdim=k) if d is not None else x.mean(),
    "var": lambda lib, x, d, k: x.var(dim=d, keepdim=k) if d is not None else x.var(),
    "var_biased": lambda lib, x, d, k: x.var(dim=d, unbiased=False, keepdim=k),
    "std": lambda lib, x, d, k: x.std(dim=d, keepdim=k) if d is not None else x.std(),
    "amax": lambda lib, x, d, k: x.amax(dim=d if d is not None else (), keepdim=k)
    if lib is wb else x.amax(dim=d if d is not None else (), keepdim=k),
    "amin": lambda lib, x, d, k: x.amin(dim=d if d is not None else (), keepdim=k),
    "logsumexp": lambda lib, x, d, k: x.logsumexp(
        dim=d if d is not None else tuple(range(x.dim())), keepdim=k),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(data=st.data())
def test_reductions_like_torch(name, data):
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=5))
    dim = data.draw(_dims(len(shape)))
    keepdim = data.draw(st.booleans())
    if name.startswith("am") and dim is None:
        dim = tuple(range(len(shape)))
    a = arr(shape, data.draw(st.integers(0, 1000)))
    check(lambda lib, x: REDUCTIONS[name](lib, x, dim, keepdim), a, rtol=1e-9)
    assert gradcheck(lambda x: REDUCTIONS[name](wb, x, dim, keepdim), (wbt(a),))


@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_min_along_dim_return_values_and_indices(op, keepdim):
    a = arr((3, 4, 5), 7)
    for dim in (0, 1, -1):
        check(lambda lib, x, d=dim: getattr(x, op)(dim=d, keepdim=keepdim), a)
        check(lambda lib, x, d=dim: getattr(lib, op)(x, d, keepdim), a)
    check(lambda lib, x: getattr(x, op)(dim=0), np.array(2.5))
    check(lambda lib, x: (x.argmax(dim=1), x.argmin(), x.argmax()), a, grad=False)


MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2)), ((3,), (2, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)),
    ((4, 2, 3), (3,)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_like_torch(sa, sb):
    a, b = arr(sa, 1), arr(sb, 2)
    check(lambda lib, x, y: x @ y, a, b)
    check(lambda lib, x, y: lib.matmul(x, y), a, b)
    assert gradcheck(lambda x, y: x @ y, (wbt(a), wbt(b)))


def test_matmul_shape_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4, 5\)"):
        wb.randn(2, 3) @ wb.randn(4, 5)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        wb.matmul(wb.tensor(1.0), wb.randn(2))
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4,\)"):
        wb.randn(2, 3) + wb.randn(4)


SHAPE_OPS = {
    "reshape": (lambda lib, x: x.reshape(4, -1), (2, 3, 2)),
    "reshape_tuple": (lambda lib, x: x.reshape((3, 4)), (2, 3, 2)),
    "view": (lambda lib, x: x.view(-1), (2, 3, 2)),
    "flatten": (lambda lib, x: x.flatten(1), (2, 3, 2)),
    "flatten_mid": (lambda lib, x: lib.flatten(x, 1, 2), (2, 3, 2, 2)),
    "transpose": (lambda lib, x: x.transpose(0, 2), (2, 3, 4)),
    "T": (lambda lib, x: x.T * 1.0, (2, 3)),
    "mT": (lambda lib, x: x.mT, (2, 3, 4)),
    "permute": (lambda lib, x: x.permute(2, 0, 1), (2, 3, 4)),
    "permute_neg": (lambda lib, x: lib.permute(x, (-1, 0, 1)), (2, 3, 4)),
    "squeeze_all": (lambda lib, x: x.squeeze(), (1, 3, 1, 2)),
    "squeeze_dim": (lambda lib, x: x.squeeze(2), (1, 3, 1, 2)),
    "squeeze_noop": (lambda lib, x: x.squeeze(1), (1, 3, 1, 2)),
    "unsqueeze": (lambda lib, x: x.unsqueeze(1), (2, 3)),
    "unsqueeze_neg": (lambda lib, x: x.unsqueeze(-1), (2, 3)),
    "expand": (lambda lib, x: x.expand(4, -1, 3), (2, 1)),
    "broadcast_to": (lambda lib, x: lib.broadcast_to(x, (2, 3, 4)), (3, 1)),
    "expand_as": (lambda lib, x: x.expand_as(lib.zeros(5, 2, 3, dtype=x.dtype)), (2, 1)),
}


@pytest.mark.parametrize("name", sorted(SHAPE_OPS))
def test_shape_ops_like_torch(name):
    fn, shape = SHAPE_OPS[name]
    a = arr(shape, 3)
    check(fn, a)
    assert gradcheck(lambda x: fn(wb, x), (wbt(a),))


INDEXES = [
    (slice(1, 3),),
    (0,),
    (-1, slice(None, None, 2)),
    (Ellipsis, 1),
    (slice(None), None, 1),
    (slice(None, None, -1),),
    (np.array([0, 2, 0, 0]),),
    (np.array([1, 1]), slice(0, 2)),
    (np.array([[0, 1], [2, 0]]), np.array([[1, 1], [0, 1]])),
    (slice(None), np.array([3, 0, 3])),
]


@pytest.mark.parametrize("index", INDEXES, ids=range(len(INDEXES)))
def test_indexing_like_torch_with_scatter_add_backward(index):
    a = arr((3, 4, 2), 5)
    if any(isinstance(i, slice) and i.step == -1 for i in index):
        # torch does not support negative steps; compare with the flipped array instead
        out = wbt(a)[index]
        out.sum().backward()
        np.testing.assert_array_equal(out.numpy(), a[index])
        return
    th_index = tuple(i.tolist() if isinstance(i, np.ndarray) else i for i in index)
    check(lambda lib, x: x[index] if lib is wb else x[th_index], a)
    assert gradcheck(lambda x: x[index], (wbt(a),))


def test_boolean_mask_and_tensor_index():
    a = arr((4, 3), 6)
    mask = a > 0
    check(lambda lib, x, m: x[m], a, mask)
    idx = np.array([3, 0, 3])
    check(lambda lib, x, i: x[i], a, idx)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_stack_split_chunk_like_torch(dim):
    a, b, c = arr((2, 3, 4), 1), arr((2, 3, 4), 2), arr((2, 3, 4), 3)
    check(lambda lib, x, y, z: lib.cat([x, y, z], dim=dim), a, b, c)
    check(lambda lib, x, y, z: lib.stack([x, y, z], dim=dim), a, b, c)
    check(lambda lib, x: lib.split(x, 2, dim=dim), a)
    check(lambda lib, x: x.chunk(2, dim=dim), a)
    n = a.shape[dim]
    check(lambda lib, x: x.split([1, n - 1], dim=dim), a)
    assert gradcheck(lambda x, y: wb.cat([x, y * 2], dim=dim), (wbt(a), wbt(b)))
    assert gradcheck(lambda x, y: wb.stack([x, y], dim=dim), (wbt(a), wbt(b)))


def test_cat_of_different_sizes_and_errors():
    check(lambda lib, x, y: lib.cat([x, y], 1), arr((2, 1), 1), arr((2, 3), 2))
    check(lambda lib, x, y: lib.cat([x, y], 0), arr((2, 1), 1), arr((2, 3), 2))
    with pytest.raises(ValueError, match="cat"):
        wb.cat([wb.zeros(2, 1), wb.zeros(2, 3)], 0)
    with pytest.raises(ValueError, match="same shape"):
        wb.stack([wb.zeros(2), wb.zeros(3)])


@pytest.mark.parametrize("pad", [(1, 2), (0, 1, 2, 0), (1, 1, 1, 1, 1, 1), (-1, 2), (2, -1, -1, 0)])
def test_pad_like_torch(pad):
    a = arr((2, 3, 4), 4)
    check(lambda lib, x: lib.nn.functional.pad(x, pad, value=0.5) if lib is not wb
          else wb.pad(x, pad, value=0.5), a)
    assert gradcheck(lambda x: wb.pad(x, pad), (wbt(a),))


def test_where_masked_fill_and_comparisons():
    a, b = arr((3, 4), 1), arr((1, 4), 2)
    cond = a > 0
    check(lambda lib, x, y: lib.where(lib.from_numpy(cond) if lib is not wb else wb.tensor(cond),
                                      x, y), a, b)
    check(lambda lib, x: x.masked_fill(x < 0, 0.5), a)
    for op in ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"):
        check(lambda lib, x, y, o=op: getattr(x, o)(y), a, b, grad=False)
    assert gradcheck(lambda x, y: wb.where(wb.tensor(cond), x, y), (wbt(a), wbt(b)))


def test_dtypes_follow_torch_promotion():
    f32 = np.ones((2,), np.float32)
    check(lambda lib, x: x * 2.5, f32, rtol=1e-6)
    check(lambda lib, x: x + 1, f32, rtol=1e-6)
    check(lambda lib, x, y: x + y, f32, np.ones(2), rtol=1e-6)
    ints = np.arange(4)
    check(lambda lib, x: x * 2, ints, grad=False)
    check(lambda lib, x: x.sum(), ints, grad=False)
    check(lambda lib, x: x.float() * 1.5, ints, grad=False, rtol=1e-6)


def test_cast_keeps_the_graph():
    check(lambda lib, x: (x.float() * 3).double().sum(), arr((3,), 1), rtol=1e-6)


@given(data=st.data())
def test_prod_and_cumsum_like_torch(data):
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    dim = data.draw(st.sampled_from([None] + list(range(-len(shape), len(shape)))))
    keepdim = data.draw(st.booleans())
    a = arr(shape, data.draw(st.integers(0, 1000)))
    check(lambda lib, x: x.prod(dim=dim, keepdim=keepdim) if dim is not None else x.prod(), a,
          rtol=1e-9)
    if dim is not None:
        check(lambda lib, x: lib.cumsum(x, dim), a)
        assert gradcheck(lambda x: x.cumsum(dim), (wbt(a),))
    assert gradcheck(lambda x: x.prod(dim=dim) if dim is not None else x.prod(), (wbt(a),))


@pytest.mark.parametrize("zeros", [[1], [0, 3], [2, 2], [0, 1, 4]])
def test_prod_gradient_with_zeros_like_torch(zeros):
    """∂∏/∂x_i = ∏_{j≠i} x_j: one zero gets the product of the others, two zeros give all 0 —
    never the 0/0 of out / x_i."""
    a = arr((2, 5), 3)
    a[0, sorted(set(zeros))] = 0.0
    a[1, zeros[0]] = 0.0
    for dim in (None, 1, -1, 0):
        check(lambda lib, x, d=dim: x.prod() if d is None else lib.prod(x, d, True), a)


def test_prod_of_empty_and_scalar_and_errors_like_torch():
    check(lambda lib, x: (x.prod(), x.prod(dim=1)), np.zeros((3, 0)))
    check(lambda lib, x: (x.prod(), x.prod(dim=0), x.cumsum(0)), np.array(2.5))
    check(lambda lib, x: x.prod(dim=(0, 1)), arr((2, 2)), expect_error=True)
    check(lambda lib, x: x.cumsum(2), arr((2, 2)), expect_error=True)
    check(lambda lib, x: (x.prod(), x.cumsum(0)), np.array([True, False, True]))
