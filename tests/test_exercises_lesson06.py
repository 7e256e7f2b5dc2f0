"""The self-checks of lesson 06 accept a right answer and name each mistake they claim to catch."""

import math

import numpy as np
import pytest

from lessons_lib.exercises import lesson06 as ex

# ----- Exercise 1: diagnose five runs ----------------------------------------------------------------------

RIGHT = {"A": "init too large", "B": "lr too low", "C": "fine", "D": "lr too high", "E": "init too small"}


def test_diagnosis_accepts_the_right_answer():
    fb = ex.check_diagnosis(dict(RIGHT))
    assert fb.ok, fb.message


@pytest.mark.parametrize(
    "key, said, words",
    [
        ("A", "lr too high", "you blamed the learning rate"),
        ("E", "lr too low", "you blamed the learning rate"),
        ("B", "init too small", "you blamed the init"),
        ("D", "init too large", "you blamed the init"),
        ("C", "lr too low", "C: you said 'lr too low', it is 'fine'"),
        ("A", "init too small", "before a single step"),
        ("E", "init too large", "exactly ln 10"),
    ],
)
def test_diagnosis_names_the_mix_up(key, said, words):
    fb = ex.check_diagnosis(dict(RIGHT, **{key: said}))
    assert not fb.ok
    assert words in fb.message, fb.message
    assert "1 of 5" in fb.message


@pytest.mark.parametrize(
    "answers, words",
    [(["fine"] * 5, "dict"), ({"A": "fine"}, "missing"), (dict(RIGHT, B="slow"), "not one of")],
)
def test_diagnosis_refuses_malformed_answers(answers, words):
    fb = ex.check_diagnosis(answers)
    assert not fb.ok
    assert words in fb.message


# ----- Exercise 2: the loss at the start --------------------------------------------------------------------


def test_initial_loss_accepts_the_right_answer():
    assert ex.check_expected_initial_loss(lambda k: math.log(k)).ok
    assert ex.check_expected_initial_loss(np.log).ok


def test_initial_loss_is_the_cross_entropy_of_a_uniform_guess():
    # Independent of the check: the library's loss of a network whose logits are all equal.
    from lessons_lib import nn

    net = nn.MLP([4, 10], activation="relu", init="zeros", rng=np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(7, 4))
    y = np.arange(7) % 10
    assert math.isclose(net.loss(X, y), math.log(10), rel_tol=1e-12)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (math.log10, "base 10"),
        (math.log2, "base 2"),
        (lambda k: 1.0 / k, "probability of each class"),
        (lambda k: -math.log(k), "wrong sign"),
        (lambda k: float(k), "K itself"),
        (lambda k: 1.0 - 1.0 / k, "error rate"),
        (lambda k: 2.3, "uniform guess is ln 10"),
        (lambda k: [k], "raised TypeError"),
    ],
)
def test_initial_loss_names_the_mistake(wrong, words):
    fb = ex.check_expected_initial_loss(wrong)
    assert not fb.ok
    assert words in fb.message, fb.message


def test_initial_loss_refuses_a_value():
    assert "without calling it" in ex.check_expected_initial_loss(2.3).message


# ----- Exercise 3: update ratio -----------------------------------------------------------------------------


def ratio_right(before, after):
    return [np.linalg.norm(a - b) / np.linalg.norm(b) for b, a in zip(before, after)]


def test_update_ratio_accepts_the_right_answer():
    fb = ex.check_update_ratio(ratio_right)
    assert fb.ok, fb.message


def test_update_ratio_of_a_known_step():
    # Independent of the check: a step of exactly 1e-3 of the weights in every entry.
    W = np.random.default_rng(0).normal(size=(5, 4))
    assert math.isclose(ratio_right([W], [W * (1 + 1e-3)])[0], 1e-3, rel_tol=1e-9)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda b, a: [np.linalg.norm(y - x) for x, y in zip(b, a)], "without dividing"),
        (lambda b, a: [np.linalg.norm(x) / np.linalg.norm(y - x) for x, y in zip(b, a)], "upside down"),
        (lambda b, a: [np.linalg.norm(y - x) / np.linalg.norm(y) for x, y in zip(b, a)], "*after*"),
        (lambda b, a: [abs(np.linalg.norm(y) - np.linalg.norm(x)) / np.linalg.norm(x) for x, y in zip(b, a)],
         "difference of the norms"),
        (lambda b, a: [np.mean(np.abs(y - x) / np.abs(x)) for x, y in zip(b, a)], "element-wise"),
        (lambda b, a: sum(np.linalg.norm(y - x) for x, y in zip(b, a)) / sum(np.linalg.norm(x) for x in b),
         "one ratio per parameter array"),
        (lambda b, a: ratio_right(b, a)[:-1], "3 arrays, got 2"),
        (lambda b, a: [y - x for x, y in zip(b, a)], "not arrays"),
        (lambda b, a: [0.5] * len(b), "should be"),
        (lambda b, a: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_update_ratio_names_the_mistake(wrong, words):
    fb = ex.check_update_ratio(wrong)
    assert not fb.ok
    assert words in fb.message, fb.message


def test_update_ratio_check_leaves_no_trace_on_its_cases():
    def in_place(before, after):
        out = ratio_right(before, after)
        for b in before:
            b *= 0.0  # a learner's function that mutates its inputs must not change later cases
        return out

    assert ex.check_update_ratio(in_place).ok
