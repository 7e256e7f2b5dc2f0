"""Lesson 04's claims (C13-C20, rare features, the race, the digits comparison), asserted on the library.

The settings come from ``lessons_lib.experiments.adaptive``, the module the notebook imports, so the tests run
the lesson's own experiments. Reference values come from the equations, written out here (own loops, closed
forms), not from the code under test; where the lesson states a comparison, the test asserts that comparison
(over the same seeds as the lesson), not the numbers it happened to print.
"""

import inspect

import numpy as np
import pytest

from lessons_lib import optim, plots, rules, surfaces, widgets
from lessons_lib.experiments import adaptive

BOWL, START = surfaces.BOWL, adaptive.START
y_turns = adaptive.y_turns


def bowl_grad(p):
    return np.array([p[0] / 10.0, 2.0 * p[1]])  # the gradient of x^2/20 + y^2, written out


def run_with_rates(cls, steps, grads=None, start=START, **hyper):
    """Run an optimizer on the bowl (or on a given gradient stream); record the path and effective_lr()."""
    p = np.array(start, dtype=float)
    opt = cls([p], **hyper)
    path, rates = [p.copy()], []
    for k in range(steps):
        opt.step([bowl_grad(p) if grads is None else grads[k]])
        path.append(p.copy())
        rates.append(opt.effective_lr()[0].copy())
    return np.array(path), np.array(rates)


# ---------------------------------------------------------------------------------------------------------
# The rules the lesson shows (its listings) are the equations, and agree with the library's classes
# ---------------------------------------------------------------------------------------------------------

LISTED = {
    rules.adagrad: ["s = s + g**2", "p = p - lr * g / (np.sqrt(s) + eps)"],
    rules.rmsprop: ["v = alpha * v + (1 - alpha) * g**2", "p = p - lr * g / (np.sqrt(v) + eps)"],
    rules.adadelta: ["v = rho * v + (1 - rho) * g**2", "delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g",
                     "u = rho * u + (1 - rho) * delta**2", "p = p - lr * delta"],
    rules.adam: ["m = beta1 * m + (1 - beta1) * g", "v = beta2 * v + (1 - beta2) * g**2",
                 "m_hat = m / (1 - beta1**t)", "v_hat = v / (1 - beta2**t)",
                 "p = p - lr * m_hat / (np.sqrt(v_hat) + eps)"],
    rules.nadam: ["mu = nadam_mu(t, beta1, momentum_decay)", "m = beta1 * m + (1 - beta1) * g"],
}


@pytest.mark.parametrize("rule", list(LISTED), ids=lambda r: r.__name__)
def test_each_listing_is_short_and_shows_the_equations(rule):
    source = inspect.getsource(rule)
    assert len(source.splitlines()) <= 15
    for line in LISTED[rule]:
        assert line in source, line


@pytest.mark.parametrize("rule, cls, hyper", [
    (rules.adagrad, optim.Adagrad, {"lr": 1.5}),
    (rules.rmsprop, optim.RMSprop, {"lr": 0.01, "alpha": 0.99}),
    (rules.adadelta, optim.Adadelta, {}),
    (rules.adam, optim.Adam, {"lr": 0.3}),
    (rules.nadam, optim.NAdam, {"lr": 0.3}),
], ids=lambda v: getattr(v, "__name__", ""))
def test_each_rule_agrees_with_its_class_over_100_steps(rule, cls, hyper):
    np.testing.assert_allclose(rules.run(rule, START, BOWL.grad, 100, **hyper),
                               surfaces.trace(BOWL, cls, START, 100, **hyper), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------------------
# C13, C14: AdaGrad's per-coordinate rates only fall; on the bowl y settles without a zigzag
# ---------------------------------------------------------------------------------------------------------


def test_c13_adagrad_rates_follow_the_formula_and_never_increase():
    path, rates = run_with_rates(optim.Adagrad, 30, lr=1.5)
    g = np.array([bowl_grad(p) for p in path[:-1]])  # the gradients the optimizer saw, recomputed here
    expected = 1.5 / (np.sqrt(np.cumsum(g**2, axis=0)) + 1e-10)
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    assert np.all(np.diff(rates, axis=0) <= 0)
    assert np.all(rates[:, 0] > rates[:, 1])  # the gentle coordinate keeps the larger rate


def test_c13_no_rate_grows_even_when_gradients_shrink_or_vanish():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(300, 4)) * np.array([10.0, 1.0, 0.01, 0.0])
    grads[150:] *= 1e-3  # the gradients collapse half-way
    _, rates = run_with_rates(optim.Adagrad, 300, grads=grads, start=np.zeros(4), lr=0.1)
    assert np.all(np.diff(rates, axis=0) <= 0)


