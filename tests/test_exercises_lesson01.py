"""The self-checks of lesson 01 accept a right answer and name each mistake they claim to catch."""

import numpy as np
import pytest

from lessons_lib.exercises import lesson01

# ---- Exercise 1: one gradient-descent step -------------------------------------------------------------


def test_gd_step_accepts_the_update():
    assert lesson01.check_gd_step(lambda x, grad, lr: x - lr * grad).ok


def test_gd_step_accepts_an_in_place_update():
    def in_place(x, grad, lr):
        x -= lr * grad
        return x

    assert lesson01.check_gd_step(in_place).ok


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, grad, lr: x, "did not move"),
        (lambda x, grad, lr: x + lr * grad, "wrong sign"),
        (lambda x, grad, lr: x - grad, "learning rate is missing"),
        (lambda x, grad, lr: x - lr * lr * grad, "wrong scale"),
        (lambda x, grad, lr: x - 2 * lr * grad, "wrong scale"),
        (lambda x, grad, lr: -lr * grad, "returned the step"),
        (lambda x, grad, lr: x - lr * grad[::-1], "mix up the coordinates"),
        (lambda x, grad, lr: float(x[0] - lr * grad[0]), "shape"),
        (lambda x, grad, lr: None, "shape"),
        (lambda x, grad, lr: x - lr * gradient, "NameError"),  # noqa: F821 (the mistake under test)
    ],
)
def test_gd_step_names_the_mistake(wrong, words):
    feedback = lesson01.check_gd_step(wrong)
    assert not feedback.ok
    assert words in feedback.message


# ---- Exercise 2: the largest stable learning rate ------------------------------------------------------


def test_stable_lr_accepts_the_bound():
    assert lesson01.check_stable_lr(lambda a, b: 2 / (2 * max(a, b))).ok


def test_stable_lr_bound_is_where_gd_changes_from_converging_to_diverging():
    # Independent of the check: run GD on a x^2 + b y^2 just below and just above 1/max(a, b).
    a, b = 3.0, 0.5
    for lr, converges in [(0.98 / max(a, b), True), (1.02 / max(a, b), False)]:
        p = np.array([1.0, 1.0])
        for _ in range(400):
            p = p - lr * np.array([2 * a * p[0], 2 * b * p[1]])
        assert (np.linalg.norm(p) < 1e-2) == converges


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda a, b: 2 / max(a, b), "second derivative of a x^2 is 2a"),
        (lambda a, b: 1 / (2 * max(a, b)), "twice that"),
        (lambda a, b: 1 / min(a, b), "flattest direction"),
        (lambda a, b: 2 / min(a, b), "flattest direction"),
        (lambda a, b: 2 / (2 * a + 2 * b), "added the curvatures"),
        (lambda a, b: 2 / (a + b), "added the coefficients"),
        (lambda a, b: 2 * max(a, b), "not the bound"),
        (lambda a, b: 0.1, "2/L with L = 2 max(a, b)"),
        (lambda a, b: [a, b], "one number"),
    ],
)
def test_stable_lr_names_the_mistake(wrong, words):
    feedback = lesson01.check_stable_lr(wrong)
    assert not feedback.ok
    assert words in feedback.message


# ---- Exercise 4: classify a critical point -------------------------------------------------------------


def right_classify(H):
    eigenvalues = np.linalg.eigvalsh(H)
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "saddle"


def diagonal_only(H):
    return right_classify(np.diag(np.diag(H)))


def swapped(H):
    return {"minimum": "maximum", "maximum": "minimum"}.get(right_classify(H), "saddle")


def determinant_test(H):
    if np.linalg.det(H) < 0:
        return "saddle"
    return "minimum" if H[0, 0] > 0 else "maximum"


def test_classify_accepts_the_eigenvalue_rule():
    assert lesson01.check_classify(right_classify).ok


@pytest.mark.parametrize(
    "wrong, words",
    [
        (diagonal_only, "only the diagonal"),
        (swapped, "swapped"),
        (determinant_test, "determinant test only works in 2-D"),
        (lambda H: "saddle", "signs of its eigenvalues"),
        (lambda H: "min", "return one of"),
    ],
)
def test_classify_names_the_mistake(wrong, words):
    feedback = lesson01.check_classify(wrong)
    assert not feedback.ok
    assert words in feedback.message


# ---- Exercise 3: which basin ---------------------------------------------------------------------------


def test_which_minimum_accepts_the_hill_top_rule():
    # The hill top of f'(x) = (x^2 - 1)(x - 0.3) is at x = 0.3 (the middle root), worked out by hand.
    assert lesson01.check_which_minimum(lambda x0: -1.0 if x0 < 0.3 else 1.0).ok


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x0: -1.0, "always answered the global minimum"),
        (lambda x0: 1.0 if x0 < 0.3 else -1.0, "swapped"),
        (lambda x0: -1.0 if x0 < 0 else 1.0, "split the basins at x = 0"),
        (lambda x0: -1.0 if x0 <= 0 else 1.0, "split the basins at x = 0"),
        (lambda x0: -1.0 if x0 < 1.0 else 1.0, "wrong basin for the start(s) [0.35, 0.6]"),
        (lambda x0: 0.3, "the minima are at x = -1 and x = 1"),
        (lambda x0: "left", "not 'left'"),
    ],
)
def test_which_minimum_names_the_mistake(wrong, words):
    feedback = lesson01.check_which_minimum(wrong)
    assert not feedback.ok
    assert words in feedback.message
