"""Self-checks for lesson 05 (weight initialization).

Each ``check_*`` function runs the learner's code, compares the result with an answer computed here from
the formula (or, for the histogram predictions, from a fresh simulation with the library), and, when they
differ, says *which* mistake explains it: fan-out instead of fan-in, LeCun's formula instead of He's, the
variance used as the standard deviation, a uniform draw where a normal one was asked for, ...
"""

import functools
import math

import numpy as np

from . import call_learner as _call
from . import failed, passed
from .. import nn


def _fmt(x):
    return f"{float(x):.4g}"


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: He normal, checked by its spread.

_HE_FAN_IN, _HE_FAN_OUT, _HE_SEED = 400, 100, 5


def _excess_kurtosis(w):
    """0 for a normal distribution, -1.2 for a uniform one (a flat box has no tails)."""
    d = w - w.mean()
    return float(np.mean(d**4) / np.mean(d**2) ** 2 - 3.0)


def check_he_normal(he_normal):
    """Check ``he_normal(fan_in, fan_out, rng) -> W`` of shape (fan_in, fan_out), drawn from N(0, 2/fan_in).

    The spread is measured on 40 000 draws (its sampling error is about 0.4 %), so a 3 % tolerance separates
    the right std, sqrt(2/fan_in), from each usual mistake.
    """
    fan_in, fan_out = _HE_FAN_IN, _HE_FAN_OUT
    W, problem = _call(he_normal, fan_in, fan_out, np.random.default_rng(_HE_SEED))
    if problem:
        return problem
    if not isinstance(W, np.ndarray):
        return failed(f"return a numpy array of weights, got {type(W).__name__}")
    if W.shape == (fan_out, fan_in):
        return failed(
            f"the shape is (fan_out, fan_in) = {W.shape}: that is torch's Linear layout; our layers compute "
            f"x @ W, so W has one row per input: shape (fan_in, fan_out) = {(fan_in, fan_out)}"
        )
    if W.shape != (fan_in, fan_out):
        return failed(f"the shape should be (fan_in, fan_out) = {(fan_in, fan_out)}, got {W.shape}")
    W = np.asarray(W, dtype=float)
    if not np.all(np.isfinite(W)):
        return failed("some weights are NaN or infinite")
    again, problem = _call(he_normal, fan_in, fan_out, np.random.default_rng(_HE_SEED))
    if problem:
        return problem
    if not np.array_equal(np.asarray(again, dtype=float), W):
        return failed(
            "the same rng state gave different weights: draw every number from the rng you are given "
            "(rng.normal(...)), not from np.random or a generator you make inside the function"
        )
    std = float(W.std())
    if np.all(W == W.flat[0]):
        return failed(
            "every weight is the same number: a constant init keeps all units of a layer identical "
            "(the symmetry problem); draw the weights at random"
        )
    n = W.size
    if abs(float(W.mean())) > 5 * std / math.sqrt(n):
        return failed(f"the weights are not centred at 0 (their mean is {_fmt(W.mean())}): draw from N(0, std^2)")
    if _excess_kurtosis(W) < -0.9:
        return failed(
            "your weights are spread evenly over an interval (a uniform draw, flat with no tails): he_normal "
            "draws from a normal distribution, rng.normal(0.0, std, size=...); the uniform variant is he_uniform"
        )
    want = math.sqrt(2.0 / fan_in)
    if abs(std / want - 1.0) < 0.03:
        return passed(
            f"std {std:.4f} matches sqrt(2 / fan_in) = {want:.4f} for fan_in = {fan_in}, the shape is "
            "(fan_in, fan_out), and the same rng gives the same weights."
        )
    mistakes = [
        (math.sqrt(2.0 / fan_out),
         "you used fan_out: He's forward rule keeps the variance of the *outputs*, which sums over the "
         "fan_in inputs, so std = sqrt(2 / fan_in)"),
        (math.sqrt(1.0 / fan_in),
         "that is LeCun's std, sqrt(1 / fan_in): ReLU zeroes half its inputs, so He doubles the variance, "
         "std = sqrt(2 / fan_in)"),
        (math.sqrt(2.0 / (fan_in + fan_out)),
         "that is Xavier's std, sqrt(2 / (fan_in + fan_out)); He's uses fan_in only: sqrt(2 / fan_in)"),
        (2.0 / fan_in,
         "you used the variance 2 / fan_in as the standard deviation: take its square root"),
        (math.sqrt(6.0 / fan_in),
         "you used the uniform bound sqrt(6 / fan_in) as the std: that is sqrt(3) times too wide for the "
         "normal variant"),
        (1.0, "the weights are unscaled N(0, 1): multiply by sqrt(2 / fan_in)"),
        (math.sqrt(2.0) / fan_in, "you divided by fan_in instead of sqrt(fan_in): std = sqrt(2 / fan_in)"),
    ]
    for value, message in mistakes:
        if abs(std / value - 1.0) < 0.03:
            return failed(f"std is {std:.4g}: {message}")
    return failed(f"std is {std:.4g}, but He normal's is sqrt(2 / fan_in) = {want:.4g} for fan_in = {fan_in}")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: Xavier uniform's bound.

