"""Self-checks for lesson 02 (stochastic and minibatch SGD).

Each ``check_*`` function runs the learner's code on cases whose right answer is computed here from the
definition or the formula, and names the mistake it finds. They return a ``Feedback``.
"""

import numpy as np

from . import call_learner as _call
from . import failed, number_answers, passed


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: a minibatch iterator
# ---------------------------------------------------------------------------------------------------------


def _one_epoch(minibatches, n, batch_size, rng):
    """The learner's batches for one epoch, as a list of int arrays (or a Feedback naming the problem)."""
    result, error = _call(lambda: list(minibatches(n, batch_size, rng)))
    if error:
        return error
    batches = []
    for batch in result:
        batch = np.asarray(batch)
        if batch.ndim != 1 or (batch.size and not np.issubdtype(batch.dtype, np.integer)):
            return failed("each batch must be a 1-D array of integer sample indices, e.g. array([4, 0, 7])")
        batches.append(batch.astype(int))
    return batches


def check_minibatches(minibatches):
    """Check ``minibatches(n, batch_size, rng)``: one epoch of shuffled index batches covering 0..n-1 once."""
    for n, batch_size in [(10, 3), (12, 4), (7, 7), (5, 1), (50, 8)]:
        batches = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0))
        if not isinstance(batches, list):
            return batches
        if not batches:
            return failed(f"n = {n}, batch_size = {batch_size}: no batch at all")
        seen = np.concatenate(batches)
        if seen.size and (seen.min() < 0 or seen.max() >= n):
            return failed(
                f"n = {n}: index {int(seen.max()) if seen.max() >= n else int(seen.min())} is out of range; "
                f"sample indices run from 0 to n - 1 = {n - 1} (off by one?)"
            )
        counts = np.bincount(seen, minlength=n)
        missing = np.flatnonzero(counts == 0)
        if missing.size and n % batch_size and len(seen) == n - n % batch_size:
            return failed(
                f"n = {n}, batch_size = {batch_size}: {n % batch_size} sample(s) skipped, the last, smaller "
                f"batch was dropped; an epoch must use every sample once"
            )
        if np.any(counts > 1):
            twice = int(np.flatnonzero(counts > 1)[0])
            return failed(
                f"n = {n}: sample {twice} appears {int(counts[twice])} times in one epoch; draw a permutation "
                "(sampling without replacement), not independent random indices"
            )
        if missing.size:
            return failed(
                f"n = {n}, batch_size = {batch_size}: sample(s) {missing.tolist()} skipped "
                "(check the ends of your range: off by one?)"
            )
        sizes = [len(b) for b in batches]
        expected_sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        if sizes != expected_sizes:
            return failed(
                f"n = {n}, batch_size = {batch_size}: batch sizes {sizes}, expected {expected_sizes} "
                "(every batch full, only the last one may be smaller)"
            )
    n, batch_size = 50, 8
    first = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0))
    if np.array_equal(np.concatenate(first), np.arange(n)):
        return failed("the samples come in their stored order 0, 1, 2, ...: shuffle them with rng.permutation(n)")
    again = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0))
    if not np.array_equal(np.concatenate(first), np.concatenate(again)):
        return failed(
            "not reproducible: two generators with the same seed gave different orders; draw from the rng "
            "argument, not from np.random or a new generator"
        )
    rng = np.random.default_rng(1)
    epoch1 = np.concatenate(_one_epoch(minibatches, n, batch_size, rng))
    epoch2 = np.concatenate(_one_epoch(minibatches, n, batch_size, rng))
    if np.array_equal(epoch1, epoch2):
        return failed(
            "two epochs with the same rng came out in the same order: draw a fresh permutation from rng each "
            "epoch (do not re-seed inside the function)"
        )
    return passed("every sample once per epoch, in a fresh random order, batches of batch_size")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: how noisy is a minibatch gradient?
# ---------------------------------------------------------------------------------------------------------

_NOISE_CASES = [(2.0, 100, 1), (2.0, 100, 10), (0.5, 1000, 64), (3.0, 50, 50), (1.0, 20, 19)]


