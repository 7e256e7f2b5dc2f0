"""Lesson 01's claims (C1-C3), asserted on the library with numbers computed independently.

C1 full-batch GD touches the whole data set for every step: the arrays one step touches grow with N.
   (How its time grows is a measurement: the lesson shows it in a figure; speed belongs to `make bench`.)
C2 the learning rate is hard to pick; GD on a quadratic is stable exactly for lr < 2/L; the best fixed step
   2/(L + m) shrinks the distance to the minimum by (kappa - 1)/(kappa + 1) per step.
C3 GD ends in the basin it starts in (local or global); near a saddle it crawls, exactly on the ridge it
   stays, and a little gradient noise moves it off; in high dimensions most critical points are saddles.

The experiments' settings come from ``lessons_lib.experiments.gradient_descent``, as in the notebook.
"""

import inspect
import math

import numpy as np
import pytest

from lessons_lib import data, nn, optim, plots, rules, surfaces
from lessons_lib.experiments import gradient_descent as settings
from lessons_lib.explorers import gradient_descent as explorers

# ---------------------------------------------------------------------------------------------------------
# The rule as the lesson shows it, and the library's class
# ---------------------------------------------------------------------------------------------------------


def test_the_listing_of_rules_gd_is_the_one_line_rule():
    source = inspect.getsource(rules.gd)
    assert "return p - lr * g" in source
    assert len(source.strip().splitlines()) <= 4  # short enough to read beside the equation


def test_rules_gd_and_optim_sgd_give_the_same_path():
    surface = surfaces.ILL_CONDITIONED
    with_rule = rules.run(rules.gd, settings.ILL_START, surface.grad, 30, lr=0.4)
    with_class = surfaces.trace(surface, optim.SGD, settings.ILL_START, 30, lr=0.4)
    assert np.allclose(with_rule, with_class, rtol=1e-12, atol=0)
    # and both are x_{k+1} = x_k - lr * grad f(x_k), i.e. x scaled by (1 - 0.2 lr), y by (1 - 4 lr), per step
    k = np.arange(31)[:, None]
    by_formula = np.array(settings.ILL_START) * np.array([1 - 0.2 * 0.4, 1 - 4 * 0.4]) ** k
    assert np.allclose(with_class, by_formula, rtol=1e-12, atol=1e-300)


# ---------------------------------------------------------------------------------------------------------
# C1: the cost of one full-batch step
# ---------------------------------------------------------------------------------------------------------


def softmax_regression():
    return nn.MLP([64, 10], init="zeros", rng=np.random.default_rng(0))


def test_c1_a_full_batch_gradient_depends_on_every_sample():
    X, y = data.load_digits_raw()
    X = X / 16.0
    model = nn.MLP([64, 10], init="lecun_normal", rng=np.random.default_rng(0))
    _, grads = model.loss_and_grads(X, y)
    for i in np.random.default_rng(1).choice(len(y), size=5, replace=False):
        X_changed = X.copy()
        X_changed[i] += 0.5
        _, grads_changed = model.loss_and_grads(X_changed, y)
        assert not np.allclose(grads[0], grads_changed[0], rtol=0, atol=1e-12), f"sample {i} was not read"


def test_c1_memory_of_one_step_grows_linearly_with_n():
    # Counted by hand for a 64 -> 10 softmax regression in float64 (labels int64): per sample, the pixels
    # (64 * 8), the label (8), the logits and their gradient (2 * 10 * 8); fixed: W, b and their gradients.
    per_sample = 64 * 8 + 8 + 2 * 10 * 8
    fixed = 2 * (64 * 10 + 10) * 8
    model = softmax_regression()
    for n in settings.TIMING_SIZES_SYNTHETIC:
        X, y = data.make_classification_blobs(n, n_features=64, n_classes=10, seed=0)
        outputs = model.forward(X)[1:]
        _, grads = model.loss_and_grads(X, y)
        touched = (X.nbytes + y.nbytes + 2 * sum(a.nbytes for a in outputs)
                   + sum(p.nbytes for p in model.params) + sum(g.nbytes for g in grads))
        assert touched == per_sample * n + fixed


