"""The self-checks of lesson 05 accept a right answer, name each mistake they claim to catch (by message key),
answer a stub with a hint and never with the fix, and compute their right answers independently."""

import math

import numpy as np
import pytest

from lessons_lib import init
from lessons_lib.exercises import lesson05 as ex

# ----- Exercise 1: He normal -------------------------------------------------------------------------------


def he_right(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def test_he_normal_accepts_the_right_answer_and_the_library_draw():
    assert ex.check_he_normal(he_right).key == "he_normal.ok"
    assert ex.check_he_normal(lambda fi, fo, rng: init.he_normal((fi, fo), rng=rng)).ok


def test_he_normal_accepts_a_keras_style_truncated_normal_with_the_right_std():
    def truncated(fan_in, fan_out, rng):
        std = math.sqrt(2.0 / fan_in) / 0.87962566103423978  # Keras' rescaling keeps the std right
        w = rng.normal(0.0, std, size=4 * fan_in * fan_out)
        w = w[np.abs(w) < 2 * std][: fan_in * fan_out]
        return w.reshape(fan_in, fan_out)

    assert ex.check_he_normal(truncated).ok


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fo), size=(fi, fo)), "he_normal.fan_out"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(1.0 / fi), size=(fi, fo)), "he_normal.lecun"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / (fi + fo)), size=(fi, fo)), "he_normal.xavier"),
        (lambda fi, fo, rng: rng.normal(0.0, 2.0 / fi, size=(fi, fo)), "he_normal.variance_as_std"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(6.0 / fi), size=(fi, fo)), "he_normal.bound_as_std"),
        (lambda fi, fo, rng: rng.normal(0.0, 1.0, size=(fi, fo)), "he_normal.unscaled"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0) / fi, size=(fi, fo)), "he_normal.divided_by_fan_in"),
        (lambda fi, fo, rng: rng.uniform(-1, 1, size=(fi, fo)) * math.sqrt(6.0 / fi), "he_normal.uniform"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fo, fi)), "he_normal.torch_layout"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo + 1)), "he_normal.wrong_shape"),
        (lambda fi, fo, rng: np.random.default_rng().normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo)),
         "he_normal.not_reproducible"),
        (lambda fi, fo, rng: np.full((fi, fo), 0.05), "he_normal.constant"),
        (lambda fi, fo, rng: rng.normal(0.1, math.sqrt(2.0 / fi), size=(fi, fo)), "he_normal.not_centred"),
        (lambda fi, fo, rng: rng.normal(0.0, math.sqrt(2.0 / fi), size=(fi, fo)).tolist(), "he_normal.not_array"),
        (lambda fi, fo, rng: np.full((fi, fo), np.nan), "he_normal.not_finite"),
        (lambda fi, fo, rng: rng.normal(0.0, 0.3, size=(fi, fo)), "he_normal.wrong_std"),
        (lambda fi, fo, rng: 1 / 0, "common.raised"),
        (lambda fi, fo, rng: None, "common.not_written"),
    ],
)
def test_he_normal_names_the_mistake(wrong, key):
    feedback = ex.check_he_normal(wrong)
    assert not feedback.ok
    assert feedback.key == key, feedback.message


def test_he_normal_stub_gets_a_hint_not_the_formula():
    def stub(fan_in, fan_out, rng):
        ...  # your code here

    feedback = ex.check_he_normal(stub)
    assert feedback.key == "common.not_written" and feedback.fields["hint"].key == "he_normal.hint"
    assert "sqrt" not in feedback.message and "2 / fan_in" not in feedback.message


def test_he_normal_refuses_a_call_result():
    feedback = ex.check_he_normal(he_right(4, 3, np.random.default_rng(0)))
    assert feedback.key == "common.not_callable"


def test_he_normal_tolerance_separates_every_mistake_from_the_right_std():
    # The check accepts a std within 3 % of sqrt(2 / fan_in); no mistake it names may fall in that window,
    # and no two mistakes may overlap (each is told apart from the others).
    want = math.sqrt(2.0 / ex._HE_FAN_IN)
    values = [want] + list(ex._he_mistakes(ex._HE_FAN_IN, ex._HE_FAN_OUT).values())
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            assert abs(a / b - 1) > 0.06


# ----- Exercise 2: Xavier uniform bound, from a torch weight shape --------------------------------------------


