"""The self-checks of lesson 02: a right answer passes, each mistake gets its own message (by key), a stub
gets a hint and never the fix, and a call passed instead of the function is named as such.

The right answers are checked here against independent sources: an exact enumeration of every minibatch
for the noise law, and the library's own training loop for the decayed learning rate.
"""

from itertools import combinations
import math

import numpy as np
import pytest

from lessons_lib import data, nn, optim, schedules, train
from lessons_lib.exercises import lesson02


# ---- Exercise 1: my_minibatches(n, batch_size, rng, drop_last) -----------------------------------------


def right_minibatches(n, batch_size, rng, drop_last):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def library_minibatches(n, batch_size, rng, drop_last):
    return data.minibatches(n, batch_size, rng=rng, last_batch="drop" if drop_last else "keep")


@pytest.mark.parametrize("answer", [right_minibatches, library_minibatches])
def test_minibatches_accepts_a_right_iterator(answer):
    feedback = lesson02.check_minibatches(answer)
    assert feedback.ok and feedback.key == "my_minibatches.ok", feedback.message


def cut(order, batch_size, stop, shrink=0):
    return [order[start:start + batch_size - shrink] for start in range(0, stop, batch_size)]


def always_drop(n, batch_size, rng, drop_last):
    return cut(rng.permutation(n), batch_size, n - n % batch_size)


def always_keep(n, batch_size, rng, drop_last):
    return cut(rng.permutation(n), batch_size, n)


def fold_the_rest(n, batch_size, rng, drop_last):
    batches = cut(rng.permutation(n), batch_size, n)
    if drop_last and n % batch_size and len(batches) > 1:
        batches[-2:] = [np.concatenate(batches[-2:])]
    return batches


def with_replacement(n, batch_size, rng, drop_last):
    stop = n - n % batch_size if drop_last else n
    return [rng.integers(0, n, size=min(batch_size, n - start)) for start in range(0, stop, batch_size)]


def in_order(n, batch_size, rng, drop_last):
    return cut(np.arange(n), batch_size, n - n % batch_size if drop_last else n)


def reseeded(n, batch_size, rng, drop_last):
    return right_minibatches(n, batch_size, np.random.default_rng(42), drop_last)


def fresh_generator(n, batch_size, rng, drop_last):
    return right_minibatches(n, batch_size, np.random.default_rng(), drop_last)


def drops_the_same_samples(n, batch_size, rng, drop_last):
    kept = n - n % batch_size if drop_last else n
    return cut(rng.permutation(kept), batch_size, kept)  # samples kept .. n-1 are never used


def slice_one_short(n, batch_size, rng, drop_last):
    return cut(rng.permutation(n), batch_size, n - n % batch_size if drop_last else n, shrink=1)


def one_based(n, batch_size, rng, drop_last):
    return [b + 1 for b in right_minibatches(n, batch_size, rng, drop_last)]


