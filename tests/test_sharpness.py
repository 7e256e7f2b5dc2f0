"""lessons_lib.sharpness: exact Hessian-vector products, power iteration, the tracking callback.

The reference Hessian here is built from second differences of the *loss* alone (no gradient, no hvp), so
it is independent of the code under test.
"""

import numpy as np
import pytest

from lessons_lib import data, nn, optim, sharpness, train


@pytest.fixture(scope="module")
def batch():
    X_train, _, y_train, _ = data.load_digits(seed=0)
    X = X_train[:30].reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)[:, :6]  # 6 features
    return X, y_train[:30] % 3                                                         # 3 classes


def loss_at(model, w, X, y):
    for p, q in zip(model.params, sharpness.unflatten(w, model.params)):
        p[...] = q
    return model.loss(X, y)


def hessian_from_loss(model, X, y, h=1e-4):
    """H_ij = [L(w + h e_i + h e_j) - L(w + h e_i - h e_j) - L(w - h e_i + h e_j) + L(w - h e_i - h e_j)] / 4h^2."""
    w0 = sharpness.flatten(model.params)
    n = w0.size
    H = np.empty((n, n))
    E = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            value = (loss_at(model, w0 + E[i] + E[j], X, y) - loss_at(model, w0 + E[i] - E[j], X, y)
                     - loss_at(model, w0 - E[i] + E[j], X, y) + loss_at(model, w0 - E[i] - E[j], X, y)) / (4 * h * h)
            H[i, j] = H[j, i] = value
    loss_at(model, w0, X, y)
    return H


def tiny(activation, bias=True, seed=0):
    return nn.MLP([6, 4, 3], activation=activation, init="xavier_normal", rng=np.random.default_rng(seed), bias=bias)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_exact_hessian_matches_second_differences_of_the_loss(batch, activation, bias):
    X, y = batch
    model = tiny(activation, bias)
    if activation == "relu":  # second differences must not straddle a kink: keep every pre-activation away from 0
        pre = model.forward(X, return_pre=True)[1][0]
        assert np.abs(pre).min() > 1e-3
    H_exact = sharpness.hessian(model, X, y)
    H_fd = hessian_from_loss(model, X, y)
    assert np.abs(H_exact - H_fd).max() <= 1e-6 * np.abs(H_fd).max()
    assert np.allclose(H_exact, H_exact.T, rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_power_iteration_finds_the_largest_eigenvalue_of_the_full_hessian(batch, activation):
    """Claim C36 on a tiny net: relative error <= 1e-6 against the Hessian built from the loss alone."""
    X, y = batch
    model = tiny(activation, seed=1)
    top = np.linalg.eigvalsh(hessian_from_loss(model, X, y))[-1]
    result = sharpness.sharpness(model, X, y, rng=np.random.default_rng(0), tol=1e-12, max_iter=5000)
    assert result.converged
    assert abs(result.value - top) <= 1e-6 * top
    assert np.isclose(np.linalg.norm(result.vector), 1.0)


def test_hvp_returns_the_loss_and_the_gradient_of_backprop(batch):
    X, y = batch
    model = tiny("tanh")
    v = [np.random.default_rng(2).normal(size=p.shape) for p in model.params]
    loss, grads, Hv = sharpness.hvp(model, X, y, v)
    loss2, grads2 = model.loss_and_grads(X, y)
    assert loss == pytest.approx(loss2, rel=1e-14)
    for g, g2, hv, p in zip(grads, grads2, Hv, model.params):
        np.testing.assert_allclose(g, g2, rtol=1e-12, atol=1e-15)
        assert hv.shape == p.shape
    # linear in v
    _, _, H2v = sharpness.hvp(model, X, y, [2.0 * a for a in v])
    for a, b in zip(Hv, H2v):
        np.testing.assert_allclose(b, 2.0 * a, rtol=1e-12, atol=1e-15)


def test_top_eigenvalue_is_the_largest_not_the_largest_in_magnitude():
    A = np.diag([-5.0, 2.0, 1.0, 0.5])                     # the most negative one dominates in magnitude
    result = sharpness.top_eigenvalue(lambda v: A @ v, np.ones(4), tol=1e-12, max_iter=2000)
    assert result.value == pytest.approx(2.0, rel=1e-9)
    rng = np.random.default_rng(0)
    B = rng.normal(size=(30, 30))
    B = (B + B.T) / 2
    result = sharpness.top_eigenvalue(lambda v: B @ v, rng.normal(size=30), tol=1e-13, max_iter=20000)
    assert result.value == pytest.approx(np.linalg.eigvalsh(B)[-1], rel=1e-6)


def test_flatten_and_unflatten_round_trip():
    arrays = [np.arange(6.0).reshape(2, 3), np.arange(2.0), np.arange(4.0).reshape(4, 1)]
    flat = sharpness.flatten(arrays)
    assert flat.shape == (12,)
    for a, b in zip(arrays, sharpness.unflatten(flat, arrays)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="shape"):
        sharpness.unflatten(np.zeros(11), arrays)


def test_tracker_records_every_k_steps_and_matches_a_fresh_estimate(batch):
    X, y = batch
    model = tiny("tanh")
    tracker = sharpness.SharpnessTracker(model, X, y, every=4, rng=np.random.default_rng(0), tol=1e-8)
    train.fit(model, optim.SGD(model.params, lr=0.5), X, y, epochs=12, batch_size=None,
              rng=np.random.default_rng(0), callbacks=[tracker])
    assert tracker.steps == [0, 4, 8, 12]
    fresh = sharpness.sharpness(model, X, y, rng=np.random.default_rng(5), tol=1e-12, max_iter=5000)
    assert tracker.values[-1] == pytest.approx(fresh.value, rel=1e-5)
    assert tracker.products >= len(tracker.steps)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m, X, y: sharpness.hvp(m, X, y, [np.zeros(3)]), ValueError, "arrays shaped like"),
        (lambda m, X, y: sharpness.hvp(m, X, y, [np.zeros((2, 2))] * len(m.params)), ValueError, "shape"),
        (lambda m, X, y: sharpness.hvp(m, X, y, [np.full(p.shape, np.nan) for p in m.params]), ValueError, "non-finite"),
        (lambda m, X, y: sharpness.hvp("model", X, y, []), TypeError, "nn.MLP"),
        (lambda m, X, y: sharpness.sharpness(m, X, y), TypeError, "rng"),
        (lambda m, X, y: sharpness.top_eigenvalue(np.eye(2), np.ones(2)), TypeError, "matvec"),
        (lambda m, X, y: sharpness.top_eigenvalue(lambda v: v, np.zeros(2)), ValueError, "non-zero"),
        (lambda m, X, y: sharpness.top_eigenvalue(lambda v: v, np.ones(2), tol=0), ValueError, "tol"),
        (lambda m, X, y: sharpness.SharpnessTracker(m, X, y, every=0, rng=np.random.default_rng(0)), ValueError, "every"),
        (lambda m, X, y: sharpness.hessian(nn.MLP([64, 80, 10], rng=np.random.default_rng(0)), X, y), ValueError, "too big"),
    ],
)
def test_bad_input_is_refused_with_a_message(batch, call, error, words):
    X, y = batch
    with pytest.raises(error, match=words):
        call(tiny("tanh"), X, y)
