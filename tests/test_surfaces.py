"""Tests of lessons_lib.surfaces: values, gradients, critical points, and the runner.

Expected values come from outside the code under test: the formulas as written in the docstrings and
lessons (re-typed here), central finite differences, and closed-form gradient-descent paths.
"""

import math
import warnings

import numpy as np
import pytest

from lessons_lib import surfaces as S
from lessons_lib.optim import SGD
from lessons_lib.schedules import TimeDecay

# The formulas, typed again from the lesson text (not taken from the module).
FORMULAS = {
    "bowl": lambda x, y: x**2 / 20 + y**2,
    "ill_conditioned": lambda x, y: 0.1 * x**2 + 2 * y**2,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "saddle": lambda x, y: x**2 - y**2 + y**4 / 4,
    "two_basin": lambda x, y: x**4 / 4 - 0.1 * x**3 - x**2 / 2 + 0.3 * x + y**2,
}
ALL = list(S.SURFACES.items())
IDS = list(S.SURFACES)


def random_points(surface, n, seed):
    rng = np.random.default_rng(seed)
    xs = rng.uniform(*surface.xlim, n)
    ys = rng.uniform(*surface.ylim, n)
    return np.stack([xs, ys], axis=1)


def central_difference_grad(f, p, h=1e-6):
    """df/dx, df/dy by central differences of the scalar function f(x, y)."""
    x, y = p
    hx, hy = h * (1 + abs(x)), h * (1 + abs(y))
    return np.array([
        (f(x + hx, y) - f(x - hx, y)) / (2 * hx),
        (f(x, y + hy) - f(x, y - hy)) / (2 * hy),
    ])


def hessian_from_grad(surface, p, h=1e-5):
    """The Hessian by central differences of the analytic gradient (symmetrised)."""
    H = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        H[:, j] = (surface.grad(p + e) - surface.grad(p - e)) / (2 * h)
    return (H + H.T) / 2


