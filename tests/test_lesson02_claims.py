"""Lesson 02's claims (C4, C5), asserted on the library over the seeds the lesson uses.

C4 minibatch SGD reaches a good loss sooner than full-batch GD: with the same budget of epochs and a learning
   rate chosen for each batch size on a validation split, a smaller batch reaches a lower loss per epoch, on
   every seed, down to B = 8; B = 1 gains nothing more per epoch. Its gradient is an unbiased, noisy
   estimate whose variance follows sigma^2 / B * (N - B) / (N - 1).
C5 on f = x^2/20 + y^2 the gradient at the start (-7, 2) does not point at the minimum, and the path
   zigzags; time-based learning-rate decay quiets SGD's noise.

The experiments' settings come from ``lessons_lib.experiments.sgd``, as in the notebook. Per-second claims
are about the machine, not the library: they are shown in the lesson's figure, and timed by ``make bench``,
never asserted here.
"""

import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lessons_lib import data, optim, schedules, surfaces
from lessons_lib.experiments import sgd
from lessons_lib.explorers.sgd import sgd_explorer


@pytest.fixture(scope="module")
def digits():
    return data.load_digits()


@pytest.fixture(scope="module")
def comparison(digits):
    """The lesson's section 2: every batch size, its learning rate, every seed (full batch: one run)."""
    X_train, _, y_train, _ = digits
    runs = {}
    with threadpool_limits(limits=1):
        for B in sgd.BATCH_SIZES:
            for seed in (sgd.SEEDS[:1] if B is sgd.FULL else sgd.SEEDS):
                runs[B, seed] = sgd.train_softmax(X_train, y_train, B, sgd.LR[B], sgd.EPOCHS, seed)
    return runs


def _epoch_losses(comparison, B, epoch):
    """Loss on the training digits after ``epoch`` epochs, one entry per seed of batch size B."""
    return np.array([run["history"].epoch_loss[epoch] for (b, _), (_, run) in comparison.items() if b == B])


# ---------------------------------------------------------------------------------------------------------
# C4: a fair race of batch sizes on the digits
# ---------------------------------------------------------------------------------------------------------


def test_c4_the_learning_rates_are_the_ones_the_validation_search_picks(digits):
    X_train, _, y_train, _ = digits
    X_fit, X_val, y_fit, y_val = sgd.validation_split(X_train, y_train)
    # the held-out digits are 20% of the training digits; together with the rest they are exactly the
    # training digits (the search never sees a test digit: it is given only X_train, y_train)
    assert len(y_val) == round(0.2 * len(y_train)) and len(y_fit) + len(y_val) == len(y_train)
    rows = lambda X, y: sorted(x.tobytes() + bytes([label]) for x, label in zip(X, y))  # noqa: E731
    assert rows(np.concatenate([X_fit, X_val]), np.concatenate([y_fit, y_val])) == rows(X_train, y_train)
    with threadpool_limits(limits=1):
        best, tried = sgd.tune_learning_rates(X_train, y_train)
    assert best == sgd.LR
    for B, losses in tried.items():  # the chosen rate is better than both of its neighbours on the grid
        i = sgd.LR_GRID.index(best[B])
        assert 0 < i < len(sgd.LR_GRID) - 1, f"{sgd.label(B)}: the best rate is at the edge of the grid"
        assert losses[best[B]] < losses[sgd.LR_GRID[i - 1]] and losses[best[B]] < losses[sgd.LR_GRID[i + 1]]


def test_c4_per_epoch_a_smaller_batch_reaches_a_lower_loss_on_every_seed_down_to_8(comparison):
    for epoch in (1, 2):
        full = _epoch_losses(comparison, sgd.FULL, epoch)
        assert len(full) == 1
        b128, b32, b8 = (_epoch_losses(comparison, B, epoch) for B in (128, 32, 8))
        assert np.all(b128 < full[0]) and np.all(b32 < b128) and np.all(b8 < b32), f"epoch {epoch}"
    # after one epoch, every batch of 32 or fewer is below where B = 128 is after two, on every seed
    assert max(_epoch_losses(comparison, B, 1).max() for B in (32, 8, 1)) < _epoch_losses(comparison, 128, 2).min()
    # and full batch, after 2 epochs, is above every minibatch run after 1
    assert _epoch_losses(comparison, sgd.FULL, 2)[0] > max(_epoch_losses(comparison, B, 1).max() for B in (128, 32, 8, 1))