def test_c14_adagrad_on_the_bowl_y_moves_first_then_settles_without_zigzag():
    path, _ = run_with_rates(optim.Adagrad, 30, lr=1.5)
    # first step: g / sqrt(g^2) = sign(g), so every coordinate moves by exactly lr
    np.testing.assert_allclose(path[1] - path[0], [1.5, -1.5], rtol=1e-9)
    dy = np.abs(np.diff(path[:, 1]))
    assert np.all(dy[1:5] < dy[:4] / 3)  # y's steps shrink fast
    assert abs(path[4, 1]) < 0.02
    assert y_turns(path) == 0
    sgd = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.95)
    assert y_turns(sgd) == 29  # lr 0.95 on y's curvature 2: factor 1 - 1.9 = -0.9 < 0, a turn at every step


# ---------------------------------------------------------------------------------------------------------
# What AdaGrad is for: rare, informative features; every method a diagonal preconditioner
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sparse():
    return adaptive.sparse_comparison()


def test_sparse_problem_has_rare_features_as_the_settings_say():
    X, _, _, _, _ = adaptive.sparse_problem(0)
    k = adaptive.SPARSE["frequent"]
    share = (X != 0).mean(axis=0)
    assert np.all(share[:k] == 1.0)
    assert np.all(np.abs(share[k:] - adaptive.SPARSE["p_rare"]) < 0.01)


def test_sparse_learning_rates_are_chosen_inside_their_grids_on_validation(sparse):
    for name, runs in sparse.items():
        grid = adaptive.SPARSE_RULES[name][1]
        for seed, run in zip(adaptive.SEEDS, runs):
            assert grid[0] < run["lr"] < grid[-1], (name, run["lr"])  # the grid brackets the best rate
            X, y, X_val, y_val, _ = adaptive.sparse_problem(seed)
            rule = adaptive.SPARSE_RULES[name][0]
            with np.errstate(over="ignore", invalid="ignore"):
                losses = {lr: np.mean((X_val @ adaptive.sparse_fit(rule, X, y, lr)[0][-1] - y_val) ** 2) / 2
                          for lr in grid}
            assert run["lr"] == min((lr for lr in grid if np.isfinite(losses[lr])), key=losses.get)


def test_adagrad_learns_the_rare_features_sgd_does_not_on_every_seed(sparse):
    k = adaptive.SPARSE["frequent"]
    for sgd, ada in zip(sparse["SGD"], sparse["AdaGrad"]):
        sgd_frequent, sgd_rare = (e[-1] for e in adaptive.weight_errors(sgd))
        ada_frequent, ada_rare = (e[-1] for e in adaptive.weight_errors(ada))
        assert sgd_frequent < 0.05 and ada_frequent < 0.05  # both learn the frequent weights
        assert ada_rare < sgd_rare / 1.5  # "well below SGD's"
        assert ada["validation_loss"] < sgd["validation_loss"]
        # the preconditioner: every rare feature ends with a larger rate than every frequent one
        assert ada["rates"][k:].min() > ada["rates"][:k].max()
        assert np.median(ada["rates"][k:]) / np.median(ada["rates"][:k]) > 4


def test_adagrad_learns_the_rare_features_better_on_other_seeds_too():
    """The lesson's comparison is not a property of its three seeds: on ten others AdaGrad's rare-feature error
    also ends well below SGD's (by a factor that varies from seed to seed, as the lesson says), and every rare
    feature keeps a larger rate than every frequent one."""
    k = adaptive.SPARSE["frequent"]
    other = adaptive.sparse_comparison(seeds=range(3, 13))
    for sgd, ada in zip(other["SGD"], other["AdaGrad"]):
        assert adaptive.weight_errors(ada)[1][-1] < adaptive.weight_errors(sgd)[1][-1] / 1.5
        assert ada["rates"][k:].min() > ada["rates"][:k].max()


