"""The self-checks of lesson 03 accept right answers written in different ways and name each mistake.

tests/test_exercise_messages.py already turns every listed mistake into a learner's function; here the
learner's functions are written out by hand, as a learner would write them (in place, with numpy's roots,
with the old velocity, ...), and the checks must recognise them by the message key they return.
"""

import numpy as np
import pytest

from lessons_lib import optim, rules
from lessons_lib.exercises import lesson03 as ex

# ----- Exercise 1: momentum step, textbook velocity form -------------------------------------------------


def momentum_right(p, v, g, lr, momentum):
    v = momentum * v - lr * g
    return p + v, v


def test_momentum_step_accepts_the_right_answer_and_an_in_place_one():
    def in_place(p, v, g, lr, momentum):
        v *= momentum
        v -= lr * g
        p += v
        return p, v

    assert ex.check_momentum_step(momentum_right).key == "momentum_step.ok"
    assert ex.check_momentum_step(in_place).ok


def test_the_textbook_form_is_pytorchs_rule_with_v_equal_to_minus_lr_b():
    """Independent of the check's reference: ten textbook steps equal optim.SGD(momentum=...)'s path."""
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(10, 3))
    p, v = np.zeros(3), np.zeros(3)
    q = np.zeros(3)
    opt = optim.SGD([q], lr=0.1, momentum=0.9)
    for g in grads:
        p, v = momentum_right(p, v, g, 0.1, 0.9)
        opt.step([g])
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(v, -0.1 * opt.state[0]["b"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda p, v, g, lr, mu: (p, v), "momentum_step.no_step"),
        (lambda p, v, g, lr, mu: (p + (mu * v + lr * g), mu * v + lr * g), "momentum_step.sign"),
        (lambda p, v, g, lr, mu: (p - lr * g, v), "momentum_step.plain_sgd"),
        (lambda p, v, g, lr, mu: (p + v, mu * v - lr * g), "momentum_step.old_velocity"),
        (lambda p, v, g, lr, mu: (p + mu * v - (1 - mu) * lr * g, mu * v - (1 - mu) * lr * g), "momentum_step.dampened"),
        (lambda p, v, g, lr, mu: (p + v - mu * lr * g, v - mu * lr * g), "momentum_step.momentum_on_gradient"),
        # the form the lesson shows (rules.sgd_momentum), copied with v in place of b
        (lambda p, v, g, lr, mu: rules.sgd_momentum(p, g, v, lr, mu), "momentum_step.torch_buffer"),
        (lambda p, v, g, lr, mu: (p + mu * v - lr * g, v), "momentum_step.velocity_not_returned"),
    ],
)
def test_momentum_step_names_the_mistake(wrong, key):
    feedback = ex.check_momentum_step(wrong)
    assert not feedback.ok and feedback.key == key


# ----- Exercise 2: Nesterov step, velocity in parameter units --------------------------------------------


def nesterov_right(p, v, g, lr, momentum):
    v_new = momentum * v - lr * g
    return p - momentum * v + (1 + momentum) * v_new, v_new  # another way to write p + momentum v_new - lr g


def test_nesterov_step_accepts_the_right_answer():
    assert ex.check_nesterov_step(nesterov_right).key == "nesterov_step.ok"


def test_the_nesterov_answer_is_pytorchs_nesterov_on_a_quadratic():
    """Independent of the check's reference: the learner's rule, run on f = |p|^2 / 2 (gradient p), follows
    optim.SGD(nesterov=True)'s path."""
    p, v = np.array([1.0, -2.0]), np.zeros(2)
    q = p.copy()
    opt = optim.SGD([q], lr=0.2, momentum=0.9, nesterov=True)
    for _ in range(30):
        p, v = nesterov_right(p, v, p.copy(), 0.2, 0.9)
        opt.step([q.copy()])
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda p, v, g, lr, mu: (p, mu * v - lr * g), "nesterov_step.no_step"),
        (lambda p, v, g, lr, mu: (p + mu * (mu * v + lr * g) + lr * g, mu * v + lr * g), "nesterov_step.sign"),
        (momentum_right, "nesterov_step.plain_momentum"),
        (lambda p, v, g, lr, mu: (p + mu * v - lr * g, mu * v - lr * g), "nesterov_step.plain_momentum"),
        (lambda p, v, g, lr, mu: (p + mu * (mu * v - lr * g), mu * v - lr * g), "nesterov_step.no_gradient_term"),
        (
            # Deep Learning from Scratch's class, with our names
            lambda p, v, g, lr, mu: (p + mu * mu * (mu * v - lr * g) - (1 + mu) * lr * g, mu * v - lr * g),
            "nesterov_step.dlfs_form",
        ),
        # the form the lesson shows (rules.nesterov), copied with v in place of b
        (lambda p, v, g, lr, mu: rules.nesterov(p, g, v, lr, mu), "nesterov_step.torch_buffer"),
        (lambda p, v, g, lr, mu: (nesterov_right(p, v, g, lr, mu)[0], v), "nesterov_step.velocity_not_returned"),
    ],
)
def test_nesterov_step_names_the_mistake(wrong, key):
    feedback = ex.check_nesterov_step(wrong)
    assert not feedback.ok and feedback.key == key


# ----- Exercise 3: the critically damped momentum --------------------------------------------------------


