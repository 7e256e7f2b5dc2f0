"""Lesson 03's claims (C6-C12, and the theory the lesson adds: the stability bound and the sqrt(kappa)
speed-up), asserted on the library.

Where the lesson prints a number, the test recomputes it here by another route (its own loops, closed forms
from the eigenvalues of the iteration matrix) instead of trusting the code under test, or asserts the
property the lesson states. The experiments' settings (the digits sweep, the note's settings, the speed-up
grids) are imported from ``lessons_lib.experiments.momentum``, so these tests run the lesson's experiments.
"""

import inspect
import math

import numpy as np
import pytest

from lessons_lib import data, nn, optim, rules, schedules, surfaces, train
from lessons_lib.experiments import momentum as experiment
from lessons_lib.explorers.momentum import momentum_explorer

BOWL = surfaces.BOWL
START = (-7.0, 2.0)
CURVATURE = {"x": 0.1, "y": 2.0}  # the bowl x^2/20 + y^2 has f_xx = 1/10, f_yy = 2


def bowl_grad(p):
    """The bowl's gradient, written out here (not taken from the library)."""
    return np.array([p[0] / 10.0, 2.0 * p[1]])


def heavy_ball(grad, start, steps, lr, mu):
    """Textbook momentum, v = mu*v - lr*g, p = p + v: an independent reference for SGD(momentum=mu)."""
    p, v = np.array(start, dtype=float), np.zeros(len(start))
    points, velocities = [p.copy()], []
    for _ in range(steps):
        v = mu * v - lr * grad(p)
        p = p + v
        points.append(p.copy())
        velocities.append(v.copy())
    return np.array(points), np.array(velocities)


def iteration_eigenvalues(lr, h, mu, nesterov=False):
    """Eigenvalues of the 2x2 matrix that maps (x_t, x_(t-1)) to (x_(t+1), x_t) on curvature h."""
    a, b = ((1 + mu) * (1 - lr * h), mu * (1 - lr * h)) if nesterov else (1 + mu - lr * h, mu)
    return np.linalg.eigvals(np.array([[a, -b], [1.0, 0.0]]))


def closed_form(x0, lr, h, mu, steps):
    """x_t of the heavy ball on curvature h from rest, by the eigenvalues: x_t = Re(c r^t), no iteration.
    The first step is x_1 = x_0 - lr h x_0 (the buffer starts at the gradient)."""
    r = iteration_eigenvalues(lr, h, mu)[0]
    x1 = x0 - lr * h * x0
    c = x0 - 1j * (x1 - r.real * x0) / r.imag  # so that Re(c) = x0 and Re(c r) = x1
    t = np.arange(steps + 1)
    return (c * r**t).real


def y_turns(path):
    dy = np.diff(path[:, 1])
    return np.flatnonzero(np.sign(dy[1:]) != np.sign(dy[:-1])) + 1


def swing(lr, h, mu, nesterov=False):
    """(factor per step, steps per half swing) from the eigenvalues of the iteration matrix."""
    r = iteration_eigenvalues(lr, h, mu, nesterov)[0]
    assert abs(r.imag) > 0, "the roots are real: no swing"
    return abs(r), math.pi / abs(np.angle(r))


def settle(distance, tol):
    """Written here independently of experiment.steps_to_settle: last step outside tol, plus one."""
    outside = [t for t, d in enumerate(distance) if not d <= tol]
    if not outside:
        return 0
    return None if outside[-1] == len(distance) - 1 else outside[-1] + 1


# ---------------------------------------------------------------------------------------------------------
# C6: the rules the lesson shows, and momentum zigzags less than SGD on the bowl
# ---------------------------------------------------------------------------------------------------------


def test_c6_library_momentum_and_the_shown_rule_equal_the_textbook_heavy_ball():
    path = surfaces.trace(BOWL, optim.SGD, START, 100, lr=0.1, momentum=0.9)
    shown = rules.run(rules.sgd_momentum, START, BOWL.grad, 100, lr=0.1, momentum=0.9)
    reference, _ = heavy_ball(bowl_grad, START, 100, lr=0.1, mu=0.9)
    np.testing.assert_allclose(path, reference, rtol=0, atol=1e-12)
    np.testing.assert_allclose(shown, reference, rtol=0, atol=1e-12)


