"""The self-checks of lesson 06 accept right answers written in different ways and name each mistake.

tests/test_exercise_messages.py already runs every listed mistake and every ``EXAMPLES`` answer; here the
learner's answers are written out by hand, as a learner would write them, and the checks must recognise them
by the message key they return. The right answers are derived here independently of the checks.
"""

import math

import numpy as np
import pytest

from lessons_lib import nn
from lessons_lib.exercises import lesson06 as ex

# ----- Exercise 1: diagnose five runs ----------------------------------------------------------------------
# The answers are derived from the runs' measured signatures in tests/test_lesson06_claims.py; here only the
# check's handling of answers is tested, starting from the one answer the check accepts.


def accepted():
    """The one answer the check accepts, found by trying every combination run by run."""
    from lessons_lib.experiments.capstone import DIAGNOSES, MYSTERY

    answer = {}
    for run in MYSTERY:
        for diagnosis in DIAGNOSES:  # the check names the first wrong run, so the first run it names moves on
            trial = dict(answer, **{r: diagnosis for r in MYSTERY if r not in answer})
            feedback = ex._diagnosis(trial)
            if feedback.ok or feedback.fields.get("run") != run:
                answer[run] = diagnosis
                break
    return answer


def test_the_stub_is_not_answered_and_gives_no_answer_away(capsys):
    feedback = ex.check_diagnosis({"A": None, "B": None, "C": None, "D": None, "E": None})
    printed = capsys.readouterr().out
    assert feedback.key == "diagnosis.not_answered" and "Hint:" in printed
    for run, diagnosis in accepted().items():
        assert f"{run}: {diagnosis}" not in printed and f"'{run}': '{diagnosis}'" not in printed


def test_exactly_one_answer_passes_and_every_diagnosis_is_used_once():
    answer = accepted()
    assert ex._diagnosis(answer).key == "diagnosis.ok"
    assert sorted(answer.values()) == sorted(ex.DIAGNOSES)


@pytest.mark.parametrize(
    "said, truth, key",
    [
        ("lr too high", "init too large", "diagnosis.lr_for_init"),
        ("lr too low", "init too small", "diagnosis.lr_for_init"),
        ("init too small", "lr too low", "diagnosis.init_for_lr"),
        ("init too large", "lr too high", "diagnosis.init_for_lr"),
        ("init too small", "init too large", "diagnosis.init_direction"),
        ("lr too high", "lr too low", "diagnosis.lr_direction"),
        ("fine", "lr too high", "diagnosis.not_fine"),
        ("lr too low", "fine", "diagnosis.is_fine"),
    ],
)
def test_diagnosis_names_the_mix_up(said, truth, key):
    answer = accepted()
    run = next(r for r, d in answer.items() if d == truth)
    feedback = ex._diagnosis(dict(answer, **{run: said}))
    assert not feedback.ok and feedback.key == key
    assert feedback.fields["run"] == run and feedback.fields["wrong"] == 1
    assert f"1 of 5 diagnoses are off. Run {run}" in feedback.message


def test_several_wrong_runs_are_counted_and_the_first_is_explained():
    answer = accepted()
    wrong = dict(answer, **{run: "fine" for run in answer})
    feedback = ex._diagnosis(wrong)
    assert feedback.fields["wrong"] == 4 and feedback.fields["run"] == "A"


@pytest.mark.parametrize(
    "answers, key",
    [
        (["fine"] * 5, "diagnosis.not_a_dict"),
        ({"A": "fine"}, "diagnosis.missing"),
        ({"A": "fine", "B": None, "C": "fine", "D": "fine", "E": "fine"}, "diagnosis.missing"),
        ({"A": "fine", "B": "slow", "C": "fine", "D": "fine", "E": "fine"}, "diagnosis.unknown"),
        # lower-case run names: the runs would look unanswered, so the check names the keys
        ({"a": "fine", "b": "fine", "c": "fine", "d": "fine", "e": "fine"}, "diagnosis.unknown_runs"),
        ({"A": "fine", "B": "fine", "C": "fine", "D": "fine", "E": "fine", "F": "fine"}, "diagnosis.unknown_runs"),
    ],
)
def test_diagnosis_refuses_malformed_answers(answers, key):
    feedback = ex._diagnosis(answers)
    assert not feedback.ok and feedback.key == key


# ----- Exercise 2: the loss of a constant guess -------------------------------------------------------------


def guess_right(class_counts):
    p = np.asarray(class_counts, dtype=float) / np.sum(class_counts)
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def test_constant_guess_loss_accepts_right_answers_written_differently():
    assert ex.check_constant_guess_loss(guess_right).key == "constant_guess_loss.ok"

    def per_image(class_counts):  # the mean over the images, written out image by image
        n = sum(class_counts)
        return sum(-c * math.log(c / n) for c in class_counts if c) / n

    assert ex.check_constant_guess_loss(per_image).ok


