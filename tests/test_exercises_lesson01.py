"""The self-checks of lesson 01 accept a right answer, answer a stub with a hint, and name each mistake.

Every message key is also reached by tests/test_exercise_messages.py (the FunctionChecks' mistakes and the
module's EXAMPLES); here are the learners' answers written the way a learner would write them.
"""

import numpy as np
import pytest

from lessons_lib import optim, surfaces
from lessons_lib.exercises import lesson01


def stub(*args):
    ...  # your code here


@pytest.mark.parametrize(
    "check", [lesson01.check_gd_run, lesson01.check_step_sizes, lesson01.check_which_minimum, lesson01.check_classify]
)
def test_a_stub_gets_a_hint_and_never_the_answer(check):
    feedback = check(stub)
    assert not feedback.ok and feedback.key == "common.not_written"
    assert feedback.fields["hint"].key.endswith(".hint")
    assert "Hint:" in feedback.message


@pytest.mark.parametrize(
    "check", [lesson01.check_gd_run, lesson01.check_step_sizes, lesson01.check_which_minimum, lesson01.check_classify]
)
def test_a_call_instead_of_the_function_is_named(check):
    assert check(3.0).key == "common.not_callable"


# ---- Exercise 1: a whole run ---------------------------------------------------------------------------


def gd_run(grad, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def gd_run_aliased(grad, x0, lr, steps):
    x = x0
    path = [x]
    for _ in range(steps):
        x -= lr * grad(x)          # changes the one array that every entry of path is
        path.append(x)
    return np.array(path)


def gd_run_list_of_copies(grad, x0, lr, steps):
    x = x0.copy()
    path = [x.copy()]
    for _ in range(steps):
        x -= lr * grad(x)
        path.append(x.copy())
    return path                    # a list of arrays is fine too


def test_gd_run_accepts_a_run_and_agrees_with_the_library():
    assert lesson01.check_gd_run(gd_run).key == "gd_run.ok"
    assert lesson01.check_gd_run(gd_run_list_of_copies).key == "gd_run.ok"
    # Independent of the check: the accepted function traces what the library's optimizer traces.
    surface = surfaces.ROSENBROCK
    mine = gd_run(surface.grad, np.array([-1.0, 1.5]), 1e-3, 50)
    assert np.allclose(mine, surfaces.trace(surface, optim.SGD, (-1.0, 1.5), 50, lr=1e-3), rtol=1e-12)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (gd_run_aliased, "gd_run.aliased"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, lr, steps)[-1], "gd_run.only_end"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, lr, steps)[1:], "gd_run.no_start"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, lr, steps - 1), "gd_run.one_step_short"),
        (lambda grad, x0, lr, steps: gd_run(lambda x: -grad(x), x0, lr, steps), "gd_run.sign"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, 1.0, steps), "gd_run.no_lr"),
        (lambda grad, x0, lr, steps: np.array([x0 - k * lr * grad(x0) for k in range(steps + 1)]),
         "gd_run.stale_gradient"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, 2 * lr, steps), "gd_run.wrong_point"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0, lr, steps + 1), "common.wrong_shape"),
        (lambda grad, x0, lr, steps: gradient(x0), "common.raised"),  # noqa: F821 (the mistake under test)
    ],
)
def test_gd_run_names_the_mistake(wrong, key):
    feedback = lesson01.check_gd_run(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


def test_gd_run_says_where_the_path_goes_wrong():
    feedback = lesson01.check_gd_run(lambda grad, x0, lr, steps: gd_run(grad, x0, 2 * lr, steps))
    assert feedback.fields["k"] == 1


# ---- Exercise 2: the largest stable and the best learning rate -----------------------------------------


def step_sizes(a, b):
    L, m = 2 * max(a, b), 2 * min(a, b)
    kappa = L / m
    return 2 / L, 2 / (L + m), (kappa - 1) / (kappa + 1)


def test_step_sizes_accepts_the_right_numbers():
    assert lesson01.check_step_sizes(step_sizes).key == "step_sizes.ok"


def test_step_sizes_lr_max_is_where_gd_changes_from_converging_to_diverging():
    # Independent of the check: run GD on a x^2 + b y^2 just below and just above lr_max.
    a, b = 3.0, 0.5
    lr_max, lr_best, rate = step_sizes(a, b)
    for lr, converges in [(0.98 * lr_max, True), (1.02 * lr_max, False)]:
        p = np.array([1.0, 1.0])
        for _ in range(400):
            p = p - lr * np.array([2 * a * p[0], 2 * b * p[1]])
        assert (np.linalg.norm(p) < 1e-2) == converges
    # and at lr_best the distance to the minimum shrinks by exactly `rate` per step
    p = np.array([1.0, 1.0])
    for _ in range(20):
        p_new = p - lr_best * np.array([2 * a * p[0], 2 * b * p[1]])
        assert np.linalg.norm(p_new) == pytest.approx(rate * np.linalg.norm(p), rel=1e-12)
        p = p_new


def with_best(lr_max=None, lr_best=None, rate=None):
    """A learner's step_sizes that is right except where told."""
    def fn(a, b):
        right = step_sizes(a, b)
        return tuple(r if f is None else f(a, b) for r, f in zip(right, (lr_max, lr_best, rate)))
    return fn


@pytest.mark.parametrize(
    "wrong, key",
    [
        (with_best(lr_max=lambda a, b: 2 / max(a, b)), "step_sizes.max_coefficient"),
        (with_best(lr_max=lambda a, b: 1 / (2 * max(a, b))), "step_sizes.max_one_over_L"),
        (with_best(lr_max=lambda a, b: 1 / min(a, b)), "step_sizes.max_flattest"),
        (with_best(lr_max=lambda a, b: 1 / (a + b)), "step_sizes.max_is_best"),
        (with_best(lr_max=lambda a, b: 2 * max(a, b)), "step_sizes.max_is_L"),
        (with_best(lr_best=lambda a, b: 2 / (a + b)), "step_sizes.best_coefficient"),
        (with_best(lr_best=lambda a, b: 1 / (2 * max(a, b))), "step_sizes.best_one_over_L"),
        (with_best(lr_best=lambda a, b: 1 / (2 * min(a, b))), "step_sizes.best_flattest"),
        (with_best(rate=lambda a, b: 1 - min(a, b) / max(a, b)), "step_sizes.rate_of_one_over_L"),
        (with_best(rate=lambda a, b: (max(a, b) + min(a, b)) / (max(a, b) - min(a, b))), "step_sizes.rate_inverted"),
        (with_best(rate=lambda a, b: ((max(a, b) - min(a, b)) / (max(a, b) + min(a, b))) ** 2),
         "step_sizes.rate_of_f"),
        (with_best(rate=lambda a, b: max(a, b) / min(a, b)), "step_sizes.rate_is_kappa"),
        (with_best(rate=lambda a, b: 0.5), "common.wrong_value"),
        (lambda a, b: 1 / max(a, b), "common.return_n_values"),
    ],
)
def test_step_sizes_names_the_mistake(wrong, key):
    feedback = lesson01.check_step_sizes(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


# ---- Exercise 3: which basin ---------------------------------------------------------------------------


def test_which_minimum_accepts_the_hill_top_rule_and_gd_end_points():
    # The hill top of f'(x) = (x^2 - 1)(x - 0.3) is at x = 0.3 (the middle root), worked out by hand.
    assert lesson01.check_which_minimum(lambda x0: -1.0 if x0 < 0.3 else 1.0).ok

    def run_it(x0):  # a learner who runs gradient descent and returns where it ends (to rounding)
        return float(surfaces.trace_1d(surfaces.TWO_BASIN_1D, optim.SGD, x0, 3000, lr=0.05)[-1])

    assert run_it(-1.8) != -1.0  # GD's end point is a minimum only to rounding: the check must still accept it
    assert lesson01.check_which_minimum(run_it).ok
    assert lesson01.check_which_minimum(lambda x0: -0.9999999999999999 if x0 < 0.3 else 1.0000000000000002).ok


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda x0: -1.0, "which_minimum.always_global"),
        (lambda x0: 1.0 if x0 < 0.3 else -1.0, "which_minimum.swapped"),
        (lambda x0: -1.0 if x0 < 0 else 1.0, "which_minimum.split_at_zero"),
        (lambda x0: -1.0 if x0 <= 0 else 1.0, "which_minimum.split_at_zero"),
        (lambda x0: -1.0 if x0 < 1.0 else 1.0, "which_minimum.wrong_basin"),
        (lambda x0: 0.3, "which_minimum.not_a_minimum"),
        (lambda x0: -0.999 if x0 < 0.3 else 1.0, "which_minimum.not_a_minimum"),
        (lambda x0: "left", "which_minimum.not_a_number"),
    ],
)
def test_which_minimum_names_the_mistake(wrong, key):
    feedback = lesson01.check_which_minimum(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


def test_which_minimum_lists_the_wrong_starts():
    feedback = lesson01.check_which_minimum(lambda x0: -1.0 if x0 < 1.0 else 1.0)
    assert feedback.fields["starts"] == "0.35, 0.6"


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
    assert lesson01.check_classify(right_classify).key == "classify.ok"


@pytest.mark.parametrize(
    "wrong, key",
    [
        (diagonal_only, "classify.diagonal_only"),
        (swapped, "classify.swapped"),
        (determinant_test, "classify.determinant"),
        (lambda H: "saddle", "classify.wrong"),
        (lambda H: "min", "classify.not_a_label"),
        (lambda H: 1, "classify.not_a_label"),
    ],
)
def test_classify_names_the_mistake(wrong, key):
    feedback = lesson01.check_classify(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message