def test_c6_the_shown_listings_are_one_line_per_equation():
    """The lesson shows rules.sgd_momentum and rules.nesterov with show_source: short, with the equations."""
    for rule, equation in ((rules.sgd_momentum, "p = p - lr * b"), (rules.nesterov, "p = p - lr * (g + momentum * b)")):
        source = inspect.getsource(rule)
        assert len(source.splitlines()) <= 8 and equation in source and "b = g if b is None else momentum * b + g" in source


def test_c6_momentum_zigzags_less_than_sgd_and_moves_further_along_the_valley():
    sgd = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.95)
    sgd_small = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1)
    momentum = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    # SGD at lr 0.95 multiplies y by 1 - 0.95 * 2 = -0.9: a turn after every one of the 29 inner steps
    assert len(y_turns(sgd)) == 29
    # at lr 0.1 it multiplies y by 1 - 0.1 * 2 = 0.8 > 0: never a turn; and x by 0.99, so it covers
    # 1 - 0.99**30 = 26% ("a quarter") of the way along the valley
    assert len(y_turns(sgd_small)) == 0
    assert sgd_small[-1, 0] == pytest.approx(-7.0 * 0.99**30, rel=1e-12)
    assert 0.2 < 1 - sgd_small[-1, 0] / -7.0 < 0.3
    # momentum turns as often as its swing predicts: once every pi/theta steps
    _, half = swing(0.1, CURVATURE["y"], 0.9)
    assert len(y_turns(momentum)) == int(30 // half) == 4
    assert momentum[-1, 0] > -1.0  # with the same lr it has crossed almost the whole valley


# ---------------------------------------------------------------------------------------------------------
# C7: along x the velocity builds up; along y it swings with a predicted period and damping
# ---------------------------------------------------------------------------------------------------------


def lesson_velocity():
    p = np.array(START)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    velocity, before = [], p.copy()
    for _ in range(30):
        opt.step([BOWL.grad(p)])
        v = -opt.lr * opt.state[0]["b"]
        np.testing.assert_allclose(v, p - before, atol=1e-14)  # the velocity is the step just taken
        before = p.copy()
        velocity.append(v)
    return np.array(velocity)


def test_c7_velocity_matches_the_closed_form_from_the_eigenvalues():
    velocity = lesson_velocity()
    for k, (axis, h) in enumerate(CURVATURE.items()):
        x = closed_form(START[k], 0.1, h, 0.9, 30)
        np.testing.assert_allclose(velocity[:, k], np.diff(x), atol=1e-12)


def test_c7_vx_builds_up_for_11_steps_and_vy_peaks_at_twice_vx():
    vx, vy = lesson_velocity().T
    # the closed form (not the library) says where v_x peaks; the lesson says "grows for 11 steps, 5.5 times"
    closed_vx = np.diff(closed_form(START[0], 0.1, CURVATURE["x"], 0.9, 30))
    assert int(np.argmax(vx)) == int(np.argmax(closed_vx)) == 11
    assert np.all(np.diff(vx[:12]) > 0) and np.all(vx > 0)
    assert vx.max() / vx[0] == pytest.approx(5.5, abs=0.05)
    assert np.abs(vy).max() / vx.max() == pytest.approx(2.0, abs=0.1)  # "twice the largest v_x"
    assert int(np.count_nonzero(np.diff(np.sign(vy)) != 0)) == 4


def test_c7_each_swing_across_the_valley_is_sqrt_mu_to_the_half_period_times_the_last():
    factor, half = swing(0.1, CURVATURE["y"], 0.9)
    assert factor == pytest.approx(math.sqrt(0.9), rel=1e-12)  # complex roots: |r|^2 = their product mu
    path = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    y = path[:, 1]
    turns = y_turns(path)
    np.testing.assert_allclose(np.diff(np.concatenate([[0], turns])), half, atol=0.9)  # a turn every ~6.8 steps
    extremes = np.concatenate([[y[0]], y[turns]])
    ratios = np.abs(extremes[1:] / extremes[:-1])
    np.testing.assert_allclose(ratios, factor**half, atol=0.015)  # printed: 0.70 predicted, 0.71 0.70 0.70 0.70


# ---------------------------------------------------------------------------------------------------------
# C8: the effective step 1/(1 - momentum), the predicted overshoot, ringing, and the stability bound
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu", [0.5, 0.9, 0.99])
def test_c8_step_on_a_steady_slope_follows_the_geometric_series(mu):
    p, lr = np.zeros(1), 0.1
    opt = optim.SGD([p], lr=lr, momentum=mu)
    for t in range(1, 401):
        before = p[0]
        opt.step([np.ones(1)])
        assert (before - p[0]) / lr == pytest.approx((1 - mu**t) / (1 - mu), rel=1e-9)
    assert (before - p[0]) / lr == pytest.approx(1 / (1 - mu), rel=0.02)


@pytest.mark.parametrize("mu", [0.9, 0.99])
def test_c8_the_overshoot_is_predicted_by_the_swing(mu):
    """Started at rest, the ball passes the minimum by about sqrt(mu)^(pi/theta) of its starting distance."""
    x = surfaces.trace_1d(surfaces.quadratic_1d(1.0), optim.SGD, 1.0, 300, lr=0.1, momentum=mu)
    factor, half = swing(0.1, 1.0, mu)
    assert -x.min() == pytest.approx(factor**half, abs=0.01)


def test_c8_large_momentum_overshoots_and_keeps_ringing():
    quad = surfaces.quadratic_1d(1.0)
    sgd = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1)
    mom9 = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1, momentum=0.9)
    mom99 = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1, momentum=0.99)
    assert np.all(sgd > 0)  # plain SGD never passes the minimum here
    assert settle(np.abs(sgd), 0.01) == 44  # x_t = 0.9**t: 0.9**44 < 0.01 < 0.9**43
    assert experiment.steps_to_settle(np.abs(sgd), 0.01) == 44
    assert settle(np.abs(mom9), 0.01) is not None
    assert experiment.steps_to_settle(np.abs(mom99), 0.01) is None  # still swinging after 300 steps
    assert np.abs(mom99[200:]).max() > 0.3


