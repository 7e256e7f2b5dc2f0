"""The self-checks of lesson 07 accept right answers written in different ways and name each mistake.

tests/test_exercise_messages.py already turns every listed mistake into a learner's function; here the
learner's functions are written out by hand, as a learner would write them, and the checks must recognise
them by the message key they return. (That every check answers the notebook's stub with a hint, never the
answer, is tested for all lessons in tests/test_exercise_messages.py.)
"""

import numpy as np
import pytest

from lessons_lib import lr_finder
from lessons_lib.exercises import lesson07 as ex

# ----- Exercise 1: steepest_lr ------------------------------------------------------------------------------


def steepest_solution(lrs, smoothed):
    low = int(np.argmin(smoothed))
    slope = np.gradient(smoothed[: low + 1], np.log10(lrs[: low + 1]))
    return lrs[int(np.argmin(slope))]


def test_steepest_lr_accepts_the_solution_and_a_loop_version():
    def with_a_loop(lrs, smoothed):
        low = min(range(len(smoothed)), key=lambda i: smoothed[i])
        x = np.log10(lrs)
        best, best_slope = 0, np.inf
        for i in range(low + 1):
            if i == 0:
                slope = (smoothed[1] - smoothed[0]) / (x[1] - x[0])
            elif i == len(x) - 1:
                slope = (smoothed[i] - smoothed[i - 1]) / (x[i] - x[i - 1])
            else:
                slope = (smoothed[i + 1] - smoothed[i - 1]) / (x[i + 1] - x[i - 1])
            if slope < best_slope:
                best, best_slope = i, slope
        return float(lrs[best])

    assert ex.check_steepest_lr(steepest_solution).key == "steepest_lr.ok"
    assert ex.check_steepest_lr(with_a_loop).ok


def test_the_solution_is_the_library_rule_without_its_skip():
    """Independent of the check's reference: on the lesson-like curves, the solution equals
    lr_finder.suggest's steepest rule with no skipped start."""
    for lrs, losses in ex._cases_steepest():
        assert steepest_solution(lrs, losses) == lr_finder.suggest(lrs, losses, skip_start=0.0)["steepest"].lr


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda lrs, s: lrs[np.argmin(s)], "steepest_lr.minimum"),
        (lambda lrs, s: lrs[np.argmin(s)] / 10, "steepest_lr.minimum_over_10"),
        (lambda lrs, s: lrs[np.argmin(np.gradient(s[: np.argmin(s) + 1], lrs[: np.argmin(s) + 1]))],
         "steepest_lr.linear_scale"),
        (lambda lrs, s: lrs[np.argmin(np.diff(s[: np.argmin(s) + 1]) / np.diff(np.log10(lrs[: np.argmin(s) + 1])))],
         "steepest_lr.forward_difference"),
        (lambda lrs, s: lrs[np.argmax(np.gradient(s, np.log10(lrs)))], "steepest_lr.steepest_rise"),
        (lambda lrs, s: int(np.argmin(np.gradient(s[: np.argmin(s) + 1], np.log10(lrs[: np.argmin(s) + 1])))),
         "steepest_lr.index"),
        (lambda lrs, s: float(np.min(np.gradient(s[: np.argmin(s) + 1], np.log10(lrs[: np.argmin(s) + 1])))),
         "steepest_lr.slope"),
        (lambda lrs, s: lrs[np.argmin(np.gradient(s, np.log10(lrs)))], "steepest_lr.whole_curve"),
    ],
)
def test_steepest_lr_names_each_mistake(wrong, key):
    assert ex.check_steepest_lr(wrong).key == key


def test_one_test_curve_falls_steeply_again_after_exploding():
    """Without it, searching the whole curve (never stopping at the minimum) would pass: the fall after the
    explosion must be steeper than the fall before the minimum, and stay above the minimum."""
    lrs, losses = ex._cases_steepest()[-1]
    low = int(np.argmin(losses))
    slope = np.gradient(losses, np.log10(lrs))
    assert slope[low + 1:].min() < slope[: low + 1].min()
    assert losses[low + 1:].min() > losses[low]


# ----- Exercise 2: nearly_dead_share ------------------------------------------------------------------------


