"""Lesson 01's claims (C1-C3), asserted on the library with numbers computed independently.

C1 full-batch GD touches the whole data set for every step: cost and memory grow with N.
C2 the learning rate is hard to pick; GD on a quadratic is stable exactly for lr < 2/L.
C3 GD ends in the basin it starts in (local or global); near a saddle it crawls; in high dimensions
   most critical points are saddles.
"""

import math
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lessons_lib import data, nn, optim, surfaces, widgets
from lessons_lib.exercises import lesson01

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
    for n in (100, 1797, 30000):
        X, y = data.make_classification_blobs(n, n_features=64, n_classes=10, seed=0)
        outputs = model.forward(X)[1:]
        _, grads = model.loss_and_grads(X, y)
        touched = (X.nbytes + y.nbytes + 2 * sum(a.nbytes for a in outputs)
                   + sum(p.nbytes for p in model.params) + sum(g.nbytes for g in grads))
        assert touched == per_sample * n + fixed
    assert per_sample == 680 and fixed == 10400  # the numbers lesson 01 prints


def _fastest_step_seconds(X, y, repeats=7):
    model = softmax_regression()
    optimizer = optim.SGD(model.params, lr=0.1)
    best = math.inf
    with threadpool_limits(limits=1):  # multi-threaded BLAS stalls unpredictably on a busy machine
        for _ in range(repeats):
            start = time.perf_counter()
            _, grads = model.loss_and_grads(X, y)
            optimizer.step(grads)
            best = min(best, time.perf_counter() - start)
    return best


def test_c1_time_of_one_step_grows_with_n():
    X, y = data.make_classification_blobs(30000, n_features=64, n_classes=10, seed=0)
    small = _fastest_step_seconds(X[:1000], y[:1000])
    large = _fastest_step_seconds(X, y)
    # 30 times the data; a generous margin for per-call overhead and a busy machine.
    assert large > 5 * small


# ---------------------------------------------------------------------------------------------------------
# C2: the learning rate and the stability bound
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


def test_c2_the_sweep_of_lesson01_puts_the_boundary_at_half():
    quad = surfaces.quadratic_1d(4.0)
    lrs = np.round(np.arange(0.01, 0.705, 0.01), 2)
    factor = np.array([abs(surfaces.trace_1d(quad, optim.SGD, 1.0, 50, lr=lr)[-1]) ** (1 / 50) for lr in lrs])
    assert np.allclose(factor, np.abs(1 - 4.0 * lrs), rtol=0, atol=1e-9)
    assert lrs[factor < 1].max() == pytest.approx(0.49)
    assert lrs[factor > 1].min() == pytest.approx(0.51)


def _largest_curvature(surface, point, h=1e-5):
    """Largest Hessian eigenvalue by central differences of the analytic gradient."""
    point = np.asarray(point, dtype=float)
    H = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        H[:, j] = (surface.grad(point + e) - surface.grad(point - e)) / (2 * h)
    return float(np.linalg.eigvalsh((H + H.T) / 2).max())


def test_c2_three_learning_rates_crawl_converge_and_diverge_on_the_2d_quadratic():
    surface = surfaces.ILL_CONDITIONED
    L = _largest_curvature(surface, (0.3, -0.2))
    assert L == pytest.approx(4.0, rel=1e-6)
    bound = 2 / L
    f0 = surface.value((-5, -2))
    end = {lr: surface.value(surfaces.trace(surface, optim.SGD, (-5, -2), 50, lr=lr)[-1])
           for lr in (0.02, 0.4, 0.49, 0.55)}
    assert 0.02 < 0.4 < 0.49 < bound < 0.55
    assert end[0.02] > 1.0                 # too small: crawls (still above 1 after 50 steps)
    assert end[0.4] < 1e-3                 # good
    assert 1e-3 < end[0.49] < 1.0          # near the bound: converging, slowly
    assert end[0.55] > 1e6 * f0            # too large: the loss grows


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
    for x0 in (-1.8, 0.0, hill - 0.05, hill + 0.05, 0.6, 2.0):
        end = surfaces.trace_1d(fn, optim.SGD, x0, 300, lr=0.1)[-1]
        expected = global_min if x0 < hill else local_min
        assert end == pytest.approx(expected, abs=1e-4), f"start {x0}"