def test_adagrad_is_a_diagonal_preconditioner():
    """p_t = p_(t-1) - lr D^-1 g with D = diag(sqrt(s)) + eps I, s the running sum of squared gradients."""
    rng = np.random.default_rng(5)
    grads = rng.normal(size=(20, 4))
    p, s = np.zeros(4), np.zeros(4)
    q = np.zeros(4)
    opt = optim.Adagrad([q], lr=0.2)
    for g in grads:
        s = s + g * g
        p = p - 0.2 * np.linalg.solve(np.diag(np.sqrt(s)) + 1e-10 * np.eye(4), g)
        opt.step([g])
    np.testing.assert_allclose(q, p, rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# C15: AdaGrad's rate decays and training stalls; RMSProp's rate climbs and it bursts out
# ---------------------------------------------------------------------------------------------------------


def test_c15_with_steady_gradients_the_rate_falls_like_one_over_sqrt_t():
    grads = np.tile([2.0, -0.5], (400, 1))
    _, rates = run_with_rates(optim.Adagrad, 400, grads=grads, start=np.zeros(2), lr=0.1)
    t = np.arange(1, 401)[:, None]
    np.testing.assert_allclose(rates, 0.1 / (np.abs(grads[0]) * np.sqrt(t) + 1e-10), rtol=1e-12)


@pytest.fixture(scope="module")
def long_runs():
    return {name: run_with_rates(cls, 1000, lr=0.1) for name, cls in
            (("AdaGrad", optim.Adagrad), ("RMSProp", optim.RMSprop))}


def test_c15_adagrad_stalls_where_rmsprop_with_the_same_lr_arrives(long_runs):
    ada, ada_rates = long_runs["AdaGrad"]
    rms, _ = long_runs["RMSProp"]
    assert np.hypot(*ada[-1]) > 2.0  # still far after 1000 steps
    assert np.all(np.diff(ada_rates, axis=0) <= 0)
    assert np.hypot(*rms[150]) < 1e-5


def bursts(distance):
    """Steps at which a path is thrown back above 0.01 after having been within 1e-6 (as the lesson counts)."""
    below, found = False, []
    for t, d in enumerate(distance, start=1):
        below = below or d < 1e-6
        if below and d > 1e-2:
            found.append(t)
            below = False
    return found


def test_rmsprop_rates_climb_as_v_decays_and_each_burst_follows_a_rate_past_its_stability_limit(long_runs):
    path, rates = long_runs["RMSProp"]
    distance = np.hypot(*path[1:].T)
    assert rates[999, 0] > 50 * rates[9, 0]  # x's rate climbs by more than an order of magnitude
    found = bursts(distance)
    assert len(found) >= 2 and max(distance[t - 1:t + 10].max() for t in found) > 0.3
    limits = 2.0 / np.array([0.1, 2.0])  # lesson 01's 2/L for x (curvature 0.1) and y (curvature 2)
    for t in found:
        assert np.any(rates[t - 20:t - 1] > limits), t  # some coordinate was above its limit before it
    first_unstable = int(np.argmax(np.any(rates > limits, axis=1))) + 1
    assert np.all(distance[:first_unstable] < 10)  # no burst before a rate passed its limit
    assert first_unstable < found[0]


# ---------------------------------------------------------------------------------------------------------
# C16: RMSProp's exponential moving average, its low start, and its window
# ---------------------------------------------------------------------------------------------------------


def test_c16_v_is_the_explicit_exponentially_weighted_average():
    rng = np.random.default_rng(1)
    grads = rng.normal(size=(50, 3))
    alpha = 0.9
    p = np.zeros(3)
    opt = optim.RMSprop([p], lr=0.01, alpha=alpha)
    for t in range(1, 51):
        opt.step([grads[t - 1]])
        weights = (1 - alpha) * alpha ** np.arange(t)[::-1]  # weight of g_1 ... g_t
        np.testing.assert_allclose(opt.state[0]["v"], weights @ grads[:t] ** 2, rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.9, 0.99])
def test_c16_the_weights_add_up_to_1_minus_alpha_t_so_the_first_step_is_large(alpha):
    """v_1 = (1 - alpha) g^2, so the first step is lr / sqrt(1 - alpha) per coordinate (10 lr for 0.99)."""
    path = surfaces.trace(BOWL, optim.RMSprop, START, 1, lr=0.01, alpha=alpha)
    np.testing.assert_allclose(np.abs(path[1] - path[0]), 0.01 / np.sqrt(1 - alpha), rtol=1e-6)


def recovery_steps(cls, **hyper):
    stream = np.r_[np.full(100, 10.0), np.full(2000, 0.1)]
    _, rates = run_with_rates(cls, len(stream), grads=stream[:, None], start=np.zeros(1), lr=0.01, **hyper)
    back = np.flatnonzero(rates[100:, 0] >= 0.1 / 2)
    return int(back[0]) + 1 if back.size else None


def test_c16_rmsprop_forgets_within_its_window_adagrad_never_does():
    fast, slow = recovery_steps(optim.RMSprop, alpha=0.9), recovery_steps(optim.RMSprop, alpha=0.99)
    assert recovery_steps(optim.Adagrad) is None
    # v after k small steps ~ 100 (1 - alpha^100) alpha^k (from the large gradients): back to half of
    # lr/0.1 when sqrt(v + 0.01) = 0.2, i.e. k = ln(0.03 / (100 (1 - alpha^100))) / ln(alpha)
    for k, alpha in ((fast, 0.9), (slow, 0.99)):
        expected = np.log(0.03 / (100 * (1 - alpha**100))) / np.log(alpha)
        assert k == pytest.approx(expected, rel=0.05)
    assert 7 < slow / fast < 13  # about the ratio of the windows, 100 / 10