# ---------------------------------------------------------------------------------------------------------
# C2: the learning rate, the stability bound, the best fixed step
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("L", [0.5, 2.0, 4.0, 10.0])
def test_c2_gd_on_a_quadratic_is_stable_exactly_below_two_over_l(L):
    fn = surfaces.quadratic_1d(L)
    steps = 200
    for lr, expected_end in [
        (0.99 * 2 / L, (1 - 0.99 * 2) ** steps),   # the formula x_k = (1 - lr L)^k x_0
        (2 / L, 1.0),                             # bounces between +1 and -1
        (1.01 * 2 / L, (1 - 1.01 * 2) ** steps),
    ]:
        x = surfaces.trace_1d(fn, optim.SGD, 1.0, steps, lr=lr)
        assert x[-1] == pytest.approx(expected_end, rel=1e-6)
    below = surfaces.trace_1d(fn, optim.SGD, 1.0, steps, lr=0.99 * 2 / L)
    above = surfaces.trace_1d(fn, optim.SGD, 1.0, steps, lr=1.01 * 2 / L)
    assert abs(below[-1]) < 0.02 and abs(above[-1]) > 50


def _shrink_factor(fn, lr, steps):
    x = surfaces.trace_1d(fn, optim.SGD, 1.0, steps, lr=lr)
    return abs(x[-1]) ** (1 / steps)


def test_c2_the_sweep_puts_the_boundary_at_two_over_l_and_classifies_it_robustly():
    L, steps = settings.STABILITY_L, settings.STABILITY_STEPS
    quad = surfaces.quadratic_1d(L)
    lrs = settings.STABILITY_LRS
    factor = np.array([_shrink_factor(quad, lr, steps) for lr in lrs])
    assert np.allclose(factor, np.abs(1 - L * lrs), rtol=0, atol=1e-9)
    regimes = np.array([settings.regime(v) for v in factor])
    assert set(lrs[regimes == "bounces"]) == {2 / L}
    assert np.all(lrs[regimes == "converges"] < 2 / L) and np.all(lrs[regimes == "diverges"] > 2 / L)
    # The knife edge: nudging lr = 2/L by a relative 1e-12 either way (another machine's rounding, ten
    # thousand times over) must not change its class.
    for nudge in (1 - 1e-12, 1.0, 1 + 1e-12):
        assert settings.regime(_shrink_factor(quad, 2 / L * nudge, steps)) == "bounces"
    assert settings.regime(_shrink_factor(quad, 0.49, steps)) == "converges"
    assert settings.regime(_shrink_factor(quad, 0.51, steps)) == "diverges"


def _curvatures(surface, point, h=1e-5):
    """The Hessian's eigenvalues at ``point``, by central differences of the analytic gradient."""
    point = np.asarray(point, dtype=float)
    H = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        H[:, j] = (surface.grad(point + e) - surface.grad(point - e)) / (2 * h)
    return np.linalg.eigvalsh((H + H.T) / 2)


def test_c2_four_learning_rates_crawl_converge_bounce_and_diverge_on_the_2d_quadratic():
    surface = surfaces.ILL_CONDITIONED
    L = float(_curvatures(surface, (0.3, -0.2)).max())
    assert L == pytest.approx(4.0, rel=1e-6)
    f0 = surface.value(settings.ILL_START)
    end = {name: surface.value(surfaces.trace(surface, optim.SGD, settings.ILL_START, settings.ILL_STEPS,
                                              lr=lr)[-1])
           for name, lr in settings.ILL_LRS.items()}
    lrs = settings.ILL_LRS
    assert lrs["too small"] < lrs["good"] < lrs["near the bound"] < 2 / L < lrs["too large"]
    assert end["too small"] > 1.0                  # crawls: still above 1 after 50 steps
    assert end["good"] < 1e-3
    assert 1e-3 < end["near the bound"] < 1.0      # converging, slowly
    assert end["too large"] > 1e6 * f0             # the loss grows