def test_c3_on_the_2d_surface_starts_on_both_sides_of_the_saddle_split():
    surface = surfaces.TWO_BASIN
    ends = {start: surfaces.trace(surface, optim.SGD, start, 100, lr=0.1)[-1]
            for start in [(-1.8, 1.5), (0.1, -1.5), (0.5, 1.5), (2.0, -1.0)]}
    assert np.allclose(ends[(-1.8, 1.5)], (-1, 0), atol=1e-3)
    assert np.allclose(ends[(0.1, -1.5)], (-1, 0), atol=1e-3)
    assert np.allclose(ends[(0.5, 1.5)], (1, 0), atol=1e-3)
    assert np.allclose(ends[(2.0, -1.0)], (1, 0), atol=1e-3)
    assert surface.value((1, 0)) > surface.value((-1, 0))


def test_c3_gd_crawls_near_a_saddle_longer_the_closer_it_starts_to_the_ridge():
    saddle = surfaces.SADDLE
    near = {}
    for y0 in (1e-3, 1e-6, 1e-9):
        path = surfaces.trace(saddle, optim.SGD, (-1.5, y0), 200, lr=0.1)
        near[y0] = int(np.sum(np.linalg.norm(path, axis=1) < 0.1))
    predicted = math.log(1000) / math.log(1 + 2 * 0.1)  # y grows by 1 + 2 lr per step near the saddle
    assert near[1e-6] - near[1e-3] == pytest.approx(predicted, abs=3)
    assert near[1e-9] - near[1e-6] == pytest.approx(predicted, abs=3)
    # Exactly on the ridge, GD converges to the saddle, which is not a minimum.
    stuck = surfaces.trace(saddle, optim.SGD, (-1.5, 0.0), 200, lr=0.1)[-1]
    assert np.linalg.norm(stuck) < 1e-10
    H = np.array([[2.0, 0.0], [0.0, -2.0]])  # Hessian of x^2 - y^2 + y^4/4 at (0, 0), by hand
    assert np.linalg.eigvalsh(H).min() < 0 < _largest_curvature(saddle, (0.0, 0.0))


def test_c3_random_critical_points_are_mostly_saddles_in_high_dimensions():
    rng = np.random.default_rng(0)
    share_min = {}
    for d in range(1, 7):
        A = rng.normal(size=(10000, d, d))
        eig = np.linalg.eigvalsh((A + A.transpose(0, 2, 1)) / 2)
        share_min[d] = float(np.mean(eig[:, 0] > 0))
    assert share_min[1] == pytest.approx(0.5, abs=0.02)
    assert all(share_min[d + 1] < share_min[d] for d in range(1, 5))
    assert share_min[2] < 0.25 and share_min[4] < 0.01 and share_min[6] < 0.001


# ---------------------------------------------------------------------------------------------------------
# The explorers redraw fast enough
# ---------------------------------------------------------------------------------------------------------


def test_explorer_1d_redraws_within_100_ms():
    explorer = lesson01.explorer_1d()
    changes = [{"lr": 0.45}, {"lr": 0.55}, {"x0": -1.2}, {"function": "double well"}, {"lr": 0.2}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100


def test_explorer_2d_redraws_within_100_ms():
    explorer = lesson01.explorer_2d()
    changes = [{"lr": 0.45}, {"lr": 0.55}, {"x0": -1.2}, {"y0": 0.0}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100


def test_explorer_1d_shows_divergence_above_the_bound():
    explorer = lesson01.explorer_1d()
    explorer.set(function="quadratic 2x^2 (L = 4)", lr=0.55, x0=1.5)
    assert explorer.handle["message"].get_text() == "the loss grew: diverging"
    explorer.set(lr=0.45)
    assert explorer.handle["message"].get_text() == f"x_30 = {1.5 * (1 - 0.45 * 4) ** 30:.3f}"
