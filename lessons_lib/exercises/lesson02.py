"""Self-checks for lesson 02 (stochastic and minibatch SGD).

Exercise 1 (a minibatch iterator) is checked by hand: its answer is a sequence of index arrays, judged by
properties (every sample once, a fresh random order, what happens to the short last batch), with an
``EXAMPLES`` table that reaches each of its messages. Exercises 2 and 3 are ``FunctionCheck``s: the
learner's function runs on fixed cases, the right answer is computed here independently (by brute force
where it can be), and a wrong answer is matched against the usual mistakes so the message can name it.
The words of every message are in ``messages/en/lesson02.py``.
"""

import math

import numpy as np

from . import FunctionCheck, call_learner, check, failed, not_written, passed

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: a minibatch iterator, my_minibatches(n, batch_size, rng, drop_last) -> index arrays
# ---------------------------------------------------------------------------------------------------------

_HINT_MINIBATCHES = "my_minibatches.hint"

# (n, batch_size, drop_last): remainders of 1 and 2, a batch size that divides n, B = n and B = 1.
_MINIBATCH_CASES = [
    (10, 3, False), (12, 4, False), (7, 7, False), (5, 1, False), (50, 8, False),
    (10, 3, True), (50, 8, True), (12, 4, True), (7, 7, True),
]


def _one_epoch(minibatches, n, batch_size, rng, drop_last):
    """The learner's batches for one epoch as a list of int arrays: ``(batches, None)`` or ``(None, Feedback)``.

    The learner's function is called through ``call_learner`` (so a call passed instead of the function, or
    a stub, gets its own message); a generator's code runs while it is listed, so errors there are caught too.
    """
    result, error = call_learner(minibatches, n, batch_size, rng, drop_last, hint=_HINT_MINIBATCHES)
    if error:
        return None, error
    try:
        iterator = iter(result)
    except TypeError:  # the function returned something that is not a sequence of batches
        return None, failed("my_minibatches.not_batches", got=type(result).__name__)
    try:
        items = list(iterator)
    except NotImplementedError:
        return None, not_written(_HINT_MINIBATCHES)
    except Exception as exc:  # the learner's generator may raise anything; report it plainly
        return None, failed("common.raised", error=f"{type(exc).__name__}: {exc}")
    batches = []
    for item in items:
        try:
            batch = np.asarray(item)
        except Exception:
            return None, failed("my_minibatches.not_batches", got=type(item).__name__)
        if batch.ndim != 1 or (batch.size and not np.issubdtype(batch.dtype, np.integer)):
            return None, failed("my_minibatches.not_batches", got=_describe(item, batch))
        batches.append(batch.astype(int))
    return batches, None


def _describe(item, batch):
    """A batch that is not a 1-D array of integers, in code words that read the same in every language:
    "str", "ndarray (float64, shape (3,))"."""
    if batch.dtype == object or batch.dtype.kind in "USV":
        return type(item).__name__
    return f"ndarray ({batch.dtype}, shape {batch.shape})"


