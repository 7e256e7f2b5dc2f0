"""lessons_lib.experiments: the lessons' shared experiment runners (the settings tables are tested by the
claims tests of the lesson that uses them)."""

import math

import numpy as np
import pytest

from lessons_lib.experiments import initialization as stack
from lessons_lib.experiments import sgd as bowl

X_OK = np.zeros((4, 3))
RNG = np.random.default_rng(0)


def test_stack_activations_classic_sigmoid_experiment():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 100))
    wide = stack.stack_activations(X, 5, 100, "sigmoid", "normal", init_std=1.0, rng=np.random.default_rng(1))
    narrow = stack.stack_activations(X, 5, 100, "sigmoid", "normal", init_std=0.01, rng=np.random.default_rng(1))
    assert [a.shape for a in wide] == [(1000, 100)] * 5
    for a in wide:  # std 1: activations pile up near 0 and 1
        assert np.mean((a < 0.05) | (a > 0.95)) > 0.5
    for a in narrow[1:]:  # std 0.01: every unit says about 0.5
        assert np.abs(a - 0.5).max() < 0.05


def test_stack_activations_uses_the_weights_it_says():
    X = np.random.default_rng(0).normal(size=(50, 8))
    acts = stack.stack_activations(X, 2, 4, "tanh", "lecun_normal", rng=np.random.default_rng(9))
    rng = np.random.default_rng(9)
    W1 = rng.normal(0, math.sqrt(1 / 8), size=(8, 4))
    W2 = rng.normal(0, math.sqrt(1 / 4), size=(4, 4))
    assert np.allclose(acts[0], np.tanh(X @ W1), rtol=1e-14)
    assert np.allclose(acts[1], np.tanh(np.tanh(X @ W1) @ W2), rtol=1e-14)


def test_stack_grad_norms_against_finite_differences_and_vanishing():
    X = np.random.default_rng(0).normal(size=(30, 6))
    norms = stack.stack_grad_norms(X, 3, 5, "sigmoid", "xavier_normal", rng=np.random.default_rng(4))
    rng = np.random.default_rng(4)
    Ws = [rng.normal(0, math.sqrt(2 / 11), (6, 5))] + [rng.normal(0, math.sqrt(2 / 10), (5, 5)) for _ in range(2)]

    def objective(Ws):  # (1/N) * sum of the last layer's activations
        a = X
        for W in Ws:
            a = 1 / (1 + np.exp(-(a @ W)))
        return a.sum() / len(X)

    for layer, W in enumerate(Ws):
        g = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            W[idx] += 1e-6
            up = objective(Ws)
            W[idx] -= 2e-6
            down = objective(Ws)
            W[idx] += 1e-6
            g[idx] = (up - down) / 2e-6
        assert norms[layer] == pytest.approx(np.linalg.norm(g), rel=1e-6)
    # with sigmoid and std 1, far less gradient reaches the first layer than the last
    X = np.random.default_rng(0).normal(size=(1000, 100))
    norms = stack.stack_grad_norms(X, 5, 100, "sigmoid", "normal", init_std=1.0, rng=np.random.default_rng(1))
    assert norms[0] < 0.2 * norms[-1]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: stack.stack_activations(X_OK, 0, 5, "relu", "he_normal", rng=RNG), ValueError, "n_layers"),
        (lambda: stack.stack_activations(X_OK, 2, 5.5, "relu", "he_normal", rng=RNG), TypeError, "width"),
        (lambda: stack.stack_activations(X_OK, 2, 5, "elu", "he_normal", rng=RNG), ValueError, "elu"),
        (lambda: stack.stack_activations(X_OK, 2, 5, "relu", "normal", rng=RNG), ValueError, "init_std"),
        (lambda: stack.stack_grad_norms(np.zeros(3), 2, 5, "relu", "he_normal", rng=RNG), ValueError, "X"),
    ],
)
def test_stack_refuses_bad_input_with_a_message_naming_it(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_the_bowl_data_set_averages_to_the_bowl():
    centres = bowl.bowl_dataset(256, seed=0)
    assert centres.shape == (256, 2) and np.allclose(centres.mean(axis=0), 0, atol=1e-12)
    p = np.array([-7.0, 2.0])
    assert np.allclose(bowl.bowl_minibatch_grad(p, centres), [p[0] / 10, 2 * p[1]], atol=1e-12)


def test_full_batch_sgd_on_the_bowl_data_set_is_gradient_descent_on_the_bowl():
    from lessons_lib import optim, surfaces

    centres = bowl.bowl_dataset(64, seed=1)
    path = bowl.sgd_on_bowl(centres, 64, 0.5, 20, rng=np.random.default_rng(0))
    np.testing.assert_allclose(path, surfaces.trace(surfaces.BOWL, optim.SGD, (-7.0, 2.0), 20, lr=0.5),
                               rtol=1e-12, atol=1e-12)
