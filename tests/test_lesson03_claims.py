"""Lesson 03's claims (C6-C12), asserted on the library.

Where the lesson prints a number, the test recomputes it here from the equations (own loops, closed forms,
eigenvalues of the iteration matrix) instead of trusting the code under test, and checks the claim the
lesson draws from it.
"""

import numpy as np
import pytest

from lessons_lib import data, nn, optim, schedules, surfaces, train, widgets

BOWL = surfaces.BOWL
START = (-7.0, 2.0)


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


def y_turns(path):
    dy = np.diff(path[:, 1])
    return int(np.count_nonzero(np.sign(dy[1:]) != np.sign(dy[:-1])))


def steps_to_settle(distance, tol):
    outside = np.flatnonzero(distance > tol)
    if outside.size == 0:
        return 0
    return None if outside[-1] == len(distance) - 1 else int(outside[-1]) + 1


# ---------------------------------------------------------------------------------------------------------
# C6: momentum zigzags less than SGD on the bowl
# ---------------------------------------------------------------------------------------------------------


def test_c6_library_momentum_equals_the_textbook_heavy_ball():
    path = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    reference, _ = heavy_ball(bowl_grad, START, 30, lr=0.1, mu=0.9)
    np.testing.assert_allclose(path, reference, rtol=0, atol=1e-12)


def test_c6_momentum_zigzags_less_than_sgd_and_moves_further_along_the_valley():
    sgd = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.95)
    sgd_small = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1)
    momentum = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    assert y_turns(sgd) == 29  # SGD at the book's lr turns back at every step
    assert y_turns(momentum) <= 5
    assert y_turns(sgd_small) == 0  # a small lr removes the zigzag ...
    assert sgd_small[-1, 0] < -5.0  # ... but crawls along x
    assert momentum[-1, 0] > -1.0  # momentum with the same lr has crossed almost the whole valley
    # SGD at lr 0.1 contracts x by exactly (1 - 0.1 * 0.1) per step: an independent check of that crawl
    assert sgd_small[-1, 0] == pytest.approx(-7.0 * 0.99**30, rel=1e-12)


# ---------------------------------------------------------------------------------------------------------
# C7: along x the velocity builds up; along y it changes sign
# ---------------------------------------------------------------------------------------------------------


def test_c7_velocity_components_build_up_along_x_and_cancel_along_y():
    p = np.array(START)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    velocity, before = [], p.copy()
    for _ in range(30):
        opt.step([BOWL.grad(p)])
        v = -opt.lr * opt.state[0]["b"]
        np.testing.assert_allclose(v, p - before, atol=1e-14)  # the velocity is the step just taken
        before = p.copy()
        velocity.append(v)
    vx, vy = np.array(velocity).T
    assert np.all(np.diff(vx[:11]) > 0)  # grows for the first 11 steps
    assert np.all(vx > 0)  # never turns back
    assert vx.max() > 5 * vx[0]
    assert int(np.argmax(vx)) + 1 == 12
    assert int(np.count_nonzero(np.diff(np.sign(vy)) != 0)) >= 3
    _, textbook_v = heavy_ball(bowl_grad, START, 30, 0.1, 0.9)
    np.testing.assert_allclose(np.array(velocity), textbook_v, atol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# C8: the effective step 1/(1 - momentum), overshoot and ringing
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


def test_c8_large_momentum_overshoots_and_keeps_ringing():
    quad = surfaces.quadratic_1d(1.0)
    sgd = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1)
    mom9 = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1, momentum=0.9)
    mom99 = surfaces.trace_1d(quad, optim.SGD, 1.0, 300, lr=0.1, momentum=0.99)
    assert np.all(sgd > 0)  # plain SGD never passes the minimum here
    assert mom99.min() < -0.9  # overshoots almost as far as it started
    assert steps_to_settle(np.abs(sgd), 0.01) == 44  # 0.9**44 < 0.01 < 0.9**43
    assert steps_to_settle(np.abs(mom9), 0.01) is not None
    assert steps_to_settle(np.abs(mom99), 0.01) is None  # still swinging after 300 steps
    assert np.abs(mom99[200:]).max() > 0.3


