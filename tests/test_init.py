"""lessons_lib.init: spreads against their formulas, torch's gains, fans, reproducibility, bad input."""

import math

import numpy as np
import pytest

from lessons_lib import init

SHAPE = (300, 50)  # fan_in = 300, fan_out = 50: non-square, so fan mix-ups show


# Expected stds written from the papers' formulas, with fan_in = 300, fan_out = 50.
NORMAL_CASES = [
    ("lecun_normal", {}, math.sqrt(1 / 300)),
    ("xavier_normal", {}, math.sqrt(2 / 350)),
    ("xavier_normal", {"gain": 5 / 3}, 5 / 3 * math.sqrt(2 / 350)),
    ("he_normal", {}, math.sqrt(2 / 300)),
    ("he_normal", {"mode": "fan_out"}, math.sqrt(2 / 50)),
    ("he_normal", {"nonlinearity": "tanh"}, 5 / 3 / math.sqrt(300)),
    ("he_normal", {"nonlinearity": "leaky_relu", "a": 0.2}, math.sqrt(2 / 1.04) / math.sqrt(300)),
]

UNIFORM_CASES = [
    ("lecun_uniform", {}, math.sqrt(3 / 300)),
    ("xavier_uniform", {}, math.sqrt(6 / 350)),
    ("xavier_uniform", {"gain": 2.0}, 2.0 * math.sqrt(6 / 350)),
    ("he_uniform", {}, math.sqrt(6 / 300)),
    ("he_uniform", {"mode": "fan_out"}, math.sqrt(6 / 50)),
]


@pytest.mark.parametrize("name, kwargs, std", NORMAL_CASES)
def test_normal_variants_have_the_formula_std(name, kwargs, std):
    rng = np.random.default_rng(7)
    fn = init.get(name)
    w = np.stack([fn(SHAPE, rng=rng, **kwargs) for _ in range(40)])  # 600 000 numbers
    assert abs(w.std() / std - 1) < 0.01
    assert abs(w.mean()) < 0.01 * std
    # a normal, not a truncated normal: about 4.55 % of draws lie beyond 2 std (0 % if truncated)
    assert abs(np.mean(np.abs(w) > 2 * std) - 0.0455) < 0.002


@pytest.mark.parametrize("name, kwargs, bound", UNIFORM_CASES)
def test_uniform_variants_respect_bound_and_have_std_bound_over_sqrt3(name, kwargs, bound):
    rng = np.random.default_rng(7)
    fn = init.get(name)
    w = np.stack([fn(SHAPE, rng=rng, **kwargs) for _ in range(40)])
    assert np.all(np.abs(w) <= bound)
    assert np.abs(w).max() > 0.999 * bound  # the bound is actually reached, not a narrower one
    assert abs(w.std() / (bound / math.sqrt(3)) - 1) < 0.01


def test_fan_in_and_fan_out_give_different_stds_on_a_non_square_shape():
    rng = np.random.default_rng(0)
    w_in = init.he_normal((300, 50), mode="fan_in", rng=rng)
    w_out = init.he_normal((300, 50), mode="fan_out", rng=rng)
    # fan_in is the first axis (300 rows = inputs of x @ W), fan_out the second (50 columns)
    assert abs(w_in.std() / math.sqrt(2 / 300) - 1) < 0.02
    assert abs(w_out.std() / math.sqrt(2 / 50) - 1) < 0.02
    assert w_out.std() > 2 * w_in.std()


def test_compute_fans_reads_dense_weights_as_in_by_out():
    assert init.compute_fans((300, 50)) == (300, 50)
    assert init.compute_fans([7, 3]) == (7, 3)
    # (*kernel, in, out): both fans multiplied by the kernel size 3 * 3
    assert init.compute_fans((3, 3, 16, 32)) == (144, 288)


def test_torch_layout_is_the_transpose():
    # torch's Linear weight is (out, in): a torch-shaped (50, 300) weight, read our way, has fan_in 50.
    # So the same layer must be given to us as (300, 50) to get torch's kaiming std sqrt(2/300).
    w = init.he_normal((300, 50), rng=np.random.default_rng(0))
    assert abs(w.T.std() / math.sqrt(2 / 300) - 1) < 0.02


def test_lecun_is_the_book_xavier_and_differs_from_glorot():
    rng = np.random.default_rng(0)
    shape = (1000, 100)
    lecun = init.lecun_normal(shape, rng=rng)
    glorot = init.xavier_normal(shape, rng=rng)
    assert abs(lecun.std() - math.sqrt(1 / 1000)) < 0.01 * math.sqrt(1 / 1000)
    assert abs(glorot.std() - math.sqrt(2 / 1100)) < 0.01 * math.sqrt(2 / 1100)


