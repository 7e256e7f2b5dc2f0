"""Self-checks for lesson 07 (diagnosing training).

Each check is a ``FunctionCheck``: the learner's function runs on a few fixed cases, the right answer comes
from the definition written in the lesson, and a wrong answer is matched against the usual mistakes so the
message can say *which* mistake it is. The words of every message are in ``messages/en/lesson07.py``.
"""

import numpy as np

from . import FunctionCheck, check, failed, fmt

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: read a range-test curve with the steepest-slope rule.


def _curve(seed, centre, explode):
    """A range-test-like curve: flat, then falling (steepest near 10**centre), then exploding after
    10**explode, with a little noise."""
    lrs = 1e-4 * (1e5) ** (np.arange(45) / 44)
    x = np.log10(lrs)
    fall = 2.3 - 2.0 / (1.0 + np.exp(-3.0 * (x - centre)))
    rise = 0.05 * np.exp(4.0 * (x - explode))
    noise = 0.01 * np.random.default_rng(seed).normal(size=x.size)
    return lrs, fall + rise + noise


def _curve_falling_again(seed):
    """Like ``_curve``, but after exploding the loss falls again, steeply (as seed 2's real curve does in
    section 1): a fall that is no suggestion, since it lies past the minimum."""
    lrs, losses = _curve(seed, -2.0, -0.8)
    x = np.log10(lrs)
    after = x > 0.2                                              # the peak is at about 10**0.2
    peak = int(np.argmax(after)) - 1
    # -4 per decade (the real fall is at most -1.5), down to half the peak: still above the minimum
    losses[after] = np.maximum(losses[peak] - 4.0 * (x[after] - x[peak]), losses[peak] / 2)
    return lrs, losses


def _cases_steepest():
    return [_curve(1, -2.2, 0.0), _curve(2, -1.6, 0.4), _curve_falling_again(3)]


def _upto_minimum(lrs, losses):
    low = int(np.argmin(losses))
    return lrs[: low + 1], losses[: low + 1]


def _steepest_index(lrs, losses):
    lrs, losses = _upto_minimum(lrs, losses)
    return float(np.argmin(np.gradient(losses, np.log10(lrs))))


def _steepest(lrs, losses):
    return _upto_minimum(lrs, losses)[0][int(_steepest_index(lrs, losses))]


def _steepest_linear(lrs, losses):
    lrs, losses = _upto_minimum(lrs, losses)
    return lrs[np.argmin(np.gradient(losses, lrs))]


def _steepest_forward(lrs, losses):
    lrs, losses = _upto_minimum(lrs, losses)
    return lrs[np.argmin(np.diff(losses) / np.diff(np.log10(lrs)))]


def _steepest_rise(lrs, losses):
    return lrs[np.argmax(np.gradient(losses, np.log10(lrs)))]


def _steepest_slope_value(lrs, losses):
    lrs, losses = _upto_minimum(lrs, losses)
    return np.min(np.gradient(losses, np.log10(lrs)))


def _steepest_whole_curve(lrs, losses):
    return lrs[np.argmin(np.gradient(losses, np.log10(lrs)))]


STEEPEST_LR = FunctionCheck(
    names=("lr",),
    cases=_cases_steepest,
    # the lesson's rule: slope d loss / d log10(lr) by central differences (np.gradient), up to the minimum
    reference=_steepest,
    mistakes={
        "steepest_lr.minimum": lambda lrs, losses: lrs[np.argmin(losses)],
        "steepest_lr.minimum_over_10": lambda lrs, losses: lrs[np.argmin(losses)] / 10,
        "steepest_lr.linear_scale": _steepest_linear,
        "steepest_lr.forward_difference": _steepest_forward,
        "steepest_lr.steepest_rise": _steepest_rise,
        "steepest_lr.index": _steepest_index,
        "steepest_lr.whole_curve": _steepest_whole_curve,
        "steepest_lr.slope": _steepest_slope_value,
    },
    success="steepest_lr.ok",
    hint="steepest_lr.hint",
)


@check
def check_steepest_lr(steepest_lr):
    """Check ``steepest_lr(lrs, smoothed) -> lr``: the steepest-slope reading of a range-test curve."""
    return STEEPEST_LR(steepest_lr)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: the share of nearly dead units in a layer.


def _cases_nearly_dead():
    rng = np.random.default_rng(7)
    # 200 samples x 8 units; unit k fires on a chosen number of samples: 0, 1, 2 (= exactly 1 %), 3, 50, ...
    fires = [0, 1, 2, 3, 50, 120, 0, 199]
    a = np.zeros((200, 8))
    for unit, n in enumerate(fires):
        rows = rng.choice(200, size=n, replace=False)
        a[rows, unit] = rng.uniform(0.001, 0.005, size=n)   # small outputs: a unit fires however little
    b = np.maximum(rng.normal(-1.0, 1.0, size=(50, 6)), 0.0)
    b[:, 2] = 0.0
    return [(a, 0.01), (b, 0.1)]


def _share_firing(a):
    return np.mean(a > 0, axis=0)