def test_c8_swings_shrink_by_sqrt_momentum_per_step():
    mu, lr, L = 0.99, 0.1, 1.0
    roots = np.roots([1.0, -(1 + mu - lr * L), mu])
    assert np.iscomplexobj(roots)
    np.testing.assert_allclose(np.abs(roots), np.sqrt(mu), rtol=1e-12)
    x = surfaces.trace_1d(surfaces.quadratic_1d(L), optim.SGD, 1.0, 400, lr=lr, momentum=mu)
    ratio = np.abs(x[300:400]).max() / np.abs(x[200:300]).max()
    assert ratio == pytest.approx(np.sqrt(mu) ** 100, rel=0.1)


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
def test_c8_heavy_ball_is_stable_exactly_below_2_1_plus_mu(mu):
    bound = 2 * (1 + mu)
    # the iteration matrix's spectral radius crosses 1 at lr L = 2 (1 + mu), and nowhere below it
    grid = np.linspace(0.001, 1.5 * bound, 3001)
    radius = np.array([np.abs(iteration_eigenvalues(a, 1.0, mu)).max() for a in grid])
    largest_stable = grid[radius < 1].max()
    assert largest_stable == pytest.approx(bound, abs=grid[1] - grid[0])
    assert np.all(radius[grid < bound] < 1)
    # and the library's runs agree: 2% below the bound settles, 2% above blows up (what the lesson prints)
    quad = surfaces.quadratic_1d(1.0)
    below = surfaces.trace_1d(quad, optim.SGD, 1.0, 500, lr=0.98 * bound, momentum=mu)
    above = surfaces.trace_1d(quad, optim.SGD, 1.0, 500, lr=1.02 * bound, momentum=mu)
    assert abs(below[-1]) < 1e-6 and abs(above[-1]) > 1e6


# ---------------------------------------------------------------------------------------------------------
# Why momentum is fast: steps grow like kappa for GD, like sqrt(kappa) for momentum
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def speedup():
    gd = [experiment.best_gd_steps(k) for k in experiment.KAPPAS]
    heavy = [experiment.best_momentum_steps(k) for k in experiment.KAPPAS]
    return gd, heavy


