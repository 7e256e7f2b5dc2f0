"""Lesson 05's claims (C21-C30), asserted on the library with the lesson's own settings, over several seeds.

Where the lesson prints a number, the test recomputes it independently (a forward pass and a backward pass
written out here, a formula, or a Monte Carlo estimate) and checks the claim the lesson draws from it. The
settings (networks, optimizer, seeds, pairings) are imported from ``lessons_lib.experiments.initialization``,
so the notebook and these tests run the same experiments.
"""

import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lessons_lib import data, init, nn
from lessons_lib.experiments import initialization as experiment
from lessons_lib.experiments.initialization import stack_activations, stack_grad_norms
from lessons_lib.explorers.initialization import activation_explorer, explorer_data

LN10 = math.log(10)  # the loss of a network that gives all 10 classes the same probability
STACK_SEEDS = (1, 2, 3)  # weight seeds of the classic stack (the lesson draws with seed 1, and 2-4)


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """As in the notebooks (lessons_lib.notebook_setup): small matrices run faster on one thread."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def digits():
    return data.load_digits(seed=0)


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).normal(size=(1000, 100))  # the classic experiment's inputs


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0.0)


def my_stack(X, n_layers, f, std, seed):
    """The classic stack written out: the same weight draws as stack_activations (one rng, layer by layer)."""
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


def at_ends(a, lo, hi):
    return float(np.mean((a < lo + 0.05) | (a > hi - 0.05)))


# ----- C22: symmetry ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["zeros", experiment.constant_init])
@pytest.mark.parametrize("seed", experiment.SEEDS)
def test_c22_constant_init_keeps_every_hidden_unit_identical_through_training(how, seed, digits):
    net = experiment.train_small(how, digits, seed)
    start = init.draw(how, (64, 16), rng=np.random.default_rng(seed))
    W1, b1, W2, _ = net.params
    assert np.abs(W1 - start).max() > 0.01, "training must have changed the first layer"
    assert np.unique(W1, axis=1).shape[1] == 1  # every column (unit) equal, bit for bit
    assert np.all(b1 == b1[0])
    assert np.unique(W2, axis=0).shape[0] == 1  # every unit's outgoing weights equal


@pytest.mark.parametrize("seed", experiment.SEEDS)
def test_c22_symmetric_nets_stay_near_chance_where_random_weights_learn(seed, digits):
    _, X_test, _, y_test = digits
    accuracy = {name: experiment.train_small(how, digits, seed).accuracy(X_test, y_test)
                for name, how in [("zeros", "zeros"), ("constant", experiment.constant_init),
                                  ("random", "xavier_normal")]}
    assert accuracy["zeros"] < 0.2 and accuracy["constant"] < 0.2  # chance is 0.1
    assert accuracy["random"] > 0.8


def test_c22_random_weights_break_the_symmetry_and_zero_biases_do_not_restore_it(digits):
    net = experiment.train_small("xavier_normal", digits)
    W1, b1 = net.params[0], net.params[1]
    gaps = [np.abs(W1[:, i] - W1[:, j]).max() for i in range(16) for j in range(i + 1, 16)]
    assert min(gaps) > 0.05
    assert len(np.unique(b1)) == 16
    fresh = nn.MLP(experiment.SYMMETRY["sizes"], activation="sigmoid", init="xavier_normal",
                   rng=np.random.default_rng(0))
    assert np.all(fresh.params[1] == 0.0)
    _, grads = fresh.loss_and_grads(digits[0][:32], digits[2][:32])
    assert len(np.unique(grads[1])) == 16  # zero biases get 16 different gradients at once


@pytest.mark.parametrize("seed", experiment.SEEDS)
def test_c22_relu_with_zero_weights_gets_no_gradient_in_the_hidden_layer(seed, digits):
    net = experiment.train_small("zeros", digits, seed, activation="relu", epochs=2)
    assert np.all(net.params[0] == 0.0) and np.all(net.params[2] == 0.0)
    assert np.any(net.params[3] != 0.0)  # the output biases did learn: the loop ran


# ----- C23, C24: the classic experiment ---------------------------------------------------------------------


@pytest.mark.parametrize("activation, f", [("sigmoid", sigmoid), ("tanh", np.tanh), ("relu", relu)])
def test_classic_stack_matches_a_forward_pass_written_out(X, activation, f):
    lib = stack_activations(X, 5, 100, activation, "normal", init_std=1.0, rng=np.random.default_rng(1))
    _, mine = my_stack(X, 5, f, lambda n_in, n_out: 1.0, seed=1)
    for a, b in zip(lib, mine):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_c23_sigmoid_std1_piles_up_at_0_and_1_and_the_gradient_fades(X, seed):
    weights, acts = my_stack(X, 5, sigmoid, lambda n_in, n_out: 1.0, seed=seed)
    for a in acts:
        assert 0.55 < at_ends(a, 0.0, 1.0) < 0.85      # "about two thirds" of every layer at the ends
        assert 0.03 < np.mean(a * (1 - a)) < 0.07     # "0.04 to 0.06": about a quarter of sigmoid's best, or less
    mine = my_sigmoid_grad_norms(X, weights, acts)
    lib = stack_grad_norms(X, 5, 100, "sigmoid", "normal", init_std=1.0, rng=np.random.default_rng(seed))
    np.testing.assert_allclose(lib, mine, rtol=1e-10)
    assert all(lo < hi for lo, hi in zip(lib, lib[1:]))      # shrinks on every layer down to layer 1
    assert lib[0] / lib[-1] < 0.1


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_c24_sigmoid_std001_crowds_at_half_and_the_gradient_vanishes(X, seed):
    weights, acts = my_stack(X, 5, sigmoid, lambda n_in, n_out: 0.01, seed=seed)
    for a in acts:
        assert a.std() < 0.03
        assert np.mean(np.abs(a - 0.5) < 0.05) > 0.95
    assert np.ptp(acts[-1][0]) < 0.1  # the 100 units answer one sample almost alike
    norms = stack_grad_norms(X, 5, 100, "sigmoid", "normal", init_std=0.01, rng=np.random.default_rng(seed))
    np.testing.assert_allclose(norms, my_sigmoid_grad_norms(X, weights, acts), rtol=1e-10)
    # the backward signal shrinks by about 0.25 (slope) x 0.01 (weights) x sqrt(100) (units) per layer
    per_layer = [lo / hi for lo, hi in zip(norms[1:], norms[2:])]
    assert all(0.015 < r < 0.04 for r in per_layer)
    assert norms[0] / norms[-1] < 1e-6


# ----- The healthy picture: Xavier with tanh and with sigmoid ---------------------------------------------------


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_tanh_xavier_spreads_every_layer_and_each_unit_follows_the_input(X, seed):
    _, acts = my_stack(X, 5, np.tanh, lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)), seed)
    stds = [a.std() for a in acts]
    for a in acts:
        assert at_ends(a, -1.0, 1.0) < 0.1 and np.mean(np.abs(a) < 0.1) < 0.5  # no pile-up, no crowd
        assert a.std(axis=0).mean() > 0.95 * a.std()  # the spread is over the inputs, not between units
    assert all(hi > lo for hi, lo in zip(stds, stds[1:])) and stds[-1] > 0.25  # shrinks, slowly


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_sigmoid_xavier_spread_is_between_units_and_the_input_signal_shrinks_fourfold(X, seed):
    _, acts = my_stack(X, 5, sigmoid, lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)), seed)
    for a in acts:
        assert at_ends(a, 0.0, 1.0) < 0.05 and a.std() > 0.1  # looks healthy: no pile-up, no crowd
    within = [a.std(axis=0).mean() for a in acts]  # a unit's spread over the 1000 inputs
    ratios = [lo / hi for lo, hi in zip(within[1:], within)]
    assert all(0.15 < r < 0.35 for r in ratios)  # about sigmoid's slope at the middle, 1/4, per layer
    assert within[-1] < 0.05 * acts[-1].std()  # layer 5: the spread is almost all between units


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


# ----- C28, C29: ReLU through 10 layers, and every activation with every start ---------------------------------


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_c28_c29_relu_xavier_shrinks_and_he_holds(X, seed):
    _, xavier = my_stack(X, 10, relu, lambda n_in, n_out: math.sqrt(2 / (n_in + n_out)), seed)
    _, he = my_stack(X, 10, relu, lambda n_in, n_out: math.sqrt(2 / n_in), seed)
    for label, mine in (("xavier_normal", xavier), ("he_normal", he)):
        lib = stack_activations(X, 10, 100, "relu", label, rng=np.random.default_rng(seed))
        for a, b in zip(lib, mine):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    sx, sh = np.array([a.std() for a in xavier]), np.array([a.std() for a in he])
    assert np.all(np.diff(sx[:6]) < 0) and sx[-1] < sx[0] / 8           # shrinks layer by layer
    per_layer = np.exp(np.mean(np.log(sx[1:] / sx[:-1])))
    assert 0.6 < per_layer < 0.8                                        # about 1/sqrt(2) per layer
    assert sh.max() / sh.min() < 2.0                                    # He: within a factor 2 over 10 layers


@pytest.mark.parametrize("seed", STACK_SEEDS)
def test_every_activation_with_every_start_as_the_lesson_reads_the_panels(X, seed):
    def stds(activation, init_name, init_std=None):
        acts = stack_activations(X[:200], 10, 100, activation, init_name, init_std=init_std,
                                 rng=np.random.default_rng(seed))
        return np.array([a.std() for a in acts])

    exploding = stds("relu", "normal", 1.0)
    growth = np.exp(np.mean(np.log(exploding[1:] / exploding[:-1])))
    assert 5 < growth < 10                                              # ReLU, N(0, 1): about 7x per layer
    assert stds("relu", "normal", 0.01)[-1] < 1e-8                      # ReLU, N(0, 0.01²): dies out
    assert stds("tanh", "normal", 0.01)[-1] < 1e-8                      # tanh, N(0, 0.01²): dies out
    assert np.all(stds("tanh", "normal", 1.0) > 0.9)                    # tanh, N(0, 1): saturated at ±1
    tanh_xavier = stds("tanh", "xavier_normal")
    assert np.all(np.diff(tanh_xavier) < 0) and tanh_xavier[-1] > 0.15  # shrinks, slowly
    assert np.all(stds("sigmoid", "normal", 1.0) > 0.4)                 # sigmoid, N(0, 1): the pile-up's std


# ----- C30, C21: training on the digits -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(digits):
    """The lesson's training runs: every pairing on every seed."""
    return experiment.train_pairings(digits)


