"""Lesson 05's claims (C21-C30), asserted on the library with the lesson's own settings.

Where the lesson prints a number, the test recomputes it independently (a forward pass and a backward pass
written out here, a formula, or a Monte Carlo estimate) and checks the claim the lesson draws from it.
"""

import math

import numpy as np
import pytest

from lessons_lib import data, init, nn, optim, train, widgets
from lessons_lib.exercises import lesson05

LN10 = math.log(10)


@pytest.fixture(scope="module")
def digits():
    return data.load_digits(seed=0)


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).normal(size=(1000, 100))  # the classic experiment's inputs


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def my_stack(X, n_layers, f, std, seed):
    """The classic stack written out: the same weight draws as nn.layer_activations (one rng, layer by layer)."""
    rng = np.random.default_rng(seed)
    a, weights, acts = X, [], []
    for _ in range(n_layers):
        W = rng.normal(0.0, std(a.shape[1], 100), size=(a.shape[1], 100))
        a = f(a @ W)
        weights.append(W)
        acts.append(a)
    return weights, acts


def my_sigmoid_grad_norms(X, weights, acts):
    """Backprop of L = mean over samples of the sum of the top activations, written out."""
    da = np.full_like(acts[-1], 1.0 / X.shape[0])
    inputs = [X] + acts[:-1]
    norms = []
    for W, a_in, a_out in zip(weights[::-1], inputs[::-1], acts[::-1]):
        dz = da * a_out * (1.0 - a_out)
        norms.append(np.linalg.norm(a_in.T @ dz))
        da = dz @ W.T
    return norms[::-1]


# ----- C22: symmetry ----------------------------------------------------------------------------------------


def train_small(how, digits, activation="sigmoid", epochs=3):
    X_train, _, y_train, _ = digits
    net = nn.MLP([64, 16, 10], activation=activation, init=how, rng=np.random.default_rng(0))
    before = [p.copy() for p in net.params]
    train.fit(net, optim.SGD(net.params, lr=0.5), X_train, y_train, epochs=epochs, batch_size=32,
              rng=np.random.default_rng(1))
    return net, before


def constant(shape, rng):
    return init.normal(shape, std=0.0, mean=0.1, rng=rng)


@pytest.mark.parametrize("how", ["zeros", constant])
def test_c22_constant_init_keeps_every_hidden_unit_identical_through_training(how, digits):
    net, before = train_small(how, digits)
    W1, b1, W2, _ = net.params
    assert not np.array_equal(W1, before[0]), "training must have changed the first layer"
    assert np.abs(W1 - before[0]).max() > 0.01
    assert np.array_equal(W1, np.repeat(W1[:, :1], 16, axis=1))  # every column (unit) equal, exactly
    assert np.all(b1 == b1[0])
    assert np.array_equal(W2, np.repeat(W2[:1, :], 16, axis=0))  # every unit's outgoing weights equal


def test_c22_random_init_breaks_the_symmetry_and_zero_biases_do_not_restore_it(digits):
    net, before = train_small("xavier_normal", digits)
    assert np.all(before[1] == 0.0)  # biases start at zero
    W1, b1 = net.params[0], net.params[1]
    gaps = [np.abs(W1[:, i] - W1[:, j]).max() for i in range(16) for j in range(i + 1, 16)]
    assert min(gaps) > 0.05
    assert len(np.unique(b1)) == 16
    fresh = nn.MLP([64, 16, 10], activation="sigmoid", init="xavier_normal", rng=np.random.default_rng(0))
    _, grads = fresh.loss_and_grads(digits[0][:32], digits[2][:32])
    assert len(np.unique(grads[1])) == 16  # the first step already gives each zero bias its own gradient


def test_c22_zero_init_net_is_no_better_than_one_unit(digits):
    X_train, X_test, y_train, y_test = digits
    accs = {}
    for how in ("zeros", "xavier_normal"):
        net = nn.MLP([64, 16, 10], activation="sigmoid", init=how, rng=np.random.default_rng(0))
        h = train.fit(net, optim.SGD(net.params, lr=0.5), X_train, y_train, epochs=10, batch_size=32,
                      rng=np.random.default_rng(1), X_test=X_test, y_test=y_test)
        accs[how] = h.test_acc[-1]
    assert accs["zeros"] < 0.5 < 0.85 < accs["xavier_normal"]


def test_c22_relu_with_zero_weights_gets_no_gradient_in_the_hidden_layer(digits):
    net, _ = train_small("zeros", digits, activation="relu", epochs=2)
    assert np.all(net.params[0] == 0.0)


# ----- C23, C24: the classic experiment ---------------------------------------------------------------------


