"""Lesson 02's claims (C4, C5), asserted on the library with numbers computed independently.

C4 minibatch SGD reaches a good loss sooner than full-batch GD, per epoch and per second; its gradient is an
   unbiased, noisy estimate whose variance follows sigma^2 / B * (N - B) / (N - 1).
C5 on f = x^2/20 + y^2 the gradient does not point at the minimum, and the path from (-7, 2) zigzags;
   time-based learning-rate decay quiets SGD's noise.
"""

import math
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lessons_lib import data, nn, optim, schedules, surfaces, train, widgets
from lessons_lib.exercises import lesson02


@pytest.fixture(scope="module")
def digits():
    return data.load_digits()


def _fit(digits, batch_size, lr, epochs):
    X_train, X_test, y_train, y_test = digits
    model = nn.MLP([64, 10], init="zeros", rng=np.random.default_rng(0))
    optimizer = optim.SGD(model.params, lr=lr)
    history = train.fit(model, optimizer, X_train, y_train, epochs=epochs, batch_size=batch_size,
                        rng=np.random.default_rng(1))
    return model, history


def _first_epoch_below(history, target):
    return next((k for k, loss in enumerate(history.epoch_loss) if loss <= target), None)


# ---------------------------------------------------------------------------------------------------------
# C4: per epoch and per second
# ---------------------------------------------------------------------------------------------------------


def test_c4_minibatches_reach_a_good_loss_in_far_fewer_epochs(digits):
    # The settings lesson 02 uses; full batch and B = 128 share the learning rate.
    _, full = _fit(digits, None, 2.0, 60)
    _, b128 = _fit(digits, 128, 2.0, 10)
    _, b8 = _fit(digits, 8, 0.5, 4)
    _, b1 = _fit(digits, 1, 0.1, 1)
    epochs = {name: _first_epoch_below(h, 0.3) for name, h in
              [("full", full), ("128", b128), ("8", b8), ("1", b1)]}
    assert epochs["full"] is not None and epochs["full"] > 30
    assert epochs["128"] is not None and 5 * epochs["128"] < epochs["full"]
    assert epochs["8"] is not None and epochs["8"] <= 2
    assert epochs["1"] == 1
    assert full.epoch_loss[0] == pytest.approx(math.log(10), rel=1e-12)  # zero weights: uniform prediction
    assert full.epoch_loss[1] == pytest.approx(_loss_after_one_full_batch_step(digits, 2.0), rel=1e-10)


def _loss_after_one_full_batch_step(digits, lr):
    """Softmax regression from zero weights, one GD step, written out in plain numpy (no library)."""
    X, _, y, _ = digits
    N = len(y)
    Y = np.eye(10)[y]
    residual = np.full((N, 10), 0.1) - Y          # softmax of zero logits is uniform
    W = -lr * X.T @ residual / N
    b = -lr * residual.mean(axis=0)
    z = X @ W + b
    log_sum = np.log(np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)) + z.max(axis=1)
    return float(np.mean(log_sum - z[np.arange(N), y]))


def _fastest_step_seconds(X, y, batch_size, repeats=30):
    model = nn.MLP([64, 10], init="zeros", rng=np.random.default_rng(0))
    optimizer = optim.SGD(model.params, lr=0.1)
    best = math.inf
    with threadpool_limits(limits=1):  # as in the lesson: one core, so busy cores do not stall BLAS
        for k in range(repeats):
            batch = slice((k * batch_size) % (len(y) - batch_size + 1), None)
            Xb, yb = X[batch][:batch_size], y[batch][:batch_size]
            start = time.perf_counter()
            _, grads = model.loss_and_grads(Xb, yb)
            optimizer.step(grads)
            best = min(best, time.perf_counter() - start)
    return best


def test_c4_a_medium_minibatch_reaches_a_good_loss_sooner_per_second(digits):
    # Time to the target = (steps needed) x (time per step). Steps come from the runs; the time per step is
    # the fastest of many (robust on a busy machine), so the comparison does not hang on one noisy timing.
    X_train, _, y_train, _ = digits
    N = len(y_train)
    _, full = _fit(digits, None, 2.0, 60)
    _, b128 = _fit(digits, 128, 2.0, 10)
    steps_full = _first_epoch_below(full, 0.3) * 1
    steps_128 = _first_epoch_below(b128, 0.3) * math.ceil(N / 128)
    seconds_full = steps_full * _fastest_step_seconds(X_train, y_train, N)
    seconds_128 = steps_128 * _fastest_step_seconds(X_train, y_train, 128)
    assert seconds_128 < seconds_full


def test_c4_the_minibatch_gradient_is_an_unbiased_estimate(digits):
    X_train, _, y_train, _ = digits
    X, y = X_train[:1344], y_train[:1344]          # 1344 = 21 batches of 64
    model = nn.MLP([64, 10], init="lecun_normal", rng=np.random.default_rng(3))
    full = model.loss_and_grads(X, y)[1]
    batch_grads = [model.loss_and_grads(X[b], y[b])[1]
                   for b in data.minibatches(len(y), 64, rng=np.random.default_rng(0))]
    for i, g in enumerate(full):
        assert np.allclose(np.mean([bg[i] for bg in batch_grads], axis=0), g, rtol=1e-10, atol=1e-14)


