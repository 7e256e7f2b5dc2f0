"""Lesson 06's conclusions, asserted on the same runs the capstone notebook trains.

The capstone makes no new claim of the course list; what it must not do is state a conclusion that its own
grid does not support. Each test below guards one sentence of the notebook's reading of the grid, of its
learning-rate sweep, of its diagnosis section, or of its practical guide.
"""

import math

import numpy as np
import pytest

from lessons_lib import data, optim, widgets
from lessons_lib.exercises import lesson06

LN10 = math.log(10)
SCALED = ("LeCun", "Xavier", "He")
NAIVE = ("N(0, 0.01²)", "N(0, 1)")


@pytest.fixture(scope="module")
def digits():
    return data.load_digits(seed=0)


@pytest.fixture(scope="module")
def grid(digits):
    return {(o, i): lesson06.train_pairing(o, i, digits) for o in lesson06.OPTIMIZERS for i in lesson06.INITS}


def acc(h):
    return h.test_acc[-1]


# ----- Section 3: what the grid says ---------------------------------------------------------------------------


def test_grid_covers_every_optimizer_of_lesson_04_and_every_init_of_lesson_05():
    assert set(lesson06.OPTIMIZERS) >= {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam",
                                        "NAdam"}
    assert set(lesson06.INITS) == set(SCALED) | set(NAIVE)
    assert len(lesson06.SIZES) - 1 in (3, 4)  # a 3-4 layer MLP


def test_a_bad_init_hurts_every_optimizer(grid):
    for o in lesson06.OPTIMIZERS:
        assert max(acc(grid[o, i]) for i in SCALED) > max(acc(grid[o, i]) for i in NAIVE), o
    column_mean = {i: np.mean([acc(grid[o, i]) for o in lesson06.OPTIMIZERS]) for i in lesson06.INITS}
    assert max(column_mean[i] for i in NAIVE) + 0.1 < min(column_mean[i] for i in SCALED)


def test_tiny_weights_stop_the_momentum_family_but_not_the_adaptive_methods(grid):
    for o in ("SGD", "Momentum", "Nesterov"):
        assert abs(grid[o, "N(0, 0.01²)"].epoch_loss[-1] - LN10) < 0.01
    best_he = max(acc(grid[o, "He"]) for o in lesson06.OPTIMIZERS)
    for o in ("AdaGrad", "RMSProp", "AdaDelta", "Adam", "NAdam"):
        h = grid[o, "N(0, 0.01²)"]
        assert h.epoch_loss[-1] < LN10 - 0.1       # they get going ...
        assert acc(h) < best_he - 0.1              # ... but lag far behind


def test_huge_weights_show_before_the_first_step_and_hurt_the_adam_family_most(grid):
    for o in lesson06.OPTIMIZERS:
        assert grid[o, "N(0, 1)"].epoch_loss[0] > 20 * LN10
        assert grid[o, "He"].epoch_loss[0] < 1.2 * LN10
    for o in ("RMSProp", "Adam", "NAdam"):
        assert grid[o, "N(0, 1)"].epoch_loss[-1] > 2 * LN10
        assert grid[o, "He"].epoch_loss[-1] < 0.5


def test_with_he_plain_sgd_is_slowest_and_adam_is_at_the_top(grid):
    he = {o: acc(grid[o, "He"]) for o in lesson06.OPTIMIZERS}
    assert min(he, key=he.get) == "SGD"
    assert he["Adam"] >= max(he.values()) - 0.02
    assert he["Adam"] > 0.93


def test_fan_scaled_inits_are_close_in_this_shallow_network(grid):
    for o in lesson06.OPTIMIZERS:
        values = [acc(grid[o, i]) for i in SCALED]
        assert max(values) - min(values) < 0.1, o


# ----- Section 4: the learning rate ------------------------------------------------------------------------------

FACTORS = (0.1, 0.3, 1, 3, 10, 30)


@pytest.fixture(scope="module")
def sweep(grid, digits):
    out = {}
    for o in ("Momentum", "Adam"):
        base = lesson06.OPTIMIZERS[o][1]["lr"]
        out[o] = [grid[o, "He"] if f == 1 else lesson06.train_pairing(o, "He", digits, lr=base * f) for f in FACTORS]
    return out


def test_momentum_goes_from_barely_learning_to_its_best_and_back_to_chance(sweep):
    accs = [acc(h) for h in sweep["Momentum"]]
    assert accs[0] < 0.8
    assert max(accs) > 0.95
    assert accs[-1] < 0.2


