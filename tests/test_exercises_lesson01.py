"""The self-checks of lesson 01 accept a right answer and name each mistake (stubs: test_exercise_messages.py).

Every message key is also reached by tests/test_exercise_messages.py (the FunctionChecks' mistakes and the
module's EXAMPLES); here are the learners' answers written the way a learner would write them.
"""

import numpy as np
import pytest

from lessons_lib import optim, surfaces
from lessons_lib.exercises import lesson01


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
        (lambda grad, x0, lr, steps: gd_run(grad, x0, lr, steps + 1)[1:], "gd_run.wrong_start"),
        (lambda grad, x0, lr, steps: gd_run(grad, x0[::-1], lr, steps), "gd_run.wrong_start"),
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


# ---- Exercise 3: which basin, on a double well of the check's own -------------------------------------
# f(x) = x^4/4 + 0.1 x^3 - 1.4 x^2 + 1.2 x. Worked out by hand: f'(x) = x^3 + 0.3 x^2 - 2.8 x + 1.2
# = (x + 2)(x - 0.5)(x - 1.2), so the minima are -2 and 1.2 and the hill top is 0.5.


def slope(x):
    return x**3 + 0.3 * x**2 - 2.8 * x + 1.2


def by_roots(x0):
    left, hill_top, right = np.sort(np.roots([1, 0.3, -2.8, 1.2]).real)
    return left if x0 < hill_top else right


def test_which_minimum_accepts_the_hill_top_rule_and_gd_end_points():
    assert lesson01.check_which_minimum(lambda x0: -2.0 if x0 < 0.5 else 1.2).ok
    assert lesson01.check_which_minimum(by_roots).ok

    def run_it(x0):  # a learner who runs gradient descent and returns where it ends (to rounding)
        x = x0
        for _ in range(5000):
            x = x - 0.01 * slope(x)
        return x

    assert lesson01.check_which_minimum(run_it).ok
    assert lesson01.check_which_minimum(lambda x0: -1.9999999999999998 if x0 < 0.5 else 1.2000000000000002).ok


def test_the_check_function_has_the_minima_and_hill_top_worked_out_by_hand():
    f = lesson01.WELL["f"]
    for x in (-2.0, 0.5, 1.2):
        assert abs(slope(x)) < 1e-12 and abs(lesson01.WELL["df"](x)) < 1e-12
    h = 1e-6  # the check's f and f' agree
    for x in (-2.7, -0.1, 0.8, 2.2):
        assert (f(x + h) - f(x - h)) / (2 * h) == pytest.approx(slope(x), rel=1e-6)
    assert f(-2.0) < f(1.2) < f(0.5)  # -2 is the global minimum, 1.2 a local one, 0.5 the hill between


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda x0: -2.0, "which_minimum.always_global"),
        (lambda x0: 1.2 if x0 < 0.5 else -2.0, "which_minimum.swapped"),
        (lambda x0: -2.0 if x0 < -0.4 else 1.2, "which_minimum.nearest"),
        (lambda x0: -2.0 if x0 < 0 else 1.2, "which_minimum.wrong_split"),
        (lambda x0: -2.0 if x0 < 1.0 else 1.2, "which_minimum.wrong_split"),
        (lambda x0: 1.2, "which_minimum.wrong_basin"),
        (lambda x0: 0.5, "which_minimum.hill_top"),
        # np.roots' zeros unsorted ([-2, 1.2, 0.5]), taken as (left, hill top, right)
        (lambda x0: np.roots([1, 0.3, -2.8, 1.2])[0] if x0 < np.roots([1, 0.3, -2.8, 1.2])[1]
         else np.roots([1, 0.3, -2.8, 1.2])[2], "which_minimum.hill_top"),
        (lambda x0: -1.0 if x0 < 0.3 else 1.0, "which_minimum.not_a_minimum"),  # the lesson's own well
        (lambda x0: -1.999 if x0 < 0.5 else 1.2, "which_minimum.not_a_minimum"),
        (lambda x0: "left", "which_minimum.not_a_number"),
    ],
)
def test_which_minimum_names_the_mistake(wrong, key):
    feedback = lesson01.check_which_minimum(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


def test_which_minimum_says_where_the_split_is_and_which_starts_are_wrong():
    feedback = lesson01.check_which_minimum(lambda x0: -2.0 if x0 < 0 else 1.2)
    assert (feedback.fields["lo"], feedback.fields["hi"]) == ("-0.3", "0")
    assert feedback.fields["starts"] == "0, 0.2, 0.45"


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