def test_classic_stack_matches_a_forward_pass_written_out(X):
    lib = nn.layer_activations(X, 5, 100, "sigmoid", "normal", init_std=1.0, rng=np.random.default_rng(1))
    _, mine = my_stack(X, 5, sigmoid, lambda n_in, n_out: 1.0, seed=1)
    for a, b in zip(lib, mine):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_c23_sigmoid_std1_piles_up_at_0_and_1_and_the_gradient_fades(X):
    weights, acts = my_stack(X, 5, sigmoid, lambda n_in, n_out: 1.0, seed=1)
    for a in acts:
        assert np.mean((a < 0.05) | (a > 0.95)) > 0.5       # over half of every layer at the ends
        assert np.mean(a * (1 - a)) < 0.1                   # slope far below sigmoid's 0.25
    mine = my_sigmoid_grad_norms(X, weights, acts)
    lib = nn.layer_grad_norms(X, 5, 100, "sigmoid", "normal", init_std=1.0, rng=np.random.default_rng(1))
    np.testing.assert_allclose(lib, mine, rtol=1e-10)
    assert all(lo < hi for lo, hi in zip(lib, lib[1:]))      # shrinks on every layer down to layer 1
    assert lib[0] / lib[-1] < 0.1


def test_c24_sigmoid_std001_crowds_at_half_and_the_gradient_vanishes(X):
    weights, acts = my_stack(X, 5, sigmoid, lambda n_in, n_out: 0.01, seed=1)
    for a in acts:
        assert a.std() < 0.03
        assert np.mean(np.abs(a - 0.5) < 0.05) > 0.95
    assert np.ptp(acts[-1][0]) < 0.1  # the 100 units answer one sample almost alike
    norms = nn.layer_grad_norms(X, 5, 100, "sigmoid", "normal", init_std=0.01, rng=np.random.default_rng(1))
    np.testing.assert_allclose(norms, my_sigmoid_grad_norms(X, weights, acts), rtol=1e-10)
    assert norms[0] / norms[-1] < 1e-6


# ----- C25-C27, C29: the formulas ---------------------------------------------------------------------------

SHAPE = (300, 100)


@pytest.mark.parametrize(
    "name, std",
    [
        ("lecun_normal", math.sqrt(1 / 300)),
        ("lecun_uniform", math.sqrt(1 / 300)),
        ("xavier_normal", math.sqrt(2 / 400)),
        ("xavier_uniform", math.sqrt(2 / 400)),
        ("he_normal", math.sqrt(2 / 300)),
        ("he_uniform", math.sqrt(2 / 300)),
    ],
)
def test_c25_c26_c29_measured_spread_matches_the_formula(name, std):
    W = init.get(name)(SHAPE, rng=np.random.default_rng(2))
    assert abs(W.std() / std - 1) < 0.03
    if name.endswith("uniform"):
        bound = math.sqrt(3) * std
        assert np.abs(W).max() <= bound and np.abs(W).max() > 0.99 * bound
    else:
        assert np.abs(W).max() > 3 * std  # a normal has tails beyond sqrt(3) std


def test_c26_xavier_is_not_the_lecture_notes_sqrt_1_over_n_unless_the_layer_is_square():
    W = init.xavier_normal(SHAPE, rng=np.random.default_rng(2))
    assert abs(W.std() - math.sqrt(1 / 300)) > 0.1 * math.sqrt(1 / 300)
    square = init.xavier_normal((100, 100), rng=np.random.default_rng(2))
    lecun = init.lecun_normal((100, 100), rng=np.random.default_rng(2))
    np.testing.assert_allclose(square, lecun, rtol=1e-12)


def test_c27_more_inputs_narrower_weights():
    for initializer in (init.xavier_normal, init.lecun_normal, init.he_normal):
        stds = [initializer((n, 100), rng=np.random.default_rng(3)).std() for n in (10, 100, 1000)]
        assert stds[0] > stds[1] > stds[2]


def test_c29_relu_halves_the_second_moment_monte_carlo():
    z = np.random.default_rng(4).normal(size=2_000_000)
    assert abs(np.mean(np.maximum(z, 0) ** 2) / np.mean(z**2) - 0.5) < 0.005


# ----- C28, C29: ReLU through 10 layers -----------------------------------------------------------------------


def test_c28_c29_relu_xavier_shrinks_and_he_holds(X):
    _, xavier = my_stack(X, 10, lambda z: np.maximum(z, 0), lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)), 1)
    _, he = my_stack(X, 10, lambda z: np.maximum(z, 0), lambda n_in, n_out: math.sqrt(2 / n_in), 1)
    for label, mine in (("xavier_normal", xavier), ("he_normal", he)):
        lib = nn.layer_activations(X, 10, 100, "relu", label, rng=np.random.default_rng(1))
        for a, b in zip(lib, mine):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    sx, sh = np.array([a.std() for a in xavier]), np.array([a.std() for a in he])
    assert np.all(np.diff(sx[:6]) < 0) and sx[-1] < sx[0] / 8           # shrinks layer by layer
    per_layer = np.exp(np.mean(np.log(sx[1:] / sx[:-1])))
    assert 0.6 < per_layer < 0.8                                        # about 1/sqrt(2) per layer
    assert sh.max() / sh.min() < 2.0                                    # He: within a factor 2 over 10 layers