@pytest.mark.parametrize("alpha", [0.9, 0.99, 0.999])
def test_c16_about_two_thirds_of_rmsprops_average_comes_from_the_last_window(alpha):
    """Feed RMSprop a long history of zero gradients, then 1/(1 - alpha) steps of g = 1: its v is then the
    share of the average's weight that lies on the last window, about 1 - 1/e."""
    n = round(1 / (1 - alpha))
    grads = np.r_[np.zeros(3 * n), np.ones(n)][:, None]
    p = np.zeros(1)
    opt = optim.RMSprop([p], lr=1e-3, alpha=alpha)
    for g in grads:
        opt.step([g])
    assert opt.state[0]["v"][0] == pytest.approx(1 - np.exp(-1), abs=0.03)


# ---------------------------------------------------------------------------------------------------------
# C17: AdaDelta: no learning rate; eps sets the first steps
# ---------------------------------------------------------------------------------------------------------


def adadelta_reference(steps, rho=0.9, eps=1e-6):
    p, v, u = np.array(START), np.zeros(2), np.zeros(2)
    path = [p.copy()]
    for _ in range(steps):
        g = bowl_grad(p)
        v = rho * v + (1 - rho) * g**2
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta**2
        p = p - delta
        path.append(p.copy())
    return np.array(path)