NEARLY_DEAD_SHARE = FunctionCheck(
    names=("share",),
    cases=_cases_nearly_dead,
    # a unit is nearly dead if it outputs > 0 on fewer than `threshold` of the samples (rows)
    reference=lambda a, threshold: np.mean(_share_firing(a) < threshold),
    mistakes={
        "nearly_dead_share.values": lambda a, threshold: np.mean(np.mean(a, axis=0) < threshold),
        "nearly_dead_share.at_least_zero": lambda a, threshold: np.mean(np.mean(a >= 0, axis=0) < threshold),
        "nearly_dead_share.entries": lambda a, threshold: np.mean(a == 0),
        "nearly_dead_share.samples_axis": lambda a, threshold: np.mean(np.mean(a > 0, axis=1) < threshold),
        "nearly_dead_share.count": lambda a, threshold: np.sum(_share_firing(a) < threshold),
        "nearly_dead_share.fully_dead": lambda a, threshold: np.mean(np.all(a == 0, axis=0)),
        "nearly_dead_share.at_most": lambda a, threshold: np.mean(_share_firing(a) <= threshold),
        "nearly_dead_share.alive": lambda a, threshold: np.mean(_share_firing(a) >= threshold),
    },
    success="nearly_dead_share.ok",
    hint="nearly_dead_share.hint",
)


@check
def check_nearly_dead_share(nearly_dead_share):
    """Check ``nearly_dead_share(a, threshold) -> share`` for one layer's outputs ``a`` (samples x units)."""
    return NEARLY_DEAD_SHARE(nearly_dead_share)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the sharpness plateau of gradient descent with momentum.

EOS_THRESHOLD = FunctionCheck(
    names=("sharpness",),
    cases=[(0.05, 0.9), (0.2, 0.5), (0.1, 0.0)],
    # heavy ball on a quadratic of curvature a is stable iff lr * a < 2 (1 + momentum)
    reference=lambda lr, momentum: 2 * (1 + momentum) / lr,
    mistakes={
        "eos_threshold.no_momentum": lambda lr, momentum: 2 / lr,
        "eos_threshold.effective_lr": lambda lr, momentum: 2 * (1 - momentum) / lr,
        "eos_threshold.missing_two": lambda lr, momentum: (1 + momentum) / lr,
        "eos_threshold.inverted": lambda lr, momentum: lr / (2 * (1 + momentum)),
        "eos_threshold.momentum_added": lambda lr, momentum: (2 + momentum) / lr,
        "eos_threshold.momentum_divides": lambda lr, momentum: 2 / (lr * (1 + momentum)),
    },
    success="eos_threshold.ok",
    hint="eos_threshold.hint",
)


@check
def check_eos_threshold(eos_threshold):
    """Check ``eos_threshold(lr, momentum) -> sharpness`` where GD with momentum stops being stable."""
    return EOS_THRESHOLD(eos_threshold)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one exact normalizing step of a layer (LSUV with mean centring).


def _cases_normalize():
    rng = np.random.default_rng(11)
    return [
        (rng.normal(0.3, 1.2, size=(5, 4)), rng.normal(size=4), rng.uniform(0, 1, size=(32, 5))),
        (rng.normal(0.0, 0.2, size=(3, 6)), rng.normal(1.0, 0.5, size=6), rng.normal(2.0, 3.0, size=(20, 3))),
    ]


def _normalized(W, b, A):
    z = A @ W + b
    return W / z.std(), (b - z.mean()) / z.std()


def _output_statistics(case, got, want):
    """For any other wrong answer: what the learner's layer outputs, its mean and std, against 0 and 1."""
    W_new, b_new = got
    z = case[2] @ W_new + b_new
    return failed("normalize_layer.output_statistics", mean=fmt(z.mean()), std=fmt(z.std()))


NORMALIZE_LAYER = FunctionCheck(
    names=("W_new", "b_new"),
    cases=_cases_normalize,
    # z = A W + b with one mean m and one std s over all its entries: W / s, (b - m) / s give mean 0, std 1
    reference=_normalized,
    mistakes={
        "normalize_layer.variance": lambda W, b, A: (W / (A @ W + b).var(), (b - (A @ W + b).mean()) / (A @ W + b).var()),
        "normalize_layer.bias_not_scaled": lambda W, b, A: (W / (A @ W + b).std(), b - (A @ W + b).mean()),
        "normalize_layer.no_centring": lambda W, b, A: (W / (A @ W + b).std(), b / (A @ W + b).std()),
        "normalize_layer.bias_unchanged": lambda W, b, A: (W / (A @ W + b).std(), b),
        "normalize_layer.per_unit": lambda W, b, A: (W / (A @ W + b).std(axis=0),
                                                     (b - (A @ W + b).mean(axis=0)) / (A @ W + b).std(axis=0)),
        "normalize_layer.input_statistics": lambda W, b, A: (W / A.std(), (b - A.mean()) / A.std()),
        "normalize_layer.sample_std": lambda W, b, A: (W / (A @ W + b).std(ddof=1),
                                                       (b - (A @ W + b).mean()) / (A @ W + b).std(ddof=1)),
    },
    success="normalize_layer.ok",
    hint="normalize_layer.hint",
    diagnose=_output_statistics,
)


@check
def check_normalize_layer(normalize_layer):
    """Check ``normalize_layer(W, b, A) -> (W_new, b_new)``: A @ W_new + b_new has mean 0 and std 1."""
    return NORMALIZE_LAYER(normalize_layer)


# Answers that reach the messages a fixed mistake cannot name (the diagnosis of exercise 4).
EXAMPLES = [
    (NORMALIZE_LAYER, lambda W, b, A: (W / (A @ W + b).std(), b / (A @ W + b).std() - (A @ W + b).mean()),
     "normalize_layer.output_statistics"),
]
