"""lessons_lib.nn: gradients against finite differences, loss at init, shapes, determinism, symmetry, bad input."""

import math

import numpy as np
import pytest

from lessons_lib import gradcheck, nn


def small_problem(seed=0, n=12, n_in=5, n_classes=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    y = rng.integers(0, n_classes, size=n)
    return X, y


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("seed", [0, 1])
def test_backprop_matches_numerical_gradient(activation, seed):
    X, y = small_problem(seed)
    model = nn.MLP([5, 7, 6, 4], activation, "xavier_normal", rng=np.random.default_rng(seed))
    assert gradcheck.gradient_check(model, X, y) < 1e-6


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_backprop_without_biases(activation):
    X, y = small_problem(3)
    model = nn.MLP([5, 6, 4], activation, "he_normal", rng=np.random.default_rng(3), bias=False)
    assert len(model.params) == 2
    assert gradcheck.gradient_check(model, X, y) < 1e-6


def test_gradient_check_catches_a_wrong_gradient():
    X, y = small_problem(0)
    model = nn.MLP([5, 6, 4], "tanh", "xavier_normal", rng=np.random.default_rng(0))
    loss, grads = model.loss_and_grads(X, y)
    numeric = gradcheck.numerical_gradient(model, X, y)
    assert np.allclose(grads[0], numeric[0], rtol=1e-5, atol=1e-9)

    class Broken(nn.MLP):  # forgets the activation's slope on the way back
        def _loss_and_grads(self, X, y):
            activations, _ = self._forward(X)
            _, dz = nn.softmax_cross_entropy(activations[-1], y)
            dW2, db2, da = nn.dense_backward(dz, activations[1], self.params[2])
            dW1, db1, _ = nn.dense_backward(da, X, self.params[0])
            return 0.0, [dW1, db1, dW2, db2]

    broken = Broken([5, 6, 4], "tanh", "xavier_normal", rng=np.random.default_rng(0))
    assert gradcheck.gradient_check(broken, X, y) > 1e-3


def test_loss_against_a_direct_computation():
    X, y = small_problem(5, n=9, n_classes=3)
    model = nn.MLP([5, 4, 3], "sigmoid", "lecun_normal", rng=np.random.default_rng(5))
    W1, b1, W2, b2 = model.params
    h = 1 / (1 + np.exp(-(X @ W1 + b1)))
    z = h @ W2 + b2
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(9), y]))
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-12)
    assert model.loss_and_grads(X, y)[0] == pytest.approx(expected, rel=1e-12)
    assert model.accuracy(X, y) == pytest.approx(np.mean(p.argmax(axis=1) == y))


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    loss, dlogits = nn.softmax_cross_entropy(logits, np.array([0, 1]))
    assert loss == pytest.approx(math.log(3) / 2)
    assert np.all(np.isfinite(dlogits))
    assert np.allclose(dlogits.sum(axis=1), 0.0)


def test_untrained_net_with_small_init_has_loss_near_log_of_classes():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(500, 64))
    y = rng.integers(0, 10, size=500)
    model = nn.MLP([64, 128, 128, 10], "relu", "normal", init_std=0.01, rng=rng)
    assert abs(model.loss(X, y) - math.log(10)) < 0.01


def test_shapes_and_dtypes():
    model = nn.MLP([64, 128, 32, 10], rng=np.random.default_rng(0))
    assert [p.shape for p in model.params] == [(64, 128), (128,), (128, 32), (32,), (32, 10), (10,)]
    assert all(p.dtype == np.float64 for p in model.params)
    assert all(np.all(b == 0) for b in model.params[1::2])
    assert model.n_layers == 3 and len(model.weights) == 3 and model.weights[0] is model.params[0]
    X = np.random.default_rng(1).uniform(size=(20, 64))
    y = np.arange(20) % 10
    activations, pre = model.forward(X, return_pre=True)
    assert [a.shape for a in activations] == [(20, 64), (20, 128), (20, 32), (20, 10)]
    assert activations[0] is X
    assert [z.shape for z in pre] == [(20, 128), (20, 32), (20, 10)]
    assert np.array_equal(activations[1], np.maximum(pre[0], 0))
    assert np.array_equal(activations[-1], pre[-1])  # the output layer is linear: logits
    assert [h.shape for h in model.hidden_activations(X)] == [(20, 128), (20, 32)]
    loss, grads = model.loss_and_grads(X, y)
    assert isinstance(loss, float)
    assert [g.shape for g in grads] == [p.shape for p in model.params]
    assert model.predict(X).shape == (20,)
    assert 0.0 <= model.accuracy(X, y) <= 1.0
    assert len(model.layer_grad_norms(X, y)) == 3


