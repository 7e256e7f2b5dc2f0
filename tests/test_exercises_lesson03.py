"""The self-checks of lesson 03 accept a right answer and name each mistake they claim to catch."""

import numpy as np
import pytest

from lessons_lib.exercises import lesson03 as ex


# ----- Exercise 1: momentum step -------------------------------------------------------------------------


def momentum_right(p, b, g, lr, momentum):
    b = momentum * b + g
    return p - lr * b, b


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, b, g, lr, mu: (p, b), "did not change"),
        (lambda p, b, g, lr, mu: (p + lr * (mu * b + g), mu * b + g), "wrong sign"),
        (lambda p, b, g, lr, mu: (p - lr * g, mu * b + g), "plain SGD"),
        (lambda p, b, g, lr, mu: (p - lr * b, mu * b + g), "old velocity"),
        (lambda p, b, g, lr, mu: (p - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g), "dampening"),
        (lambda p, b, g, lr, mu: (p - lr * (b + mu * g), b + mu * g), "multiplies the gradient"),
        (lambda p, b, g, lr, mu: (p + mu * b - lr * g, mu * b - lr * g), "lr inside the velocity"),
        (lambda p, b, g, lr, mu: (p - lr * (mu * b + g), b), "returned velocity"),
    ],
)
def test_momentum_step_names_the_mistake(wrong, words):
    fb = ex.check_momentum_step(wrong)
    assert not fb.ok
    assert words in fb.message


def test_momentum_step_accepts_the_right_answer():
    assert ex.check_momentum_step(momentum_right).ok


def test_momentum_step_right_answer_with_in_place_update_is_accepted():
    def in_place(p, b, g, lr, momentum):
        b *= momentum
        b += g
        p -= lr * b
        return p, b

    assert ex.check_momentum_step(in_place).ok


# ----- Exercise 2: Nesterov step -------------------------------------------------------------------------


def nesterov_right(p, b, g, lr, momentum):
    b = momentum * b + g
    return p - lr * (g + momentum * b), b


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, b, g, lr, mu: (p, b), "did not change"),
        (lambda p, b, g, lr, mu: (p + lr * (g + mu * (mu * b + g)), mu * b + g), "wrong sign"),
        (momentum_right, "plain momentum"),
        (lambda p, b, g, lr, mu: (p - lr * (g + mu * b), mu * b + g), "old velocity"),  # = plain momentum
        (lambda p, b, g, lr, mu: (p - lr * mu * (mu * b + g), mu * b + g), "gradient term is missing"),
        (
            # Deep Learning from Scratch's class, rewritten with PyTorch's buffer (v = -lr * b)
            lambda p, b, g, lr, mu: (p + mu**2 * (-lr * (mu * b + g)) - (1 + mu) * lr * g, mu * b + g),
            "Deep Learning from Scratch",
        ),
        (lambda p, b, g, lr, mu: (p - lr * (g + mu * (mu * b + g)), b), "returned velocity"),
    ],
)
def test_nesterov_step_names_the_mistake(wrong, words):
    fb = ex.check_nesterov_step(wrong)
    assert not fb.ok
    assert words in fb.message


def test_nesterov_step_accepts_the_right_answer():
    assert ex.check_nesterov_step(nesterov_right).ok


# ----- Exercise 3: time-based decay ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda lr0, decay, t: lr0, "did not change"),
        (lambda lr0, decay, t: lr0 / (1 + decay * t), "off by one"),
        (lambda lr0, decay, t: lr0 / (1 + decay * (t - 2)), "off by one"),
        (lambda lr0, decay, t: lr0 * (1 - decay) ** (t - 1), "exponential"),
        (lambda lr0, decay, t: lr0 / (1 + decay) ** (t - 1), "compounds"),
        (lambda lr0, decay, t: lr0 * (1 - decay * (t - 1)), "linear"),
    ],
)
def test_decayed_lr_names_the_mistake(wrong, words):
    fb = ex.check_decayed_lr(wrong)
    assert not fb.ok
    assert words in fb.message


def test_decayed_lr_accepts_the_right_answer():
    assert ex.check_decayed_lr(lambda lr0, decay, t: lr0 / (1 + decay * (t - 1))).ok


# ----- Exercise 4: weight decay step ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, g, lr, wd: p - lr * g, "no effect"),
        (lambda p, g, lr, wd: p, "did not change"),
        (lambda p, g, lr, wd: p - lr * (g - wd * p), "wrong sign"),
        (lambda p, g, lr, wd: p - lr / (1 + wd) * g, "`decay`"),
        (lambda p, g, lr, wd: p - lr * g - wd * p, "missing the learning rate"),
        (lambda p, g, lr, wd: p - lr * (g + wd / 2 * p**2), "penalty"),
    ],
)
def test_weight_decay_step_names_the_mistake(wrong, words):
    fb = ex.check_weight_decay_step(wrong)
    assert not fb.ok
    assert words in fb.message


def test_weight_decay_step_accepts_the_right_answer():
    assert ex.check_weight_decay_step(lambda p, g, lr, wd: p - lr * (g + wd * p)).ok


# ----- The engine: unknown mistakes, bad return values, exceptions ---------------------------------------


def test_an_unknown_mistake_gets_the_expected_and_the_actual_value():
    fb = ex.check_momentum_step(lambda p, b, g, lr, mu: (p - 2 * lr * (mu * b + g), mu * b + g))
    assert not fb.ok
    assert "p_new should be" in fb.message and "but is" in fb.message
    assert "np.float64" not in fb.message


def test_wrong_number_of_outputs_is_named():
    fb = ex.check_momentum_step(lambda p, b, g, lr, mu: p - lr * g)
    assert not fb.ok
    assert "return 2 values (p_new, b_new)" in fb.message


def test_an_exception_is_reported():
    def broken(p, b, g, lr, mu):
        raise ZeroDivisionError("boom")

    fb = ex.check_momentum_step(broken)
    assert not fb.ok
    assert "ZeroDivisionError: boom" in fb.message


def test_passing_a_call_result_instead_of_the_function_is_named():
    fb = ex.check_decayed_lr(0.1)
    assert not fb.ok
    assert "pass your function itself" in fb.message


def test_wrong_shape_is_named():
    fb = ex.check_weight_decay_step(lambda p, g, lr, wd: np.zeros(7))
    assert not fb.ok
    assert "shape" in fb.message


def test_feedback_prints_a_verdict():
    assert str(ex.check_decayed_lr(lambda lr0, decay, t: lr0 / (1 + decay * (t - 1)))).startswith("Correct")
    assert str(ex.check_decayed_lr(lambda lr0, decay, t: lr0)).startswith("Not yet")