def test_the_loss_of_a_constant_guess_is_the_networks_loss():
    """Independent of the check: a network with zero weights whose output biases are ln p_k gives every image
    the probabilities p_k; the library's loss on labels with those counts is the answer."""
    counts = [30, 10, 60]
    net = nn.MLP([4, 3], activation="relu", init="zeros", rng=np.random.default_rng(0))
    net.params[1][:] = np.log(np.array(counts) / 100)
    X = np.random.default_rng(1).normal(size=(100, 4))
    y = np.repeat([0, 1, 2], counts)
    assert math.isclose(net.loss(X, y), guess_right(counts), rel_tol=1e-12)
    assert math.isclose(guess_right([7] * 10), math.log(10), rel_tol=1e-12)   # balanced: ln K


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda c: math.log(len(c)), "constant_guess_loss.uniform"),
        (lambda c: -guess_right(c), "constant_guess_loss.sign"),
        (lambda c: guess_right(c) / math.log(2), "constant_guess_loss.log2"),
        (lambda c: guess_right(c) / math.log(10), "constant_guess_loss.log10"),
        (lambda c: -np.mean(np.log(np.array(c) / sum(c))), "constant_guess_loss.unweighted"),
        (lambda c: -np.sum(np.array(c) / sum(c) * np.log(c)), "constant_guess_loss.counts_in_log"),
        (lambda c: -sum(math.log(n / sum(c)) for n in c if n), "constant_guess_loss.unweighted_sum"),
        (lambda c: guess_right(c) / len(c), "constant_guess_loss.mean_over_classes"),
        (lambda c: -sum(n * math.log(n / sum(c)) for n in c if n), "constant_guess_loss.total"),
        # plain Python: math.log(0) raises for a class with no images, the same pitfall as numpy's nan
        (lambda c: -sum(n / sum(c) * math.log(n / sum(c)) for n in c), "constant_guess_loss.zero_class"),
        # right, except that 0 * ln 0 gives nan for a class with no images
        (lambda c: float(-np.sum(np.array(c) / sum(c) * np.log(np.array(c) / sum(c)))), "constant_guess_loss.zero_class"),
        (lambda c: 2.3, "common.wrong_value"),
        (lambda c: math.log(-1), "common.raised"),                # an error on every case is the learner's
        (lambda c: [1.0, 2.0], "common.wrong_shape"),
        (lambda c: "ln K", "common.not_numbers"),
    ],
)
def test_constant_guess_loss_names_the_mistake(wrong, key):
    with np.errstate(divide="ignore", invalid="ignore"):
        feedback = ex.check_constant_guess_loss(wrong)
    assert not feedback.ok and feedback.key == key


def test_constant_guess_loss_stub_and_call_instead_of_function():
    def stub(class_counts):
        ...  # your code here

    feedback = ex.check_constant_guess_loss(stub)
    assert feedback.key == "common.not_written" and feedback.fields["hint"].key == "constant_guess_loss.hint"
    assert "sum" not in feedback.message and "ln K" not in feedback.message   # the hint gives no formula
    assert ex.check_constant_guess_loss(2.3).key == "common.not_callable"


# ----- Exercise 3: update ratio -----------------------------------------------------------------------------


def ratio_right(before, after):
    return [np.linalg.norm(a - b) / np.linalg.norm(b) for b, a in zip(before, after)]


def test_update_ratio_accepts_right_answers_written_differently():
    assert ex.check_update_ratio(ratio_right).key == "update_ratio.ok"
    assert ex.check_update_ratio(lambda b, a: np.array([np.sqrt(np.sum((y - x) ** 2) / np.sum(x ** 2))
                                                        for x, y in zip(b, a)])).ok


def test_update_ratio_of_a_known_step():
    """Independent of the check: a step of exactly 1e-3 of the weights in every entry has ratio 1e-3."""
    W = np.random.default_rng(0).normal(size=(5, 4))
    assert math.isclose(ratio_right([W], [W * (1 + 1e-3)])[0], 1e-3, rel_tol=1e-9)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda b, a: [np.linalg.norm(y - x) for x, y in zip(b, a)], "update_ratio.not_relative"),
        (lambda b, a: [np.linalg.norm(x) / np.linalg.norm(y - x) for x, y in zip(b, a)], "update_ratio.upside_down"),
        (lambda b, a: [np.linalg.norm(y - x) / np.linalg.norm(y) for x, y in zip(b, a)], "update_ratio.after_norm"),
        (lambda b, a: [abs(np.linalg.norm(y) - np.linalg.norm(x)) / np.linalg.norm(x) for x, y in zip(b, a)],
         "update_ratio.norm_difference"),
        (lambda b, a: [np.mean(np.abs(y - x) / np.abs(x)) for x, y in zip(b, a)], "update_ratio.elementwise"),
        (lambda b, a: sum(np.linalg.norm(y - x) for x, y in zip(b, a)) / sum(np.linalg.norm(x) for x in b),
         "update_ratio.one_for_all"),
        (lambda b, a: ratio_right(b, a)[:-1], "common.wrong_shape"),
        (lambda b, a: [y - x for x, y in zip(b, a)], "common.not_numbers"),
        (lambda b, a: [0.5] * len(b), "update_ratio.wrong_values"),
        (lambda b, a: 1 / 0, "common.raised"),
    ],
)
def test_update_ratio_names_the_mistake(wrong, key):
    feedback = ex.check_update_ratio(wrong)
    assert not feedback.ok and feedback.key == key


def test_update_ratio_stub_and_call_instead_of_function():
    def stub(before, after):
        ...  # your code here

    assert ex.check_update_ratio(stub).key == "common.not_written"
    assert ex.check_update_ratio([0.1, 0.2]).key == "common.not_callable"


def test_update_ratio_check_leaves_no_trace_on_its_cases():
    def in_place(before, after):
        out = ratio_right(before, after)
        for b in before:
            b *= 0.0  # a learner's function that changes its inputs must not change the check's cases
        return out

    assert ex.check_update_ratio(in_place).ok
