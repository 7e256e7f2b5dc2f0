"""Self-checks for lesson 05 (weight initialization).

Exercises 2 and 4 are ``FunctionCheck``s: the learner's function runs on fixed cases, the right answer is
computed here from the formula (as in ``torch.nn.init``, PyTorch 2.13), and a wrong answer is matched
against the usual mistakes. Exercise 1 (a random draw, judged by its spread) and exercise 3 (predictions
checked against a fresh simulation) are checked by hand, with an ``EXAMPLES`` table that reaches each of
their messages. The words of every message are in ``messages/en/lesson05.py``.
"""

import functools
import math

import numpy as np

from ..experiments.initialization import stack_activations
from . import FunctionCheck, call_learner, check, failed, fmt, passed

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: He normal, checked by its spread, he_normal(fan_in, fan_out, rng) -> W

_HE_FAN_IN, _HE_FAN_OUT, _HE_SEED = 400, 100, 5
_HE_TOLERANCE = 0.03  # the std of 40 000 draws has a sampling error of about 0.4 %


def _excess_kurtosis(w):
    """0 for a normal distribution, -1.2 for a uniform one (a flat box has no tails)."""
    d = w - w.mean()
    return float(np.mean(d**4) / np.mean(d**2) ** 2 - 3.0)


def _he_mistakes(fan_in, fan_out):
    """The std each usual mistake gives, by message key."""
    return {
        "he_normal.fan_out": math.sqrt(2.0 / fan_out),
        "he_normal.lecun": math.sqrt(1.0 / fan_in),
        "he_normal.xavier": math.sqrt(2.0 / (fan_in + fan_out)),
        "he_normal.variance_as_std": 2.0 / fan_in,
        "he_normal.bound_as_std": math.sqrt(6.0 / fan_in),
        "he_normal.unscaled": 1.0,
        "he_normal.divided_by_fan_in": math.sqrt(2.0) / fan_in,
    }


def _he_normal(he_normal):
    fan_in, fan_out = _HE_FAN_IN, _HE_FAN_OUT
    W, error = call_learner(he_normal, fan_in, fan_out, np.random.default_rng(_HE_SEED), hint="he_normal.hint")
    if error:
        return error
    if not isinstance(W, np.ndarray):
        return failed("he_normal.not_array", got=type(W).__name__)
    want_shape = (fan_in, fan_out)
    if W.shape == (fan_out, fan_in):
        return failed("he_normal.torch_layout", shape=W.shape, want_shape=want_shape)
    if W.shape != want_shape:
        return failed("he_normal.wrong_shape", shape=W.shape, want_shape=want_shape)
    W = np.asarray(W, dtype=float)
    if not np.all(np.isfinite(W)):
        return failed("he_normal.not_finite")
    again, error = call_learner(he_normal, fan_in, fan_out, np.random.default_rng(_HE_SEED), hint="he_normal.hint")
    if error:
        return error
    if not np.array_equal(np.asarray(again, dtype=float), W):
        return failed("he_normal.not_reproducible")
    if np.all(W == W.flat[0]):
        return failed("he_normal.constant")
    std = float(W.std())
    if abs(float(W.mean())) > 5 * std / math.sqrt(W.size):
        return failed("he_normal.not_centred", mean=fmt(W.mean()))
    if _excess_kurtosis(W) < -0.9:
        return failed("he_normal.uniform")
    want = math.sqrt(2.0 / fan_in)
    if abs(std / want - 1.0) < _HE_TOLERANCE:
        return passed("he_normal.ok", std=f"{std:.4f}", want=f"{want:.4f}", fan_in=fan_in)
    for key, value in _he_mistakes(fan_in, fan_out).items():
        if abs(std / value - 1.0) < _HE_TOLERANCE:
            return failed(key, std=f"{std:.4g}")
    return failed("he_normal.wrong_std", std=f"{std:.4g}", want=f"{want:.4g}", fan_in=fan_in)


@check
def check_he_normal(he_normal):
    """Check ``he_normal(fan_in, fan_out, rng) -> W`` of shape (fan_in, fan_out), drawn from N(0, 2/fan_in).

    The spread is measured on 40 000 draws (its sampling error is about 0.4 %), so a 3 % tolerance separates
    the right std, sqrt(2/fan_in), from each usual mistake.
    """
    return _he_normal(he_normal)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: Xavier uniform's bound for any layer, from a weight's shape in torch's layout,