def test_c4_the_bold_rates_of_b32_and_b8_first_raise_the_loss_then_lower_it(comparison):
    for (B, seed), (_, run) in comparison.items():
        rises = run["loss"].max() > run["loss"][0]
        assert rises == (B in (32, 8)), f"{sgd.label(B)}, seed {seed}"
        if rises:
            assert run["loss"][-1] < 0.15 * run["loss"][0]


@pytest.fixture(scope="module")
def full_run_on(digits):
    """The per-second panel's full batch: FULL_RUN_ON_EPOCHS epochs at FULL_RUN_ON_LR."""
    X_train, _, y_train, _ = digits
    with threadpool_limits(limits=1):
        return sgd.train_softmax(X_train, y_train, sgd.FULL, sgd.FULL_RUN_ON_LR, sgd.FULL_RUN_ON_EPOCHS, 0)[1]


def test_c4_the_run_on_rate_is_the_one_the_validation_search_picks_for_its_budget(digits):
    X_train, _, y_train, _ = digits
    with threadpool_limits(limits=1):
        best, tried = sgd.tune_learning_rates(X_train, y_train, (sgd.FULL,), grid=sgd.FULL_RUN_ON_GRID,
                                              epochs=sgd.FULL_RUN_ON_EPOCHS)
    assert best == {sgd.FULL: sgd.FULL_RUN_ON_LR}
    losses, grid = tried[sgd.FULL], sgd.FULL_RUN_ON_GRID
    i = grid.index(sgd.FULL_RUN_ON_LR)
    assert 0 < i < len(grid) - 1 and losses[grid[i]] < min(losses[grid[i - 1]], losses[grid[i + 1]])
    assert sgd.FULL_RUN_ON_LR > sgd.LR[sgd.FULL]    # "a longer budget takes a larger rate"


def _steps_to(run, batch_size, n, level):
    """The first recorded step count at which the run's loss is below ``level`` (None if never)."""
    steps_per_epoch = 1 if batch_size is sgd.FULL else n // batch_size
    below = np.flatnonzero(run["loss"] < level)
    return None if below.size == 0 else int(round(run["epochs"][below[0]] * steps_per_epoch))


def test_c4_full_batch_run_on_pays_per_epoch_but_is_as_quick_per_step(digits, comparison, full_run_on):
    n = len(digits[2])
    on = full_run_on["history"].epoch_loss           # one step per epoch: entry k is the loss after k steps
    assert len(on) == sgd.FULL_RUN_ON_EPOCHS + 1
    # "its first steps overshoot, the loss climbs to about 9, then it settles"
    assert 8 < max(on) < 10 and on[-1] < 0.2
    # "it needs nearly 30 passes over the data to get where B = 8 is after 2" (B = 8's mean)
    b8_after_2 = _epoch_losses(comparison, 8, 2).mean()
    passes = int(np.argmax(np.array(on) < b8_after_2))
    assert 25 <= passes <= sgd.FULL_RUN_ON_EPOCHS and on[passes] < b8_after_2
    # "per step ... as quick as any minibatch (18 steps to a loss of 0.5, where B = 32 takes 18 to 26)",
    # and to 0.3 it is quicker than B = 32 and B = 8 on every seed
    full_05, full_03 = _steps_to(full_run_on, sgd.FULL, n, 0.5), _steps_to(full_run_on, sgd.FULL, n, 0.3)
    assert full_05 == 18
    for (B, seed), (_, run) in comparison.items():
        if B in (128, 32, 8):
            assert _steps_to(run, B, n, 0.5) >= full_05, f"{sgd.label(B)}, seed {seed}"
        if B in (32, 8):
            assert _steps_to(run, B, n, 0.3) > full_03, f"{sgd.label(B)}, seed {seed}"
    b32 = [_steps_to(comparison[32, seed][1], 32, n, 0.5) for seed in sgd.SEEDS]
    assert (min(b32), max(b32)) == (18, 26)


def test_c4_single_sample_sgd_gains_nothing_per_epoch_over_b8(comparison):
    for epoch in (1, 2):
        b8, b1 = _epoch_losses(comparison, 8, epoch), _epoch_losses(comparison, 1, epoch)
        assert max(b8.min(), b1.min()) < min(b8.max(), b1.max()), f"epoch {epoch}: the seed ranges do not overlap"
    assert sgd.LR[1] < sgd.LR[8]  # its noise asks for a smaller step


