"""Self-checks for lesson 01 (gradient descent).

Exercises 1 and 2 are ``FunctionCheck``s: the learner's function runs on fixed cases, the right answer is
computed here from the equations, and a wrong answer is matched against the usual mistakes so that the
message names the mistake. Exercises 3 and 4 are checked by hand (their answers are a pattern over many
starts, or a word), with an ``EXAMPLES`` table that reaches each of their messages. The words of every
message are in ``messages/en/lesson01.py``.

Exercise 3 uses a double well of its own (``WELL``), not the lesson's ``surfaces.TWO_BASIN_1D``: the lesson
states where that one's basins meet, so an exercise on it would only ask the learner to copy a sentence.
"""

import functools

import numpy as np

from ..surfaces import ILL_CONDITIONED, TWO_BASIN
from . import FunctionCheck, call_learner, check, failed, fmt, passed

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: run gradient descent and keep every point, gd_run(grad, x0, lr, steps) -> path


def _path(grad, x0, lr, steps, *, sign=1.0, stale=False):
    """Gradient descent's points x_0 .. x_steps (sign=-1: ascent; stale: the gradient at x_0 every step)."""
    points = [np.array(x0, dtype=float)]
    g0 = grad(points[0])
    for _ in range(steps):
        g = g0 if stale else grad(points[-1])
        points.append(points[-1] - sign * lr * g)
    return np.array(points)


_RUN_CASES = [
    (ILL_CONDITIONED.grad, np.array([-5.0, -2.0]), 0.4, 5),
    (TWO_BASIN.grad, np.array([2.0, 1.5]), 0.1, 4),
]


def _first_wrong_point(case, got, want):
    """The first point where the learner's path leaves gradient descent's (the shapes already agree)."""
    path, right = got[0], want[0]
    if not np.allclose(path[0], right[0], rtol=1e-9, atol=1e-12):
        return failed("gd_run.wrong_start", want=fmt(right[0]), got=fmt(path[0]))
    for k in range(1, len(right)):
        if not np.allclose(path[k], right[k], rtol=1e-9, atol=1e-12):
            return failed("gd_run.wrong_point", k=k, want=fmt(right[k]), got=fmt(path[k]))
    return None


GD_RUN = FunctionCheck(
    names=("path",),
    cases=_RUN_CASES,
    # x_{k+1} = x_k - lr * grad(x_k), and the path holds x_0, x_1, ..., x_steps
    reference=lambda grad, x0, lr, steps: _path(grad, x0, lr, steps),
    mistakes={
        "gd_run.only_end": lambda grad, x0, lr, steps: _path(grad, x0, lr, steps)[-1],
        "gd_run.no_start": lambda grad, x0, lr, steps: _path(grad, x0, lr, steps)[1:],
        "gd_run.one_step_short": lambda grad, x0, lr, steps: _path(grad, x0, lr, steps - 1),
        "gd_run.aliased": lambda grad, x0, lr, steps: np.tile(_path(grad, x0, lr, steps)[-1], (steps + 1, 1)),
        "gd_run.sign": lambda grad, x0, lr, steps: _path(grad, x0, lr, steps, sign=-1.0),
        "gd_run.no_lr": lambda grad, x0, lr, steps: _path(grad, x0, 1.0, steps),
        "gd_run.stale_gradient": lambda grad, x0, lr, steps: _path(grad, x0, lr, steps, stale=True),
    },
    success="gd_run.ok",
    hint="gd_run.hint",
    diagnose=_first_wrong_point,
)


@check
def check_gd_run(gd_run):
    """Check ``gd_run(grad, x0, lr, steps) -> path``: an array of the steps + 1 points x_0, ..., x_steps."""
    return GD_RUN(gd_run)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: three numbers of f(x, y) = a x^2 + b y^2, step_sizes(a, b) -> (lr_max, lr_best, rate)