def test_c2_the_best_fixed_step_and_its_rate_follow_from_the_condition_number():
    surface = surfaces.ILL_CONDITIONED
    m, L = _curvatures(surface, (1.0, 1.0))
    assert m == pytest.approx(0.2, rel=1e-6) and L == pytest.approx(4.0, rel=1e-6)
    kappa = L / m
    assert kappa == pytest.approx(20, rel=1e-6)
    lr_best = 2 / (L + m)
    predicted = (kappa - 1) / (kappa + 1)

    def measured(lr):
        path = surfaces.trace(surface, optim.SGD, settings.ILL_START, settings.RATE_STEPS, lr=lr)
        return settings.rate_per_step(path)

    # At the best step both axes shrink by the same factor, so the measured rate is the prediction itself.
    assert measured(lr_best) == pytest.approx(predicted, rel=1e-9)
    assert predicted == pytest.approx(19 / 21, rel=1e-6)
    # Every other step of the lesson's sweep (and the two it prints) measured slower.
    for lr in [*settings.RATE_LRS, 0.4, 0.25]:
        assert measured(lr) > predicted, f"lr = {lr}"
    # In the long run a step's rate is its slowest axis's factor; 2/(L + m) minimises it over a fine sweep.
    fine = np.linspace(0.001, 0.5, 1000)
    slowest = np.maximum(np.abs(1 - fine * m), np.abs(1 - fine * L))
    assert abs(fine[np.argmin(slowest)] - lr_best) < 1e-3 and slowest.min() >= predicted * (1 - 1e-9)
    # Each measured rate is the slower axis's factor max(|1 - lr m|, |1 - lr L|), up to the start's weight:
    # the distance after k steps lies between min(|x0|, |y0|) * slowest^k and |p0| * slowest^k.
    start = np.abs(settings.ILL_START)
    weight = (start.min() / np.linalg.norm(start)) ** (1 / settings.RATE_STEPS)
    for lr in settings.RATE_LRS:
        slowest = max(abs(1 - lr * m), abs(1 - lr * L))
        assert slowest * weight * (1 - 1e-9) <= measured(lr) <= slowest * (1 + 1e-9), f"lr = {lr}"
    # ln(1000)/ln(21/19) = 69.0 steps to shrink the distance 1000-fold at the best step: measured, the 70th
    path = surfaces.trace(surface, optim.SGD, settings.ILL_START, 100, lr=lr_best)
    distance = np.linalg.norm(path, axis=1)
    assert np.flatnonzero(distance < distance[0] / 1000)[0] == 70
    assert math.log(1000) / math.log(1 / predicted) == pytest.approx(69.0, abs=0.05)


# ---------------------------------------------------------------------------------------------------------
# C3: local minima and saddles
# ---------------------------------------------------------------------------------------------------------