def test_speedup_gd_needs_about_kappa_and_momentum_about_sqrt_kappa_steps(speedup):
    gd, heavy = speedup
    kappas = np.array(experiment.KAPPAS, dtype=float)
    gd_steps, heavy_steps = np.array([g[0] for g in gd]), np.array([h[0] for h in heavy])
    ln_tol = math.log(1 / experiment.TOL)
    # theory (Polyak 1964; Distill "Why Momentum Really Works"): the best factor per step
    gd_theory = ln_tol / -np.log((kappas - 1) / (kappas + 1))
    heavy_theory = ln_tol / -np.log((np.sqrt(kappas) - 1) / (np.sqrt(kappas) + 1))
    assert np.all((0.9 * gd_theory < gd_steps) & (gd_steps < 1.05 * gd_theory))
    assert np.all((heavy_theory < heavy_steps) & (heavy_steps < 1.6 * heavy_theory))  # + the double root's t factor
    assert np.polyfit(np.log(kappas), np.log(gd_steps), 1)[0] == pytest.approx(1.0, abs=0.05)
    assert np.polyfit(np.log(kappas), np.log(heavy_steps), 1)[0] == pytest.approx(0.5, abs=0.06)
    assert gd_steps[-1] / heavy_steps[-1] > 20  # "24 times fewer" at kappa = 1000


def test_speedup_best_momentum_is_close_to_and_a_little_above_the_theory(speedup):
    _, heavy = speedup
    for kappa, (_, _, mu) in zip(experiment.KAPPAS, heavy):
        theory = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
        assert theory <= mu < theory + 0.06
    assert np.all(np.diff([mu for _, _, mu in heavy]) > 0)  # "the best mu grows with kappa"


def test_speedup_grid_count_equals_a_run_of_the_library_class(speedup):
    """The grid runs rules.sgd_momentum on many settings at once; its best setting run alone with
    optim.SGD settles after the same number of steps."""
    _, heavy = speedup
    kappa = experiment.KAPPAS[2]
    steps, lr, mu = heavy[2]
    h = np.array([1 / kappa, 1.0])
    p = np.array(experiment.START, dtype=float)
    opt = optim.SGD([p], lr=lr, momentum=mu)
    distance = [np.hypot(*p)]
    for _ in range(int(steps) + 200):
        opt.step([h * p])
        distance.append(np.hypot(*p))
    assert settle(distance, experiment.TOL * distance[0]) == steps


# ---------------------------------------------------------------------------------------------------------
# C9: Nesterov's look-ahead form and the framework form give the same path
# ---------------------------------------------------------------------------------------------------------


def nesterov_lookahead(grad, start, steps, lr, mu):
    p, v = np.array(start, dtype=float), np.zeros(2)
    points, lookahead, velocity = [p.copy()], [p.copy()], [v.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(p + mu * v)
        p = p + v
        points.append(p.copy())
        lookahead.append(p + mu * v)
        velocity.append(v.copy())
    return np.array(points), np.array(lookahead), np.array(velocity)


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


@pytest.mark.parametrize(
    "surface, grad, start, lr, mu",
    [
        (BOWL, bowl_grad, START, 0.1, 0.9),
        (BOWL, bowl_grad, START, 0.3, 0.95),
        (surfaces.ROSENBROCK, rosenbrock_grad, (-2.0, 2.0), 2e-4, 0.9),
    ],
)
def test_c9_lookahead_form_framework_form_and_the_shown_rule_agree(surface, grad, start, lr, mu):
    framework = surfaces.trace(surface, optim.SGD, start, 200, lr=lr, momentum=mu, nesterov=True)
    shown = rules.run(rules.nesterov, start, surface.grad, 200, lr=lr, momentum=mu)
    assert len(framework) == 201
    _, lookahead, _ = nesterov_lookahead(grad, start, 200, lr, mu)
    scale = max(1.0, np.abs(lookahead).max())
    assert np.abs(framework - lookahead).max() < 1e-12 * scale
    assert np.abs(shown - lookahead).max() < 1e-12 * scale


def test_c9_framework_path_and_the_points_p_t_differ_most_where_the_velocity_is_largest():
    framework = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9, nesterov=True)
    points, _, velocity = nesterov_lookahead(bowl_grad, START, 200, 0.1, 0.9)
    gap = np.abs(framework - points).max(axis=1)
    np.testing.assert_allclose(gap, 0.9 * np.abs(velocity).max(axis=1), atol=1e-12)  # they differ by mu v_t
    assert int(np.argmax(gap)) == int(np.argmax(np.abs(velocity).max(axis=1))) == 3  # not "at the start"
    assert gap[-1] < 1e-4