def critical_by_roots(lr, L):
    """A learner who searches for the momentum at which np.roots gives two equal roots (bisection on the
    discriminant), then reads the rate off the double root: independent of the closed form."""
    lo, hi = 0.0, 1.0  # the discriminant (1 + mu - lr L)^2 - 4 mu is > 0 at mu = 0 and < 0 at mu = 1
    for _ in range(200):
        mid = (lo + hi) / 2
        if (1 + mid - lr * L) ** 2 - 4 * mid > 0:
            lo = mid
        else:
            hi = mid
    mu = (lo + hi) / 2
    rate = float(np.max(np.abs(np.roots([1.0, -(1 + mu - lr * L), mu]))))
    return mu, rate


def test_critical_momentum_accepts_a_numerical_answer():
    assert ex.check_critical_momentum(critical_by_roots).key == "critical_momentum.ok"


def test_the_critical_momentum_is_the_fastest_on_its_quadratic():
    """The property the exercise teaches: on f = L/2 x^2 at a fixed lr, the critically damped momentum
    shrinks the distance fastest (smallest spectral radius of the iteration), and the rate it returns is
    that spectral radius."""
    lr, L = 0.1, 0.1
    mu_star, rate = critical_by_roots(lr, L)
    momenta = np.linspace(0.0, 0.99, 199)
    radius = [np.max(np.abs(np.linalg.eigvals([[1 + m - lr * L, -m], [1.0, 0.0]]))) for m in momenta]
    assert momenta[int(np.argmin(radius))] == pytest.approx(mu_star, abs=0.01)
    assert min(radius) == pytest.approx(rate, abs=0.01)
    assert rate < 1 - lr * L  # faster than gradient descent with the same lr


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda lr, L: (1 - np.sqrt(lr * L), (1 - np.sqrt(lr * L)) ** 2), "critical_momentum.swapped"),
        (lambda lr, L: (1 - np.sqrt(lr * L), 1 - np.sqrt(lr * L)), "critical_momentum.rate_as_momentum"),
        (lambda lr, L: ((1 - lr * L) ** 2, 1 - lr * L), "critical_momentum.no_sqrt"),
        (lambda lr, L: ((1 - np.sqrt(lr * L)) ** 2, 1 - lr * L), "critical_momentum.gd_rate"),
        (lambda lr, L: ((1 - np.sqrt(lr * L)) ** 2, (1 - np.sqrt(lr * L)) ** 2), "critical_momentum.rate_is_momentum"),
        (lambda lr, L: ((1 + np.sqrt(lr * L)) ** 2, 1 + np.sqrt(lr * L)), "critical_momentum.other_root"),
    ],
)
def test_critical_momentum_names_the_mistake(wrong, key):
    feedback = ex.check_critical_momentum(wrong)
    assert not feedback.ok and feedback.key == key


# ----- Exercise 4: weight decay step ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda p, g, lr, wd: p - lr * g, "weight_decay_step.no_decay"),
        (lambda p, g, lr, wd: p, "weight_decay_step.no_step"),
        (lambda p, g, lr, wd: p - lr * (g - wd * p), "weight_decay_step.sign"),
        (lambda p, g, lr, wd: p - lr / (1 + wd) * g, "weight_decay_step.lr_schedule"),
        (lambda p, g, lr, wd: p - lr * g - wd * p, "weight_decay_step.decay_without_lr"),
        (lambda p, g, lr, wd: p - lr * (g + wd / 2 * p**2), "weight_decay_step.penalty_not_gradient"),
        (lambda p, g, lr, wd: p - lr * (g + 2 * wd * p), "weight_decay_step.double_penalty"),
    ],
)
def test_weight_decay_step_names_the_mistake(wrong, key):
    feedback = ex.check_weight_decay_step(wrong)
    assert not feedback.ok and feedback.key == key


def test_weight_decay_step_accepts_the_right_answer_which_equals_the_library():
    def right(p, g, lr, wd):
        return p - lr * (g + wd * p)

    assert ex.check_weight_decay_step(right).key == "weight_decay_step.ok"
    p, g = np.array([1.0, -2.0]), np.array([0.3, 0.1])
    q = p.copy()
    optim.SGD([q], lr=0.5, weight_decay=0.2).step([g])
    np.testing.assert_allclose(right(p, g, 0.5, 0.2), q, rtol=1e-14)


# ----- The stubs and the engine's common answers ---------------------------------------------------------


def test_an_unknown_mistake_gets_the_expected_and_the_actual_value():
    feedback = ex.check_momentum_step(lambda p, v, g, lr, mu: (p + 2 * (mu * v - lr * g), mu * v - lr * g))
    assert feedback.key == "common.wrong_value"
    assert "p_new should be" in feedback.message and "np.float64" not in feedback.message


def test_wrong_number_of_outputs_passing_a_call_and_exceptions_are_named():
    assert ex.check_momentum_step(lambda p, v, g, lr, mu: p).key == "common.return_n_values"
    assert ex.check_critical_momentum(0.81).key == "common.not_callable"

    def broken(p, v, g, lr, mu):
        raise ZeroDivisionError("boom")

    feedback = ex.check_nesterov_step(broken)
    assert feedback.key == "common.raised" and "ZeroDivisionError: boom" in feedback.message


def test_feedback_prints_a_verdict(capsys):
    ex.check_weight_decay_step(lambda p, g, lr, wd: p - lr * (g + wd * p))
    assert capsys.readouterr().out.startswith("Correct")
    ex.check_weight_decay_step(lambda p, g, lr, wd: p)
    assert capsys.readouterr().out.startswith("Not yet")
