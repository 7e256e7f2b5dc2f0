"""The self-checks of lesson 05 accept a right answer and name each mistake they claim to catch."""

import math

import numpy as np
import pytest

from lessons_lib.exercises import lesson05 as ex

# ----- Exercise 1: He normal -------------------------------------------------------------------------------


def he_right(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def test_he_normal_accepts_the_right_answer():
    fb = ex.check_he_normal(he_right)
    assert fb.ok, fb.message


def test_he_normal_accepts_a_keras_style_truncated_normal_with_the_right_std():
    def truncated(fan_in, fan_out, rng):
        std = math.sqrt(2.0 / fan_in) / 0.87962566103423978  # Keras' rescaling keeps the std right
        w = rng.normal(0.0, std, size=4 * fan_in * fan_out)
        w = w[np.abs(w) < 2 * std][: fan_in * fan_out]
        return w.reshape(fan_in, fan_out)

    assert ex.check_he_normal(truncated).ok


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fo), size=(fi, fo)), "fan_out"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(1.0 / fi), size=(fi, fo)), "LeCun"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / (fi + fo)), size=(fi, fo)), "Xavier"),
        (lambda fi, fo, rng: rng.normal(0.0, 2.0 / fi, size=(fi, fo)), "variance"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(6.0 / fi), size=(fi, fo)), "uniform bound"),
        (lambda fi, fo, rng: rng.normal(0.0, 1.0, size=(fi, fo)), "unscaled"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0) / fi, size=(fi, fo)), "instead of sqrt(fan_in)"),
        (lambda fi, fo, rng: rng.uniform(-1, 1, size=(fi, fo)) * math.sqrt(6.0 / fi), "uniform"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fo, fi)), "(fan_out, fan_in)"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo + 1)), "shape"),
        (lambda fi, fo, rng: np.random.default_rng().normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo)), "rng"),
        (lambda fi, fo, rng: np.full((fi, fo), 0.05), "same number"),
        (lambda fi, fo, rng: rng.normal(0.1, math.sqrt(2.0 / fi), size=(fi, fo)), "centred"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo)).tolist(), "numpy array"),
        (lambda fi, fo, rng: 1 / 0, "ZeroDivisionError"),
        (lambda fi, fo, rng: np.full((fi, fo), np.nan), "NaN"),
        (lambda fi, fo, rng: rng.normal(0.0, 0.3, size=(fi, fo)), "He normal's is sqrt(2 / fan_in)"),
    ],
)
def test_he_normal_names_the_mistake(wrong, words):
    fb = ex.check_he_normal(wrong)
    assert not fb.ok
    assert words in fb.message, fb.message


def test_he_normal_refuses_a_call_result():
    assert "without calling it" in ex.check_he_normal(he_right(4, 3, np.random.default_rng(0))).message


# ----- Exercise 2: Xavier uniform bound --------------------------------------------------------------------


def xavier_bound_right(fan_in, fan_out, gain):
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


def test_xavier_bound_accepts_the_right_answer():
    assert ex.check_xavier_uniform_bound(xavier_bound_right).ok


def test_xavier_bound_agrees_with_the_library():
    # The reference bound is the one lessons_lib.init.xavier_uniform draws from.
    from lessons_lib import init

    W = init.xavier_uniform((300, 100), gain=5 / 3, rng=np.random.default_rng(0))
    bound = xavier_bound_right(300, 100, 5 / 3)
    assert np.abs(W).max() <= bound
    assert np.abs(W).max() > 0.99 * bound


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda fi, fo, g: g * math.sqrt(2.0 / (fi + fo)), "normal* std"),
        (lambda fi, fo, g: g * math.sqrt(1.0 / fi), "LeCun"),
        (lambda fi, fo, g: math.sqrt(1.0 / fi), "lecture note"),
        (lambda fi, fo, g: g * math.sqrt(3.0 / fi), "LeCun's uniform bound"),
        (lambda fi, fo, g: g * math.sqrt(6.0 / fi), "fan_in only"),
        (lambda fi, fo, g: g * math.sqrt(6.0 / fo), "fan_out only"),
        (lambda fi, fo, g: g * 6.0 / (fi + fo), "square root"),
        (lambda fi, fo, g: g * math.sqrt(3.0 / (fi + fo)), "not 3 / (fan_in + fan_out)"),
        (lambda fi, fo, g: math.sqrt(6.0 / (fi + fo)), "gain is ignored"),
        (lambda fi, fo, g: math.sqrt(g * 6.0 / (fi + fo)), "inside the square root"),
        (lambda fi, fo, g: g * g * math.sqrt(6.0 / (fi + fo)), "squared"),
        (lambda fi, fo, g: 0.5, "should be"),
        (lambda fi, fo, g: "big", "one number"),
    ],
)
def test_xavier_bound_names_the_mistake(wrong, words):
    fb = ex.check_xavier_uniform_bound(wrong)
    assert not fb.ok
    assert words in fb.message, fb.message