#
# The curvatures are f_xx = 2a and f_yy = 2b: L = 2 max(a, b), m = 2 min(a, b). Gradient descent multiplies
# each coordinate by 1 - lr * curvature per step, so it is stable for lr < 2/L; the worst factor
# max(|1 - lr m|, |1 - lr L|) is smallest at lr = 2/(L + m), where it is (L - m)/(L + m) = (kappa - 1)/(kappa + 1).


def _big(a, b):
    return max(a, b)


def _small(a, b):
    return min(a, b)


def _kappa(a, b):
    return _big(a, b) / _small(a, b)


STEP_SIZES = FunctionCheck(
    names=("lr_max", "lr_best", "rate"),
    cases=[(3.0, 0.5), (0.05, 1.0), (2.0, 7.0), (0.25, 0.1)],
    reference=lambda a, b: (2 / (2 * _big(a, b)),                           # 2/L
                            2 / (2 * _big(a, b) + 2 * _small(a, b)),        # 2/(L + m)
                            (_kappa(a, b) - 1) / (_kappa(a, b) + 1)),       # (kappa - 1)/(kappa + 1)
    mistakes={
        "step_sizes.max_coefficient": lambda a, b: (2 / _big(a, b), None, None),
        "step_sizes.max_one_over_L": lambda a, b: (1 / (2 * _big(a, b)), None, None),
        "step_sizes.max_flattest": lambda a, b: (1 / _small(a, b), None, None),
        "step_sizes.max_is_best": lambda a, b: (1 / (a + b), None, None),
        "step_sizes.max_is_L": lambda a, b: (2 * _big(a, b), None, None),
        "step_sizes.best_coefficient": lambda a, b: (None, 2 / (a + b), None),
        "step_sizes.best_one_over_L": lambda a, b: (None, 1 / (2 * _big(a, b)), None),
        "step_sizes.best_flattest": lambda a, b: (None, 1 / (2 * _small(a, b)), None),
        "step_sizes.rate_of_one_over_L": lambda a, b: (None, None, 1 - 1 / _kappa(a, b)),
        "step_sizes.rate_inverted": lambda a, b: (None, None, (_kappa(a, b) + 1) / (_kappa(a, b) - 1)),
        "step_sizes.rate_of_f": lambda a, b: (None, None, ((_kappa(a, b) - 1) / (_kappa(a, b) + 1)) ** 2),
        "step_sizes.rate_is_kappa": lambda a, b: (None, None, _kappa(a, b)),
    },
    success="step_sizes.ok",
    hint="step_sizes.hint",
)


@check
def check_step_sizes(step_sizes):
    """Check ``step_sizes(a, b) -> (lr_max, lr_best, rate)`` for f(x, y) = a x^2 + b y^2 (a, b > 0, a != b)."""
    return STEP_SIZES(step_sizes)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: which basin does a start end in, on a double well the lesson has not drawn?
# which_minimum(x0) -> the x of the minimum that gradient descent with a small step reaches from x0
#
# WELL: f(x) = x^4/4 + 0.1 x^3 - 1.4 x^2 + 1.2 x, so f'(x) = x^3 + 0.3 x^2 - 2.8 x + 1.2 = (x + 2)(x - 0.5)(x - 1.2):
# minima at x = -2 (global, f = -4.8) and x = 1.2 (local, f = 0.1152), the hill top between them at x = 0.5.
# Halfway between the minima lies x = -0.4, so "the nearest minimum" is wrong for starts in [-0.4, 0.5).
#
# The right answer comes from running gradient descent with a small step. An answer counts as a minimum when
# it lies within 1e-6 of one (np.roots' zeros and gradient descent's own end point are fine answers), and the
# same tolerance decides which minimum it names.


def _well(x):
    return x**4 / 4 + 0.1 * x**3 - 1.4 * x**2 + 1.2 * x


def _well_slope(x):
    return x**3 + 0.3 * x**2 - 2.8 * x + 1.2


WELL = {"f": _well, "df": _well_slope, "minima": (-2.0, 1.2), "global_minimum": -2.0, "hill_top": 0.5}

_BASIN_STARTS = (-3.0, -1.0, -0.5, -0.3, 0.0, 0.2, 0.45, 0.55, 0.9, 2.5)
_AT_A_MINIMUM = 1e-6


