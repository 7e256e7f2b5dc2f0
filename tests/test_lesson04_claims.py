"""Lesson 04's claims (C13-C20, the race, the digits comparison), asserted on the library.

Reference values come from the equations, written out here (own loops, closed forms), not from the code
under test; the lesson's printed conclusions are then checked on the library's optimizers.
"""

import numpy as np
import pytest

from lessons_lib import data, nn, optim, surfaces, train, widgets
from lessons_lib.exercises import lesson04 as ex

BOWL = surfaces.BOWL
START = (-7.0, 2.0)


def bowl_grad(p):
    return np.array([p[0] / 10.0, 2.0 * p[1]])


def y_turns(path):
    dy = np.diff(path[:, 1])
    return int(np.count_nonzero(np.sign(dy[1:]) != np.sign(dy[:-1])))


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
    assert y_turns(surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.95)) == 29


# ---------------------------------------------------------------------------------------------------------
# C15: AdaGrad's rate decays and training stalls
# ---------------------------------------------------------------------------------------------------------


def test_c15_with_steady_gradients_the_rate_falls_like_one_over_sqrt_t():
    grads = np.tile([2.0, -0.5], (400, 1))
    _, rates = run_with_rates(optim.Adagrad, 400, grads=grads, start=np.zeros(2), lr=0.1)
    t = np.arange(1, 401)[:, None]
    np.testing.assert_allclose(rates, 0.1 / (np.abs(grads[0]) * np.sqrt(t) + 1e-10), rtol=1e-12)


def test_c15_adagrad_stalls_where_rmsprop_with_the_same_lr_arrives():
    ada, ada_rates = run_with_rates(optim.Adagrad, 1000, lr=0.1)
    rms, rms_rates = run_with_rates(optim.RMSprop, 1000, lr=0.1)
    assert np.hypot(*ada[-1]) > 2.0  # still far after 1000 steps
    assert np.hypot(*ada[100]) > 5.0
    assert np.hypot(*rms[100]) < 0.01
    assert np.all(np.diff(ada_rates[:, 0]) <= 0)
    assert ada_rates[-1, 0] < ada_rates[9, 0] / 5
    assert rms_rates[-1, 0] > rms_rates[9, 0]  # RMSProp's rate rose as the gradient shrank


# ---------------------------------------------------------------------------------------------------------
# C16: RMSProp's exponential moving average and its window
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
        assert weights.sum() == pytest.approx(1 - alpha**t, rel=1e-12)


def recovery_steps(cls, **hyper):
    stream = np.r_[np.full(100, 10.0), np.full(2000, 0.1)]
    _, rates = run_with_rates(cls, len(stream), grads=stream[:, None], start=np.zeros(1), lr=0.01, **hyper)
    back = np.flatnonzero(rates[100:, 0] >= 0.1 / 2)
    return int(back[0]) + 1 if back.size else None


def test_c16_rmsprop_forgets_within_its_window_adagrad_never_does():
    fast, slow = recovery_steps(optim.RMSprop, alpha=0.9), recovery_steps(optim.RMSprop, alpha=0.99)
    assert recovery_steps(optim.Adagrad) is None
    # v after k small steps ~ 100 * alpha^k (from the large gradients): back to half of lr/0.1 when
    # sqrt(100 alpha^k + 0.01) = 0.2, i.e. k = ln(0.03 / 100) / ln(alpha)
    for k, alpha in ((fast, 0.9), (slow, 0.99)):
        expected = np.log(0.03 / (100 * (1 - alpha**100))) / np.log(alpha)
        assert k == pytest.approx(expected, rel=0.05)
    assert 7 < slow / fast < 13  # about the ratio of the windows, 100 / 10


@pytest.mark.parametrize("alpha", [0.9, 0.99, 0.999])
def test_c16_about_two_thirds_of_the_weight_lies_in_the_window(alpha):
    n = round(1 / (1 - alpha))
    share = (1 - alpha) * sum(alpha**k for k in range(n))
    assert share == pytest.approx(1 - np.exp(-1), abs=0.03)


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
    steps_small = np.hypot(*np.diff(small, axis=0).T)
    assert steps_small[99] > steps_small[0]  # the steps grow as u fills up
    assert steps_small[0] < 0.01
    assert np.hypot(*small[-1]) > 4.0
    assert np.hypot(*large[-1]) < 1e-6
    assert np.hypot(*large[1] - large[0]) / np.hypot(*small[1] - small[0]) == pytest.approx(10.0, rel=0.05)


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


def test_c19_first_step_on_the_bowl_is_lr_per_coordinate():
    path = surfaces.trace(BOWL, optim.Adam, START, 1, lr=0.3)
    np.testing.assert_allclose(path[1] - path[0], [0.3, -0.3], rtol=1e-6)