# xavier_uniform_bound(shape, gain) -> a


def _torch_fans(shape):
    """torch.nn.init's fans: shape (out, in, *kernel); each fan is multiplied by the kernel's size."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _bound_with(wrong):
    """A mistake as a function of the case: ``wrong(fan_in, fan_out, gain, shape)``."""
    return lambda shape, gain: wrong(*_torch_fans(shape), gain, shape)


XAVIER_UNIFORM_BOUND = FunctionCheck(
    names=("a",),
    # A Linear weight with gain 1 (the lecture note's 'Xavier' is caught there), one with a gain and
    # unequal fans, then two convolution kernels, where the kernel's size enters both fans.
    cases=[((100, 300), 1.0), ((10, 64), 5.0 / 3.0), ((16, 3, 3, 3), 1.0), ((32, 16, 5, 5), math.sqrt(2.0))],
    # Glorot and Bengio (2010), torch.nn.init.xavier_uniform_: a = gain * sqrt(6 / (fan_in + fan_out))
    reference=_bound_with(lambda fi, fo, g, shape: g * math.sqrt(6.0 / (fi + fo))),
    mistakes={
        "xavier_uniform_bound.normal_std": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(2.0 / (fi + fo))),
        "xavier_uniform_bound.lecun_std": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(1.0 / fi)),
        "xavier_uniform_bound.lecun_bound": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(3.0 / fi)),
        "xavier_uniform_bound.fan_in_only": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(6.0 / fi)),
        "xavier_uniform_bound.fan_out_only": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(6.0 / fo)),
        "xavier_uniform_bound.no_sqrt": _bound_with(lambda fi, fo, g, shape: g * 6.0 / (fi + fo)),
        "xavier_uniform_bound.three": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(3.0 / (fi + fo))),
        "xavier_uniform_bound.no_gain": _bound_with(lambda fi, fo, g, shape: math.sqrt(6.0 / (fi + fo))),
        "xavier_uniform_bound.gain_inside": _bound_with(lambda fi, fo, g, shape: math.sqrt(g * 6.0 / (fi + fo))),
        "xavier_uniform_bound.gain_squared": _bound_with(lambda fi, fo, g, shape: g * g * math.sqrt(6.0 / (fi + fo))),
        "xavier_uniform_bound.no_kernel": _bound_with(
            lambda fi, fo, g, shape: g * math.sqrt(6.0 / (shape[0] + shape[1]))),
        "xavier_uniform_bound.kernel_in_fan_in_only": _bound_with(
            lambda fi, fo, g, shape: g * math.sqrt(6.0 / (fi + shape[0]))),
        "xavier_uniform_bound.sum_of_shape": _bound_with(lambda fi, fo, g, shape: g * math.sqrt(6.0 / sum(shape))),
    },
    success="xavier_uniform_bound.ok",
    hint="xavier_uniform_bound.hint",
)


@check
def check_xavier_uniform_bound(xavier_uniform_bound):
    """Check ``xavier_uniform_bound(shape, gain) -> a`` for U(-a, a), ``shape`` a torch weight shape
    (out, in, *kernel): a = gain * sqrt(6 / (fan_in + fan_out)), both fans multiplied by the kernel's size."""
    return XAVIER_UNIFORM_BOUND(xavier_uniform_bound)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: predict the histograms, a dict {"A": shape, ..., "E": shape}

SHAPES = ("ends", "middle", "shrinks", "steady")
"""The four answers: piled up at the ends of the activation's range; crowded in the middle of it; shrinking
towards 0 layer by layer; about the same spread in every layer."""

SETTINGS = {
    "A": ("sigmoid", "normal", 1.0),
    "B": ("sigmoid", "normal", 0.01),
    "C": ("relu", "lecun_normal", None),
    "D": ("tanh", "normal", 1.0),
    "E": ("relu", "he_uniform", None),
}
"""Five settings of the classic experiment: (activation, init, init_std) for 1000 x 100 N(0, 1) inputs
through 5 layers of 100 units. A and B are the lesson's own figures; C, D and E are not drawn in the lesson
and ask for its reasoning (LeCun equals Xavier in square layers; tanh saturates like sigmoid; a uniform draw
has the variance of the normal it replaces)."""

_ENDS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_CENTRE = {"sigmoid": 0.5, "tanh": 0.0}