@functools.cache
def _gd_end(x0, lr=0.02, steps=3000):
    """Where plain gradient descent with a small learning rate ends on WELL."""
    x = x0
    for _ in range(steps):
        x = x - lr * _well_slope(x)
    return x


def _minimum_named(value):
    """The minimum of WELL within 1e-6 of ``value``, or None."""
    for m in WELL["minima"]:
        if abs(value - m) <= _AT_A_MINIMUM:
            return float(m)
    return None


def _split(starts, named):
    """If the answers send every start left of some point to the global minimum and every other start to the
    local one, the two starts that point lies between; else None."""
    left = [m == WELL["global_minimum"] for m in named]
    if left and all(left[i] >= left[i + 1] for i in range(len(left) - 1)) and any(left) and not all(left):
        i = left.index(False)
        return starts[i - 1], starts[i]
    return None


def _which_minimum(which_minimum):
    named = []
    for x0 in _BASIN_STARTS:
        result, error = call_learner(which_minimum, x0, hint="which_minimum.hint")
        if error:
            return error
        try:
            value = float(result)
        except (TypeError, ValueError):
            return failed("which_minimum.not_a_number", got=type(result).__name__)
        minimum = _minimum_named(value)
        if minimum is None:
            if abs(value - WELL["hill_top"]) <= _AT_A_MINIMUM:
                return failed("which_minimum.hill_top", x0=f"{x0:g}")
            return failed("which_minimum.not_a_minimum", x0=f"{x0:g}", got=f"{value:.4g}",
                          slope=f"{_well_slope(value):.3g}")
        named.append(minimum)
    truth = [_minimum_named(_gd_end(x0)) for x0 in _BASIN_STARTS]
    if named == truth:
        return passed("which_minimum.ok")
    if all(m == WELL["global_minimum"] for m in named):
        return failed("which_minimum.always_global")
    if all(m != t for m, t in zip(named, truth)):
        return failed("which_minimum.swapped")
    halfway = sum(WELL["minima"]) / 2
    if named == [WELL["minima"][0] if x0 < halfway else WELL["minima"][1] for x0 in _BASIN_STARTS]:
        return failed("which_minimum.nearest", halfway=f"{halfway:g}")
    wrong = ", ".join(f"{x0:g}" for x0, m, t in zip(_BASIN_STARTS, named, truth) if m != t)
    split = _split(_BASIN_STARTS, named)
    if split is not None:
        return failed("which_minimum.wrong_split", lo=f"{split[0]:g}", hi=f"{split[1]:g}", starts=wrong)
    return failed("which_minimum.wrong_basin", starts=wrong)


@check
def check_which_minimum(which_minimum):
    """Check ``which_minimum(x0)``: the x of the minimum of f(x) = x^4/4 + 0.1 x^3 - 1.4 x^2 + 1.2 x that
    gradient descent with a small learning rate reaches from x0."""
    return _which_minimum(which_minimum)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: minimum, maximum or saddle, from the Hessian: classify(H) -> 'minimum' | 'maximum' | 'saddle'

_HESSIAN_CASES = [
    (np.diag([2.0, 3.0]), "minimum"),
    (np.diag([-1.0, -4.0]), "maximum"),
    (np.diag([1.0, -1.0]), "saddle"),
    (np.array([[1.0, 2.0], [2.0, 1.0]]), "saddle"),  # positive diagonal, eigenvalues 3 and -1
    (np.array([[2.0, 1.0], [1.0, 2.0]]), "minimum"),  # positive off-diagonal, eigenvalues 3 and 1
    (np.array([[-1.0, -2.0], [-2.0, -1.0]]), "saddle"),  # negative diagonal, eigenvalues -3 and 1
    (np.diag([-1.0, -1.0, 2.0]), "saddle"),  # 3-D: determinant > 0, yet a saddle
    (np.diag([1.0, 2.0, 3.0]), "minimum"),
    (np.diag([-1.0, -2.0, -0.5]), "maximum"),
]
_LABELS = ("minimum", "maximum", "saddle")