def losses(runs, key):
    return np.array([r.loss for r in runs[key]])  # one row per seed, entry 0 before training


def test_the_training_runs_are_what_the_lesson_says(runs):
    assert set(runs) == set(experiment.PAIRINGS) and len(experiment.SEEDS) >= 3
    for rs in runs.values():
        assert len(rs) == len(experiment.SEEDS)
        assert all(len(r.loss) == experiment.TRAINING["epochs"] + 1 and not r.history.diverged for r in rs)
    # N(0, 1) is about Xavier x 8 in the 64-unit layers (measured on the library's draw)
    assert 7.5 < 1.0 / init.xavier_normal((64, 64), rng=np.random.default_rng(0)).std() < 8.5


def test_c30_relu_he_falls_faster_than_xavier_on_every_seed(runs):
    he, xavier = losses(runs, ("relu", "He")), losses(runs, ("relu", "Xavier"))
    assert np.all(he[:, 1] < xavier[:, 1])      # after epoch 1
    assert np.all(he[:, -1] < xavier[:, -1])    # and at the end
    assert all(r.test_accuracy > 0.85 for key in [("relu", "He"), ("relu", "Xavier")] for r in runs[key])


def test_c30_tanh_trains_with_xavier_and_he_trains_faster_on_every_seed(runs):
    he, xavier = losses(runs, ("tanh", "He")), losses(runs, ("tanh", "Xavier"))
    assert np.all(xavier[:, -1] < 0.3) and all(r.test_accuracy > 0.9 for r in runs["tanh", "Xavier"])
    assert np.all(he[:, 1:] < xavier[:, 1:])    # after every epoch, on every seed