def test_c9_the_books_nesterov_class_is_a_different_rule():
    framework = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9, nesterov=True)
    p, v, mu, lr = np.array(START), np.zeros(2), 0.9, 0.1
    book = [p.copy()]
    for _ in range(200):
        g = bowl_grad(p)
        v = mu * v - lr * g
        p = p + mu * mu * v - (1 + mu) * lr * g
        book.append(p.copy())
    assert np.abs(np.array(book) - framework).max() > 0.1


# ---------------------------------------------------------------------------------------------------------
# C10: Nesterov overshoots less and settles sooner
# ---------------------------------------------------------------------------------------------------------


def test_c10_nesterov_overshoots_less_and_settles_sooner_on_a_quadratic():
    quad = surfaces.quadratic_1d(1.0)
    mom = surfaces.trace_1d(quad, optim.SGD, -1.0, 200, lr=0.1, momentum=0.9)
    nag = surfaces.trace_1d(quad, optim.SGD, -1.0, 200, lr=0.1, momentum=0.9, nesterov=True)
    assert 0 < nag.max() < mom.max()
    factor, half = swing(0.1, 1.0, 0.9)
    assert mom.max() == pytest.approx(factor**half, abs=0.01)  # momentum's overshoot, predicted
    s_mom, s_nag = settle(np.abs(mom), 0.01), settle(np.abs(nag), 0.01)
    assert s_nag < s_mom
    # settling time scales like 1 / -ln(factor per step): sqrt(0.9) against sqrt(0.9 * 0.9), a ratio of 2
    rho_mom, rho_nag = swing(0.1, 1.0, 0.9)[0], swing(0.1, 1.0, 0.9, nesterov=True)[0]
    assert s_mom / s_nag == pytest.approx(math.log(rho_nag) / math.log(rho_mom), rel=0.2)
    # it keeps momentum's speed: the first step is (1 + mu) * lr * g against lr * g
    assert (nag[1] - nag[0]) == pytest.approx(1.9 * 0.1 * 1.0, rel=1e-12)
    assert (mom[1] - mom[0]) == pytest.approx(0.1 * 1.0, rel=1e-12)


def test_c10_swing_factors_match_the_iteration_matrices():
    mu, lr, L = 0.9, 0.1, 1.0
    heavy = np.abs(np.roots([1.0, -(1 + mu - lr * L), mu]))
    nag = np.abs(np.roots([1.0, -(1 + mu) * (1 - lr * L), mu * (1 - lr * L)]))
    np.testing.assert_allclose(heavy, np.sqrt(mu), rtol=1e-12)
    np.testing.assert_allclose(nag, np.sqrt(mu * (1 - lr * L)), rtol=1e-12)
    x = surfaces.trace_1d(surfaces.quadratic_1d(L), optim.SGD, -1.0, 200, lr=lr, momentum=mu, nesterov=True)
    ratio = np.abs(x[100:150]).max() / np.abs(x[50:100]).max()
    assert ratio == pytest.approx(nag[0] ** 50, rel=0.2)