def _by_signs(values):
    if np.all(values > 0):
        return "minimum"
    if np.all(values < 0):
        return "maximum"
    return "saddle"


def _matrix(H):
    """A small matrix as text, row by row: [[1, 2], [2, 1]]."""
    return "[" + ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in H) + "]"


def _classify(classify):
    for H, expected in _HESSIAN_CASES:
        result, error = call_learner(classify, H.copy(), hint="classify.hint")
        if error:
            return error
        if not isinstance(result, str) or result not in _LABELS:
            got = repr(result) if isinstance(result, str) else type(result).__name__
            return failed("classify.not_a_label", got=got)
        if result == expected:
            continue
        shown = _matrix(H)
        if {result, expected} == {"minimum", "maximum"}:
            return failed("classify.swapped", H=shown)
        off_diagonal = H - np.diag(np.diag(H))
        if np.any(off_diagonal != 0) and result == _by_signs(np.diag(H)):
            eigenvalues = ", ".join(f"{e:g}" for e in np.linalg.eigvalsh(H))
            return failed("classify.diagonal_only", H=shown, eigenvalues=eigenvalues)
        if len(H) == 3 and np.linalg.det(H) > 0 and expected == "saddle":
            return failed("classify.determinant", H=shown)
        return failed("classify.wrong", H=shown, expected=expected, got=result)
    return passed("classify.ok")


@check
def check_classify(classify):
    """Check ``classify(H)`` -> 'minimum', 'maximum' or 'saddle' for a symmetric H with no zero eigenvalue."""
    return _classify(classify)


# ---------------------------------------------------------------------------------------------------------
# Answers that reach every message of the checks written by hand (and the diagnosis of exercise 1):
# (check, learner's function, expected key). tests/test_exercise_messages.py runs them.


def _right_classify(H):
    return _by_signs(np.linalg.eigvalsh(H))


def _determinant_test(H):
    if np.linalg.det(H) < 0:
        return "saddle"
    return "minimum" if H[0, 0] > 0 else "maximum"


EXAMPLES = [
    (GD_RUN, lambda grad, x0, lr, steps: _path(grad, x0, lr / 2, steps), "gd_run.wrong_point"),
    (GD_RUN, lambda grad, x0, lr, steps: _path(grad, x0, lr, steps)[:, ::-1], "gd_run.wrong_start"),
    (_which_minimum, lambda x0: -2.0 if x0 < 0.5 else 1.2, "which_minimum.ok"),
    (_which_minimum, lambda x0: _gd_end(x0), "which_minimum.ok"),  # GD's own end point, to rounding
    (_which_minimum, lambda x0: None, "common.not_written"),
    (_which_minimum, lambda x0: -2.0, "which_minimum.always_global"),
    (_which_minimum, lambda x0: 1.2 if x0 < 0.5 else -2.0, "which_minimum.swapped"),
    (_which_minimum, lambda x0: -2.0 if x0 < -0.4 else 1.2, "which_minimum.nearest"),
    (_which_minimum, lambda x0: -2.0 if x0 < 0 else 1.2, "which_minimum.wrong_split"),
    (_which_minimum, lambda x0: -2.0 if abs(x0) > 1 else 1.2, "which_minimum.wrong_basin"),
    (_which_minimum, lambda x0: 0.5, "which_minimum.hill_top"),
    (_which_minimum, lambda x0: -1.0, "which_minimum.not_a_minimum"),
    (_which_minimum, lambda x0: "left", "which_minimum.not_a_number"),
    (_classify, _right_classify, "classify.ok"),
    (_classify, lambda H: None, "common.not_written"),
    (_classify, lambda H: "min", "classify.not_a_label"),
    (_classify, lambda H: {"minimum": "maximum", "maximum": "minimum"}.get(_right_classify(H), "saddle"),
     "classify.swapped"),
    (_classify, lambda H: _right_classify(np.diag(np.diag(H))), "classify.diagonal_only"),
    (_classify, _determinant_test, "classify.determinant"),
    (_classify, lambda H: "saddle", "classify.wrong"),
]