def test_c17_adadelta_needs_no_learning_rate_and_matches_the_equations():
    assert optim.Adadelta([np.zeros(1)]).lr == 1.0  # only a multiplier, left at 1
    np.testing.assert_allclose(surfaces.trace(BOWL, optim.Adadelta, START, 300), adadelta_reference(300),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("eps", [1e-6, 1e-4])
def test_c17_first_step_is_set_by_eps(eps):
    path = surfaces.trace(BOWL, optim.Adadelta, START, 1, eps=eps)
    g = bowl_grad(np.array(START))
    np.testing.assert_allclose(path[0] - path[1], np.sqrt(eps) / np.sqrt(0.1 * g**2 + eps) * g, rtol=1e-12)


def test_c17_adadelta_starts_slowly_and_eps_acts_as_a_hidden_learning_rate():
    small = surfaces.trace(BOWL, optim.Adadelta, START, 500)
    large = surfaces.trace(BOWL, optim.Adadelta, START, 500, eps=1e-4)
    rmsprop = surfaces.trace(BOWL, optim.RMSprop, START, 500, lr=0.01)
    steps_small = np.hypot(*np.diff(small, axis=0).T)
    assert steps_small[99] > steps_small[0]  # the steps grow as u fills up
    assert steps_small[0] < 0.01
    assert np.hypot(*small[-1]) > 4.0
    assert np.hypot(*large[-1]) < 1e-6
    assert np.hypot(*large[1] - large[0]) / np.hypot(*small[1] - small[0]) == pytest.approx(10.0, rel=0.05)
    steps_rms = np.hypot(*np.diff(rmsprop, axis=0).T)
    assert steps_rms[0] > 10 * steps_small[0] and steps_rms[99] < steps_rms[0] / 5  # fast start, then shrinks
    # "starts with steps ten times its learning rate ...; then along x its steps stay near lr", while x's
    # gradient x/10 shrinks by more than half over the run
    np.testing.assert_allclose(np.abs(rmsprop[1] - rmsprop[0]), 10 * 0.01, rtol=1e-6)
    x_steps = np.abs(np.diff(rmsprop[:, 0]))[49:]
    assert np.all((0.5 * 0.01 < x_steps) & (x_steps < 1.5 * 0.01))
    assert abs(rmsprop[-1, 0]) < abs(rmsprop[50, 0]) / 2


# ---------------------------------------------------------------------------------------------------------
# C18: Adam = momentum + RMSProp
# ---------------------------------------------------------------------------------------------------------


def test_c18_adam_is_a_momentum_average_over_an_rmsprop_average():
    beta1, beta2, lr, eps = 0.9, 0.999, 0.3, 1e-8
    p, m, v = np.array(START), np.zeros(2), np.zeros(2)
    reference = [p.copy()]
    for t in range(1, 201):
        g = bowl_grad(p)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        p = p - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        reference.append(p.copy())
    np.testing.assert_allclose(surfaces.trace(BOWL, optim.Adam, START, 200, lr=lr), reference, atol=1e-12)


def test_c18_adams_moments_are_sgd_dampened_momentum_and_rmsprops_average():
    rng = np.random.default_rng(2)
    grads = rng.normal(size=(40, 5))
    q = [np.zeros(5) for _ in range(3)]
    adam = optim.Adam([q[0]], lr=1e-3, betas=(0.9, 0.99))
    sgd = optim.SGD([q[1]], lr=1e-3, momentum=0.9, dampening=0.9)  # b = 0.9 b + (1 - 0.9) g: an average
    rms = optim.RMSprop([q[2]], lr=1e-3, alpha=0.99)
    for t, g in enumerate(grads, start=1):
        adam.step([g])
        sgd.step([g])
        rms.step([g])
        np.testing.assert_allclose(adam.state[0]["v"], rms.state[0]["v"], rtol=1e-12)
        # torch's SGD starts its buffer at b_1 = g_1 (no dampening on the first step) where Adam has
        # m_1 = 0.1 g_1; after that both follow x = 0.9 x + 0.1 g, so they differ by 0.9^t g_1 exactly
        np.testing.assert_allclose(adam.state[0]["m"], sgd.state[0]["b"] - 0.9**t * grads[0], atol=1e-12)


def test_c18_hyperparameters_and_defaults():
    adam = optim.Adam([np.zeros(1)])
    assert (adam.lr, adam.betas, adam.eps) == (1e-3, (0.9, 0.999), 1e-8)


# ---------------------------------------------------------------------------------------------------------
# C19: bias correction
# ---------------------------------------------------------------------------------------------------------


def test_c19_with_correction_a_steady_gradient_gives_steps_of_exactly_lr():
    p = np.zeros(3)
    opt = optim.Adam([p], lr=0.01)
    for _ in range(500):
        before = p.copy()
        opt.step([np.array([1.0, -3.0, 1e-3])])
        np.testing.assert_allclose(before - p, 0.01 * np.sign([1.0, -3.0, 1e-3]), rtol=1e-4)
    np.testing.assert_allclose(adaptive.constant_gradient_steps(50), 1.0, rtol=1e-6)  # the lesson's variant too


def test_c19_first_step_on_the_bowl_is_lr_per_coordinate():
    path = surfaces.trace(BOWL, optim.Adam, START, 1, lr=0.3)
    np.testing.assert_allclose(path[1] - path[0], [0.3, -0.3], rtol=1e-6)


def test_c19_without_correction_the_early_steps_are_too_large_with_the_default_betas():
    beta1, beta2 = 0.9, 0.999
    t = np.arange(1, 3001)
    closed_form = (1 - beta1**t) / np.sqrt(1 - beta2**t)  # m_t / sqrt(v_t) on g = 1, from m_t = 1 - beta^t
    without = adaptive.constant_gradient_steps(3000, correct_m=False, correct_v=False)
    np.testing.assert_allclose(without, closed_form, rtol=1e-6)
    # what the lesson says of it: about 3 times too large at first, a peak of about 6.6 near step 12,
    # back within 30% of lr only after about a thousand steps
    assert 3 < without[0] < 3.3 and 6.5 < without.max() < 6.7 and int(np.argmax(without)) + 1 == 12
    assert without[99] > 3 and without[999] < 1.3


def test_c19_each_correction_alone_the_first_step():
    """m corrected, v biased: m_1 = g, v_1 = (1 - beta2) g^2, the step is lr / sqrt(1 - beta2), ~32 lr too large.
    v corrected, m biased: m_1 = (1 - beta1) g, v_hat_1 = g^2, the step is (1 - beta1) lr, 10 times too small."""
    only_m = adaptive.constant_gradient_steps(1, correct_v=False)[0]
    only_v = adaptive.constant_gradient_steps(1, correct_m=False)[0]
    assert only_m == pytest.approx(1 / np.sqrt(1 - 0.999), rel=1e-6)
    assert only_v == pytest.approx(1 - 0.9, rel=1e-6)
    assert only_m > 30 and only_v < 0.11  # the lesson's "too large" and "too small", the right way round


def test_c19_uncorrected_adam_bounces_more_on_the_bowl():
    adam = surfaces.trace(BOWL, optim.Adam, START, 30, lr=0.3)
    uncorrected = adaptive.run_partly_corrected(BOWL.grad, START, 30, lr=0.3, correct_m=False, correct_v=False)
    assert y_turns(uncorrected) > y_turns(adam)


# ---------------------------------------------------------------------------------------------------------
# C20: Adam zigzags less than momentum on the bowl; where NAdam's calm comes from; AdamW against Adam's L2
# ---------------------------------------------------------------------------------------------------------


def y_travel(path):
    return np.abs(np.diff(path[:, 1])).sum()


def test_c20_adam_zigzags_less_than_momentum():
    momentum = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    adam = surfaces.trace(BOWL, optim.Adam, START, 30, lr=0.3)
    assert 2 * y_turns(adam) <= y_turns(momentum)  # "at most half as often"
    assert y_travel(adam) < y_travel(momentum) / 2  # "less than half as far"


def test_nadams_momentum_schedule_stays_near_half_of_beta1_for_a_thousand_steps():
    t = np.arange(1, 1001)
    mu = 0.9 * (1 - 0.5 * 0.96 ** (0.004 * t))  # Dozat's schedule, PyTorch's default momentum_decay
    np.testing.assert_allclose(rules.nadam_mu(t), mu, rtol=1e-12)
    assert mu[0] == pytest.approx(0.45, abs=0.001) and mu.max() < 0.52  # "about 0.45", half of beta1
    assert rules.nadam_mu(1, momentum_decay=1000.0) == pytest.approx(0.9, rel=1e-12)  # "held at 0.9"


def test_nadams_calm_comes_mostly_from_its_small_early_momentum():
    adam = surfaces.trace(BOWL, optim.Adam, START, 30, lr=0.3)
    nadam = surfaces.trace(BOWL, optim.NAdam, START, 30, lr=0.3)
    look_ahead_only = surfaces.trace(BOWL, optim.NAdam, START, 30, lr=0.3, momentum_decay=1000.0)
    small_momentum_only = surfaces.trace(BOWL, optim.Adam, START, 30, lr=0.3, betas=(0.45, 0.999))
    travel = {k: y_travel(p) for k, p in (("adam", adam), ("nadam", nadam), ("look", look_ahead_only),
                                          ("small", small_momentum_only))}
    assert travel["nadam"] < travel["adam"] and y_turns(nadam) <= y_turns(adam)  # NAdam calmer than Adam
    cut_by_look_ahead = 1 - travel["look"] / travel["adam"]
    assert 0.08 < cut_by_look_ahead < 0.2  # "about a seventh"
    assert travel["small"] <= travel["nadam"]  # small momentum alone is as calm as NAdam
    # "its three turns are wiggles: it travels only 0.02 more than the straight 2.00" (from y = 2 down to 0)
    assert y_turns(small_momentum_only) > y_turns(nadam) and travel["small"] - START[1] < 0.03
    assert travel["adam"] - travel["look"] < (travel["adam"] - travel["nadam"]) / 2  # look-ahead: the lesser part


def decay_shift(cls):
    def after(weight_decay):
        p = np.ones(2)
        opt = cls([p], lr=0.01, weight_decay=weight_decay)
        for _ in range(100):
            opt.step([np.array([1.0, 0.0])])
        return p

    return after(0.0) - after(0.01)


def test_adamw_decays_every_weight_alike_adam_l2_does_not():
    adam, adamw = decay_shift(optim.Adam), decay_shift(optim.AdamW)
    assert adamw[1] == pytest.approx(1 - (1 - 0.01 * 0.01) ** 100, rel=1e-9)  # quiet weight: pure decay
    assert adamw[0] > 0.004
    assert adam[1] > 0.5  # Adam's L2 pushes the quiet weight by ~lr per step
    assert -0.005 < adam[0] < 0  # and is lost on the busy one, even slightly the wrong way
    # AdamW's busy weight moves about half as much as the quiet one: Adam's steps of lr = 0.01 carry it from 1
    # to about 0 in the 100 steps, so the same factor (1 - lr wd) acts on a weight of 1/2 on average
    assert 0.4 < adamw[0] / adamw[1] < 0.6


# ---------------------------------------------------------------------------------------------------------
# The family tree and the race (the lesson's settings, from adaptive)
# ---------------------------------------------------------------------------------------------------------


def test_the_tree_uses_the_lessons_year_convention():
    ax = plots.family_tree()
    texts = [t.get_text() for t in ax.texts]
    assert "first public version" in plots.TREE_YEAR_CONVENTION
    assert any(plots.TREE_YEAR_CONVENTION in t for t in texts)
    # the lesson's text names these years: Adam arXiv 2014, AdamW arXiv 2017, AdaGrad COLT 2010
    assert {"2014", "2017", "2010"} <= set(texts)


@pytest.fixture(scope="module")
def race():
    return adaptive.run_race()


def first_reach(surface, path):
    return adaptive.reach_and_settle(surface, path)[0]


def test_race_every_run_is_finite_and_complete(race):
    for key, paths in race.items():
        assert list(paths) == list(adaptive.RACERS)
        for name, path in paths.items():
            assert len(path) == adaptive.RACE_SURFACES[key][1] + 1 and np.isfinite(path).all(), (key, name)


def test_race_runs_the_rules_the_classes_would_run(race):
    surface, steps, lr = adaptive.RACE_SURFACES["saddle"]
    classes = {"SGD": (optim.SGD, {"lr": lr}), "Nesterov": (optim.SGD, {"lr": lr, "momentum": 0.9, "nesterov": True}),
               "RMSProp": (optim.RMSprop, {"lr": 0.05}), "NAdam": (optim.NAdam, {"lr": 0.1})}
    for name, (cls, hyper) in classes.items():
        np.testing.assert_allclose(race["saddle"][name], surfaces.trace(surface, cls, None, steps, **hyper),
                                   rtol=1e-9, atol=1e-9)


def test_race_bowl_and_rosenbrock(race):
    bowl = {n: first_reach(surfaces.BOWL, p) for n, p in race["bowl"].items()}
    assert bowl["SGD"] is None and bowl["AdaDelta"] is None  # still on their way after 300 steps
    arrived = sorted((k, n) for n, k in bowl.items() if k is not None)
    assert [n for _, n in arrived[:3]] == ["Nesterov", "Momentum", "AdaGrad"]  # "arrive first"
    rosen = {n: adaptive.reach_and_settle(surfaces.ROSENBROCK, p) for n, p in race["Rosenbrock"].items()}
    assert {n for n, (k, _, _) in rosen.items() if k is not None} == {"Momentum", "Nesterov"}
    first, settled, _ = rosen["Momentum"]
    assert settled > 10 * first  # passes close early, settles much later


def test_race_adaptive_methods_escape_the_saddle_first(race):
    saddle = {n: first_reach(surfaces.SADDLE, p) for n, p in race["saddle"].items()}
    assert saddle["AdaDelta"] is None
    others = [k for n, k in saddle.items() if n not in ("AdaGrad", "RMSProp", "AdaDelta")]
    assert max(saddle["AdaGrad"], saddle["RMSProp"]) < min(others)


def test_race_only_the_momentum_methods_cross_into_the_deeper_basin(race):
    for name, path in race["two basins"].items():
        _, _, local = adaptive.reach_and_settle(surfaces.TWO_BASIN, path)
        assert local == (name not in ("Momentum", "Nesterov")), name


def test_race_table_cells_as_the_lesson_prints_them(race):
    """The table's columns: first reach / settled. Check reach_and_settle against a direct scan."""
    for key, paths in race.items():
        surface = adaptive.RACE_SURFACES[key][0]
        lowest = [m for m in surface.minima if abs(surface.value(m) - surface.min_value) < 1e-9]
        for name, path in paths.items():
            first, settled, _ = adaptive.reach_and_settle(surface, path)
            inside = [min(np.hypot(*(q - m)) for m in lowest) <= 0.1 for q in path]
            assert first == (inside.index(True) if True in inside else None)
            if settled is not None:
                assert all(inside[settled:]) and (settled == 0 or not inside[settled - 1])


def test_race_gif_shows_every_racer_on_every_panel_and_is_deterministic(race):
    from io import BytesIO

    from matplotlib.colors import to_rgba
    from PIL import Image

    panels = adaptive.race_panels(race)
    assert [len(p) - 1 for _, paths in panels for p in list(paths.values())[:1]] == list(adaptive.RACE_SHOWN.values())
    short = [(surface, {n: p[:21] for n, p in paths.items()}) for surface, paths in panels]
    gif = plots.race_gif(short, frames=3)
    assert gif == plots.race_gif(short, frames=3)
    image = Image.open(BytesIO(gif))
    assert image.n_frames == 3
    image.seek(2)
    pixels = {tuple(p) for p in np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)}
    for name in adaptive.RACERS:
        assert tuple(round(255 * c) for c in to_rgba(plots.COLORS[name])[:3]) in pixels, name