def test_c30_sigmoid_with_plain_xavier_stays_at_chance_on_every_seed(runs):
    xavier = losses(runs, ("sigmoid", "Xavier"))
    assert np.all(np.abs(xavier[:, 1:] - LN10) < 0.1)   # near ln 10 from the first epoch on
    assert np.all(np.abs(xavier[:, -1] - LN10) < 0.05)  # and within 0.05 of it after the last
    assert all(r.test_accuracy < 0.2 for r in runs["sigmoid", "Xavier"])


def test_c30_sigmoid_trains_with_weights_several_times_xaviers(runs):
    for label in ("Xavier ×4", "N(0, 1)"):
        assert np.all(losses(runs, ("sigmoid", label))[:, -1] < 1.0)
        assert all(r.test_accuracy > 0.7 for r in runs["sigmoid", label])
    # the larger start (about gain 8) is ahead of gain 4 from epoch 2 on, on every seed
    assert np.all(losses(runs, ("sigmoid", "N(0, 1)"))[:, 2:] < losses(runs, ("sigmoid", "Xavier ×4"))[:, 2:])
    # "their test accuracies overlap": the ranges over the seeds share some accuracies
    acc = {label: [r.test_accuracy for r in runs["sigmoid", label]] for label in ("Xavier ×4", "N(0, 1)")}
    assert max(min(a) for a in acc.values()) <= min(max(a) for a in acc.values())