def _judge_epoch(batches, n, batch_size, drop_last):
    """The message for one epoch's batches, or None if they are right (order is judged elsewhere)."""
    where = {"n": n, "batch_size": batch_size, "drop_last": drop_last}
    if not batches:
        return failed("my_minibatches.no_batch", **where)
    seen = np.concatenate(batches)
    if seen.size and (seen.min() < 0 or seen.max() >= n):
        bad = int(seen.max()) if seen.max() >= n else int(seen.min())
        return failed("my_minibatches.out_of_range", index=bad, last=n - 1, **where)
    counts = np.bincount(seen, minlength=n)
    if np.any(counts > 1):
        twice = int(np.flatnonzero(counts > 1)[0])
        return failed("my_minibatches.repeated", sample=twice, times=int(counts[twice]), **where)
    sizes = [len(b) for b in batches]
    remainder = n % batch_size
    full = [batch_size] * (n // batch_size)
    if remainder and drop_last and sizes == full + [remainder]:
        return failed("my_minibatches.kept_short", remainder=remainder, **where)
    if remainder and drop_last and len(seen) == n and sizes[:-1] == full[:-1] and sizes[-1] == batch_size + remainder:
        return failed("my_minibatches.folded", remainder=remainder, **where)
    if remainder and not drop_last and sizes == full:
        return failed("my_minibatches.dropped_short", remainder=remainder, **where)
    expected = full if drop_last else full + ([remainder] if remainder else [])
    if sum(sizes) < sum(expected):
        missing = sum(expected) - sum(sizes)
        return failed("my_minibatches.skipped", missing=missing, **where)
    if sizes != expected:
        return failed("my_minibatches.sizes", sizes=sizes, expected=expected, **where)
    return None


def _minibatches_verdict(minibatches):
    for n, batch_size, drop_last in _MINIBATCH_CASES:
        batches, error = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0), drop_last)
        if error:
            return error
        feedback = _judge_epoch(batches, n, batch_size, drop_last)
        if feedback is not None:
            return feedback
    n, batch_size = 50, 8
    for drop_last in (False, True):
        first, error = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0), drop_last)
        if error:
            return error
        if np.array_equal(np.concatenate(first), np.arange(len(np.concatenate(first)))):
            return failed("my_minibatches.stored_order")
        again, _ = _one_epoch(minibatches, n, batch_size, np.random.default_rng(0), drop_last)
        if again is None or not np.array_equal(np.concatenate(first), np.concatenate(again)):
            return failed("my_minibatches.not_reproducible")
        rng = np.random.default_rng(1)
        epoch1, _ = _one_epoch(minibatches, n, batch_size, rng, drop_last)
        epoch2, _ = _one_epoch(minibatches, n, batch_size, rng, drop_last)
        if epoch2 is not None and np.array_equal(np.concatenate(epoch1), np.concatenate(epoch2)):
            return failed("my_minibatches.same_order_each_epoch")
    # With drop_last, the samples left out must change from epoch to epoch: over 30 epochs of 10 samples in
    # batches of 3 (one left out per epoch), a random order leaves some sample unused with chance 10 * 0.9**30.
    rng = np.random.default_rng(2)
    used = np.zeros(10, dtype=bool)
    for _ in range(30):
        batches, error = _one_epoch(minibatches, 10, 3, rng, True)
        if error:
            return error
        used[np.concatenate(batches)] = True
    if not used.all():
        return failed("my_minibatches.same_left_out", never=np.flatnonzero(~used).tolist())
    return passed("my_minibatches.ok")


@check
def check_minibatches(my_minibatches):
    """Check ``my_minibatches(n, batch_size, rng, drop_last)``: one epoch of shuffled index batches.

    Every sample appears at most once; with ``drop_last=False`` every sample appears exactly once and only
    the last batch may be smaller; with ``drop_last=True`` the ``n % batch_size`` samples left over are left
    out (a different few each epoch) and every batch has ``batch_size`` samples.
    """
    return _minibatches_verdict(my_minibatches)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: the batch size for a target gradient noise, batch_for_noise(sigma2, N, target) -> B
# ---------------------------------------------------------------------------------------------------------


def _smallest_batch(noise, N, target):
    """The smallest B in 1..N with noise(B) <= target, found by trying every B (no formula solved)."""
    return next(B for B in range(1, N + 1) if noise(B) <= target * (1 + 1e-12))


def _noise_without_replacement(sigma2, N):
    return lambda B: sigma2 / B * (N - B) / (N - 1)


def _solved(sigma2, N, target):
    """The real B where sigma2/B * (N - B)/(N - 1) equals target: sigma2 * N / (target * (N - 1) + sigma2)."""
    return sigma2 * N / (target * (N - 1) + sigma2)


# N = 1347 is the number of training digits (section 3 measures sigma2 = 0.733 there); the other cases make the
# mistakes part (a target that needs almost all of N, one that the 1/B law alone would put above N).
# "one_too_small" covers two mistakes that give the same numbers on every case: rounding the solved B down, and
# writing the correction as (N - B)/N (its threshold lies less than 1/4 below the right one, so its smallest
# batch is the right one or one less, exactly where rounding down lands).
_NOISE_CASES = [(1.5, 1347, 0.01), (2.0, 100, 0.05), (0.5, 1000, 0.002), (3.0, 50, 0.5), (1.0, 20, 0.01)]