def test_c4_every_run_starts_at_ln10_and_the_first_full_batch_step_is_plain_numpy(digits, comparison):
    for (B, seed), (_, run) in comparison.items():
        assert run["history"].epoch_loss[0] == pytest.approx(math.log(10), rel=1e-12)  # zero weights
        assert run["loss"][0] == run["history"].epoch_loss[0]
        # the recorder's last point is the end of training, and counts epochs right (the remainder dropped)
        assert run["epochs"][-1] == sgd.EPOCHS
        assert run["loss"][-1] == pytest.approx(run["history"].epoch_loss[-1], rel=1e-12)
        steps_per_epoch = 1 if B is sgd.FULL else len(digits[2]) // B
        assert len(run["history"].step_loss) == sgd.EPOCHS * steps_per_epoch
        assert np.all(np.diff(run["seconds"]) >= 0)
    full = comparison[sgd.FULL, sgd.SEEDS[0]][1]["history"]
    assert full.epoch_loss[1] == pytest.approx(_loss_after_one_full_batch_step(digits, sgd.LR[sgd.FULL]), rel=1e-10)


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


def test_c4_the_minibatch_gradient_is_an_unbiased_estimate(digits):
    X_train, _, y_train, _ = digits
    X, y = X_train[:1344], y_train[:1344]          # 1344 = 21 batches of 64
    from lessons_lib import nn

    model = nn.MLP([64, 10], init="lecun_normal", rng=np.random.default_rng(3))
    full = model.loss_and_grads(X, y)[1]
    batch_grads = [model.loss_and_grads(X[b], y[b])[1]
                   for b in data.minibatches(len(y), 64, rng=np.random.default_rng(0))]
    for i, g in enumerate(full):
        assert np.allclose(np.mean([bg[i] for bg in batch_grads], axis=0), g, rtol=1e-10, atol=1e-14)


def test_c4_gradient_noise_follows_the_one_over_b_law_with_the_finite_population_correction(digits):
    from lessons_lib import nn

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
        if B == 450:  # here the plain 1/B law is far off: the measured noise is below half of it
            assert np.mean(errors) < 0.5 * sigma2 / B
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
    # by hand: cos = (0.7 * 7 + 4 * 2) / (sqrt(0.49 + 16) * sqrt(53)) = 12.9 / 29.56 = 0.4364
    assert angle == pytest.approx(math.degrees(math.acos(12.9 / math.sqrt(16.49 * 53))), abs=1e-9)
    assert round(angle) == 64
    for p in [(-7.0, 0.0), (0.0, 2.0)]:  # on the axes the gradient does point at the minimum
        q = surfaces.BOWL.grad(p)
        assert abs(q[0] * p[1] - q[1] * p[0]) < 1e-12


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
    centres = sgd.bowl_dataset(256, seed=0)
    assert np.allclose(centres.mean(axis=0), 0, atol=1e-12)
    p = np.array([-3.0, 1.5])
    assert np.allclose(sgd.bowl_minibatch_grad(p, centres), surfaces.BOWL.grad(p))
    full = sgd.sgd_on_bowl(centres, 256, 0.95, 30, rng=np.random.default_rng(0))
    assert np.allclose(full, surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 30, lr=0.95))
    noisy = sgd.sgd_on_bowl(centres, 4, 0.95, 30, rng=np.random.default_rng(0))
    assert _sign_changes(noisy[:, 1]) >= 20


def test_c5_at_lr_one_half_a_single_sample_step_puts_y_on_that_samples_centre():
    centres = sgd.bowl_dataset(256, seed=0)
    path = sgd.sgd_on_bowl(centres, 1, 0.5, 20, rng=np.random.default_rng(0))
    gaps = np.abs(path[1:, 1][:, None] - centres[:, 1][None, :]).min(axis=1)
    assert np.all(gaps < 1e-12)
    moved = sgd.sgd_on_bowl(centres, 1, 0.4, 20, rng=np.random.default_rng(0))   # the lesson's rate does not
    assert np.all(np.abs(moved[1:, 1][:, None] - centres[:, 1][None, :]).min(axis=1) > 1e-9)