def xavier_bound_right(shape, gain):
    receptive = math.prod(shape[2:])
    return gain * math.sqrt(6.0 / ((shape[0] + shape[1]) * receptive))


def test_xavier_bound_accepts_the_right_answer():
    assert ex.check_xavier_uniform_bound(xavier_bound_right).key == "xavier_uniform_bound.ok"


def test_xavier_bound_cases_include_convolution_kernels_with_a_gain():
    cases = ex.XAVIER_UNIFORM_BOUND.all_cases()
    assert any(len(shape) == 4 and gain != 1.0 for shape, gain in cases)
    assert any(len(shape) == 2 and shape[0] != shape[1] for shape, _ in cases)


def test_xavier_bound_reference_is_the_bound_the_library_draws_within():
    # Independent of the formula: the library draws in its own layout, (*kernel, in, out), from its own fans;
    # the largest |w| of many uniform draws approaches the bound from below.
    for shape, gain in ex.XAVIER_UNIFORM_BOUND.all_cases():
        library_shape = (*shape[2:], shape[1], shape[0])
        W = init.xavier_uniform(library_shape, gain=gain, rng=np.random.default_rng(0))
        (bound,) = ex.XAVIER_UNIFORM_BOUND.want((shape, gain))
        assert np.abs(W).max() <= bound and np.abs(W).max() > 0.98 * bound
        assert W.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)  # U(-a, a) has std a / sqrt(3)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda shape, g: math.sqrt(1.0 / shape[1]), "xavier_uniform_bound.lecun_std"),  # the lecture note's
        (lambda shape, g: g * math.sqrt(6.0 / (shape[0] + shape[1])), "xavier_uniform_bound.no_kernel"),
        (lambda shape, g: g * math.sqrt(6.0 / sum(shape)), "xavier_uniform_bound.sum_of_shape"),
        (lambda shape, g: 0.5, "common.wrong_value"),
        (lambda shape, g: "big", "common.not_numbers"),
        (lambda shape, g: None, "common.not_written"),
    ],
)
def test_xavier_bound_names_the_mistake(wrong, key):
    feedback = ex.check_xavier_uniform_bound(wrong)
    assert not feedback.ok and feedback.key == key, feedback.message


# ----- Exercise 3: histogram predictions -------------------------------------------------------------------

RIGHT = {"A": "ends", "B": "middle", "C": "shrinks", "D": "ends", "E": "steady"}


def test_predictions_accept_the_right_answer():
    assert ex.check_histogram_predictions(dict(RIGHT)).key == "histogram_predictions.ok"


def test_predictions_right_answers_follow_from_a_fresh_simulation():
    # Independent of the check's classifier: measure the defining numbers with our own forward pass.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 100))

    def stack(f, std_of, uniform=False):
        a, out = X, []
        for _ in range(5):
            n, std = a.shape[1], std_of(a.shape[1])
            W = (rng.uniform(-math.sqrt(3) * std, math.sqrt(3) * std, size=(n, 100)) if uniform
                 else rng.normal(0.0, std, size=(n, 100)))
            a = f(a @ W)
            out.append(a)
        return out

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    A = stack(sigmoid, lambda n: 1.0)
    assert all(np.mean((a < 0.05) | (a > 0.95)) > 0.5 for a in A)
    B = stack(sigmoid, lambda n: 0.01)
    assert all(np.mean(np.abs(a - 0.5) < 0.1) > 0.9 for a in B)
    C = stack(relu, lambda n: math.sqrt(1.0 / n))  # LeCun normal
    assert C[-1].std() < C[0].std() / 2
    D = stack(np.tanh, lambda n: 1.0)
    assert all(np.mean(np.abs(a) > 0.95) > 0.5 for a in D)
    E = stack(relu, lambda n: math.sqrt(2.0 / n), uniform=True)  # He uniform
    stds = [a.std() for a in E]
    assert max(stds) <= 2 * min(stds)


@pytest.mark.parametrize("setting", list(RIGHT))
def test_predictions_explain_each_wrong_setting_with_its_own_numbers(setting):
    answers = dict(RIGHT, **{setting: "steady" if RIGHT[setting] != "steady" else "shrinks"})
    feedback = ex.check_histogram_predictions(answers)
    assert not feedback.ok and feedback.key == f"histogram_predictions.wrong_{setting}"
    assert feedback.fields["n_wrong"] == 1
    shown = {"A": ["ends"], "B": ["middle", "first", "last"], "C": ["first", "last"], "D": ["ends"],
             "E": ["low", "high"]}[setting]
    assert all(feedback.fields[name] in feedback.message for name in shown)  # the setting's own numbers
    assert "{" not in feedback.message and "}" not in feedback.message