@functools.lru_cache(maxsize=None)
def _measure(key):
    """The numbers that decide the shape of a setting's histograms (simulated once per setting, seed 0)."""
    activation, init, init_std = SETTINGS[key]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 100))
    acts = stack_activations(X, 5, 100, activation, init, rng=rng, init_std=init_std)
    out = {"stds": [float(a.std()) for a in acts], "ends": None, "middle": None}
    if activation in _ENDS:
        lo, hi = _ENDS[activation]
        out["ends"] = min(float(np.mean((a < lo + 0.05) | (a > hi - 0.05))) for a in acts)
        out["middle"] = min(float(np.mean(np.abs(a - _CENTRE[activation]) < 0.1)) for a in acts)
    return out


def _shape_of(m):
    """Classify measured numbers into one of SHAPES, in a fixed order of tests."""
    if m["ends"] is not None and m["ends"] > 0.5:
        return "ends"
    if m["middle"] is not None and m["middle"] > 0.9:
        return "middle"
    stds = m["stds"]
    if stds[-1] < stds[0] / 2:
        return "shrinks"
    if max(stds) <= 2 * min(stds):
        return "steady"
    return "other"


def _evidence(m):
    """The numbers a setting's message shows, whatever its shape (rounded for reading)."""
    stds = m["stds"]
    fields = {"first": f"{stds[0]:#.3g}", "last": f"{stds[-1]:#.3g}", "low": f"{min(stds):#.3g}",
              "high": f"{max(stds):#.3g}"}
    if m["ends"] is not None:
        fields["ends"] = f"{m['ends']:.0%}"
        fields["middle"] = f"{m['middle']:.0%}"
    return fields


def _histogram_predictions(predictions):
    if not isinstance(predictions, dict):
        return failed("histogram_predictions.not_dict", got=type(predictions).__name__)
    missing = [k for k in SETTINGS if k not in predictions]
    if missing:
        return failed("histogram_predictions.missing", missing=", ".join(missing))
    unanswered = [k for k in SETTINGS if predictions[k] is None]
    if unanswered:
        return failed("histogram_predictions.not_answered", which=", ".join(unanswered))
    for key in SETTINGS:
        if predictions[key] not in SHAPES:
            return failed("histogram_predictions.unknown_shape", setting=key, got=repr(predictions[key]),
                          shapes=", ".join(map(repr, SHAPES)))
    wrong = [key for key in SETTINGS if predictions[key] != _shape_of(_measure(key))]
    if not wrong:
        return passed("histogram_predictions.ok")
    first = wrong[0]
    return failed(f"histogram_predictions.wrong_{first}", n_wrong=len(wrong), said=repr(predictions[first]),
                  **_evidence(_measure(first)))


@check
def check_histogram_predictions(predictions):
    """Check a dict ``{"A": shape, ..., "E": shape}`` with each shape one of ``SHAPES``.

    The right answers are not stored: each setting is simulated with ``stack_activations`` and classified
    from its numbers (over half of every layer within 0.05 of an end; over 90 % within 0.1 of the centre;
    last layer's std below half the first's; per-layer std within a factor 2). The first wrong prediction is
    explained with that setting's own numbers.
    """
    return _histogram_predictions(predictions)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: the gain of leaky ReLU, from He's argument, leaky_relu_gain(a) -> gain

LEAKY_RELU_GAIN = FunctionCheck(
    names=("gain",),
    # A clear slope comes first: the first case a wrong formula fails is the one its message shows, and at
    # a = 0.01 most wrong gains differ from the right one only in the fifth digit.
    cases=[(0.5,), (0.2,), (0.0,), (0.01,), (1.0,)],
    # E[f(z)^2] = (1 + a^2)/2 * E[z^2] for a symmetric z, so Var(W) = 2 / ((1 + a^2) fan_in):
    # std = gain / sqrt(fan_in) with gain = sqrt(2 / (1 + a^2)) (torch's calculate_gain('leaky_relu', a))
    reference=lambda a: math.sqrt(2.0 / (1.0 + a * a)),
    mistakes={
        "leaky_relu_gain.no_sqrt": lambda a: 2.0 / (1.0 + a * a),
        "leaky_relu_gain.one_plus_a": lambda a: math.sqrt(2.0 / (1.0 + a)),
        "leaky_relu_gain.ignores_slope": lambda a: math.sqrt(2.0),
        "leaky_relu_gain.upside_down": lambda a: math.sqrt((1.0 + a * a) / 2.0),
        "leaky_relu_gain.linear": lambda a: 1.0,
    },
    success="leaky_relu_gain.ok",
    hint="leaky_relu_gain.hint",
)