def test_loss_and_grads_does_not_change_params():
    X, y = small_problem(2)
    model = nn.MLP([5, 6, 4], rng=np.random.default_rng(2))
    before = [p.copy() for p in model.params]
    model.loss_and_grads(X, y)
    gradcheck.numerical_gradient(model, X, y)
    assert all(np.array_equal(p, q) for p, q in zip(before, model.params))


@pytest.mark.parametrize("init", ["he_normal", "xavier_uniform", "lecun_normal"])
def test_same_rng_state_gives_the_same_network(init):
    a = nn.MLP([8, 5, 3], "tanh", init, rng=np.random.default_rng(11))
    b = nn.MLP([8, 5, 3], "tanh", init, rng=np.random.default_rng(11))
    c = nn.MLP([8, 5, 3], "tanh", init, rng=np.random.default_rng(12))
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert not np.array_equal(a.params[0], c.params[0])


def test_init_name_sets_the_weight_spread():
    model = nn.MLP([400, 300, 10], "relu", "he_normal", rng=np.random.default_rng(0))
    assert abs(model.params[0].std() / math.sqrt(2 / 400) - 1) < 0.02
    assert abs(model.params[2].std() / math.sqrt(2 / 300) - 1) < 0.05
    model = nn.MLP([400, 300, 10], "relu", "normal", init_std=0.05, rng=np.random.default_rng(0))
    assert abs(model.params[0].std() / 0.05 - 1) < 0.02


def test_init_callable_is_used_for_every_weight():
    def constant(shape, rng):
        return np.full(shape, 0.5)

    model = nn.MLP([3, 4, 2], "sigmoid", constant, rng=np.random.default_rng(0))
    assert np.array_equal(model.params[0], np.full((3, 4), 0.5))
    assert np.array_equal(model.params[2], np.full((4, 2), 0.5))


def sgd_steps(model, X, y, steps, lr):
    for _ in range(steps):
        _, grads = model.loss_and_grads(X, y)
        for p, g in zip(model.params, grads):
            p -= lr * g


@pytest.mark.parametrize("init, kwargs", [("zeros", {}), ("normal", {"init_std": 0.0})])
def test_zero_init_keeps_every_hidden_unit_identical(init, kwargs):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    y = rng.integers(0, 3, size=40)
    model = nn.MLP([6, 5, 3], "sigmoid", init, rng=rng, **kwargs)
    sgd_steps(model, X, y, steps=20, lr=0.5)
    W1, b1, W2, b2 = model.params
    assert np.abs(W1).max() > 1e-3  # the weights did move ...
    for j in range(1, 5):  # ... but every hidden unit (a column of W1, a row of W2) moved the same way
        assert np.allclose(W1[:, j], W1[:, 0], rtol=1e-12, atol=1e-15)
        assert np.allclose(W2[j, :], W2[0, :], rtol=1e-12, atol=1e-15)
        assert b1[j] == pytest.approx(b1[0], rel=1e-12, abs=1e-15)


def test_random_init_breaks_the_symmetry():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    y = rng.integers(0, 3, size=40)
    model = nn.MLP([6, 5, 3], "sigmoid", "xavier_normal", rng=rng)
    sgd_steps(model, X, y, steps=20, lr=0.5)
    W1 = model.params[0]
    assert np.abs(W1[:, 1:] - W1[:, :1]).max() > 0.1