def test_predictions_middle_case_reports_the_crowd_not_the_ends():
    # The old check said "at least 0% ... within 0.05 of 0 or 1" for setting B; B's message now shows the
    # share crowded in the middle, which is what makes it 'middle'.
    feedback = ex.check_histogram_predictions(dict(RIGHT, B="ends"))
    assert feedback.key == "histogram_predictions.wrong_B"
    assert float(feedback.fields["middle"].rstrip("%")) > 90
    assert "0.05 of 0 or 1" not in feedback.message


def test_predictions_report_the_first_wrong_setting_and_count_all():
    feedback = ex.check_histogram_predictions({"A": "steady", "B": "steady", "C": "steady", "D": "steady",
                                               "E": "steady"})
    assert feedback.key == "histogram_predictions.wrong_A" and feedback.fields["n_wrong"] == 4


@pytest.mark.parametrize(
    "answers, key",
    [
        (["ends"] * 5, "histogram_predictions.not_dict"),
        ({"A": "ends"}, "histogram_predictions.missing"),
        (dict(RIGHT, C="flat"), "histogram_predictions.unknown_shape"),
        (dict(RIGHT, D=None), "histogram_predictions.not_answered"),
    ],
)
def test_predictions_refuse_malformed_answers(answers, key):
    feedback = ex.check_histogram_predictions(answers)
    assert not feedback.ok and feedback.key == key


def test_predictions_stub_gets_a_hint_and_no_answer():
    feedback = ex.check_histogram_predictions(dict.fromkeys("ABCDE"))
    assert feedback.key == "histogram_predictions.not_answered" and "Hint:" in feedback.message
    for shape in ("ends", "middle", "shrinks", "steady"):  # every option is named, none is singled out
        assert feedback.message.count(f"'{shape}'") == 1


# ----- Exercise 4: leaky ReLU gain -------------------------------------------------------------------------


def test_gain_accepts_the_right_answer_which_matches_torch_values():
    def right(a):
        return math.sqrt(2.0 / (1.0 + a * a))

    assert ex.check_leaky_relu_gain(right).key == "leaky_relu_gain.ok"
    for a in (0.01, 0.2):
        assert math.isclose(right(a), init.calculate_gain("leaky_relu", a), rel_tol=1e-12)


def test_gain_formula_keeps_the_variance_monte_carlo():
    # Independent of the formula: E[f(z)^2] for leaky ReLU measured by sampling.
    z = np.random.default_rng(1).normal(size=2_000_000)
    for (a,) in ex.LEAKY_RELU_GAIN.all_cases():
        second_moment = np.mean(np.where(z > 0, z, a * z) ** 2)
        (gain,) = ex.LEAKY_RELU_GAIN.want((a,))
        assert abs(gain**2 * second_moment - 1.0) < 0.01


@pytest.mark.parametrize("wrong, key", [(lambda a: 3.0, "common.wrong_value"), (lambda a: None, "common.not_written")])
def test_gain_names_the_mistake(wrong, key):
    feedback = ex.check_leaky_relu_gain(wrong)
    assert not feedback.ok and feedback.key == key


@pytest.mark.parametrize("wrong", [lambda a: math.sqrt(2.0 / (1.0 - a * a)) if a < 1 else 1.0,
                                   lambda a: math.sqrt(2.0) / (1.0 + a * a)])
def test_gain_generic_message_shows_two_different_numbers(wrong):
    # A wrong gain close to the right one at small slopes must be shown where the difference is visible,
    # never as "should be 1.414 but is 1.414".
    feedback = ex.check_leaky_relu_gain(wrong)
    assert feedback.key == "common.wrong_value"
    assert feedback.fields["want"] != feedback.fields["got"]


# ----- Every check prints its verdict --------------------------------------------------------------------------


def test_checks_print_their_verdict(capsys):
    ex.check_leaky_relu_gain(lambda a: None)
    assert capsys.readouterr().out.startswith("Not yet: not written yet")