def test_every_surface_has_a_formula_here():
    assert set(FORMULAS) == set(S.SURFACES)


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_values_match_the_formula(key, surface):
    pts = random_points(surface, 50, seed=1)
    expected = FORMULAS[key](pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(surface.values(pts), expected, rtol=1e-13, atol=1e-13)
    for p, e in zip(pts[:5], expected[:5]):
        assert surface.value(p) == pytest.approx(e, rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_f_is_vectorised_over_a_grid(key, surface):
    X, Y = np.meshgrid(np.linspace(*surface.xlim, 7), np.linspace(*surface.ylim, 5))
    Z = surface.f(X, Y)
    assert Z.shape == (5, 7)
    assert Z[3, 4] == pytest.approx(surface.value((X[3, 4], Y[3, 4])), rel=1e-14)


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_gradient_matches_central_differences(key, surface):
    f = FORMULAS[key]
    for p in random_points(surface, 25, seed=2):
        g = surface.grad(p)
        fd = central_difference_grad(f, p)
        assert g.shape == (2,) and g.dtype == np.float64
        assert np.linalg.norm(g - fd) / max(np.linalg.norm(g), 1e-3) < 1e-6, (p, g, fd)


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_minima_have_zero_gradient_and_positive_curvature(key, surface):
    assert len(surface.minima) >= 1
    for m in surface.minima:
        assert np.linalg.norm(surface.grad(m)) < 1e-12
        eigenvalues = np.linalg.eigvalsh(hessian_from_grad(surface, m))
        assert eigenvalues.min() > 0.05, eigenvalues
        # every neighbour a little way off is higher
        f0 = surface.value(m)
        for angle in np.linspace(0, 2 * np.pi, 12, endpoint=False):
            d = 1e-3 * np.array([np.cos(angle), np.sin(angle)])
            assert surface.value(m + d) > f0


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_global_minimum_is_the_lowest_point_in_the_window(key, surface):
    assert any(np.array_equal(surface.global_minimum, m) for m in surface.minima)
    f_min = surface.value(surface.global_minimum)
    assert surface.min_value == f_min
    assert all(surface.value(m) >= f_min for m in surface.minima)
    X, Y = np.meshgrid(np.linspace(*surface.xlim, 401), np.linspace(*surface.ylim, 401))
    assert FORMULAS[key](X, Y).min() >= f_min - 1e-12


def test_known_minimum_values():
    assert S.BOWL.min_value == 0.0
    assert S.ILL_CONDITIONED.min_value == 0.0
    assert S.ROSENBROCK.min_value == 0.0
    assert S.SADDLE.min_value == pytest.approx(-1.0, abs=1e-15)
    # f(-1) = 1/4 + 0.1 - 1/2 - 0.3 and f(1) = 1/4 - 0.1 - 1/2 + 0.3
    assert S.TWO_BASIN.min_value == pytest.approx(-0.45, abs=1e-15)
    local = [m for m in S.TWO_BASIN.minima if not np.array_equal(m, S.TWO_BASIN.global_minimum)]
    assert len(local) == 1 and S.TWO_BASIN.value(local[0]) == pytest.approx(-0.05, abs=1e-15)
    np.testing.assert_allclose(S.SADDLE.minima, [[0, math.sqrt(2)], [0, -math.sqrt(2)]], atol=1e-15)


@pytest.mark.parametrize("surface", [S.SADDLE, S.TWO_BASIN], ids=["saddle", "two_basin"])
def test_saddles_have_zero_gradient_and_indefinite_hessian(surface):
    assert len(surface.saddles) == 1
    for s in surface.saddles:
        assert np.linalg.norm(surface.grad(s)) < 1e-12
        eigenvalues = np.linalg.eigvalsh(hessian_from_grad(surface, s))
        assert eigenvalues.min() < -0.1 and eigenvalues.max() > 0.1, eigenvalues


@pytest.mark.parametrize("key, surface", ALL, ids=IDS)
def test_start_window_and_levels_are_sensible(key, surface):
    assert surface.xlim[0] < surface.start[0] < surface.xlim[1]
    assert surface.ylim[0] < surface.start[1] < surface.ylim[1]
    for m in surface.minima:
        assert surface.xlim[0] < m[0] < surface.xlim[1] and surface.ylim[0] < m[1] < surface.ylim[1]
    assert np.all(np.diff(surface.levels) > 0)
    assert surface.levels[0] > surface.min_value
    assert isinstance(surface.tex, str) and "f(x, y)" in surface.tex


def test_the_documented_starts():
    np.testing.assert_array_equal(S.BOWL.start, [-7, 2])
    np.testing.assert_array_equal(S.ILL_CONDITIONED.start, [-5, -2])
    np.testing.assert_array_equal(S.ROSENBROCK.start, [-2, 2])
    np.testing.assert_array_equal(S.ROSENBROCK.global_minimum, [1, 1])


# ----------------------------------------------------------------------------------------------------------
# 1-D functions
# ----------------------------------------------------------------------------------------------------------
def two_basin_1d(x):
    return x**4 / 4 - 0.1 * x**3 - x**2 / 2 + 0.3 * x


def test_two_basin_1d_values_and_derivative():
    fn = S.TWO_BASIN_1D
    xs = np.random.default_rng(3).uniform(*fn.xlim, 40)
    np.testing.assert_allclose(fn.f(xs), two_basin_1d(xs), rtol=1e-13, atol=1e-13)
    h = 1e-6
    fd = (two_basin_1d(xs + h) - two_basin_1d(xs - h)) / (2 * h)
    np.testing.assert_allclose(fn.grad(xs), fd, rtol=1e-6, atol=1e-8)
    assert fn.grad(np.array([2.0])).shape == (1,)


def test_two_basin_1d_critical_points():
    fn = S.TWO_BASIN_1D
    h = 1e-5
    curvature = lambda x: (fn.df(x + h) - fn.df(x - h)) / (2 * h)  # noqa: E731
    assert sorted(fn.minima) == [-1.0, 1.0] and fn.global_minimum == -1.0
    for m in fn.minima:
        assert abs(fn.df(m)) < 1e-15 and curvature(m) > 1.0
    for top in fn.maxima:
        assert abs(fn.df(top)) < 1e-15 and curvature(top) < -0.5
    assert fn.value(-1.0) == pytest.approx(-0.45, abs=1e-15)
    assert fn.value(1.0) == pytest.approx(-0.05, abs=1e-15)
    xs = np.linspace(*fn.xlim, 2001)
    assert two_basin_1d(xs).min() >= fn.min_value - 1e-12


@pytest.mark.parametrize("L", [0.5, 1.0, 4.0])
def test_quadratic_1d(L):
    fn = S.quadratic_1d(L)
    xs = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(fn.f(xs), L / 2 * xs**2)
    np.testing.assert_allclose(fn.grad(xs), L * xs)
    assert fn.minima == (0.0,) and fn.min_value == 0.0


@pytest.mark.parametrize("L", [0, -1.0, float("nan"), "2"])
def test_quadratic_1d_rejects_bad_curvature(L):
    with pytest.raises((ValueError, TypeError), match="L"):
        S.quadratic_1d(L)


# ----------------------------------------------------------------------------------------------------------
# The runner
# ----------------------------------------------------------------------------------------------------------
def test_trace_shape_start_row_and_determinism():
    start = np.array([-7.0, 2.0])
    path = S.trace(S.BOWL, SGD, start, 30, lr=0.95)
    assert path.shape == (31, 2)
    np.testing.assert_array_equal(path[0], start)
    np.testing.assert_array_equal(start, [-7.0, 2.0])  # the caller's start is not moved
    np.testing.assert_array_equal(path, S.trace(S.BOWL, SGD, (-7, 2), 30, lr=0.95))
    np.testing.assert_array_equal(path, S.trace(S.BOWL, SGD, None, 30, lr=0.95))  # None: surface.start


def test_trace_gd_on_a_quadratic_matches_the_closed_form():
    # f = 0.1 x^2 + 2 y^2 has curvatures 0.2 and 4, so GD multiplies x by (1 - 0.2 lr), y by (1 - 4 lr).
    lr, steps = 0.4, 25
    path = S.trace(S.ILL_CONDITIONED, SGD, (-5.0, -2.0), steps, lr=lr)
    k = np.arange(steps + 1)
    np.testing.assert_allclose(path[:, 0], -5.0 * (1 - 0.2 * lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], -2.0 * (1 - 4 * lr) ** k, rtol=1e-12, atol=1e-300)


def test_trace_1d_matches_the_closed_form_and_the_stability_bound():
    L = 2.0
    fn = S.quadratic_1d(L)
    for lr in (0.3, 0.9, 1.1):  # 2/L = 1.0: below it |1 - lr L| < 1, above it > 1
        path = S.trace_1d(fn, SGD, 1.0, 20, lr=lr)
        assert path.shape == (21,)
        np.testing.assert_allclose(path, (1 - lr * L) ** np.arange(21), rtol=1e-12)
        assert (abs(path[-1]) < 1.0) == (lr < 2 / L)


def test_trace_with_a_time_decay_schedule():
    # x_{k+1} = (1 - lr_k L) x_k with lr_k = lr / (1 + decay k)
    L, lr, decay, steps = 1.0, 0.5, 0.2, 15
    path = S.trace_1d(S.quadratic_1d(L), SGD, 1.0, steps, schedule=lambda opt: TimeDecay(opt, decay), lr=lr)
    expected = [1.0]
    for k in range(steps):
        expected.append(expected[-1] * (1 - lr / (1 + decay * k) * L))
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_trace_stops_at_divergence_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = S.trace(S.ROSENBROCK, SGD, None, 200, lr=0.02)
    assert 1 < len(path) < 201
    assert np.all(np.isfinite(path))
    assert np.abs(path[-1]).max() > 1e6  # it really was running away


def test_trace_momentum_state_is_used():
    # heavy ball: b_k = mu b_{k-1} + g_k, x_{k+1} = x_k - lr b_k, on f = L/2 x^2 (g = L x)
    L, lr, mu = 1.0, 0.1, 0.9
    path = S.trace_1d(S.quadratic_1d(L), SGD, 1.0, 10, lr=lr, momentum=mu)
    x, b, expected = 1.0, 0.0, [1.0]
    for _ in range(10):
        b = mu * b + L * x
        x = x - lr * b
        expected.append(x)
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_gd_finds_the_basin_of_its_start():
    right = S.trace(S.TWO_BASIN, SGD, (2.0, 1.0), 300, lr=0.1)
    left = S.trace(S.TWO_BASIN, SGD, (-2.0, 1.0), 300, lr=0.1)
    np.testing.assert_allclose(right[-1], [1.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(left[-1], [-1.0, 0.0], atol=1e-6)
    one_d = S.trace_1d(S.TWO_BASIN_1D, SGD, None, 300, lr=0.1)
    assert one_d[0] == S.TWO_BASIN_1D.start and one_d[-1] == pytest.approx(1.0, abs=1e-6)


def test_a_start_on_the_saddles_stable_axis_stays_at_the_saddle():
    on_axis = S.trace(S.SADDLE, SGD, (-1.5, 0.0), 200, lr=0.1)
    np.testing.assert_allclose(on_axis[-1], [0.0, 0.0], atol=1e-12)
    off_axis = S.trace(S.SADDLE, SGD, None, 200, lr=0.1)
    np.testing.assert_allclose(off_axis[-1], [0.0, math.sqrt(2)], atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        (dict(steps=0), ValueError, "steps"),
        (dict(steps=-3), ValueError, "steps"),
        (dict(steps=2.5), TypeError, "steps"),
        (dict(steps=True), TypeError, "steps"),
        (dict(start=(1.0, 2.0, 3.0)), ValueError, "start"),
        (dict(start=(1.0, float("nan"))), ValueError, "start"),
        (dict(start=(1.0, float("inf"))), ValueError, "start"),
        (dict(start="ab"), TypeError, "start"),
        (dict(optimizer_cls=SGD([np.zeros(2)], lr=0.1)), TypeError, "optimizer_cls"),
        (dict(optimizer_cls=lambda params, lr: None), TypeError, "optimizer_cls"),
        (dict(surface=S.TWO_BASIN_1D), TypeError, "Surface"),
        (dict(schedule=0.1), TypeError, "schedule"),
    ],
)
def test_trace_rejects_bad_arguments(kwargs, error, word):
    args = dict(surface=S.BOWL, optimizer_cls=SGD, start=(-7.0, 2.0), steps=10) | kwargs
    schedule = args.pop("schedule", None)
    with pytest.raises(error, match=word):
        S.trace(args["surface"], args["optimizer_cls"], args["start"], args["steps"],
                schedule=schedule, lr=0.1)


def test_unknown_hyperparameter_is_the_optimizers_type_error():
    with pytest.raises(TypeError):
        S.trace(S.BOWL, SGD, None, 5, learning_rate=0.1)


@pytest.mark.parametrize("start, error", [((1.0, 2.0), TypeError), (np.array([1.0]), TypeError),
                                          (True, TypeError), (float("nan"), ValueError)])
def test_trace_1d_rejects_bad_starts(start, error):
    with pytest.raises(error, match="start"):
        S.trace_1d(S.TWO_BASIN_1D, SGD, start, 5, lr=0.1)


def test_trace_1d_rejects_a_surface():
    with pytest.raises(TypeError, match="Function1D"):
        S.trace_1d(S.BOWL, SGD, 1.0, 5, lr=0.1)


def test_steps_to_reach():
    path = np.array([[3.0, 0.0], [2.0, 0.0], [0.5, 0.0], [0.05, 0.0], [0.2, 0.0]])
    assert S.steps_to_reach(path, (0.0, 0.0), 0.1) == 3
    assert S.steps_to_reach(path, (0.0, 0.0), 1.0) == 2
    assert S.steps_to_reach(path, (0.0, 0.0), 0.01) is None
    assert S.steps_to_reach(path, (3.0, 0.0), 1e-9) == 0
    assert S.steps_to_reach(np.array([1.0, 0.5, 0.1]), 0.0, 0.2) == 2  # 1-D paths
    assert isinstance(S.steps_to_reach(path, (0.0, 0.0), 0.1), int)


@pytest.mark.parametrize("tol, error", [(0.0, ValueError), (-1.0, ValueError), ("0.1", TypeError)])
def test_steps_to_reach_rejects_bad_tolerance(tol, error):
    with pytest.raises(error, match="tol"):
        S.steps_to_reach(np.zeros((3, 2)), (0.0, 0.0), tol)


def test_steps_to_reach_rejects_mismatched_target():
    with pytest.raises(ValueError, match="shape"):
        S.steps_to_reach(np.zeros((3, 2)), (0.0, 0.0, 0.0), 0.1)