def test_adam_tolerates_the_wider_range_of_learning_rates(sweep):
    good = {o: sum(acc(h) > 0.9 for h in runs) for o, runs in sweep.items()}
    assert good["Adam"] > good["Momentum"]
    assert all(acc(h) > 0.93 for h in sweep["Adam"][2:])  # from its grid lr up to 30 times it


def test_the_learning_rate_moves_momentum_more_than_the_optimizer_choice_moves_he(sweep, grid):
    momentum = [acc(h) for h in sweep["Momentum"]]
    he_column = [acc(grid[o, "He"]) for o in lesson06.OPTIMIZERS]
    assert max(momentum) - min(momentum) > max(he_column) - min(he_column)


def test_seed_noise_is_a_point_or_two(grid, digits):
    results = [acc(grid["Adam", "He"])] + [acc(lesson06.train_pairing("Adam", "He", digits, seed=s)) for s in (1, 2)]
    assert max(results) - min(results) < 0.03


# ----- Section 5: a bad init or a bad learning rate? ----------------------------------------------------------------


@pytest.fixture(scope="module")
def mystery(digits):
    return lesson06.mystery_runs(digits)


def first_step_ratio(key, digits):
    """||W1 after one step - W1 before|| / ||W1 before||, computed here from the gradient."""
    X_train, _, y_train, _ = digits
    net = lesson06.mystery_start(key)
    W1 = net.params[0].copy()
    _, grads = net.loss_and_grads(X_train[:64], y_train[:64])
    lr = lesson06.MYSTERY[key][1]
    return np.linalg.norm(lr * grads[0]) / np.linalg.norm(W1)  # momentum's first step is lr * g


def test_the_mystery_runs_show_the_signatures_the_lesson_describes(mystery, digits):
    X_train, _, y_train, _ = digits
    # A: only an init can make the loss huge before the first step.
    assert mystery["A"].epoch_loss[0] > 20 * LN10
    # E: exactly ln 10 from the start, flat, with a first-layer gradient hundreds of times smaller.
    assert abs(mystery["E"].epoch_loss[0] - LN10) < 0.005
    assert abs(mystery["E"].epoch_loss[-1] - LN10) < 0.01
    g_e = lesson06.mystery_start("E").layer_grad_norms(X_train, y_train)[0]
    g_c = lesson06.mystery_start("C").layer_grad_norms(X_train, y_train)[0]
    assert g_e < g_c / 100
    # B, C, D: one healthy start, so their difference is the learning rate.
    assert mystery["B"].epoch_loss[0] == mystery["C"].epoch_loss[0] == mystery["D"].epoch_loss[0]
    assert mystery["C"].epoch_loss[0] < 1.2 * LN10
    ratios = {k: first_step_ratio(k, digits) for k in "BCD"}
    assert ratios["B"] < 1e-4 < ratios["C"] < 1e-2 < ratios["D"]
    assert mystery["B"].epoch_loss[-1] > 2.0                                  # crawls
    assert mystery["C"].epoch_loss[-1] < 0.5                                  # learns
    assert max(mystery["D"].epoch_loss[1:]) > mystery["D"].epoch_loss[0]      # the loss jumps up
    assert min(mystery["D"].step_loss) < 1.0                                  # after a good first stretch


def test_the_check_agrees_with_the_signatures():
    from lessons_lib.exercises.lesson06 import _ANSWERS

    assert _ANSWERS == {"A": "init too large", "B": "lr too low", "C": "fine", "D": "lr too high",
                        "E": "init too small"}
    assert dict(lesson06.MYSTERY)["A"][0] == "N(0, 1)" and dict(lesson06.MYSTERY)["E"][0] == "N(0, 0.01²)"
    assert {lesson06.MYSTERY[k][0] for k in "BCD"} == {"He"}
    assert lesson06.MYSTERY["B"][1] < lesson06.MYSTERY["C"][1] < lesson06.MYSTERY["D"][1]


# ----- The explorer ----------------------------------------------------------------------------------------------


def test_explorer_shows_the_chosen_run_and_redraws_within_100_ms(grid):
    explorer = lesson06.training_explorer(grid)
    explorer.set(optimizer="Momentum", init="N(0, 0.01²)", step=40)
    line = [a for a in explorer.figure.axes[0].lines if a.get_animated()][0]
    np.testing.assert_allclose(line.get_ydata(), grid["Momentum", "N(0, 0.01²)"].step_loss[:40])
    changes = [{"step": 10}, {"step": 100}, {"optimizer": "SGD"}, {"init": "He"}, {"optimizer": "Adam", "step": 60}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100.0


def test_optimizers_are_the_librarys_classes():
    assert lesson06.OPTIMIZERS["Adam"][0] is optim.Adam
    assert lesson06.OPTIMIZERS["Nesterov"][1]["nesterov"] is True