def test_c19_without_correction_the_early_steps_are_too_large_with_the_default_betas():
    beta1, beta2 = 0.9, 0.999
    t = np.arange(1, 3001)
    ratio = (1 - beta1**t) / np.sqrt(1 - beta2**t)  # uncorrected step / lr on a steady gradient
    assert ratio[0] == pytest.approx(np.sqrt(10.0), rel=1e-12)
    assert int(np.argmax(ratio)) + 1 == 12 and ratio.max() == pytest.approx(6.57, abs=0.01)
    assert ratio[999] == pytest.approx(1.26, abs=0.01)
    # m alone uncorrected: 10 times too small at t = 1; v alone: sqrt(1000) times too large
    assert (1 - beta1) == pytest.approx(0.1)
    assert 1 / np.sqrt(1 - beta2) == pytest.approx(31.6, abs=0.05)
    # and the uncorrected rule, run here, does take those steps
    m = v = 0.0
    for k in range(1, 13):
        m, v = beta1 * m + (1 - beta1), beta2 * v + (1 - beta2)
        assert m / (np.sqrt(v) + 1e-8) == pytest.approx(ratio[k - 1], rel=1e-6)


# ---------------------------------------------------------------------------------------------------------
# C20: Adam zigzags less than momentum on the bowl; NAdam; AdamW against Adam's L2
# ---------------------------------------------------------------------------------------------------------


def test_c20_adam_zigzags_less_than_momentum():
    momentum = surfaces.trace(BOWL, optim.SGD, START, 30, lr=0.1, momentum=0.9)
    adam = surfaces.trace(BOWL, optim.Adam, START, 30, lr=0.3)
    nadam = surfaces.trace(BOWL, optim.NAdam, START, 30, lr=0.3)
    assert (y_turns(momentum), y_turns(adam)) == (4, 2)
    travel = {name: np.abs(np.diff(path[:, 1])).sum() for name, path in
              (("momentum", momentum), ("adam", adam), ("nadam", nadam))}
    assert travel["adam"] < travel["momentum"] / 2
    assert y_turns(nadam) <= y_turns(adam) and travel["nadam"] < travel["adam"]


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
    assert abs(adam[0]) < 0.005  # and is lost on the busy one


# ---------------------------------------------------------------------------------------------------------
# The race (same settings as the lesson's section 10)
# ---------------------------------------------------------------------------------------------------------

RACE = {"bowl": (surfaces.BOWL, 300, 0.1), "Rosenbrock": (surfaces.ROSENBROCK, 1500, 5e-4),
        "saddle": (surfaces.SADDLE, 300, 0.1), "two basins": (surfaces.TWO_BASIN, 300, 0.1)}


def racers(sgd_lr):
    return {
        "SGD": (optim.SGD, {"lr": sgd_lr}),
        "Momentum": (optim.SGD, {"lr": sgd_lr, "momentum": 0.9}),
        "Nesterov": (optim.SGD, {"lr": sgd_lr, "momentum": 0.9, "nesterov": True}),
        "AdaGrad": (optim.Adagrad, {"lr": 1.0}),
        "RMSProp": (optim.RMSprop, {"lr": 0.05}),
        "AdaDelta": (optim.Adadelta, {}),
        "Adam": (optim.Adam, {"lr": 0.1}),
        "NAdam": (optim.NAdam, {"lr": 0.1}),
    }


@pytest.fixture(scope="module")
def race():
    return {key: {name: surfaces.trace(s, cls, None, steps, **hyper) for name, (cls, hyper) in racers(lr).items()}
            for key, (s, steps, lr) in RACE.items()}


def first_reach(surface, path, tol=0.1):
    targets = surface.minima if surface is surfaces.SADDLE else (surface.global_minimum,)
    hits = [k for k in (surfaces.steps_to_reach(path, m, tol) for m in targets) if k is not None]
    return min(hits) if hits else None


def test_race_every_run_is_finite(race):
    for key, paths in race.items():
        for name, path in paths.items():
            assert len(path) == RACE[key][1] + 1, (key, name)


def test_race_bowl_and_rosenbrock(race):
    bowl = {n: first_reach(surfaces.BOWL, p) for n, p in race["bowl"].items()}
    assert bowl["SGD"] is None and bowl["AdaDelta"] is None
    assert sorted(bowl, key=lambda n: bowl[n] if bowl[n] is not None else 10**9)[:3] == ["Nesterov", "Momentum",
                                                                                       "AdaGrad"]
    rosen = {n: first_reach(surfaces.ROSENBROCK, p) for n, p in race["Rosenbrock"].items()}
    assert {n for n, k in rosen.items() if k is not None} == {"Momentum", "Nesterov"}


def test_race_adaptive_methods_escape_the_saddle_first(race):
    saddle = {n: first_reach(surfaces.SADDLE, p) for n, p in race["saddle"].items()}
    assert saddle["AdaDelta"] is None
    others = [k for n, k in saddle.items() if n not in ("AdaGrad", "RMSProp", "AdaDelta")]
    assert max(saddle["AdaGrad"], saddle["RMSProp"]) < min(others)