_XAVIER_CASES = [(300, 100, 1.0), (64, 10, 5.0 / 3.0), (50, 200, 1.0)]


def check_xavier_uniform_bound(xavier_uniform_bound):
    """Check ``xavier_uniform_bound(fan_in, fan_out, gain) -> a`` for U(-a, a): a = gain*sqrt(6/(fan_in+fan_out)).

    Reference: Glorot and Bengio (2010), ``torch.nn.init.xavier_uniform_``.
    """
    mistakes = [
        ("that is Xavier's *normal* std, gain * sqrt(2 / (fan_in + fan_out)); U(-a, a) has std a / sqrt(3), "
         "so the bound is sqrt(3) times the std: gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * math.sqrt(2.0 / (fi + fo))),
        ("sqrt(1 / n) is the lecture note's (and Deep Learning from Scratch's) 'Xavier', which is really "
         "LeCun's normal std; Glorot's uniform bound averages both fans: gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * math.sqrt(1.0 / fi)),
        ("sqrt(1 / n) is the lecture note's (and Deep Learning from Scratch's) 'Xavier', which is really "
         "LeCun's normal std; Glorot's uniform bound averages both fans: gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: math.sqrt(1.0 / fi)),
        ("that is LeCun's uniform bound, sqrt(3 / fan_in), which uses fan_in only; Xavier's uses both fans: "
         "gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * math.sqrt(3.0 / fi)),
        ("you used fan_in only (sqrt(6 / fan_in) is He uniform's bound); Xavier averages the forward and "
         "backward rules: gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * math.sqrt(6.0 / fi)),
        ("you used fan_out only; Xavier averages the forward and backward rules: "
         "gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * math.sqrt(6.0 / fo)),
        ("you forgot the square root: the bound is gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * 6.0 / (fi + fo)),
        ("the variance of Xavier's weights is 2 / (fan_in + fan_out), and U(-a, a) has variance a^2 / 3, "
         "so a^2 = 6 / (fan_in + fan_out), not 3 / (fan_in + fan_out)",
         lambda fi, fo, g: g * math.sqrt(3.0 / (fi + fo))),
        ("the gain is ignored: multiply the bound by gain (5/3 for tanh, as torch's calculate_gain says)",
         lambda fi, fo, g: math.sqrt(6.0 / (fi + fo))),
        ("the gain is inside the square root: gain scales the std (and the bound), so the variance grows "
         "by gain^2; use gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: math.sqrt(g * 6.0 / (fi + fo))),
        ("the gain is squared: it multiplies the bound once, gain * sqrt(6 / (fan_in + fan_out))",
         lambda fi, fo, g: g * g * math.sqrt(6.0 / (fi + fo))),
    ]
    for fan_in, fan_out, gain in _XAVIER_CASES:
        got, problem = _call(xavier_uniform_bound, fan_in, fan_out, gain)
        if problem:
            return problem
        try:
            got = float(got)
        except (TypeError, ValueError):
            return failed(f"return one number (the bound a), got {type(got).__name__}")
        want = gain * math.sqrt(6.0 / (fan_in + fan_out))
        if math.isclose(got, want, rel_tol=1e-9):
            continue
        for message, wrong in mistakes:
            if math.isclose(got, wrong(fan_in, fan_out, gain), rel_tol=1e-9):
                return failed(message)
        return failed(
            f"for fan_in = {fan_in}, fan_out = {fan_out}, gain = {gain:.4g} the bound should be {want:.4g}, "
            f"got {got:.4g}"
        )
    return passed("your bound is gain * sqrt(6 / (fan_in + fan_out)) on every case, as in torch's xavier_uniform_.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: predict the histograms.

SHAPES = ("ends", "middle", "shrinks", "steady")
"""The four answers: piled up at the ends of the activation's range; crowded in the middle of it; shrinking
towards 0 layer by layer; about the same spread in every layer."""

SETTINGS = {
    "A": ("sigmoid", "normal", 1.0),
    "B": ("sigmoid", "normal", 0.01),
    "C": ("relu", "xavier_normal", None),
    "D": ("tanh", "normal", 1.0),
    "E": ("relu", "he_normal", None),
}
"""Five settings of the classic experiment: (activation, init, init_std) for 1000 x 100 N(0, 1) inputs
through 5 layers of 100 units."""

_ENDS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_CENTRE = {"sigmoid": 0.5, "tanh": 0.0}

_REASONS = {
    "A": "weights of std 1 give each unit an input sum of std about 10 (100 inputs of variance ~1), deep in "
         "the flat tails of sigmoid, so its output is nearly 0 or 1",
    "B": "weights of std 0.01 give input sums of std about 0.1 or less, where sigmoid(z) ~ 0.5 + z/4: every "
         "unit outputs nearly 0.5 and says the same thing",
    "C": "Xavier keeps the variance for an activation that passes its input through; ReLU zeroes half of it, "
         "so each layer about halves the variance",
    "D": "tanh saturates like sigmoid, at -1 and 1 instead of 0 and 1, and the input sums have std about 10",
    "E": "He's factor 2 gives back the half of the variance that ReLU removes, so the spread holds",
}


def _simulate(key, seed=0):
    activation, init, init_std = SETTINGS[key]
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(1000, 100))
    return nn.layer_activations(X, 5, 100, activation, init, rng=rng, init_std=init_std)


@functools.lru_cache(maxsize=None)
def _measure(key):
    """The numbers that decide the shape of a setting's histograms (computed once per setting)."""
    activation = SETTINGS[key][0]
    acts = _simulate(key)
    stds = [float(a.std()) for a in acts]
    out = {"stds": stds, "ends": None, "middle": None}
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


def _evidence(key, m):
    stds = m["stds"]
    text = f"std layer 1 -> 5: {stds[0]:.3g} -> {stds[-1]:.3g}"
    if m["ends"] is not None:
        where = "0 or 1" if SETTINGS[key][0] == "sigmoid" else "-1 or 1"
        text += f"; in every layer at least {m['ends']:.0%} of the activations lie within 0.05 of {where}"
    return text


def check_histogram_predictions(predictions):
    """Check a dict ``{"A": shape, ..., "E": shape}`` with each shape one of ``SHAPES``.

    The right answers are not stored: each setting is simulated with ``nn.layer_activations`` and
    classified from its numbers (over half at the ends; over 90 % within 0.1 of the centre; last layer's
    std below half the first's; per-layer std within a factor 2).
    """
    if not isinstance(predictions, dict):
        return failed(f"give a dict like {{'A': 'ends', 'B': ...}}, got {type(predictions).__name__}")
    missing = [k for k in SETTINGS if k not in predictions]
    if missing:
        return failed(f"predict every setting: {', '.join(missing)} missing")
    for key in SETTINGS:
        if predictions[key] not in SHAPES:
            return failed(f"setting {key}: {predictions[key]!r} is not one of {', '.join(map(repr, SHAPES))}")
    wrong = []
    for key in SETTINGS:
        m = _measure(key)
        truth = _shape_of(m)
        if predictions[key] != truth:
            wrong.append(f"{key}: you said {predictions[key]!r}, it is {truth!r} ({_evidence(key, m)}): "
                         f"{_REASONS[key]}")
    if wrong:
        return failed(f"{len(wrong)} of {len(SETTINGS)} predictions are off. " + " | ".join(wrong))
    return passed("all five predictions match the simulated histograms.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: the gain of leaky ReLU, from He's argument.

_GAIN_CASES = [0.0, 0.01, 0.2, 0.5, 1.0]


def check_leaky_relu_gain(leaky_relu_gain):
    """Check ``leaky_relu_gain(a) -> gain`` with gain = sqrt(2 / (1 + a^2)).

    For a symmetric input z, leaky ReLU passes z on one half and a*z on the other, so
    E[f(z)^2] = (1 + a^2)/2 * E[z^2]; keeping the variance asks for Var(W) = 2 / ((1 + a^2) fan_in), i.e.
    std = gain / sqrt(fan_in) with the gain above (torch's ``calculate_gain('leaky_relu', a)``).
    """
    mistakes = [
        ("you forgot the square root: the gain multiplies the std, and 2 / (1 + a^2) is a variance factor",
         lambda a: 2.0 / (1.0 + a * a)),
        ("the negative half passes a*z, whose square is a^2 z^2: the factor is 1 + a^2, not 1 + a",
         lambda a: math.sqrt(2.0 / (1.0 + a))),
        ("your gain ignores the slope a: sqrt(2) is plain ReLU's (a = 0); with a > 0 less variance is lost",
         lambda a: math.sqrt(2.0)),
        ("your gain is upside down: leaky ReLU loses variance, so the gain must be >= 1: sqrt(2 / (1 + a^2))",
         lambda a: math.sqrt((1.0 + a * a) / 2.0)),
        ("a gain of 1 keeps the variance only for a linear unit (a = 1); leaky ReLU needs sqrt(2 / (1 + a^2))",
         lambda a: 1.0),
    ]
    for a in _GAIN_CASES:
        got, problem = _call(leaky_relu_gain, a)
        if problem:
            return problem
        try:
            got = float(got)
        except (TypeError, ValueError):
            return failed(f"return one number (the gain), got {type(got).__name__}")
        want = math.sqrt(2.0 / (1.0 + a * a))
        if math.isclose(got, want, rel_tol=1e-9):
            continue
        for message, wrong in mistakes:
            if math.isclose(got, wrong(a), rel_tol=1e-9):
                return failed(f"for a = {a}: {message}")
        return failed(f"for a = {a} the gain should be {want:.4g}, got {got:.4g}")
    return passed("your gain is sqrt(2 / (1 + a^2)) for every slope a: sqrt(2) at a = 0, 1 at a = 1.")