def test_c10_on_the_bowl_nesterov_also_brakes_better_but_gains_less():
    mom = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9)
    nag = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9, nesterov=True)
    assert 0 < nag[:, 0].max() < mom[:, 0].max()  # both overshoot along x; Nesterov less
    s_mom, s_nag = settle(np.hypot(*mom.T), 0.1), settle(np.hypot(*nag.T), 0.1)
    assert s_nag < s_mom
    # "the gain along x is smaller": lr L = 0.01 there, so sqrt(mu (1 - lr L)) is close to sqrt(mu)
    quad = surfaces.quadratic_1d(1.0)
    gain_1d = settle(np.abs(surfaces.trace_1d(quad, optim.SGD, -1.0, 200, lr=0.1, momentum=0.9)), 0.01) / settle(
        np.abs(surfaces.trace_1d(quad, optim.SGD, -1.0, 200, lr=0.1, momentum=0.9, nesterov=True)), 0.01)
    assert s_mom / s_nag < gain_1d


def test_c10_nesterov_is_momentum_whose_gradient_gains_its_own_change():
    """Delta p_t = mu * Delta p_(t-1) - lr * (g_t + mu * (g_t - g_(t-1))), with g_t the gradient at p_(t-1)."""
    mu, lr = 0.9, 0.1
    path = surfaces.trace(BOWL, optim.SGD, START, 50, lr=lr, momentum=mu, nesterov=True)
    step = np.diff(path, axis=0)
    g = np.array([bowl_grad(p) for p in path[:-1]])
    for t in range(1, 50):
        np.testing.assert_allclose(step[t], mu * step[t - 1] - lr * (g[t] + mu * (g[t] - g[t - 1])), atol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# C11: how much momentum: the bowl, and the digits sweep at equal effective learning rates
# ---------------------------------------------------------------------------------------------------------

BOWL_MOMENTA = (0.5, 0.9, 0.95, 0.99)


def test_c11_on_the_bowl_0_9_settles_first_and_the_slowest_root_predicts_when():
    d0 = math.hypot(*START)
    measured = {}
    for mu in BOWL_MOMENTA:
        path, _ = heavy_ball(bowl_grad, START, 1500, 0.1, mu)
        measured[mu] = settle(np.hypot(*path.T), 0.01)
        library = surfaces.trace(BOWL, optim.SGD, START, 1500, lr=0.1, momentum=mu)
        assert experiment.steps_to_settle(np.hypot(*library.T), 0.01) == measured[mu]
        slowest = max(np.abs(iteration_eigenvalues(0.1, h, mu)).max() for h in CURVATURE.values())
        assert measured[mu] == pytest.approx(math.log(d0 / 0.01) / -math.log(slowest), rel=0.03)
    assert min(measured, key=measured.get) == 0.9
    assert measured[0.9] < measured[0.95] < measured[0.99]


def test_c11_exercise_3s_critical_momentum_on_the_bowl():
    """The folded solution of exercise 3: at lr 0.1 the critical momentum of the gentle direction (lr L = 0.01)
    is (1 - 0.1)^2 = 0.81; |x| stays within 7/1000 from step 88 on (the pure rate 0.9 predicts 66), and the
    bowl settles within 0.01 after 84 steps, against 122 for momentum 0.9."""
    mu = (1 - math.sqrt(0.1 * CURVATURE["x"])) ** 2
    assert mu == pytest.approx(0.81, rel=1e-12)
    assert math.log(1000) / -math.log(0.9) == pytest.approx(66, abs=0.5)
    path, _ = heavy_ball(bowl_grad, START, 400, 0.1, mu)
    assert settle(np.abs(path[:, 0]), 7e-3) == 88
    assert settle(np.hypot(*path.T), 0.01) == 84
    library = surfaces.trace(BOWL, optim.SGD, START, 400, lr=0.1, momentum=mu)
    assert experiment.steps_to_settle(np.hypot(*library.T), 0.01) == 84
    slow, _ = heavy_ball(bowl_grad, START, 400, 0.1, 0.9)
    assert settle(np.hypot(*slow.T), 0.01) == 122


@pytest.fixture(scope="module")
def sweep():
    return experiment.momentum_sweep()


@pytest.mark.parametrize("momentum, effective_lr, seed", [(0.9, 1.0, 0), (0.5, 10.0, 1), (0.99, 3.0, 2), (0.9, 1e3, 0)])
def test_c11_sweep_run_is_train_fit_without_the_per_epoch_scoring(momentum, effective_lr, seed):
    """The sweep's lean loop gives exactly train.fit's validation loss, also far outside the grid (eff. lr 1000)."""
    split = experiment.digits_validation_split()
    X_fit, X_val, y_fit, y_val = split
    model = nn.MLP(experiment.SIZES, activation="relu", init="he_normal", rng=np.random.default_rng(seed))
    opt = optim.SGD(model.params, lr=effective_lr * (1 - momentum), momentum=momentum)
    history = train.fit(model, opt, X_fit, y_fit, epochs=experiment.EPOCHS, batch_size=experiment.BATCH_SIZE,
                        rng=np.random.default_rng(1000 + seed), X_test=X_val, y_test=y_val)
    expected = math.inf if history.diverged else history.test_loss[-1]
    assert experiment.sweep_run(split, momentum, effective_lr, seed) == expected


def test_c11_validation_split_is_held_out_of_training_and_test_is_untouched():
    X_fit, X_val, y_fit, y_val = experiment.digits_validation_split()
    X_train, X_test, y_train, _ = data.load_digits(seed=0)
    assert len(y_fit) + len(y_val) == len(y_train) == 1347 and len(y_val) == experiment.VALIDATION_SIZE
    rows = {row.tobytes() for row in X_train}
    assert all(row.tobytes() in rows for row in np.concatenate([X_fit, X_val]))  # only training digits
    fit_rows = {row.tobytes() for row in X_fit}
    assert not any(row.tobytes() in fit_rows for row in X_val)  # validation held out of fitting


def test_c11_every_momentum_has_its_best_effective_lr_inside_the_grid(sweep):
    mean = sweep.mean(axis=2)
    best = np.argmin(mean, axis=0)
    assert np.all((best > 0) & (best < len(experiment.EFFECTIVE_LRS) - 1))
    for k in range(sweep.shape[2]):  # and on every seed
        per_seed = np.argmin(sweep[:, :, k], axis=0)
        assert np.all((per_seed > 0) & (per_seed < len(experiment.EFFECTIVE_LRS) - 1))


def test_c11_at_equal_effective_lr_0_5_to_0_95_form_a_plateau_and_0_99_lags(sweep):
    mean = sweep.mean(axis=2)
    j = {mu: experiment.MOMENTA.index(mu) for mu in experiment.MOMENTA}
    middle = [j[0.5], j[0.9], j[0.95]]
    best = np.argmin(mean, axis=0)
    assert len({int(best[m]) for m in middle}) == 1  # the same best effective lr for 0.5, 0.9, 0.95
    at_best = mean.min(axis=0)
    assert at_best[middle].max() - at_best[middle].min() < 0.1  # "about equally well"
    assert at_best[j[0.99]] > at_best[middle].max()  # "0.99 lags even at its best", in the mean
    per_seed_best = sweep.min(axis=0)  # (momenta, seeds)
    assert np.all(per_seed_best[j[0.9]] < per_seed_best[j[0.99]])  # "0.9 at its best beats it on every seed"


def test_c11_larger_momentum_tolerates_larger_and_needs_longer_at_small_effective_lr(sweep):
    eff = {e: i for i, e in enumerate(experiment.EFFECTIVE_LRS)}
    j = {mu: experiment.MOMENTA.index(mu) for mu in experiment.MOMENTA}
    chance = math.log(10)
    # at effective lr 3: 0.5 barely learns (loss above 1 on every seed, near chance on average), 0.9 and above
    # learn (below 1 on every seed)
    assert np.all(sweep[eff[3.0], j[0.5]] > 1.0)
    assert sweep[eff[3.0], j[0.5]].mean() > 0.8 * chance
    assert np.all(sweep[eff[3.0], [j[0.9], j[0.95], j[0.99]]] < 1.0)
    # at effective lr 0.3 the loss grows with momentum, on every seed (the slow start, ~1/(1 - mu) steps)
    assert np.all(np.diff(sweep[eff[0.3]], axis=0) > 0)


# ---------------------------------------------------------------------------------------------------------
# C12: the note's settings; decay (a schedule) against weight_decay (L2)
# ---------------------------------------------------------------------------------------------------------


def test_c12_note_settings_match_an_independent_nesterov_with_time_decay():
    """SGD(lr=0.1, momentum=0.95, nesterov=True) + TimeDecay against torch's rule written out here."""
    lr0, mu, decay = 0.1, 0.95, 0.01
    p = np.array(START)
    opt = optim.SGD([p], lr=lr0, momentum=mu, nesterov=True)
    schedule = schedules.TimeDecay(opt, decay=decay)
    q, b = np.array(START), np.zeros(2)
    for k in range(300):
        assert opt.lr == pytest.approx(lr0 / (1 + decay * k), rel=1e-15)
        opt.step([bowl_grad(p)])
        schedule.step()
        g = bowl_grad(q)
        b = mu * b + g
        q = q - lr0 / (1 + decay * k) * (g + mu * b)
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_c12_note_settings_train_the_digits_network_on_every_seed():
    assert experiment.NOTE_SETTINGS == {"lr": 0.1, "momentum": 0.95, "nesterov": True}  # the note's line
    for seed in experiment.SEEDS:
        history, opt, schedule = experiment.note_settings_run(seed)
        n_updates = 3 * (1347 // 32)  # 42 full batches per epoch; the remainder of 3 digits is dropped
        assert schedule.k == n_updates == 126
        assert opt.lr == pytest.approx(0.1 / (1 + 1e-3 * n_updates), rel=1e-12)
        assert history.test_acc[-1] > 0.9


def run_scalar(steps, decay=0.0, weight_decay=0.0):
    w = np.zeros(1)
    opt = optim.SGD([w], lr=0.1, weight_decay=weight_decay)
    schedule = schedules.TimeDecay(opt, decay=decay)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.lr)
        opt.step([w - 3.0])
        schedule.step()
    return float(w[0]), lrs


def test_c12_decay_shrinks_the_learning_rate_but_keeps_the_minimum():
    w, lrs = run_scalar(150, decay=0.05)
    assert lrs[-1] == pytest.approx(0.1 / (1 + 0.05 * 149), rel=1e-12)
    assert 2.9 < w < 3.0  # still on its way to 3, with shrinking steps
    # each step multiplies the distance to 3 by (1 - lr_k): a product that still goes to 0 (sum of lr_k diverges)
    w_long, _ = run_scalar(5000, decay=0.05)
    remaining = 3.0 * np.prod([1 - 0.1 / (1 + 0.05 * k) for k in range(5000)])
    assert w_long == pytest.approx(3.0 - remaining, rel=1e-12)
    assert 3.0 - w_long < 1e-4  # the schedule does not move the minimum


def test_c12_weight_decay_keeps_the_learning_rate_but_moves_the_minimum():
    w, lrs = run_scalar(150, weight_decay=0.5)
    assert all(lr == 0.1 for lr in lrs)
    assert w == pytest.approx(2.0 * (1 - 0.85**150), rel=1e-12)  # w' = w - 0.1 (w - 3 + 0.5 w) = 0.85 w + 0.3
    assert w == pytest.approx(3.0 / (1 + 0.5), abs=1e-9)  # the minimum of (w-3)^2/2 + 0.25 w^2
    w_plain, _ = run_scalar(150)
    assert w_plain == pytest.approx(3.0 * (1 - 0.9**150), rel=1e-12)  # plain SGD heads for 3 itself


def test_c12_weight_decay_is_the_gradient_of_an_l2_penalty():
    rng = np.random.default_rng(0)
    p0, g = rng.normal(size=5), rng.normal(size=5)
    p = p0.copy()
    optim.SGD([p], lr=0.2, weight_decay=0.3).step([g])
    np.testing.assert_allclose(p, p0 - 0.2 * (g + 0.3 * p0), rtol=1e-14)


# ---------------------------------------------------------------------------------------------------------
# The explorer redraws (its speed is make bench's job, not a test's)
# ---------------------------------------------------------------------------------------------------------


def test_explorer_redraws_and_its_picture_changes():
    explorer = momentum_explorer()
    first = explorer.png
    assert first
    for change in ({"momentum": 0.5}, {"nesterov": True}, {"lr": 0.2}, {"surface": "Rosenbrock"}):
        before = explorer.png
        explorer.set(**change)
        assert explorer.status.value == "" and explorer.png != before