def test_race_only_the_momentum_methods_cross_into_the_deeper_basin(race):
    ends = {n: p[-1] for n, p in race["two basins"].items()}
    for name, end in ends.items():
        target = (-1.0, 0.0) if name in ("Momentum", "Nesterov") else (1.0, 0.0)
        if name == "AdaDelta":  # still on its way, but on the near side of the hill at x = 0.3
            assert end[0] > 0.3 and np.hypot(*(end - target)) < 0.5
        else:
            assert np.hypot(*(end - target)) < 0.1, name


def test_race_gif_is_deterministic_and_has_the_frames(race):
    from io import BytesIO

    from PIL import Image

    panels = [(RACE[k][0], {n: p[:51] for n, p in paths.items()}) for k, paths in race.items()]
    gif = ex.race_grid_gif(panels, frames=6)
    assert gif == ex.race_grid_gif(panels, frames=6)
    image = Image.open(BytesIO(gif))
    assert image.format == "GIF" and image.n_frames == 6


# ---------------------------------------------------------------------------------------------------------
# The digits comparison (same settings as the lesson's section 11)
# ---------------------------------------------------------------------------------------------------------


def test_every_optimizer_trains_the_digits_network():
    X_train, X_test, y_train, y_test = data.load_digits(seed=0)
    settings = {
        "SGD": (optim.SGD, {"lr": 0.1}),
        "Momentum": (optim.SGD, {"lr": 0.05, "momentum": 0.9}),
        "Nesterov": (optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
        "AdaGrad": (optim.Adagrad, {"lr": 0.05}),
        "RMSProp": (optim.RMSprop, {"lr": 0.003}),
        "AdaDelta": (optim.Adadelta, {}),
        "Adam": (optim.Adam, {"lr": 0.005}),
        "NAdam": (optim.NAdam, {"lr": 0.005}),
        "AdamW": (optim.AdamW, {"lr": 0.005, "weight_decay": 0.01}),
    }
    final = {}
    for name, (cls, hyper) in settings.items():
        model = nn.MLP([64, 32, 10], activation="relu", init="he_normal", rng=np.random.default_rng(0))
        h = train.fit(model, cls(model.params, **hyper), X_train, y_train, epochs=3, batch_size=32,
                      rng=np.random.default_rng(1), X_test=X_test, y_test=y_test)
        assert h.test_acc[-1] > 0.85, name
        assert h.epoch_loss[-1] < h.epoch_loss[0] / 3, name
        final[name] = h.epoch_loss[-1]
    ranking = sorted(final, key=final.get)
    assert set(ranking[:2]) == {"Momentum", "Nesterov"}
    assert ranking[-2:] == ["AdaDelta", "SGD"]


# ---------------------------------------------------------------------------------------------------------
# The explorer redraws fast enough
# ---------------------------------------------------------------------------------------------------------


def test_explorer_redraw_is_at_most_100_ms():
    lr_sgd = widgets.log_slider("lr_sgd", 1e-3, 1.0, 0.1)
    lr_adaptive = widgets.log_slider("lr_adaptive", 1e-3, 2.0, 0.1)
    beta1 = widgets.slider("beta1", 0.0, 0.99, 0.01, 0.9)
    beta2 = widgets.slider("beta2", 0.5, 0.999, 0.001, 0.99)
    explorer = ex.optimizer_explorer(
        {"bowl": surfaces.BOWL, "Rosenbrock": surfaces.ROSENBROCK, "saddle": surfaces.SADDLE,
         "two basins": surfaces.TWO_BASIN, "ill-conditioned": surfaces.ILL_CONDITIONED},
        {
            "SGD": (optim.SGD, {"lr": lr_sgd}),
            "Momentum": (optim.SGD, {"lr": lr_sgd, "momentum": beta1}),
            "Nesterov": (optim.SGD, {"lr": lr_sgd, "momentum": beta1, "nesterov": True}),
            "AdaGrad": (optim.Adagrad, {"lr": lr_adaptive}),
            "RMSProp": (optim.RMSprop, {"lr": lr_adaptive, "alpha": beta2}),
            "AdaDelta": (optim.Adadelta, {}),
            "Adam": (optim.Adam, {"lr": lr_adaptive, "betas": (beta1, beta2)}),
            "NAdam": (optim.NAdam, {"lr": lr_adaptive, "betas": (beta1, beta2)}),
        },
        shown=("Momentum", "AdaGrad", "RMSProp", "Adam"),
        steps=100,
    )
    changes = [{"lr_adaptive": 0.05}, {"beta1": 0.5}, {"Nesterov": True}, {"lr_sgd": 0.03}, {"beta2": 0.9}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100.0