X_OK = np.zeros((4, 3))
Y_OK = np.array([0, 1, 1, 0])
MODEL = nn.MLP([3, 5, 2], rng=np.random.default_rng(0))
RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: nn.MLP([10], rng=RNG), ValueError, "sizes"),
        (lambda: nn.MLP([], rng=RNG), ValueError, "sizes"),
        (lambda: nn.MLP([10, 0, 3], rng=RNG), ValueError, "sizes"),
        (lambda: nn.MLP([10, -4, 3], rng=RNG), ValueError, "sizes"),
        (lambda: nn.MLP([10, 4.0, 3], rng=RNG), TypeError, "sizes"),
        (lambda: nn.MLP("64,10", rng=RNG), TypeError, "sizes"),
        (lambda: nn.MLP([3, 2], "softplus", rng=RNG), ValueError, "softplus"),
        (lambda: nn.MLP([3, 2], init="glorot", rng=RNG), ValueError, "glorot"),
        (lambda: nn.MLP([3, 2], init="normal", rng=RNG), ValueError, "init_std"),
        (lambda: nn.MLP([3, 2], init="normal", init_std=-1.0, rng=RNG), ValueError, "init_std"),
        (lambda: nn.MLP([3, 2], init="he_normal", init_std=0.1, rng=RNG), ValueError, "init_std"),
        (lambda: nn.MLP([3, 2], init=3, rng=RNG), TypeError, "init"),
        (lambda: nn.MLP([3, 2], rng=0), TypeError, "rng"),
        (lambda: nn.MLP([3, 2], rng=RNG, bias=1), TypeError, "bias"),
        (lambda: nn.MLP([3, 2], init=lambda shape, rng: np.zeros(3), rng=RNG), ValueError, "init"),
        (lambda: MODEL.loss_and_grads(np.zeros((4, 2)), Y_OK), ValueError, "X"),
        (lambda: MODEL.loss_and_grads(np.zeros(3), Y_OK), ValueError, "X"),
        (lambda: MODEL.loss_and_grads(np.zeros((0, 3)), Y_OK[:0]), ValueError, "X"),
        (lambda: MODEL.loss_and_grads(X_OK.tolist(), Y_OK), TypeError, "X"),
        (lambda: MODEL.loss_and_grads(np.full((4, 3), np.nan), Y_OK), ValueError, "X"),
        (lambda: MODEL.loss_and_grads(X_OK, np.array([0, 1, 2, 0])), ValueError, "2"),
        (lambda: MODEL.loss_and_grads(X_OK, np.array([0, -1, 1, 0])), ValueError, "-1"),
        (lambda: MODEL.loss_and_grads(X_OK, Y_OK.astype(float)), TypeError, "y"),
        (lambda: MODEL.loss_and_grads(X_OK, Y_OK[:3]), ValueError, "y"),
        (lambda: MODEL.loss_and_grads(X_OK, Y_OK.reshape(4, 1)), ValueError, "y"),
        (lambda: MODEL.loss_and_grads(X_OK, [0, 1, 1, 0]), TypeError, "y"),
        (lambda: MODEL.accuracy(X_OK, np.array([0, 1, 5, 0])), ValueError, "5"),
        (lambda: MODEL.predict(np.zeros((4, 4))), ValueError, "X"),
        (lambda: gradcheck.numerical_gradient(MODEL, X_OK, Y_OK, eps=0.0), ValueError, "eps"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, words):
    before = [p.copy() for p in MODEL.params]
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert all(np.array_equal(p, q) for p, q in zip(before, MODEL.params))


def test_loss_and_accuracy_equal_the_separate_calls():
    rng = np.random.default_rng(3)
    model = nn.MLP([5, 7, 3], activation="tanh", init="xavier_normal", rng=rng)
    X, y = rng.normal(size=(40, 5)), rng.integers(0, 3, size=40)
    assert model.loss_and_accuracy(X, y) == (model.loss(X, y), model.accuracy(X, y))
    with pytest.raises(ValueError):
        model.loss_and_accuracy(X, y[:-1])