# ---------------------------------------------------------------------------------------------------------
# The digits comparison: learning rates chosen on validation data, findings over three seeds
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    return adaptive.digits_split()


def test_digits_split_holds_out_validation_digits_from_training_and_never_touches_the_test_set(split):
    X, X_val, X_test, y, y_val, y_test = split
    assert (len(X), len(X_val), len(X_test)) == (1077, adaptive.DIGITS_VALIDATION, 450)
    rows = {tuple(r) for r in X}
    assert not any(tuple(r) in rows for r in X_val)  # no validation digit is trained on
    from lessons_lib import data

    np.testing.assert_array_equal(X_test, data.load_digits(seed=0)[1])  # the lessons' test set, unchanged


def test_digits_learning_rates_are_the_validation_choice_inside_their_grids(split):
    chosen, losses = adaptive.choose_learning_rates(split)
    assert chosen == adaptive.DIGITS_LR
    for name, grid in adaptive.DIGITS_LR_GRID.items():
        if len(grid) > 1:  # AdaDelta keeps its default
            assert grid[0] < chosen[name] < grid[-1], name  # the grid brackets the best rate


@pytest.fixture(scope="module")
def digits(split):
    return adaptive.digits_comparison(split)


def test_digits_every_optimizer_learns_on_every_seed(digits):
    for name, runs in digits.items():
        for h in runs:
            assert not h.diverged and h.epoch_loss[-1] < h.epoch_loss[0] / 3, name
            assert h.test_acc[-1] > 0.8, name