def test_c8_swings_shrink_by_sqrt_momentum_per_step():
    mu, lr, L = 0.99, 0.1, 1.0
    # x_(t+1) = (1 + mu - lr*L) x_t - mu x_(t-1): its two roots have modulus sqrt(mu) when they are complex
    roots = np.roots([1.0, -(1 + mu - lr * L), mu])
    assert np.iscomplexobj(roots)
    np.testing.assert_allclose(np.abs(roots), np.sqrt(mu), rtol=1e-12)
    x = surfaces.trace_1d(surfaces.quadratic_1d(L), optim.SGD, 1.0, 400, lr=lr, momentum=mu)
    ratio = np.abs(x[300:400]).max() / np.abs(x[200:300]).max()
    assert ratio == pytest.approx(np.sqrt(mu) ** 100, rel=0.1)


# ---------------------------------------------------------------------------------------------------------
# C9: Nesterov's look-ahead form and the framework form give the same path
# ---------------------------------------------------------------------------------------------------------


def nesterov_lookahead(grad, start, steps, lr, mu):
    p, v = np.array(start, dtype=float), np.zeros(2)
    lookahead = [p.copy()]
    for _ in range(steps):
        v = mu * v - lr * grad(p + mu * v)
        p = p + v
        lookahead.append(p + mu * v)
    return np.array(lookahead)


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
def test_c9_lookahead_form_and_framework_form_agree_to_1e_12(surface, grad, start, lr, mu):
    framework = surfaces.trace(surface, optim.SGD, start, 200, lr=lr, momentum=mu, nesterov=True)
    assert len(framework) == 201
    lookahead = nesterov_lookahead(grad, start, 200, lr, mu)
    assert np.abs(framework - lookahead).max() < 1e-12 * max(1.0, np.abs(lookahead).max())


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
    assert mom.max() == pytest.approx(0.60, abs=0.01)
    assert nag.max() == pytest.approx(0.39, abs=0.01)
    assert steps_to_settle(np.abs(mom), 0.01) == 81
    assert steps_to_settle(np.abs(nag), 0.01) == 42
    # it keeps momentum's speed: the first step is (1 + mu) * lr * g against lr * g
    assert (nag[1] - nag[0]) == pytest.approx(1.9 * 0.1 * 1.0, rel=1e-12)
    assert (mom[1] - mom[0]) == pytest.approx(0.1 * 1.0, rel=1e-12)


def test_c10_swing_factors_match_the_iteration_matrices():
    mu, lr, L = 0.9, 0.1, 1.0
    # momentum:  x' = (1 + mu - lr L) x - mu x_prev;  Nesterov: x' = (1 + mu)(1 - lr L) x - mu (1 - lr L) x_prev
    heavy = np.abs(np.roots([1.0, -(1 + mu - lr * L), mu]))
    nag = np.abs(np.roots([1.0, -(1 + mu) * (1 - lr * L), mu * (1 - lr * L)]))
    np.testing.assert_allclose(heavy, np.sqrt(mu), rtol=1e-12)
    np.testing.assert_allclose(nag, np.sqrt(mu * (1 - lr * L)), rtol=1e-12)
    x = surfaces.trace_1d(surfaces.quadratic_1d(L), optim.SGD, -1.0, 200, lr=lr, momentum=mu, nesterov=True)
    ratio = np.abs(x[100:150]).max() / np.abs(x[50:100]).max()
    assert ratio == pytest.approx(nag[0] ** 50, rel=0.2)


def test_c10_on_the_bowl_nesterov_also_brakes_better():
    mom = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9)
    nag = surfaces.trace(BOWL, optim.SGD, START, 200, lr=0.1, momentum=0.9, nesterov=True)
    assert nag[:, 0].max() < mom[:, 0].max()
    assert mom[:, 0].max() == pytest.approx(1.07, abs=0.01)
    assert nag[:, 0].max() == pytest.approx(0.84, abs=0.01)
    d_mom, d_nag = np.hypot(*mom.T), np.hypot(*nag.T)
    assert steps_to_settle(d_nag, 0.1) < steps_to_settle(d_mom, 0.1)


# ---------------------------------------------------------------------------------------------------------
# C11: the momentum sweep 0.5, 0.9, 0.95, 0.99
# ---------------------------------------------------------------------------------------------------------

MOMENTA = (0.5, 0.9, 0.95, 0.99)


