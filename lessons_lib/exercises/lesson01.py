"""Self-checks for lesson 01 (gradient descent).

Each ``check_*`` function runs the learner's code on cases whose right answer is computed here from the
formula, and names the mistake it finds. They return a ``Feedback`` (``.ok`` and ``.message``).
"""

import numpy as np

from ..surfaces import TWO_BASIN_1D
from . import call_learner as _call
from . import failed, number_answers, passed


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: one gradient-descent step
# ---------------------------------------------------------------------------------------------------------

_STEP_CASES = [
    (np.array([-3.0, 2.0]), np.array([-0.3, 4.0]), 0.1),
    (np.array([1.5, -0.5]), np.array([2.0, 1.0]), 0.25),
    (np.array([0.2, 4.0]), np.array([-1.0, 3.0]), 0.7),
]


def check_gd_step(gd_step):
    """Check ``gd_step(x, grad, lr)``, which must return the new point ``x - lr * grad``."""
    for x, grad, lr in _STEP_CASES:
        expected = x - lr * grad
        result, error = _call(gd_step, x.copy(), grad.copy(), lr)
        if error:
            return error
        try:
            result = np.asarray(result, dtype=float)
        except (TypeError, ValueError):
            return failed(f"return a numpy array (the new point), not {type(result).__name__}")
        if result.shape != x.shape:
            return failed(f"the new point must have the shape of x, {x.shape}; yours has shape {result.shape}")
        if np.allclose(result, expected):
            continue
        if np.allclose(result, x):
            return failed("the point did not move: return x - lr * grad, not x")
        if np.allclose(result, -lr * grad):
            return failed("you returned the step -lr * grad, not the new point: add it to x")
        if np.allclose(result, x + lr * grad):
            return failed("wrong sign: x + lr * grad climbs uphill; gradient DEscent subtracts the gradient")
        if np.allclose(result, x - grad):
            return failed("wrong scale: the learning rate is missing (you moved by the whole gradient)")
        step = x - result
        scale = float(step @ grad) / float(grad @ grad)
        if np.allclose(step, scale * grad):
            return failed(
                f"wrong scale: you moved {scale:.3g} x grad, the step should be lr x grad = {lr} x grad"
            )
        return failed(
            "the step does not point along the gradient: did you mix up the coordinates of x and grad?"
        )
    return passed("x - lr * grad: one step downhill, scaled by the learning rate")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: the largest stable learning rate of a quadratic
# ---------------------------------------------------------------------------------------------------------

_BOUND_CASES = [(3.0, 0.5), (0.05, 1.0), (2.0, 7.0), (0.25, 0.1)]


def check_stable_lr(max_stable_lr):
    """Check ``max_stable_lr(a, b)`` for f(x, y) = a x^2 + b y^2 (a, b > 0).

    The curvatures are f_xx = 2a and f_yy = 2b, so L = 2 max(a, b) and GD is stable for lr < 2/L = 1/max(a, b).
    """
    wrong = {
        "you used the coefficient as the curvature: the second derivative of a x^2 is 2a, so L = 2 max(a, b)":
            lambda a, b: 2 / max(a, b),
        "you gave 1/L, the learning rate that jumps to the minimum of the steepest direction in one step; "
        "GD stays stable up to twice that, 2/L":
            lambda a, b: 1 / (2 * max(a, b)),
        "you used the flattest direction: the steepest curvature (the largest of a and b) decides stability":
            lambda a, b: 1 / min(a, b),
        "you used the flattest direction, and the coefficient instead of the curvature 2a":
            lambda a, b: 2 / min(a, b),
        "you added the curvatures: the bound comes from the largest one alone, 2/L with L = 2 max(a, b)":
            lambda a, b: 2 / (2 * a + 2 * b),
        "you added the coefficients: the bound comes from the largest curvature alone, L = 2 max(a, b)":
            lambda a, b: 2 / (a + b),
        "you gave L itself, not the bound 2/L (a learning rate, not a curvature)":
            lambda a, b: 2 * max(a, b),
    }
    answers, error = number_answers(max_stable_lr, _BOUND_CASES, "a learning rate")
    if error:
        return error
    right = [1 / max(a, b) for a, b in _BOUND_CASES]
    if np.allclose(answers, right):
        return passed("lr < 2/L with L = 2 max(a, b): the steepest direction sets the bound")
    for message, formula in wrong.items():
        if np.allclose(answers, [formula(a, b) for a, b in _BOUND_CASES]):
            return failed(message)
    a, b = _BOUND_CASES[0]
    return failed(
        f"for a = {a}, b = {b} you gave {answers[0]:.4g}; the bound is 2/L with L = 2 max(a, b) "
        "(a picture: along the steepest axis, x_(k+1) = (1 - lr L) x_k must shrink)"
    )


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: which basin does a start end in?
# ---------------------------------------------------------------------------------------------------------