def test_nearly_dead_share_accepts_the_solution_and_a_count_based_one():
    def solution(a, threshold):
        return np.mean(np.mean(a > 0, axis=0) < threshold)

    def by_counting(a, threshold):
        n_samples, n_units = a.shape
        firing = (a > 0).sum(axis=0)
        return sum(1 for f in firing if f < threshold * n_samples) / n_units

    assert ex.check_nearly_dead_share(solution).key == "nearly_dead_share.ok"
    assert ex.check_nearly_dead_share(by_counting).ok


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda a, t: np.mean(a == 0), "nearly_dead_share.entries"),
        (lambda a, t: np.mean(np.mean(a > 0, axis=1) < t), "nearly_dead_share.samples_axis"),
        (lambda a, t: int(np.sum(np.mean(a > 0, axis=0) < t)), "nearly_dead_share.count"),
        (lambda a, t: np.mean(np.all(a == 0, axis=0)), "nearly_dead_share.fully_dead"),
        (lambda a, t: np.mean(np.mean(a > 0, axis=0) <= t), "nearly_dead_share.at_most"),
        (lambda a, t: np.mean(np.mean(a > 0, axis=0) >= t), "nearly_dead_share.alive"),
        (lambda a, t: np.mean(a.mean(axis=0) < t), "nearly_dead_share.values"),
        (lambda a, t: np.mean((a > t).mean(axis=0) < t), "nearly_dead_share.values"),
        (lambda a, t: np.mean(np.mean(a >= 0, axis=0) < t), "nearly_dead_share.at_least_zero"),
    ],
)
def test_nearly_dead_share_names_each_mistake(wrong, key):
    assert ex.check_nearly_dead_share(wrong).key == key


# ----- Exercise 3: eos_threshold ----------------------------------------------------------------------------


def test_eos_threshold_accepts_the_solution():
    assert ex.check_eos_threshold(lambda lr, momentum: 2 * (1 + momentum) / lr).key == "eos_threshold.ok"


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_the_threshold_is_where_heavy_ball_on_a_quadratic_stops_converging(momentum):
    """Independent of the check: simulate momentum on f = a x^2 / 2 just below and just above 2 (1 + m) / lr."""
    lr = 0.1
    bound = 2 * (1 + momentum) / lr

    def final_size(a, steps=3000):
        x_prev, x = 1.0, 1.0
        for _ in range(steps):
            x_prev, x = x, x - lr * a * x + momentum * (x - x_prev)
        return abs(x)

    assert final_size(0.98 * bound) < 1e-3
    assert final_size(1.02 * bound) > 1e3


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda lr, m: 2 / lr, "eos_threshold.no_momentum"),
        (lambda lr, m: 2 * (1 - m) / lr, "eos_threshold.effective_lr"),
        (lambda lr, m: (1 + m) / lr, "eos_threshold.missing_two"),
        (lambda lr, m: lr / (2 * (1 + m)), "eos_threshold.inverted"),
        (lambda lr, m: (2 + m) / lr, "eos_threshold.momentum_added"),
        (lambda lr, m: 2 / (lr * (1 + m)), "eos_threshold.momentum_divides"),
    ],
)
def test_eos_threshold_names_each_mistake(wrong, key):
    assert ex.check_eos_threshold(wrong).key == key


# ----- Exercise 4: normalize_layer --------------------------------------------------------------------------


def normalize_solution(W, b, A):
    z = A @ W + b
    m, s = z.mean(), z.std()
    return W / s, (b - m) / s


def test_normalize_layer_accepts_the_solution_and_its_output_is_normalized():
    assert ex.check_normalize_layer(normalize_solution).key == "normalize_layer.ok"
    for W, b, A in ex._cases_normalize():
        W2, b2 = normalize_solution(W, b, A)
        z = A @ W2 + b2
        assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda W, b, A: (W / (A @ W + b).var(), (b - (A @ W + b).mean()) / (A @ W + b).var()), "normalize_layer.variance"),
        (lambda W, b, A: (W / (A @ W + b).std(), b - (A @ W + b).mean()), "normalize_layer.bias_not_scaled"),
        (lambda W, b, A: (W / (A @ W + b).std(), b / (A @ W + b).std()), "normalize_layer.no_centring"),
        (lambda W, b, A: (W / (A @ W + b).std(), b), "normalize_layer.bias_unchanged"),
        (lambda W, b, A: (W / (A @ W + b).std(axis=0), (b - (A @ W + b).mean(axis=0)) / (A @ W + b).std(axis=0)),
         "normalize_layer.per_unit"),
        (lambda W, b, A: (W / A.std(), (b - A.mean()) / A.std()), "normalize_layer.input_statistics"),
        (lambda W, b, A: (W / (A @ W + b).std(ddof=1), (b - (A @ W + b).mean()) / (A @ W + b).std(ddof=1)),
         "normalize_layer.sample_std"),
    ],
)
def test_normalize_layer_names_each_mistake(wrong, key):
    assert ex.check_normalize_layer(wrong).key == key


def test_any_other_wrong_layer_is_told_its_output_mean_and_std():
    """Centring after scaling (b / s - m instead of (b - m) / s): the message reports the output's real mean,
    recomputed here."""
    def centred_late(W, b, A):
        z = A @ W + b
        return W / z.std(), b / z.std() - z.mean()

    feedback = ex.check_normalize_layer(centred_late)
    assert feedback.key == "normalize_layer.output_statistics"
    W, b, A = ex._cases_normalize()[0]
    W2, b2 = centred_late(W, b, A)
    z = A @ W2 + b2
    assert feedback.fields["mean"] == f"{z.mean():.4g}" and abs(z.mean()) > 0.1
    assert feedback.fields["std"] == f"{z.std():.4g}"