def _hill_top():
    """The local maximum of TWO_BASIN_1D between its minima, by bisection on f' (independent of its docs)."""
    lo, hi = -0.9, 0.9  # f' > 0 at -0.9 and < 0 at 0.9 (between the two minima)
    df = surfaces.TWO_BASIN_1D.df
    assert df(lo) > 0 > df(hi)
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if df(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def test_c3_gd_ends_in_the_basin_it_starts_in():
    fn = surfaces.TWO_BASIN_1D
    hill = _hill_top()
    assert hill == pytest.approx(0.3, abs=1e-9)
    values = {m: fn.value(m) for m in fn.minima}
    global_min = min(values, key=values.get)
    local_min = max(values, key=values.get)
    assert values[local_min] > values[global_min] + 0.1  # a real local minimum, clearly higher
    for x0 in (*settings.BASIN_STARTS_1D, hill - 0.05, hill + 0.05, 0.6):
        end = surfaces.trace_1d(fn, optim.SGD, x0, 300, lr=settings.BASIN_LR)[-1]
        expected = global_min if x0 < hill else local_min
        assert end == pytest.approx(expected, abs=1e-4), f"start {x0}"
    for x0 in settings.BASIN_STARTS_1D:  # the lesson's own runs are long enough to print 3 decimals
        end = surfaces.trace_1d(fn, optim.SGD, x0, settings.BASIN_STEPS, lr=settings.BASIN_LR)[-1]
        assert end == pytest.approx(global_min if x0 < hill else local_min, abs=1e-4)


def test_c3_a_large_step_can_jump_over_the_hill_top():
    # The lesson qualifies "GD ends in the basin it starts in" with "a small enough step", and sends the
    # learner to the 1-D explorer to find a step that jumps: from x0 = 2 (right of the hill top, the local
    # minimum's basin) a step of 0.5 lands in the global minimum, one of 0.1 does not.
    fn = surfaces.TWO_BASIN_1D
    assert 2.0 > _hill_top()
    jumped = surfaces.trace_1d(fn, optim.SGD, 2.0, 100, lr=0.5)
    stayed = surfaces.trace_1d(fn, optim.SGD, 2.0, 100, lr=0.1)
    assert jumped[-1] == pytest.approx(fn.global_minimum, abs=1e-3) and jumped[1] < _hill_top()
    assert stayed[-1] == pytest.approx(1.0, abs=1e-3) and np.all(stayed > _hill_top())


def test_c3_on_the_2d_surface_starts_on_both_sides_of_the_saddle_split():
    surface = surfaces.TWO_BASIN
    hill = _hill_top()
    assert surface.value((1, 0)) > surface.value((-1, 0))
    for start in settings.BASIN_STARTS_2D:
        end = surfaces.trace(surface, optim.SGD, start, settings.BASIN_STEPS, lr=settings.BASIN_LR)[-1]
        expected = (-1, 0) if start[0] < hill else (1, 0)
        assert np.allclose(end, expected, atol=1e-3), f"start {start}"


def test_c3_gd_crawls_near_a_saddle_longer_the_closer_it_starts_to_the_ridge():
    saddle = surfaces.SADDLE
    lr = settings.SADDLE_LR
    near = {}
    for y0 in (*settings.SADDLE_Y0S, 1e-9):
        path = surfaces.trace(saddle, optim.SGD, (settings.SADDLE_START_X, y0), 200, lr=lr)
        near[y0] = int(np.sum(np.linalg.norm(path, axis=1) < settings.SADDLE_NEAR))
    predicted = math.log(1000) / math.log(1 + 2 * lr)  # y grows by 1 + 2 lr per step near the saddle
    assert near[1e-6] - near[1e-3] == pytest.approx(predicted, abs=3)
    assert near[1e-9] - near[1e-6] == pytest.approx(predicted, abs=3)
    assert near[1e-1] < near[1e-3] < near[1e-6]
    m, L = _curvatures(saddle, (0.0, 0.0))
    assert m < 0 < L  # the origin is a saddle: one curvature of each sign


def test_c3_exactly_on_the_ridge_gd_stays_and_gradient_noise_moves_it_off():
    saddle = surfaces.SADDLE
    lr, steps = settings.SADDLE_LR, settings.SADDLE_STEPS
    start = (settings.SADDLE_START_X, 0.0)
    stuck = surfaces.trace(saddle, optim.SGD, start, steps, lr=lr)
    assert np.all(stuck[:, 1] == 0) and np.linalg.norm(stuck[-1]) < 1e-9
    for seed in settings.NOISE_SEEDS:
        rng = np.random.default_rng(seed)
        p = np.array(start)
        ys = []
        for _ in range(steps):
            p = p - lr * (saddle.grad(p) + settings.NOISE_STD * rng.normal(size=2))
            ys.append(abs(p[1]))
        assert max(ys) > 1.0, f"seed {seed} did not leave the saddle"
        assert abs(abs(p[1]) - math.sqrt(2)) < 0.01, f"seed {seed} did not settle in a minimum"


def test_c3_random_critical_points_are_mostly_saddles_in_high_dimensions():
    for seed in settings.HESSIAN_SEEDS:
        rng = np.random.default_rng(seed)
        share_min = {}
        for d in settings.HESSIAN_DIMS:
            A = rng.normal(size=(settings.HESSIAN_SAMPLES, d, d))
            eig = np.linalg.eigvalsh((A + A.transpose(0, 2, 1)) / 2)
            share_min[d] = float(np.mean(eig[:, 0] > 0))
        assert share_min[1] == pytest.approx(0.5, abs=0.02), seed
        assert all(share_min[d + 1] < share_min[d] for d in range(1, 5)), seed
        assert share_min[2] < 0.25 and share_min[4] < 0.01 and share_min[6] < 0.001, seed
        assert all(share_min[d] < 0.5**d for d in range(3, 7)), seed  # far fewer than a coin flip per direction


# ---------------------------------------------------------------------------------------------------------
# The explorers
# ---------------------------------------------------------------------------------------------------------


def test_explorer_1d_shows_divergence_above_the_bound_and_redraws():
    explorer = explorers.gd_1d_explorer()
    before = explorer.png
    explorer.set(function="quadratic 2x^2 (L = 4)", lr=0.55, x0=1.5)
    assert explorer.handle["message"].get_text() == "the loss grew: diverging"
    explorer.set(lr=0.45)
    assert explorer.handle["message"].get_text() == f"x_30 = {1.5 * (1 - 0.45 * 4) ** 30:.3f}"
    explorer.set(function="double well", x0=-1.2)
    assert explorer.png != before


def test_explorer_2d_draws_a_visible_path_and_redraws():
    explorer = explorers.gd_2d_explorer()
    line = explorer.handle["paths"][explorers.PATH_LABEL]
    assert line.get_color() != plots.GREY and line.get_linestyle() == "-"
    before = explorer.png
    explorer.set(surface="saddle", y0=0.0)
    assert explorer.png != before


def test_explorer_settings_line_names_every_control():
    explorer = explorers.gd_1d_explorer()
    line = explorers.settings(explorer)
    assert line == "function = quadratic 2x^2 (L = 4), lr = 0.1, x0 = 1.5, 30 steps"
    explorer_2d = explorers.gd_2d_explorer()
    assert explorers.settings(explorer_2d).startswith("surface = ill-conditioned quadratic, lr = 0.1, x0 = -5, y0 = -2")


def test_explorer_2d_lr_positions_either_side_of_the_bound_settle_and_do_not():
    # The lesson: on the quadratic, the lr slider's positions 0.447 and 0.501 lie either side of the best
    # step 0.476; the first settles, the second is just past 2/L = 0.5 and ends above where it started.
    slider = explorers.gd_2d_explorer().controls["lr"]
    positions = 10.0 ** np.arange(slider.min, slider.max + 1e-9, slider.step)
    below, above = (positions[np.argmin(abs(positions - target))] for target in (0.45, 0.5))
    assert round(below, 3) == 0.447 and round(above, 3) == 0.501
    assert below < 2 / 4.2 < 2 / 4.0 < above
    surface = surfaces.ILL_CONDITIONED
    f0 = surface.value(settings.ILL_START)
    for lr, settles in ((below, True), (above, False)):
        path = surfaces.trace(surface, optim.SGD, settings.ILL_START, 60, lr=lr)
        y = np.abs(path[:, 1])
        assert (surface.value(path[-1]) < 0.01 * f0) == settles
        assert (y[-1] > y[-3] > y[-5]) == (not settles)  # the steep coordinate's bounces widen past the bound
    assert surface.value(path[-1]) > f0  # past the bound the loss ends above where it started