def test_c30_sigmoid_larger_starts_carry_far_more_gradient_to_layer_1(X):
    for seed in STACK_SEEDS:
        ratio = {}
        for label, how, std in [("Xavier", "xavier_normal", None), ("x4", experiment.xavier_gain4, None),
                                ("N(0, 1)", "normal", 1.0)]:
            norms = stack_grad_norms(X, 5, 100, "sigmoid", how, init_std=std, rng=np.random.default_rng(seed))
            ratio[label] = norms[0] / norms[-1]
        assert ratio["x4"] > 10 * ratio["Xavier"] and ratio["N(0, 1)"] > 10 * ratio["Xavier"]


def test_c21_only_the_start_decides_between_chance_and_a_network_that_reads_digits(runs):
    for at_chance, learned in zip(runs["sigmoid", "Xavier"], runs["sigmoid", "N(0, 1)"]):
        assert at_chance.test_accuracy < 0.2 and learned.test_accuracy > 0.75


def test_the_learning_rate_was_chosen_on_a_validation_split_not_the_test_set(digits):
    split = experiment.validation_split(digits)
    X_fit, X_val = split[0], split[1]
    assert len(X_val) == round(0.2 * len(digits[0])) and len(X_fit) + len(X_val) == len(digits[0])
    train_rows = {row.tobytes() for row in digits[0]}
    assert all(row.tobytes() in train_rows for row in X_val)  # held out from the training images
    for key in [("tanh", "Xavier"), ("relu", "He")]:
        val_loss = {lr: np.mean([experiment.train_pairing(*key, split, s, lr=lr).test_loss for s in experiment.SEEDS])
                    for lr in experiment.LR_GRID}
        assert min(val_loss, key=val_loss.get) == experiment.TRAINING["lr"], (key, val_loss)
    largest = max(experiment.LR_GRID)  # plain Xavier with sigmoid stays at chance even with the largest rate
    assert all(abs(experiment.train_pairing("sigmoid", "Xavier", split, s, lr=largest).loss[-1] - LN10) < 0.05
               for s in experiment.SEEDS)


# ----- The explorer ---------------------------------------------------------------------------------------------


def test_explorer_draws_what_the_lesson_computes_and_only_the_layers_that_exist():
    explorer = activation_explorer()
    explorer.set(activation="relu", init="Xavier normal", depth=10, width=100)
    acts = explorer_data("relu", "Xavier normal", 10, 100)
    line = [a for a in explorer.figure.axes[1].lines if a.get_animated()][0]
    np.testing.assert_allclose(line.get_ydata(), [a.std() for a in acts])
    assert line.get_ydata()[-1] < line.get_ydata()[0] / 4  # Xavier shrinks a ReLU signal
    histograms = explorer.figure.axes[0]
    before = explorer.png
    explorer.set(depth=4)
    assert explorer.png != before
    assert [t.get_text() for t in histograms.get_yticklabels()] == ["1", "2", "3", "4"]
    assert histograms.get_ylim()[1] == pytest.approx(4)
    assert sum(bar.get_visible() for bar in histograms.patches) == 4  # one histogram per existing layer


def test_explorer_he_keeps_about_the_same_spread_at_width_10_and_200():
    # The lesson's "things to try": He normal at width 10 versus 200, at the explorer's own draw.
    typical = {}
    for width in (10, 200):
        stds = np.array([a.std() for a in explorer_data("relu", "He normal", 5, width)])
        assert stds.max() / stds.min() < 2.0
        typical[width] = np.median(stds)
    assert 1 / 1.5 < typical[10] / typical[200] < 1.5