def check_noise_variance(noise_variance):
    """Check ``noise_variance(sigma2, N, B)`` = sigma2 / B * (N - B) / (N - 1).

    sigma2 is the population variance of the per-sample gradients (mean squared distance to the full
    gradient); B samples are drawn without replacement from N.
    """
    wrong = {
        "you left out the finite-population correction (N - B)/(N - 1): that is the law for sampling WITH "
        "replacement; without replacement a full batch, B = N, has no noise at all":
            lambda s, N, B: s / B,
        "off by one in the correction: it is (N - B)/(N - 1), not (N - B)/N":
            lambda s, N, B: s / B * (N - B) / N,
        "the variance shrinks like 1/B, not 1/sqrt(B) (1/sqrt(B) is how the standard deviation shrinks)":
            lambda s, N, B: s / np.sqrt(B) * (N - B) / (N - 1),
        "1/sqrt(B) is the law of the standard deviation, and the finite-population correction is missing":
            lambda s, N, B: s / np.sqrt(B),
        "wrong direction: a bigger batch averages more samples, so the variance shrinks like 1/B, not grows":
            lambda s, N, B: s * B * (N - B) / (N - 1),
        "wrong direction: a bigger batch averages more samples, so the variance shrinks like 1/B, not grows "
        "(and the finite-population correction is missing)":
            lambda s, N, B: s * B,
    }
    answers, error = number_answers(noise_variance, _NOISE_CASES, "a variance")
    if error:
        return error
    right = [s / B * (N - B) / (N - 1) for s, N, B in _NOISE_CASES]
    if np.allclose(answers, right):
        return passed("sigma2 / B x (N - B)/(N - 1): the 1/B law, and no noise left at B = N")
    for message, formula in wrong.items():
        if np.allclose(answers, [formula(s, N, B) for s, N, B in _NOISE_CASES]):
            return failed(message)
    s, N, B = _NOISE_CASES[1]
    return failed(
        f"for sigma2 = {s}, N = {N}, B = {B} you gave {answers[1]:.4g}; start from sigma2 / B "
        "(the 1/B law) and multiply by the finite-population correction"
    )


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the time-based learning-rate decay
# ---------------------------------------------------------------------------------------------------------

_DECAY_CASES = [(0.1, 0.01, 0), (0.1, 0.01, 1), (0.5, 0.1, 10), (1.0, 0.5, 3), (0.3, 0.002, 1000)]


def check_time_decay(decayed_lr):
    """Check ``decayed_lr(lr0, decay, k)`` = lr0 / (1 + decay * k), k = number of steps already taken."""
    wrong = {
        "off by one: the first step (k = 0) must use lr0 itself; use lr0 / (1 + decay * k), not k + 1":
            lambda lr0, d, k: lr0 / (1 + d * (k + 1)),
        "off by one: use lr0 / (1 + decay * k) with k = steps already taken, not k - 1":
            lambda lr0, d, k: lr0 / (1 + d * (k - 1)),
        "that is exponential decay, lr0 (1 - decay)^k; the `decay` of the lecture note is time-based, "
        "lr0 / (1 + decay * k), which shrinks much more slowly":
            lambda lr0, d, k: lr0 * (1 - d) ** k,
        "that is exponential decay, lr0 exp(-decay k); the `decay` of the lecture note is time-based, "
        "lr0 / (1 + decay * k)":
            lambda lr0, d, k: lr0 * np.exp(-d * k),
        "that is exponential decay, lr0 / (1 + decay)^k; the `decay` of the lecture note is time-based, "
        "lr0 / (1 + decay * k)":
            lambda lr0, d, k: lr0 / (1 + d) ** k,
        "the learning rate grows: divide lr0 by (1 + decay * k), do not multiply":
            lambda lr0, d, k: lr0 * (1 + d * k),
        "operator precedence: lr0 / (1 + decay) * k is (lr0 / (1 + decay)) times k; put decay * k inside "
        "the parentheses":
            lambda lr0, d, k: lr0 / (1 + d) * k,
        "operator precedence: lr0 / 1 + decay * k adds decay * k to lr0; divide by the whole (1 + decay * k)":
            lambda lr0, d, k: lr0 + d * k,
    }
    answers, error = number_answers(decayed_lr, _DECAY_CASES, "a learning rate")
    if error:
        return error
    right = [lr0 / (1 + d * k) for lr0, d, k in _DECAY_CASES]
    if np.allclose(answers, right):
        return passed("lr0 / (1 + decay * k): lr0 at the first step, half of it after 1/decay steps")
    for message, formula in wrong.items():
        if np.allclose(answers, [formula(lr0, d, k) for lr0, d, k in _DECAY_CASES]):
            return failed(message)
    lr0, d, k = _DECAY_CASES[2]
    return failed(f"for lr0 = {lr0}, decay = {d}, k = {k} you gave {answers[2]:.4g}, expected {right[2]:.4g}")