# ----- Exercise 3: histogram predictions -------------------------------------------------------------------

RIGHT = {"A": "ends", "B": "middle", "C": "shrinks", "D": "ends", "E": "steady"}


def test_predictions_accept_the_right_answer():
    fb = ex.check_histogram_predictions(dict(RIGHT))
    assert fb.ok, fb.message


def test_predictions_right_answers_follow_from_a_fresh_simulation():
    # Independent of the check's classifier: measure the defining numbers with our own forward pass.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 100))

    def stack(f, std_of):
        a, out = X, []
        for _ in range(5):
            a = f(a @ rng.normal(0.0, std_of(a.shape[1]), size=(a.shape[1], 100)))
            out.append(a)
        return out

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    A = stack(sigmoid, lambda n: 1.0)
    assert all(np.mean((a < 0.05) | (a > 0.95)) > 0.5 for a in A)
    B = stack(sigmoid, lambda n: 0.01)
    assert all(np.mean(np.abs(a - 0.5) < 0.1) > 0.9 for a in B)
    C = stack(relu, lambda n: math.sqrt(2.0 / (n + 100)))
    assert C[-1].std() < C[0].std() / 2
    D = stack(np.tanh, lambda n: 1.0)
    assert all(np.mean(np.abs(a) > 0.95) > 0.5 for a in D)
    E = stack(relu, lambda n: math.sqrt(2.0 / n))
    stds = [a.std() for a in E]
    assert max(stds) <= 2 * min(stds)


@pytest.mark.parametrize("key", list(RIGHT))
def test_predictions_name_each_wrong_setting(key):
    answers = dict(RIGHT)
    answers[key] = "steady" if RIGHT[key] != "steady" else "shrinks"
    fb = ex.check_histogram_predictions(answers)
    assert not fb.ok
    assert f"{key}: you said" in fb.message
    assert "1 of 5" in fb.message
    assert ex._REASONS[key] in fb.message


@pytest.mark.parametrize(
    "answers, words",
    [
        (["ends"] * 5, "dict"),
        ({"A": "ends"}, "missing"),
        (dict(RIGHT, C="flat"), "not one of"),
    ],
)
def test_predictions_refuse_malformed_answers(answers, words):
    fb = ex.check_histogram_predictions(answers)
    assert not fb.ok
    assert words in fb.message


# ----- Exercise 4: leaky ReLU gain -------------------------------------------------------------------------


def test_gain_accepts_the_right_answer_which_matches_torch_values():
    from lessons_lib import init

    def right(a):
        return math.sqrt(2.0 / (1.0 + a * a))

    assert ex.check_leaky_relu_gain(right).ok
    for a in (0.01, 0.2):
        assert math.isclose(right(a), init.calculate_gain("leaky_relu", a), rel_tol=1e-12)


def test_gain_formula_keeps_the_variance_monte_carlo():
    # Independent of the formula: E[f(z)^2] for leaky ReLU measured by sampling.
    z = np.random.default_rng(1).normal(size=2_000_000)
    for a in (0.0, 0.2, 0.5):
        second_moment = np.mean(np.where(z > 0, z, a * z) ** 2)
        gain = math.sqrt(2.0 / (1.0 + a * a))
        assert abs(gain**2 * second_moment - 1.0) < 0.01


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda a: 2.0 / (1.0 + a * a), "square root"),
        (lambda a: math.sqrt(2.0 / (1.0 + a)), "1 + a^2, not 1 + a"),
        (lambda a: math.sqrt(2.0), "ignores the slope"),
        (lambda a: math.sqrt((1.0 + a * a) / 2.0), "upside down"),
        (lambda a: 1.0, "linear unit"),
        (lambda a: 3.0, "should be"),
        (lambda a: None, "one number"),
    ],
)
def test_gain_names_the_mistake(wrong, words):
    fb = ex.check_leaky_relu_gain(wrong)
    assert not fb.ok
    assert words in fb.message, fb.message