def first_epoch_losses(digits):
    """{optimizer: [mean minibatch loss over the first epoch, per seed]}, as the lesson's table computes it."""
    steps_per_epoch = 1077 // adaptive.DIGITS_BATCH_SIZE
    return {n: [np.mean(h.step_loss[:steps_per_epoch]) for h in runs] for n, runs in digits.items()}


def test_digits_adam_starts_fastest_on_every_seed_and_the_adaptive_methods_faster_than_sgd(digits):
    """The lesson: on each seed Adam has the lowest first-epoch loss, AdaGrad and RMSProp start faster than SGD;
    in the mean over the seeds all three also start faster than momentum (not on every seed: over 24 seeds
    AdaGrad and RMSProp beat momentum on 16, so the lesson claims only the mean)."""
    first = first_epoch_losses(digits)
    for seed in range(len(adaptive.SEEDS)):
        assert min(first, key=lambda n: first[n][seed]) == "Adam", seed
        assert max(first["AdaGrad"][seed], first["RMSProp"][seed]) < first["SGD"][seed], seed
    for name in ("AdaGrad", "RMSProp", "Adam"):
        assert np.mean(first[name]) < np.mean(first["Momentum"]), name
    for seed in range(len(adaptive.SEEDS)):  # "AdaDelta starts slowest of all"
        assert max(first, key=lambda n: first[n][seed]) == "AdaDelta", seed