def half_batches(n, batch_size, rng, drop_last):
    return cut(rng.permutation(n), max(1, batch_size // 2), n)


def float_indices(n, batch_size, rng, drop_last):
    return [b * 1.0 for b in right_minibatches(n, batch_size, rng, drop_last)]


def raises_midway(n, batch_size, rng, drop_last):
    yield np.arange(batch_size)
    raise KeyError("oops")


@pytest.mark.parametrize(
    "wrong, key",
    [
        (always_drop, "my_minibatches.dropped_short"),
        (always_keep, "my_minibatches.kept_short"),
        (fold_the_rest, "my_minibatches.folded"),
        (with_replacement, "my_minibatches.repeated"),
        (in_order, "my_minibatches.stored_order"),
        (reseeded, "my_minibatches.same_order_each_epoch"),
        (fresh_generator, "my_minibatches.not_reproducible"),
        (drops_the_same_samples, "my_minibatches.same_left_out"),
        (slice_one_short, "my_minibatches.skipped"),
        (one_based, "my_minibatches.out_of_range"),
        (half_batches, "my_minibatches.sizes"),
        (lambda n, batch_size, rng, drop_last: [], "my_minibatches.no_batch"),
        (float_indices, "my_minibatches.not_batches"),
        (lambda n, batch_size, rng, drop_last: 3.5, "my_minibatches.not_batches"),
        (raises_midway, "common.raised"),
    ],
)
def test_minibatches_names_each_mistake(wrong, key):
    feedback = lesson02.check_minibatches(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


def test_minibatches_a_call_instead_of_the_function_gets_the_pass_your_function_message():
    # the known bug: a generator passed in used to give "'generator' object is not callable"
    feedback = lesson02.check_minibatches(right_minibatches(10, 3, np.random.default_rng(0), False))
    assert feedback.key == "common.not_callable" and "pass your function itself" in feedback.message
    assert lesson02.check_minibatches([np.arange(3)]).key == "common.not_callable"


def test_minibatches_stub_gets_a_hint_not_the_fix():
    def my_minibatches(n, batch_size, rng, drop_last):
        ...  # your code here

    feedback = lesson02.check_minibatches(my_minibatches)
    assert feedback.key == "common.not_written" and feedback.fields["hint"].key == "my_minibatches.hint"
    assert "permutation" not in feedback.message and "n % batch_size" not in feedback.message


# ---- Exercise 2: batch_for_noise(sigma2, N, target) ------------------------------------------------------


def test_the_noise_law_matches_an_exact_enumeration_of_every_minibatch():
    # Independent of the check: every subset of size B of a small population, without replacement.
    values = np.array([0.3, -1.2, 2.0, 0.5, -0.4, 1.1])
    N = len(values)
    sigma2 = float(np.mean((values - values.mean()) ** 2))
    for B in range(1, N + 1):
        means = [values[list(c)].mean() for c in combinations(range(N), B)]
        exact = float(np.mean((np.array(means) - values.mean()) ** 2))
        assert exact == pytest.approx(sigma2 / B * (N - B) / (N - 1), rel=1e-12, abs=1e-15)


def closed_form(sigma2, N, target):
    return math.ceil(sigma2 * N / (target * (N - 1) + sigma2))


def loop(sigma2, N, target):
    for B in range(1, N + 1):
        if sigma2 / B * (N - B) / (N - 1) <= target:
            return B


@pytest.mark.parametrize("answer", [closed_form, loop])
def test_batch_for_noise_accepts_both_solutions(answer):
    feedback = lesson02.check_batch_for_noise(answer)
    assert feedback.ok and feedback.key == "batch_for_noise.ok", feedback.message


def test_batch_for_noise_reference_is_the_smallest_batch_that_reaches_the_target():
    for sigma2, N, target in lesson02.BATCH_FOR_NOISE.all_cases():
        B = int(lesson02.BATCH_FOR_NOISE.want((sigma2, N, target))[0])
        assert sigma2 / B * (N - B) / (N - 1) <= target < sigma2 / (B - 1) * (N - B + 1) / (N - 1)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda s, N, t: math.ceil(s / t), "batch_for_noise.with_replacement"),
        (lambda s, N, t: math.floor(s * N / (t * (N - 1) + s)), "batch_for_noise.one_too_small"),
        (lambda s, N, t: int(s * N / (t * (N - 1) + s)), "batch_for_noise.one_too_small"),
        (lambda s, N, t: next(B for B in range(1, N + 1) if s / B * (N - B) / N <= t),   # 1 - B/N
         "batch_for_noise.one_too_small"),
        (lambda s, N, t: closed_form(s, N, t) + 1, "batch_for_noise.one_too_many"),
        (lambda s, N, t: s * N / (t * (N - 1) + s), "batch_for_noise.not_rounded"),
        (lambda s, N, t: closed_form(s, N, t * t), "batch_for_noise.std_target"),
        (lambda s, N, t: next(B for B in range(1, N + 1) if s / math.sqrt(B) * (N - B) / (N - 1) <= t),
         "batch_for_noise.sqrt_law"),
        (lambda s, N, t: closed_form(s, N, t) + 3, "common.wrong_value"),
        (lambda s, N, t: "big", "common.not_numbers"),
    ],
)
def test_batch_for_noise_names_the_mistake(wrong, key):
    feedback = lesson02.check_batch_for_noise(wrong)
    assert not feedback.ok and feedback.key == key


def test_batch_for_noise_stub_and_call():
    def batch_for_noise(sigma2, N, target):
        ...  # your code here

    stub = lesson02.check_batch_for_noise(batch_for_noise)
    assert stub.key == "common.not_written" and stub.fields["hint"].key == "batch_for_noise.hint"
    assert lesson02.check_batch_for_noise(closed_form(1.5, 1347, 0.01)).key == "common.not_callable"


# ---- Exercise 3: lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last) --------------------------------