BATCH_FOR_NOISE = FunctionCheck(
    names=("B",),
    cases=_NOISE_CASES,
    reference=lambda s, N, t: _smallest_batch(_noise_without_replacement(s, N), N, t),
    mistakes={
        "batch_for_noise.with_replacement": lambda s, N, t: math.ceil(s / t),
        "batch_for_noise.one_too_small": lambda s, N, t: math.floor(_solved(s, N, t)),
        "batch_for_noise.one_too_many": lambda s, N, t: _smallest_batch(_noise_without_replacement(s, N), N, t) + 1,
        "batch_for_noise.not_rounded": lambda s, N, t: _solved(s, N, t),
        "batch_for_noise.std_target": lambda s, N, t: _smallest_batch(_noise_without_replacement(s, N), N, t**2),
        "batch_for_noise.sqrt_law": lambda s, N, t: _smallest_batch(
            lambda B: s / math.sqrt(B) * (N - B) / (N - 1), N, t),
    },
    success="batch_for_noise.ok",
    hint="batch_for_noise.hint",
)


@check
def check_batch_for_noise(batch_for_noise):
    """Check ``batch_for_noise(sigma2, N, target) -> B``: the smallest batch (drawn without replacement from
    N samples) whose expected squared gradient error sigma2/B * (N - B)/(N - 1) is at most ``target``."""
    return BATCH_FOR_NOISE(batch_for_noise)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: time-based decay, counted in steps: lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last)
# ---------------------------------------------------------------------------------------------------------


def _steps_per_epoch(n, batch_size, drop_last, *, keep_short):
    """Optimizer steps in one epoch, counted by listing the batch sizes (no floor/ceil formula)."""
    sizes = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    short = sizes[-1] < batch_size and len(sizes) > 1
    return len(sizes) - (1 if short and not keep_short else 0)


def _lr_after(lr0, decay, k):
    return lr0 / (1 + decay * k)  # the lesson's schedule: step k (k = 0 the first step) runs with this rate


def _right_lr(lr0, decay, epoch, n, B, drop_last):
    return _lr_after(lr0, decay, epoch * _steps_per_epoch(n, B, drop_last, keep_short=not drop_last))


def _k(epoch, n, B, drop_last, *, keep_short=None):
    keep = (not drop_last) if keep_short is None else keep_short
    return epoch * _steps_per_epoch(n, B, drop_last, keep_short=keep)


# The first case drops a remainder of 3 (1347 digits in batches of 64), the second keeps it; then the first
# epoch (lr0 itself), full batch (one step per epoch), and a batch size that divides n.
_EPOCH_CASES = [
    (0.5, 0.01, 3, 1347, 64, True),
    (0.5, 0.01, 3, 1347, 64, False),
    (0.2, 0.001, 0, 1000, 10, True),
    (0.1, 0.002, 5, 300, 300, False),
    (1.0, 0.05, 2, 100, 7, False),
    (0.3, 0.1, 4, 60, 20, True),
]

LR_AT_EPOCH = FunctionCheck(
    names=("lr",),
    cases=_EPOCH_CASES,
    reference=_right_lr,
    mistakes={
        "lr_at_epoch.per_epoch": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, e),
        "lr_at_epoch.kept_remainder": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, _k(e, n, B, drop, keep_short=True)),
        "lr_at_epoch.dropped_remainder": lambda lr0, d, e, n, B, drop: _lr_after(
            lr0, d, _k(e, n, B, drop, keep_short=False)),
        "lr_at_epoch.counted_this_epoch": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, _k(e + 1, n, B, drop)),
        "lr_at_epoch.one_step_late": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, _k(e, n, B, drop) + 1),
        "lr_at_epoch.samples_not_steps": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, e * n),
        "lr_at_epoch.fractional_steps": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, e * n / B),
        "lr_at_epoch.epoch_from_one": lambda lr0, d, e, n, B, drop: _lr_after(lr0, d, _k(e - 1, n, B, drop)),
        "lr_at_epoch.short_batch_always": lambda lr0, d, e, n, B, drop: _lr_after(
            lr0, d, e * (n // B + (0 if drop else 1))),
        "lr_at_epoch.exponential": lambda lr0, d, e, n, B, drop: lr0 * (1 - d) ** _k(e, n, B, drop),
        "lr_at_epoch.compounded": lambda lr0, d, e, n, B, drop: lr0 / (1 + d) ** _k(e, n, B, drop),
        "lr_at_epoch.grows": lambda lr0, d, e, n, B, drop: lr0 * (1 + d * _k(e, n, B, drop)),
    },
    success="lr_at_epoch.ok",
    hint="lr_at_epoch.hint",
)


@check
def check_lr_at_epoch(lr_at_epoch):
    """Check ``lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last) -> lr``: the learning rate of the
    first step of epoch ``epoch`` (0 is the first) when ``TimeDecay`` shrinks the rate after every step."""
    return LR_AT_EPOCH(lr_at_epoch)