@pytest.fixture(scope="module")
def decay_losses():
    centres = sgd.bowl_dataset(256, seed=0)
    return {label: np.array([surfaces.BOWL.values(p) for p in sgd.bowl_decay_runs(centres, lr, decay)])
            for label, (lr, decay) in sgd.DECAY_RUNS.items()}


BIG, SMALL, DECAYED, TOO_FAST = sgd.DECAY_RUNS   # the labels, in the lesson's order


def test_c5_the_decay_runs_are_the_ones_the_lesson_names():
    assert [sgd.DECAY_RUNS[k] for k in (BIG, SMALL, DECAYED, TOO_FAST)] == [
        (0.4, None), (0.04, None), (0.4, 0.02), (0.4, 1.0)]


def test_c5_time_decay_ends_lower_than_both_constant_rates_on_every_seed(decay_losses):
    big, small, decayed = BIG, SMALL, DECAYED
    late = {label: curves[:, -50:].mean(axis=1) for label, curves in decay_losses.items()}
    assert np.all(late[decayed] < late[big]) and np.all(late[decayed] < late[small])
    ratio = late[big].mean() / late[decayed].mean()   # "about ten times lower than the better constant rate"
    assert late[big].mean() < late[small].mean() and 7 < ratio < 15


def test_c5_decay_too_fast_shrinks_the_steps_before_the_path_arrives(decay_losses):
    late = {label: curves[:, -50:].mean(axis=1) for label, curves in decay_losses.items()}
    # "ending higher than either constant rate", on every seed
    assert np.all(late[TOO_FAST] > late[BIG]) and np.all(late[TOO_FAST] > late[SMALL])
    paths = sgd.bowl_decay_runs(sgd.bowl_dataset(256, seed=0), *sgd.DECAY_RUNS[TOO_FAST])
    # "less than a quarter of the way along x (from -7 to about -5.5)", on every seed; by hand, the mean
    # factor on x is prod_k (1 - 0.04 / (1 + k)) over 300 steps, about exp(-0.04 * ln 300) = 0.8
    x_end = paths[:, -1, 0]
    assert np.all(x_end < -0.75 * 7) and np.all(x_end > -6)
    assert np.prod(1 - 0.04 / (1 + np.arange(sgd.DECAY_STEPS))) == pytest.approx(0.78, abs=0.01)


def test_c5_the_big_constant_rate_stalls_the_small_one_is_still_falling_decay_is_fast_early(decay_losses):
    big, small, decayed = BIG, SMALL, DECAYED
    mean = {label: curves.mean(axis=0) for label, curves in decay_losses.items()}
    # the big constant rate sits on a noise floor: the last 100 steps are no better than the 100 before
    assert mean[big][-100:].mean() > 0.8 * mean[big][-200:-100].mean()
    # the small one is still on its way down after 300 steps
    assert mean[small][-25:].mean() < 0.8 * mean[small][-75:-50].mean()
    # decay is about as fast as the big rate early: it reaches a loss of 0.5 within 20% as many steps
    first_below = {label: int(np.argmax(curve < 0.5)) for label, curve in mean.items()}
    assert first_below[decayed] <= 1.2 * first_below[big] and first_below[small] > 4 * first_below[big]


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
# The explorer (its redraw time is measured by `make bench`, not here)
# ---------------------------------------------------------------------------------------------------------


def test_explorer_full_batch_is_the_deterministic_bowl_path():
    explorer = sgd_explorer()
    explorer.set(batch_size=0, lr=0.95, seed=5)
    xs, ys = explorer.handle["path"].get_data()
    expected = surfaces.trace(surfaces.BOWL, optim.SGD, (-7, 2), 40, lr=0.95)
    assert np.allclose(np.column_stack([xs, ys]), expected)


def test_explorer_redraws_and_the_seed_changes_the_picture_at_b1():
    explorer = sgd_explorer()
    explorer.set(batch_size=1, lr=0.3, seed=0)
    first = np.column_stack(explorer.handle["path"].get_data()).copy()
    loss_first = np.asarray(explorer.handle["loss"].get_data()[1]).copy()
    explorer.set(seed=3)
    second = np.column_stack(explorer.handle["path"].get_data())
    assert not np.allclose(first, second)
    assert not np.allclose(loss_first, explorer.handle["loss"].get_data()[1])
    explorer.set(batch_size=64)  # the digits: 300 samples in batches of 64 drop 44 per epoch, as train.fit
    assert "50 steps = 12.5 epochs" in explorer.handle["note"].get_text()