def right_lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last):
    steps_per_epoch = n // batch_size if drop_last else math.ceil(n / batch_size)
    return lr0 / (1 + decay * epoch * steps_per_epoch)


def test_lr_at_epoch_accepts_the_right_answer():
    feedback = lesson02.check_lr_at_epoch(right_lr_at_epoch)
    assert feedback.ok and feedback.key == "lr_at_epoch.ok", feedback.message


class FirstLrOfEachEpoch:
    """Records the learning rate the optimizer will use for the first step of each epoch."""

    def __init__(self, optimizer):
        self.optimizer, self.seen = optimizer, [optimizer.lr]

    def after_epoch(self, epoch, history, model):
        self.seen.append(self.optimizer.lr)


@pytest.mark.parametrize("batch_size, drop_last", [(64, True), (64, False), (7, True), (300, False)])
def test_lr_at_epoch_reference_is_what_train_fit_with_time_decay_does(batch_size, drop_last):
    # Independent of the check's formula: run the library's training loop and read the rate it uses.
    X, y = data.make_classification_blobs(300, n_features=4, n_classes=3, seed=0)
    model = nn.MLP([4, 3], init="zeros", rng=np.random.default_rng(0))
    optimizer = optim.SGD(model.params, lr=0.5)
    recorder = FirstLrOfEachEpoch(optimizer)
    train.fit(model, optimizer, X, y, epochs=4, batch_size=batch_size, rng=np.random.default_rng(0),
              schedule=schedules.TimeDecay(optimizer, decay=0.01), callbacks=[recorder],
              last_batch="drop" if drop_last else "keep")
    for epoch, lr in enumerate(recorder.seen):
        want = lesson02.LR_AT_EPOCH.want((0.5, 0.01, epoch, 300, batch_size, drop_last))[0]
        assert lr == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e), "lr_at_epoch.per_epoch"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e * math.ceil(n / B)), "lr_at_epoch.kept_remainder"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e * (n // B)), "lr_at_epoch.dropped_remainder"),
        (lambda lr0, d, e, n, B, drop: right_lr_at_epoch(lr0, d, e + 1, n, B, drop), "lr_at_epoch.counted_this_epoch"),
        (lambda lr0, d, e, n, B, drop: 1 / (1 / right_lr_at_epoch(lr0, d, e, n, B, drop) + d / lr0),
         "lr_at_epoch.one_step_late"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e * n), "lr_at_epoch.samples_not_steps"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e * n / B), "lr_at_epoch.fractional_steps"),
        (lambda lr0, d, e, n, B, drop: right_lr_at_epoch(lr0, d, e - 1, n, B, drop), "lr_at_epoch.epoch_from_one"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d * e * (n // B if drop else n // B + 1)),
         "lr_at_epoch.short_batch_always"),
        (lambda lr0, d, e, n, B, drop: lr0 * (1 - d) ** (e * (n // B if drop else math.ceil(n / B))),
         "lr_at_epoch.exponential"),
        (lambda lr0, d, e, n, B, drop: lr0 / (1 + d) ** (e * (n // B if drop else math.ceil(n / B))),
         "lr_at_epoch.compounded"),
        (lambda lr0, d, e, n, B, drop: lr0 ** 2 / right_lr_at_epoch(lr0, d, e, n, B, drop), "lr_at_epoch.grows"),
        (lambda lr0, d, e, n, B, drop: 2 * right_lr_at_epoch(lr0, d, e, n, B, drop), "common.wrong_value"),
        (lambda *args: 1 / 0, "common.raised"),
    ],
)
def test_lr_at_epoch_names_the_mistake(wrong, key):
    feedback = lesson02.check_lr_at_epoch(wrong)
    assert not feedback.ok and feedback.key == key


def test_lr_at_epoch_generic_message_names_drop_last_as_a_flag():
    feedback = lesson02.check_lr_at_epoch(lambda lr0, d, e, n, B, drop: 2 * right_lr_at_epoch(lr0, d, e, n, B, drop))
    assert feedback.key == "common.wrong_value" and "1347, 64, True" in feedback.message


def test_lr_at_epoch_stub_gets_a_hint_not_the_fix():
    def lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last):
        ...  # your code here

    feedback = lesson02.check_lr_at_epoch(lr_at_epoch)
    assert feedback.key == "common.not_written" and feedback.fields["hint"].key == "lr_at_epoch.hint"
    assert "1 + decay" not in feedback.message and "//" not in feedback.message