def test_c4_gradient_noise_follows_the_one_over_b_law_with_the_finite_population_correction(digits):
    X_train, _, y_train, _ = digits
    X, y = X_train[:600], y_train[:600]
    N = len(y)
    model = nn.MLP([64, 10], init="lecun_normal", rng=np.random.default_rng(3))

    def flat(grads):
        return np.concatenate([g.ravel() for g in grads])

    g = flat(model.loss_and_grads(X, y)[1])
    per_sample = np.array([flat(model.loss_and_grads(X[i:i + 1], y[i:i + 1])[1]) for i in range(N)])
    sigma2 = float(np.mean(np.sum((per_sample - g) ** 2, axis=1)))
    rng = np.random.default_rng(0)
    for B in (4, 32, 150, 450):
        errors = []
        for _ in range(200):
            batch = rng.choice(N, size=B, replace=False)
            errors.append(np.sum((flat(model.loss_and_grads(X[batch], y[batch])[1]) - g) ** 2))
        law = sigma2 / B * (N - B) / (N - 1)
        assert np.mean(errors) == pytest.approx(law, rel=0.2), f"B = {B}"
    # At B = 450 the correction matters: the plain 1/B law would be 3.6 times too large.
    assert (sigma2 / 450) / (sigma2 / 450 * (N - 450) / (N - 1)) > 3.5
    everyone = rng.permutation(N)
    whole = flat(model.loss_and_grads(X[everyone], y[everyone])[1])
    assert np.allclose(whole, g, rtol=1e-10, atol=1e-14)  # B = N: no noise at all


# ---------------------------------------------------------------------------------------------------------
# C5: the anisotropic bowl
# ---------------------------------------------------------------------------------------------------------


def test_c5_the_gradient_at_the_start_does_not_point_at_the_minimum():
    g = surfaces.BOWL.grad((-7.0, 2.0))
    assert np.allclose(g, [-7 / 10, 2 * 2])  # (x/10, 2y) by hand
    to_min = np.array([7.0, -2.0])
    angle = math.degrees(math.acos(float(-g @ to_min) / (np.linalg.norm(g) * np.linalg.norm(to_min))))
    assert angle == pytest.approx(64.1, abs=0.1)


def _sign_changes(values):
    return int(np.sum(np.sign(values[1:]) != np.sign(values[:-1])))


def test_c5_sgd_zigzags_on_the_bowl_from_minus_7_2():
    path = surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 30, lr=0.95)
    k = np.arange(31)
    assert np.allclose(path[:, 0], -7 * (1 - 0.95 / 10) ** k)   # x shrinks slowly, never crosses 0
    assert np.allclose(path[:, 1], 2 * (1 - 2 * 0.95) ** k)     # y flips sign at every step
    assert _sign_changes(path[:, 1]) == 30
    assert _sign_changes(path[:, 0]) == 0
    calm = surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 30, lr=0.4)
    assert _sign_changes(calm[:, 1]) == 0
    assert abs(calm[-1, 0]) > abs(path[-1, 0])                  # no zigzag, but slower along x


def test_c5_minibatch_noise_keeps_the_zigzag_on_the_bowl_data_set():
    centres = lesson02.bowl_dataset(256, seed=0)
    assert np.allclose(centres.mean(axis=0), 0, atol=1e-12)
    p = np.array([-3.0, 1.5])
    assert np.allclose(lesson02.bowl_minibatch_grad(p, centres), surfaces.BOWL.grad(p))
    full = lesson02.sgd_on_bowl(centres, 256, 0.95, 30, rng=np.random.default_rng(0))
    assert np.allclose(full, surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 30, lr=0.95))
    noisy = lesson02.sgd_on_bowl(centres, 4, 0.95, 30, rng=np.random.default_rng(0))
    assert _sign_changes(noisy[:, 1]) >= 20


def test_c5_time_decay_quiets_the_noise():
    centres = lesson02.bowl_dataset(256, seed=0)

    def final_loss(lr, decay):
        curves = [surfaces.BOWL.values(lesson02.sgd_on_bowl(centres, 1, lr, 300, rng=np.random.default_rng(s),
                                                            decay=decay)) for s in range(8)]
        return float(np.mean(curves, axis=0)[-50:].mean())

    decayed = final_loss(0.5, 0.02)
    assert decayed < final_loss(0.5, None) / 3
    assert decayed < final_loss(0.05, None) / 3


def test_time_decay_follows_the_formula_it_teaches():
    p = np.zeros(1)
    optimizer = optim.SGD([p], lr=0.5)
    schedule = schedules.TimeDecay(optimizer, decay=0.02)
    seen = []
    for _ in range(5):
        seen.append(optimizer.lr)
        optimizer.step([np.ones(1)])
        schedule.step()
    assert np.allclose(seen, [0.5 / (1 + 0.02 * k) for k in range(5)])
    assert p[0] == pytest.approx(-sum(seen))


# ---------------------------------------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------------------------------------


def test_explorer_redraws_within_100_ms():
    explorer = lesson02.explorer()
    changes = [{"batch_size": 4}, {"lr": 0.9}, {"seed": 3}, {"batch_size": 0}, {"lr": 0.1}]
    assert widgets.measure_redraw(explorer, changes, repeats=3) <= 100


def test_explorer_full_batch_is_the_deterministic_bowl_path():
    explorer = lesson02.explorer()
    explorer.set(batch_size=0, lr=0.95, seed=5)
    xs, ys = explorer.handle["path"].get_data()
    expected = surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 40, lr=0.95)
    assert np.allclose(np.column_stack([xs, ys]), expected)