_BASIN_STARTS = [-1.8, -0.6, 0.0, 0.1, 0.25, 0.35, 0.6, 1.3, 2.0]


def _gd_end(x, lr=0.05, steps=2000):
    """Where plain gradient descent with a small learning rate ends on the tilted double well."""
    for _ in range(steps):
        x = x - lr * float(TWO_BASIN_1D.df(x))
    return x


def check_which_minimum(which_minimum):
    """Check ``which_minimum(x0)`` -> -1.0 or 1.0: the minimum of ``surfaces.TWO_BASIN_1D`` that gradient
    descent with a small learning rate reaches from x0. The right answer here comes from running GD."""
    hill = TWO_BASIN_1D.maxima[0]
    answers = []
    for x0 in _BASIN_STARTS:
        result, error = _call(which_minimum, x0)
        if error:
            return error
        try:
            answers.append(float(result))
        except (TypeError, ValueError):
            return failed(f"return the x of a minimum, -1.0 or 1.0, not {result!r}")
    for x0, answer in zip(_BASIN_STARTS, answers):
        if not any(abs(answer - m) < 1e-6 for m in TWO_BASIN_1D.minima):
            return failed(f"from x0 = {x0} you returned {answer:g}; the minima are at x = -1 and x = 1")
    truth = [round(_gd_end(x0)) for x0 in _BASIN_STARTS]
    if answers == [float(t) for t in truth]:
        return passed(f"the hill top at x = {hill:g} divides the basins; GD never climbs over it with a small lr")
    if all(a == TWO_BASIN_1D.global_minimum for a in answers):
        return failed(
            "you always answered the global minimum, x = -1; gradient descent only goes downhill, so a start "
            "right of the hill top ends in the local minimum x = 1"
        )
    if all(a == -t for a, t in zip(answers, truth)):
        return failed("the basins are swapped: gradient descent rolls downhill away from the hill top, not over it")
    by_zero = [-1.0 if x0 < 0 else 1.0 for x0 in _BASIN_STARTS]
    by_zero_inclusive = [-1.0 if x0 <= 0 else 1.0 for x0 in _BASIN_STARTS]
    if answers in (by_zero, by_zero_inclusive):
        return failed(
            f"you split the basins at x = 0; they meet at the hill top, where f'(x) = 0 between the minima: "
            f"x = {hill:g}. Starts in between (0 < x0 < {hill:g}) roll left"
        )
    wrong = [x0 for x0, a, t in zip(_BASIN_STARTS, answers, truth) if a != t]
    return failed(f"wrong basin for the start(s) {wrong}; find the hill top between the minima (f'(x) = 0)")


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: minimum, maximum or saddle, from the Hessian
# ---------------------------------------------------------------------------------------------------------

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


def check_classify(classify):
    """Check ``classify(H)`` -> 'minimum', 'maximum' or 'saddle' from the signs of H's eigenvalues."""
    for H, expected in _HESSIAN_CASES:
        result, error = _call(classify, H.copy())
        if error:
            return error
        if result not in ("minimum", "maximum", "saddle"):
            return failed(f"return one of 'minimum', 'maximum', 'saddle'; you returned {result!r}")
        if result == expected:
            continue
        diagonal = np.diag(H)
        off_diagonal = H - np.diag(diagonal)
        shown = np.array2string(H, precision=1, separator=", ").replace("\n", "")
        if {result, expected} == {"minimum", "maximum"}:
            return failed(
                f"minimum and maximum swapped for H = {shown}: all eigenvalues > 0 means the function curves "
                "up in every direction, a minimum"
            )
        if np.any(off_diagonal != 0) and result == _by_signs(diagonal):
            return failed(
                f"for H = {shown} you read only the diagonal; the eigenvalues "
                f"({', '.join(f'{e:g}' for e in np.linalg.eigvalsh(H))}) decide, and mixed signs make a saddle"
            )
        if len(H) == 3 and np.linalg.det(H) > 0 and expected == "saddle":
            return failed(
                f"H = {shown} has determinant > 0 but two negative eigenvalues and one positive: a saddle. "
                "The determinant test only works in 2-D; count the signs of the eigenvalues"
            )
        return failed(f"H = {shown} is a {expected}, you said {result}: look at the signs of its eigenvalues")
    return passed("the signs of the Hessian's eigenvalues decide: all +, minimum; all -, maximum; mixed, saddle")


def _by_signs(values):
    if np.all(values > 0):
        return "minimum"
    if np.all(values < 0):
        return "maximum"
    return "saddle"