# ---------------------------------------------------------------------------------------------------------
# Example answers for exercise 1 (checked by hand): each reaches one message (tests/test_exercise_messages.py)
# ---------------------------------------------------------------------------------------------------------


def _right(n, batch_size, rng, drop_last):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def _as_lists(n, batch_size, rng, drop_last):
    return [b.tolist() for b in _right(n, batch_size, rng, drop_last)]


def _always_drop(n, batch_size, rng, drop_last):
    return _right(n, batch_size, rng, True)


def _always_keep(n, batch_size, rng, drop_last):
    return _right(n, batch_size, rng, False)


def _fold(n, batch_size, rng, drop_last):
    batches = list(_right(n, batch_size, rng, False))
    if drop_last and len(batches) > 1 and len(batches[-1]) < batch_size:
        batches[-2:] = [np.concatenate(batches[-2:])]
    return batches


def _with_replacement(n, batch_size, rng, drop_last):
    stop = n - n % batch_size if drop_last else n
    return [rng.integers(0, n, size=min(batch_size, n - start)) for start in range(0, stop, batch_size)]


def _in_order(n, batch_size, rng, drop_last):
    order = np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def _reseeded(n, batch_size, rng, drop_last):
    return _right(n, batch_size, np.random.default_rng(42), drop_last)


def _global_random(n, batch_size, rng, drop_last):
    return _right(n, batch_size, np.random.default_rng(), drop_last)


def _same_left_out(n, batch_size, rng, drop_last):
    kept = n - n % batch_size if drop_last else n
    order = rng.permutation(kept)  # the last n % batch_size samples are never in the order
    return [order[start:start + batch_size] for start in range(0, kept, batch_size)]


def _off_by_one_slice(n, batch_size, rng, drop_last):
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size - 1] for start in range(0, stop, batch_size)]


def _one_based(n, batch_size, rng, drop_last):
    return [b + 1 for b in _right(n, batch_size, rng, drop_last)]


def _ragged(n, batch_size, rng, drop_last):
    order = rng.permutation(n)
    half = max(1, batch_size // 2)
    return [order[start:start + half] for start in range(0, n, half)]


def _empty(n, batch_size, rng, drop_last):
    return []


def _floats(n, batch_size, rng, drop_last):
    return [b / 1.0 for b in _right(n, batch_size, rng, drop_last)]


def _a_number(n, batch_size, rng, drop_last):
    return 7


def _raises_inside(n, batch_size, rng, drop_last):
    yield rng.permutation(n)[:batch_size]
    raise IndexError("list index out of range")


def _stub(n, batch_size, rng, drop_last):
    ...  # your code here


def _stub_generator(n, batch_size, rng, drop_last):
    raise NotImplementedError
    yield


EXAMPLES = [
    (_minibatches_verdict, _right, "my_minibatches.ok"),
    (_minibatches_verdict, _as_lists, "my_minibatches.ok"),
    (_minibatches_verdict, _always_drop, "my_minibatches.dropped_short"),
    (_minibatches_verdict, _always_keep, "my_minibatches.kept_short"),
    (_minibatches_verdict, _fold, "my_minibatches.folded"),
    (_minibatches_verdict, _with_replacement, "my_minibatches.repeated"),
    (_minibatches_verdict, _in_order, "my_minibatches.stored_order"),
    (_minibatches_verdict, _reseeded, "my_minibatches.same_order_each_epoch"),
    (_minibatches_verdict, _global_random, "my_minibatches.not_reproducible"),
    (_minibatches_verdict, _same_left_out, "my_minibatches.same_left_out"),
    (_minibatches_verdict, _off_by_one_slice, "my_minibatches.skipped"),
    (_minibatches_verdict, _one_based, "my_minibatches.out_of_range"),
    (_minibatches_verdict, _ragged, "my_minibatches.sizes"),
    (_minibatches_verdict, _empty, "my_minibatches.no_batch"),
    (_minibatches_verdict, _floats, "my_minibatches.not_batches"),
    (_minibatches_verdict, _a_number, "my_minibatches.not_batches"),
    (_minibatches_verdict, _raises_inside, "common.raised"),
    (_minibatches_verdict, _stub, "common.not_written"),
    (_minibatches_verdict, _stub_generator, "common.not_written"),
    (_minibatches_verdict, _right(10, 3, np.random.default_rng(0), False), "common.not_callable"),
]