def test_digits_after_three_epochs_adam_and_momentum_lowest_adadelta_last(digits):
    final = {n: np.mean([h.epoch_loss[-1] for h in runs]) for n, runs in digits.items()}
    accuracy = {n: np.mean([h.test_acc[-1] for h in runs]) for n, runs in digits.items()}
    assert set(sorted(final, key=final.get)[:2]) == {"Adam", "Momentum"}  # the two lowest mean losses
    assert min(accuracy, key=accuracy.get) == "AdaDelta"  # last in mean test accuracy
    for seed in range(len(adaptive.SEEDS)):
        assert max(digits, key=lambda n: digits[n][seed].epoch_loss[-1]) == "AdaDelta", seed  # on every seed


def test_digits_no_ranking_of_the_tuned_methods_test_accuracy_holds_across_seeds(digits):
    """The lesson says the tuned methods' accuracies overlap: the best and the order change with the seed."""
    tuned = [n for n in digits if n != "AdaDelta"]
    orders = {tuple(sorted(tuned, key=lambda n: -digits[n][seed].test_acc[-1])) for seed in range(3)}
    assert len(orders) == 3
    best = {max(tuned, key=lambda n: digits[n][seed].test_acc[-1]) for seed in range(3)}
    assert len(best) >= 2
    accuracies = [h.test_acc[-1] for n in tuned for h in digits[n]]
    assert 0.885 <= min(accuracies) and max(accuracies) < 0.955  # "0.89 to 0.95 over the seeds" (rounded)


# ---------------------------------------------------------------------------------------------------------
# The explorer: the lesson's settings draw, redraw on a change, and list only the optimizers shown
# ---------------------------------------------------------------------------------------------------------


def test_explorer_redraws_and_its_legend_lists_only_the_ticked_optimizers():
    lr_sgd = widgets.log_slider("lr_sgd", 1e-3, 1.0, 0.1)
    lr_adaptive = widgets.log_slider("lr_adaptive", 1e-3, 2.0, 0.1)
    beta1 = widgets.slider("beta1", 0.0, 0.99, 0.01, 0.9)
    beta2 = widgets.slider("beta2", 0.5, 0.999, 0.001, 0.99)
    explorer = widgets.surface_explorer(
        {"bowl": surfaces.BOWL, "saddle": surfaces.SADDLE},
        {"Momentum": (optim.SGD, {"lr": lr_sgd, "momentum": beta1}),
         "AdaGrad": (optim.Adagrad, {"lr": lr_adaptive}),
         "RMSProp": (optim.RMSprop, {"lr": lr_adaptive, "alpha": beta2}),
         "Adam": (optim.Adam, {"lr": lr_adaptive, "betas": (beta1, beta2)}),
         "NAdam": (optim.NAdam, {"lr": lr_adaptive, "betas": (beta1, beta2)})},
        choose=True, shown=["Momentum", "AdaGrad", "RMSProp", "Adam"], steps=100)

    def legend():
        return [t.get_text() for t in explorer.handle["axes"][1].get_legend().get_texts()]

    assert legend() == ["Momentum", "AdaGrad", "RMSProp", "Adam"]
    before = explorer.png
    explorer.set(lr_adaptive=0.05, NAdam=True)
    assert explorer.png != before and legend() == ["Momentum", "AdaGrad", "RMSProp", "Adam", "NAdam"]
    expected = surfaces.trace(surfaces.BOWL, optim.Adam, None, 100, lr=0.05, betas=(0.9, 0.99))
    np.testing.assert_allclose(explorer.handle["paths"]["Adam"].get_xydata(), expected)