# ----- C30, C21: training on the digits -------------------------------------------------------------------------


def xavier_gain4(shape, rng):
    return init.xavier_normal(shape, gain=4.0, rng=rng)


STARTS = {"N(0, 1)": ("normal", 1.0), "N(0, 0.01²)": ("normal", 0.01), "Xavier": ("xavier_normal", None),
          "He": ("he_normal", None)}


@pytest.fixture(scope="module")
def runs(digits):
    """The lesson's training runs: same network, optimizer, seeds; only activation and init differ."""
    X_train, X_test, y_train, y_test = digits
    pairings = {(a, label): spec for a in ("sigmoid", "tanh", "relu") for label, spec in STARTS.items()}
    pairings["sigmoid", "Xavier x4"] = (xavier_gain4, None)
    out = {}
    for (activation, label), (how, std) in pairings.items():
        net = nn.MLP([64, 64, 64, 64, 10], activation=activation, init=how, init_std=std,
                     rng=np.random.default_rng(0))
        out[activation, label] = train.fit(net, optim.SGD(net.params, lr=0.05, momentum=0.9), X_train, y_train,
                                           epochs=5, batch_size=64, rng=np.random.default_rng(1),
                                           X_test=X_test, y_test=y_test)
    return out


def mean_loss(h):
    return float(np.mean(h.epoch_loss[1:]))


def test_c30_relu_trains_best_with_he(runs):
    he = runs["relu", "He"]
    for other in ("Xavier", "N(0, 1)", "N(0, 0.01²)"):
        assert mean_loss(he) < mean_loss(runs["relu", other])
    assert he.epoch_loss[1] < 0.8 * runs["relu", "Xavier"].epoch_loss[1]  # Xavier lags early
    assert runs["relu", "N(0, 1)"].epoch_loss[0] > 100 * LN10             # a huge start ...
    assert abs(runs["relu", "N(0, 1)"].epoch_loss[-1] - LN10) < 0.05       # ... then dead units


def test_c30_tanh_trains_with_xavier(runs):
    xavier = runs["tanh", "Xavier"]
    assert xavier.epoch_loss[-1] < 0.3
    assert mean_loss(xavier) < 0.5 * mean_loss(runs["tanh", "N(0, 1)"])
    assert xavier.test_acc[-1] > runs["tanh", "N(0, 1)"].test_acc[-1] + 0.1


def test_c30_sigmoid_needs_xavier_with_gain_4(runs):
    assert runs["sigmoid", "Xavier"].epoch_loss[-1] > 2.0       # barely leaves ln 10
    assert runs["sigmoid", "Xavier x4"].epoch_loss[-1] < 1.0
    assert runs["sigmoid", "Xavier x4"].test_acc[-1] > 0.7


def test_c30_sigmoid_gain4_carries_the_gradient_much_further(X):
    plain = nn.layer_grad_norms(X, 5, 100, "sigmoid", "xavier_normal", rng=np.random.default_rng(1))
    gain4 = nn.layer_grad_norms(X, 5, 100, "sigmoid", xavier_gain4, rng=np.random.default_rng(1))
    assert gain4[1] / gain4[-1] > 5 * plain[1] / plain[-1]


def test_c30_tiny_weights_learn_nothing_with_any_activation(runs):
    for activation in ("sigmoid", "tanh", "relu"):
        assert abs(runs[activation, "N(0, 0.01²)"].epoch_loss[-1] - LN10) < 0.05


def test_c21_only_the_init_decides_between_chance_and_a_good_network(runs):
    accuracies = [h.test_acc[-1] for h in runs.values()]
    assert min(accuracies) < 0.15
    assert max(accuracies) > 0.9


# ----- The explorer ---------------------------------------------------------------------------------------------


def test_explorer_draws_what_the_lesson_computes_and_redraws_within_100_ms():
    explorer = lesson05.activation_explorer()
    explorer.set(activation="relu", init="Xavier normal", depth=10, width=100)
    acts = lesson05.explorer_data("relu", "Xavier normal", 10, 100)
    line = [a for a in explorer.figure.axes[1].lines if a.get_animated()][0]
    np.testing.assert_allclose(line.get_ydata(), [a.std() for a in acts])
    assert line.get_ydata()[-1] < line.get_ydata()[0] / 4
    changes = [{"init": "He normal"}, {"depth": 8}, {"width": 50}, {"activation": "tanh"},
               {"init": "N(0, 1)"}, {"activation": "sigmoid", "depth": 5, "width": 100}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100.0