def test_c11_on_the_bowl_0_9_settles_first_and_larger_momentum_rings_longer():
    settle = {}
    for mu in MOMENTA:
        path = surfaces.trace(BOWL, optim.SGD, START, 1500, lr=0.1, momentum=mu)
        settle[mu] = steps_to_settle(np.hypot(*path.T), 0.01)
    assert min(settle, key=settle.get) == 0.9
    assert settle[0.9] < settle[0.95] < settle[0.99]
    # underdamped: the distance shrinks like sqrt(mu)^t, so settling takes about 2 ln(d0 / tol) / -ln(mu)
    d0 = np.hypot(*START)
    for mu in (0.95, 0.99):
        assert settle[mu] == pytest.approx(2 * np.log(d0 / 0.01) / -np.log(mu), rel=0.15)


@pytest.fixture(scope="module")
def digits_sweep():
    X_train, _, y_train, _ = data.load_digits(seed=0)
    lrs = (0.003, 0.01, 0.03, 0.1)
    loss = np.zeros((len(lrs), len(MOMENTA)))
    for i, lr in enumerate(lrs):
        for j, mu in enumerate(MOMENTA):
            model = nn.MLP([64, 32, 10], activation="relu", init="he_normal", rng=np.random.default_rng(0))
            history = train.fit(model, optim.SGD(model.params, lr=lr, momentum=mu), X_train, y_train,
                                epochs=2, batch_size=32, rng=np.random.default_rng(1))
            loss[i, j] = history.epoch_loss[-1]
    return lrs, loss


def test_c11_on_the_digits_momentum_and_lr_trade_off(digits_sweep):
    lrs, loss = digits_sweep
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    assert (lrs[i], MOMENTA[j]) == (0.1, 0.9)  # the best cell has the note's default momentum
    assert loss[0, 3] < loss[0, 1] < loss[0, 0]  # small lr: more momentum helps
    assert loss[3, 3] > 2 * loss[3, 1]  # large lr: 0.99 hurts
    best_mu = [MOMENTA[int(np.argmin(row))] for row in loss]
    assert best_mu == sorted(best_mu, reverse=True)  # the best momentum falls as lr grows


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


def test_c12_note_settings_train_the_digits_network():
    X_train, X_test, y_train, y_test = data.load_digits(seed=0)
    model = nn.MLP([64, 32, 10], activation="relu", init="he_normal", rng=np.random.default_rng(0))
    opt = optim.SGD(model.params, lr=0.1, momentum=0.95, nesterov=True)
    schedule = schedules.TimeDecay(opt, decay=1e-3)
    history = train.fit(model, opt, X_train, y_train, epochs=3, batch_size=32, rng=np.random.default_rng(1),
                        X_test=X_test, y_test=y_test, schedule=schedule)
    n_updates = 3 * int(np.ceil(len(y_train) / 32))
    assert schedule.k == n_updates
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
# The explorer redraws fast enough
# ---------------------------------------------------------------------------------------------------------


def test_explorer_redraw_is_at_most_100_ms():
    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
    momentum = widgets.slider("momentum", 0.0, 0.99, 0.01, 0.9)
    nesterov = widgets.checkbox("nesterov", False)
    explorer = widgets.surface_explorer(
        {"bowl": surfaces.BOWL, "ill-conditioned": surfaces.ILL_CONDITIONED, "Rosenbrock": surfaces.ROSENBROCK,
         "saddle": surfaces.SADDLE, "two basins": surfaces.TWO_BASIN},
        {"SGD": (optim.SGD, {"lr": lr}),
         "Momentum": (optim.SGD, {"lr": lr, "momentum": momentum, "nesterov": nesterov})},
        steps=100,
    )
    changes = [{"lr": 0.05}, {"momentum": 0.5}, {"nesterov": True}, {"lr": 0.2}, {"nesterov": False}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100.0


def test_c10_nesterov_is_momentum_whose_gradient_gains_its_own_change():
    """Delta p_t = mu * Delta p_(t-1) - lr * (g_t + mu * (g_t - g_(t-1))), with g_t the gradient at p_(t-1)."""
    mu, lr = 0.9, 0.1
    path = surfaces.trace(BOWL, optim.SGD, START, 50, lr=lr, momentum=mu, nesterov=True)
    step = np.diff(path, axis=0)
    g = np.array([bowl_grad(p) for p in path[:-1]])
    for t in range(1, 50):
        np.testing.assert_allclose(step[t], mu * step[t - 1] - lr * (g[t] + mu * (g[t] - g[t - 1])), atol=1e-12)
