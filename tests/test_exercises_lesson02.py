"""The self-checks of lesson 02 accept a right answer and name each mistake they claim to catch."""

import numpy as np
import pytest

from lessons_lib.exercises import lesson02


# ---- Exercise 1: minibatch iterator --------------------------------------------------------------------


def right_minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def test_minibatches_accepts_a_right_iterator():
    feedback = lesson02.check_minibatches(right_minibatches)
    assert feedback.ok, feedback.message


def test_minibatches_accepts_a_list_of_lists():
    def as_lists(n, batch_size, rng):
        order = rng.permutation(n).tolist()
        return [order[i:i + batch_size] for i in range(0, n, batch_size)]

    assert lesson02.check_minibatches(as_lists).ok


def drop_last(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):
        yield order[start:start + batch_size]


def with_replacement(n, batch_size, rng):
    for start in range(0, n, batch_size):
        yield rng.integers(0, n, size=min(batch_size, n - start))


def in_order(n, batch_size, rng):
    order = np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def reseeded(n, batch_size, rng):
    yield from right_minibatches(n, batch_size, np.random.default_rng(42))


def global_random(n, batch_size, rng):
    yield from right_minibatches(n, batch_size, np.random.default_rng())


def off_by_one_end(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:min(start + batch_size, n - 1)]


def one_based(n, batch_size, rng):
    order = rng.permutation(n) + 1
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def ragged(n, batch_size, rng):
    order = rng.permutation(n)
    half = max(1, batch_size // 2)
    for start in range(0, n, half):
        yield order[start:start + half]


def raises(n, batch_size, rng):
    raise RuntimeError("not written yet")


@pytest.mark.parametrize(
    "wrong, words",
    [
        (drop_last, "skipped, the last, smaller batch was dropped"),
        (with_replacement, "appears"),
        (in_order, "stored order"),
        (reseeded, "same order"),
        (global_random, "not reproducible"),
        (off_by_one_end, "skipped"),
        (one_based, "out of range"),
        (ragged, "batch sizes"),
        (raises, "RuntimeError"),
    ],
)
def test_minibatches_names_the_mistake(wrong, words):
    feedback = lesson02.check_minibatches(wrong)
    assert not feedback.ok
    assert words in feedback.message


def test_minibatches_stub_fails_without_error():
    def stub(n, batch_size, rng):
        return [np.arange(n)]  # your code here

    feedback = lesson02.check_minibatches(stub)
    assert not feedback.ok


# ---- Exercise 2: noise variance ------------------------------------------------------------------------


def test_noise_variance_accepts_the_formula():
    assert lesson02.check_noise_variance(lambda s, N, B: s / B * (N - B) / (N - 1)).ok


def test_noise_variance_formula_matches_an_exact_enumeration():
    # Independent of the check: enumerate every subset of size B of a small population.
    from itertools import combinations

    values = np.array([0.3, -1.2, 2.0, 0.5, -0.4, 1.1])
    N = len(values)
    sigma2 = float(np.mean((values - values.mean()) ** 2))
    for B in range(1, N + 1):
        means = [values[list(c)].mean() for c in combinations(range(N), B)]
        exact = float(np.mean((np.array(means) - values.mean()) ** 2))
        assert exact == pytest.approx(sigma2 / B * (N - B) / (N - 1), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda s, N, B: s / B, "finite-population correction"),
        (lambda s, N, B: s / B * (N - B) / N, "off by one"),
        (lambda s, N, B: s / np.sqrt(B) * (N - B) / (N - 1), "not 1/sqrt(B)"),
        (lambda s, N, B: s / np.sqrt(B), "standard deviation"),
        (lambda s, N, B: s * B, "wrong direction"),
        (lambda s, N, B: s * B * (N - B) / (N - 1), "wrong direction"),
        (lambda s, N, B: s, "1/B law"),
        (lambda s, N, B: "big", "one number"),
    ],
)
def test_noise_variance_names_the_mistake(wrong, words):
    feedback = lesson02.check_noise_variance(wrong)
    assert not feedback.ok
    assert words in feedback.message


# ---- Exercise 3: time-based decay ----------------------------------------------------------------------


def test_time_decay_accepts_the_formula():
    assert lesson02.check_time_decay(lambda lr0, decay, k: lr0 / (1 + decay * k)).ok


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda lr0, d, k: lr0 / (1 + d * (k + 1)), "first step (k = 0)"),
        (lambda lr0, d, k: lr0 / (1 + d * (k - 1)), "off by one"),
        (lambda lr0, d, k: lr0 * (1 - d) ** k, "exponential decay"),
        (lambda lr0, d, k: lr0 * np.exp(-d * k), "exponential decay"),
        (lambda lr0, d, k: lr0 / (1 + d) ** k, "exponential decay"),
        (lambda lr0, d, k: lr0 * (1 + d * k), "grows"),
        (lambda lr0, d, k: lr0 / (1 + d) * k, "precedence"),
        (lambda lr0, d, k: lr0 / 1 + d * k, "precedence"),
        (lambda lr0, d, k: lr0, "expected"),
    ],
)
def test_time_decay_names_the_mistake(wrong, words):
    feedback = lesson02.check_time_decay(wrong)
    assert not feedback.ok
    assert words in feedback.message