# Gains typed from the torch.nn.init.calculate_gain documentation table.
@pytest.mark.parametrize(
    "nonlinearity, param, gain",
    [
        ("linear", None, 1.0),
        ("identity", None, 1.0),
        ("conv1d", None, 1.0),
        ("conv2d", None, 1.0),
        ("conv3d", None, 1.0),
        ("conv_transpose2d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, 2**0.5),
        ("leaky_relu", None, (2 / (1 + 0.01**2)) ** 0.5),
        ("leaky_relu", 0.2, (2 / 1.04) ** 0.5),
        ("leaky_relu", 0, 2**0.5),
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain_matches_torch_docs(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


def test_normal_with_explicit_std_and_mean():
    w = init.normal((2000, 100), std=0.01, mean=0.5, rng=np.random.default_rng(3))
    assert abs(w.std() - 0.01) < 0.0002 and abs(w.mean() - 0.5) < 0.0002
    constant = init.normal((4, 3), std=0.0, mean=0.25, rng=np.random.default_rng(3))
    assert np.array_equal(constant, np.full((4, 3), 0.25))


def test_zeros_and_one_axis_shapes():
    assert np.array_equal(init.zeros((3, 4)), np.zeros((3, 4)))
    assert init.zeros(5).shape == (5,)
    assert init.normal((5,), std=1.0, rng=np.random.default_rng(0)).shape == (5,)


@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
def test_same_rng_state_gives_the_same_array(name):
    kwargs = {"std": 0.1} if name == "normal" else {}
    fn = init.get(name)
    a = fn((30, 20), rng=np.random.default_rng(42), **kwargs)
    b = fn((30, 20), rng=np.random.default_rng(42), **kwargs)
    assert a.dtype == np.float64 and a.shape == (30, 20)
    assert np.array_equal(a, b)
    if name != "zeros":
        c = fn((30, 20), rng=np.random.default_rng(43), **kwargs)
        assert not np.array_equal(a, c)


def test_registry_holds_every_initializer():
    assert set(init.INITIALIZERS) == {
        "zeros", "normal", "lecun_normal", "lecun_uniform",
        "xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "orthogonal",
    }
    assert init.get("he_normal") is init.he_normal


RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: init.he_normal((0, 5), rng=RNG), ValueError, "shape"),
        (lambda: init.he_normal((5, -2), rng=RNG), ValueError, "shape"),
        (lambda: init.xavier_uniform((5,), rng=RNG), ValueError, "shape"),
        (lambda: init.lecun_normal(7, rng=RNG), ValueError, "shape"),
        (lambda: init.compute_fans((4,)), ValueError, "(4,)"),
        (lambda: init.compute_fans(()), ValueError, "shape"),
        (lambda: init.he_normal((2.5, 3), rng=RNG), TypeError, "shape"),
        (lambda: init.he_normal("3x3", rng=RNG), TypeError, "shape"),
        (lambda: init.he_normal((3, True), rng=RNG), TypeError, "shape"),
        (lambda: init.zeros((3, 0)), ValueError, "shape"),
        (lambda: init.he_normal((3, 3), mode="fan_avg", rng=RNG), ValueError, "fan_avg"),
        (lambda: init.he_uniform((3, 3), nonlinearity="gelu", rng=RNG), ValueError, "gelu"),
        (lambda: init.calculate_gain("softplus"), ValueError, "softplus"),
        (lambda: init.calculate_gain("leaky_relu", "big"), TypeError, "param"),
        (lambda: init.normal((3, 3), std=-0.1, rng=RNG), ValueError, "std"),
        (lambda: init.normal((3, 3), std=float("nan"), rng=RNG), ValueError, "std"),
        (lambda: init.normal((3, 3), std=float("inf"), rng=RNG), ValueError, "std"),
        (lambda: init.normal((3, 3), std=0.1, mean=float("inf"), rng=RNG), ValueError, "mean"),
        (lambda: init.xavier_normal((3, 3), gain=0.0, rng=RNG), ValueError, "gain"),
        (lambda: init.xavier_uniform((3, 3), gain=-1.0, rng=RNG), ValueError, "gain"),
        (lambda: init.xavier_normal((3, 3), gain=float("inf"), rng=RNG), ValueError, "gain"),
        (lambda: init.he_normal((3, 3), rng=0), TypeError, "rng"),
        (lambda: init.normal((3, 3), std=1.0, rng=np.random.RandomState(0)), TypeError, "rng"),
        (lambda: init.zeros((3, 3), rng="seed"), TypeError, "rng"),
        (lambda: init.get("glorot"), ValueError, "glorot"),
        (lambda: init.get(None), TypeError, "None"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_rng_is_required_for_random_initializers():
    with pytest.raises(TypeError):
        init.he_normal((3, 3))  # no rng: a keyword-only argument with no default


# ----- orthogonal (Saxe et al. 2014; torch.nn.init.orthogonal_) and LSUV (Mishkin and Matas 2016) -----------


@pytest.mark.parametrize("shape", [(30, 50), (50, 30), (40, 40)])
def test_orthogonal_makes_the_shorter_axis_orthonormal(shape):
    W = init.orthogonal(shape, gain=1.5, rng=np.random.default_rng(0))
    fan_in, fan_out = shape
    if fan_in <= fan_out:   # rows orthonormal: W W^T = gain^2 I, and |x W| = gain |x| for every x
        np.testing.assert_allclose(W @ W.T, 2.25 * np.eye(fan_in), rtol=0, atol=1e-12)
        x = np.random.default_rng(1).normal(size=(7, fan_in))
        np.testing.assert_allclose(np.linalg.norm(x @ W, axis=1), 1.5 * np.linalg.norm(x, axis=1), rtol=1e-12)
    if fan_in >= fan_out:   # columns orthonormal: W^T W = gain^2 I
        np.testing.assert_allclose(W.T @ W, 2.25 * np.eye(fan_out), rtol=0, atol=1e-12)


def test_orthogonal_flattens_more_axes_as_kernel_times_inputs():
    W = init.orthogonal((3, 3, 4, 40), rng=np.random.default_rng(0))    # (*kernel, in, out): 36 x 40
    flat = W.reshape(36, 40)
    np.testing.assert_allclose(flat @ flat.T, np.eye(36), rtol=0, atol=1e-12)


def test_orthogonal_is_uniformly_distributed_over_the_orthogonal_matrices():
    """Haar measure: every entry of an n x n draw has mean 0 and variance 1/n, and so does every diagonal entry
    (QR without the sign fix biases the diagonal: LAPACK's R has a sign pattern, so Q's diagonal leans one way)."""
    rng = np.random.default_rng(3)
    n, draws = 4, 4000
    Q = np.stack([init.orthogonal((n, n), rng=rng) for _ in range(draws)])
    se = np.sqrt(1 / n / draws)
    assert abs(Q[:, 0, 0].mean()) < 4 * se and abs(np.diagonal(Q, axis1=1, axis2=2).mean()) < 4 * se / 2
    assert abs(Q.var() * n - 1) < 0.05
    # the determinant is +1 or -1, each about half of the time (Haar on O(n), not SO(n))
    det = np.linalg.det(Q)
    np.testing.assert_allclose(np.abs(det), 1.0, rtol=1e-10)
    assert abs(np.mean(det > 0) - 0.5) < 0.05


def test_lsuv_gives_every_layer_unit_variance_on_its_batch_and_keeps_orthogonal_directions():
    from lessons_lib import data, nn

    X_train = data.load_digits(seed=0)[0]
    model = nn.MLP([64] + [48] * 6 + [10], rng=np.random.default_rng(0))
    record = init.lsuv(model, X_train[:100], rng=np.random.default_rng(1), tol=1e-3)
    assert len(record) == model.n_layers
    _, pre = model.forward(X_train[:100], return_pre=True)
    for (divisions, variance), z in zip(record, pre):
        assert abs(z.var() - 1.0) <= 1e-3 and variance == pytest.approx(z.var(), rel=1e-12)
        assert divisions >= 1
    for W in model.weights:                              # each weight is a scaled orthogonal matrix
        k = min(W.shape)
        G = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
        np.testing.assert_allclose(G, G[0, 0] * np.eye(k), rtol=0, atol=1e-10 * G[0, 0])
    assert all(not b.any() for b in model.params[1::2])  # biases 0


def test_lsuv_refuses_what_it_cannot_do():
    from lessons_lib import nn

    model = nn.MLP([4, 3, 2], rng=np.random.default_rng(0))
    rng = np.random.default_rng(0)
    with pytest.raises(RuntimeError, match="variance"):
        init.lsuv(model, np.zeros((10, 4)), rng=rng)        # all-zero inputs: variance 0, cannot be scaled
    with pytest.raises(TypeError, match="nn.MLP"):
        init.lsuv("model", np.ones((10, 4)), rng=rng)
    with pytest.raises(ValueError, match="tol"):
        init.lsuv(model, np.ones((10, 4)), rng=rng, tol=1.0)
    with pytest.raises(ValueError, match="at least 2"):
        init.lsuv(model, np.ones((1, 4)), rng=rng)
    with pytest.raises(ValueError, match="max_iter"):
        init.lsuv(model, np.ones((10, 4)), rng=rng, max_iter=0)
    with pytest.raises(TypeError, match="rng"):
        init.lsuv(model, np.ones((10, 4)), rng=0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: init.orthogonal((5,), rng=RNG), ValueError, "2 axes"),
        (lambda: init.orthogonal((3, 3), gain=0.0, rng=RNG), ValueError, "gain"),
        (lambda: init.orthogonal((3, 3), rng=None), TypeError, "rng"),
        (lambda: init.orthogonal((3, 0), rng=RNG), ValueError, "shape"),
    ],
)
def test_orthogonal_refuses_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()