@check
def check_leaky_relu_gain(leaky_relu_gain):
    """Check ``leaky_relu_gain(a) -> gain`` with gain = sqrt(2 / (1 + a^2))."""
    return LEAKY_RELU_GAIN(leaky_relu_gain)


# ---------------------------------------------------------------------------------------------------------
# Answers that reach every message of the checks written by hand: (check, learner's answer, expected key).
# tests/test_exercise_messages.py runs them.


def _he_with_std(std_of, *, shape=None, draw="normal"):
    """A learner's he_normal that draws with std ``std_of(fan_in, fan_out)`` (a normal, or a uniform box)."""

    def he_normal(fan_in, fan_out, rng):
        std, size = std_of(fan_in, fan_out), shape or (fan_in, fan_out)
        if draw == "uniform":
            return rng.uniform(-1.0, 1.0, size=size) * math.sqrt(3.0) * std
        return rng.normal(0.0, std, size=size)

    return he_normal


_RIGHT_PREDICTIONS = {"A": "ends", "B": "middle", "C": "shrinks", "D": "ends", "E": "steady"}


def _predictions_with(key, shape):
    return dict(_RIGHT_PREDICTIONS, **{key: shape})


EXAMPLES = [
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / fi)), "he_normal.ok"),
    (_he_normal, lambda fi, fo, rng: None, "common.not_written"),
    (_he_normal, lambda fi, fo, rng: rng.normal(0.0, 0.07, size=(fi, fo)).tolist(), "he_normal.not_array"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / fi), shape=(100, 400)), "he_normal.torch_layout"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / fi), shape=(400, 101)), "he_normal.wrong_shape"),
    (_he_normal, lambda fi, fo, rng: np.full((fi, fo), np.nan), "he_normal.not_finite"),
    (_he_normal, lambda fi, fo, rng: np.random.default_rng().normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo)),
     "he_normal.not_reproducible"),
    (_he_normal, lambda fi, fo, rng: np.full((fi, fo), 0.05), "he_normal.constant"),
    (_he_normal, lambda fi, fo, rng: rng.normal(0.1, math.sqrt(2.0 / fi), size=(fi, fo)), "he_normal.not_centred"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / fi), draw="uniform"), "he_normal.uniform"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / fo)), "he_normal.fan_out"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(1.0 / fi)), "he_normal.lecun"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0 / (fi + fo))), "he_normal.xavier"),
    (_he_normal, _he_with_std(lambda fi, fo: 2.0 / fi), "he_normal.variance_as_std"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(6.0 / fi)), "he_normal.bound_as_std"),
    (_he_normal, _he_with_std(lambda fi, fo: 1.0), "he_normal.unscaled"),
    (_he_normal, _he_with_std(lambda fi, fo: math.sqrt(2.0) / fi), "he_normal.divided_by_fan_in"),
    (_he_normal, _he_with_std(lambda fi, fo: 0.3), "he_normal.wrong_std"),
    (_histogram_predictions, dict(_RIGHT_PREDICTIONS), "histogram_predictions.ok"),
    (_histogram_predictions, ["ends"] * 5, "histogram_predictions.not_dict"),
    (_histogram_predictions, {"A": "ends"}, "histogram_predictions.missing"),
    (_histogram_predictions, dict.fromkeys("ABCDE"), "histogram_predictions.not_answered"),
    (_histogram_predictions, _predictions_with("C", "flat"), "histogram_predictions.unknown_shape"),
    (_histogram_predictions, _predictions_with("A", "middle"), "histogram_predictions.wrong_A"),
    (_histogram_predictions, _predictions_with("B", "ends"), "histogram_predictions.wrong_B"),
    (_histogram_predictions, _predictions_with("C", "steady"), "histogram_predictions.wrong_C"),
    (_histogram_predictions, _predictions_with("D", "steady"), "histogram_predictions.wrong_D"),
    (_histogram_predictions, _predictions_with("E", "shrinks"), "histogram_predictions.wrong_E"),
]
