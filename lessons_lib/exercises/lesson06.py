"""Self-checks for lesson 06 (the capstone). The grid and the mystery runs are in ``experiments.capstone``.

The checks say *what* is wrong: a diagnosis that blames the learning rate for a run that is sick before its
first step, a loss averaged over the classes instead of the images, an update ratio that is not relative, ...
The words of every message are in ``messages/en/lesson06.py``.
"""

import math

import numpy as np

from . import FunctionCheck, check, failed, fmt, passed
from ..experiments.capstone import DIAGNOSES, MYSTERY

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: five mystery runs to diagnose.

_ANSWERS = {"A": "init too large", "B": "lr too low", "C": "fine", "D": "lr too high", "E": "init too small"}


def _culprit(diagnosis):
    """"init", "lr" or "fine"."""
    return diagnosis.split()[0]


def _mistake(said, truth):
    """The key of the message for one run diagnosed ``said`` whose diagnosis is ``truth``."""
    if truth == "fine":
        return "diagnosis.is_fine"
    if said == "fine":
        return "diagnosis.not_fine"
    if _culprit(said) == _culprit(truth):
        return f"diagnosis.{_culprit(truth)}_direction"
    return "diagnosis.lr_for_init" if _culprit(truth) == "init" else "diagnosis.init_for_lr"


def _diagnosis(answers):
    if not isinstance(answers, dict):
        return failed("diagnosis.not_a_dict", got=type(answers).__name__)
    choices = ", ".join(map(repr, DIAGNOSES))
    strangers = [key for key in answers if key not in MYSTERY]
    if strangers:  # e.g. lower-case letters: the runs would look unanswered
        return failed("diagnosis.unknown_runs", keys=", ".join(map(repr, strangers)),
                      runs=", ".join(map(repr, MYSTERY)))
    if all(answers.get(run) is None for run in MYSTERY):
        return failed("diagnosis.not_answered", choices=choices)
    missing = [run for run in MYSTERY if answers.get(run) is None]
    if missing:
        return failed("diagnosis.missing", runs=", ".join(missing))
    for run in MYSTERY:
        if answers[run] not in DIAGNOSES:
            return failed("diagnosis.unknown", run=run, said=repr(answers[run]), choices=choices)
    wrong = [run for run in MYSTERY if answers[run] != _ANSWERS[run]]
    if wrong:
        run = wrong[0]
        return failed(_mistake(answers[run], _ANSWERS[run]), run=run, wrong=len(wrong), total=len(MYSTERY))
    return passed("diagnosis.ok")


@check
def check_diagnosis(answers):
    """Check a dict ``{"A": diagnosis, ..., "E": diagnosis}``, each one of ``DIAGNOSES``."""
    return _diagnosis(answers)


_RIGHT = dict(_ANSWERS)
EXAMPLES = [
    (_diagnosis, dict(_RIGHT), "diagnosis.ok"),
    (_diagnosis, {run: None for run in MYSTERY}, "diagnosis.not_answered"),
    (_diagnosis, ["fine"] * 5, "diagnosis.not_a_dict"),
    (_diagnosis, dict(_RIGHT, B=None, D=None), "diagnosis.missing"),
    (_diagnosis, {"A": "init too large"}, "diagnosis.missing"),
    (_diagnosis, dict(_RIGHT, B="slow"), "diagnosis.unknown"),
    (_diagnosis, {run.lower(): answer for run, answer in _RIGHT.items()}, "diagnosis.unknown_runs"),
    (_diagnosis, dict(_RIGHT, A="lr too high"), "diagnosis.lr_for_init"),
    (_diagnosis, dict(_RIGHT, E="lr too low"), "diagnosis.lr_for_init"),
    (_diagnosis, dict(_RIGHT, B="init too small"), "diagnosis.init_for_lr"),
    (_diagnosis, dict(_RIGHT, D="init too large"), "diagnosis.init_for_lr"),
    (_diagnosis, dict(_RIGHT, A="init too small"), "diagnosis.init_direction"),
    (_diagnosis, dict(_RIGHT, B="lr too high"), "diagnosis.lr_direction"),
    (_diagnosis, dict(_RIGHT, D="fine"), "diagnosis.not_fine"),
    (_diagnosis, dict(_RIGHT, C="lr too low"), "diagnosis.is_fine"),
]
"""Answers and the message each one gets (tests/test_exercise_messages.py runs them)."""


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: the loss of a network that has learned only how often each class occurs.


def _shares(counts):
    counts = np.asarray(counts, dtype=float)
    return counts / counts.sum()


def _entropy(counts):
    p = _shares(counts)
    p = p[p > 0]  # a class with no images adds 0 * ln 0 = 0
    return float(-np.sum(p * np.log(p)))


def _quiet(mistake):
    """A mistake's formula, computed without numpy's warnings (some take the log of an empty class)."""

    def wrong(counts):
        with np.errstate(divide="ignore", invalid="ignore"):
            return mistake(counts)

    return wrong


def _zero_class(case, got, want):
    """A class with no images: 0 * ln 0 is nan in numpy, though its limit (and its share of the loss) is 0."""
    (counts,) = case
    if np.any(np.asarray(counts) == 0) and not np.all(np.isfinite(got[0])):
        return failed("constant_guess_loss.zero_class")
    return None


CONSTANT_GUESS_LOSS = FunctionCheck(
    names=("loss",),
    # unbalanced first (it tells every mistake below apart), then balanced (the answer is ln K), then a class
    # with no images at all
    cases=[([30, 10, 60],), ([25, 25, 25, 25],), ([5, 0, 15],)],
    # every image of class k gets probability p_k = n_k / N for its class: the mean loss is -sum_k p_k ln p_k
    reference=_entropy,
    mistakes={
        "constant_guess_loss.uniform": lambda counts: math.log(len(counts)),
        "constant_guess_loss.sign": lambda counts: -_entropy(counts),
        "constant_guess_loss.log2": lambda counts: _entropy(counts) / math.log(2),
        "constant_guess_loss.log10": lambda counts: _entropy(counts) / math.log(10),
        "constant_guess_loss.unweighted": _quiet(lambda counts: float(-np.mean(np.log(_shares(counts))))),
        "constant_guess_loss.unweighted_sum": _quiet(lambda counts: float(-np.sum(np.log(_shares(counts))))),
        "constant_guess_loss.mean_over_classes": lambda counts: _entropy(counts) / len(counts),
        "constant_guess_loss.total": lambda counts: _entropy(counts) * float(np.sum(counts)),
        "constant_guess_loss.counts_in_log": _quiet(
            lambda counts: float(-np.sum(_shares(counts) * np.log(counts)))),
    },
    success="constant_guess_loss.ok",
    hint="constant_guess_loss.hint",
    diagnose=_zero_class,
)


@check
def check_constant_guess_loss(constant_guess_loss):
    """Check ``constant_guess_loss(class_counts) -> loss``: the cross-entropy of a classifier that gives every
    image the same probabilities, each class's share of the images."""
    if not callable(constant_guess_loss):
        return CONSTANT_GUESS_LOSS(constant_guess_loss)  # "pass your function itself"

    def guarded(class_counts):
        # math.log(0) raises instead of giving nan: the same pitfall as numpy's 0 * ln 0, so the same message
        try:
            return constant_guess_loss(class_counts)
        except (ValueError, ZeroDivisionError):
            if 0 in list(class_counts):
                return math.nan
            raise

    return CONSTANT_GUESS_LOSS(guarded)


@_quiet
def _nan_for_an_empty_class(counts):
    p = _shares(counts)
    return float(-np.sum(p * np.log(p)))


def _math_log_of_an_empty_class(counts):
    n = sum(counts)
    return -sum(c / n * math.log(c / n) for c in counts)  # math.log(0) raises ValueError


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the update-to-weight ratio of each parameter array.


def _ratio_cases():
    rng = np.random.default_rng(6)
    before = [rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(3, 2))]
    small = [b - 1e-3 * rng.normal(size=b.shape) for b in before]
    large = [3.0 * before[0], before[1] + 1.0, before[2] - 0.5 * before[2]]  # big, unequal changes
    return [([b.copy() for b in before], small), ([b.copy() for b in before], large)]


def _norms(arrays):
    return np.array([np.linalg.norm(a) for a in arrays])


def _change(before, after):
    return _norms([a - b for b, a in zip(before, after)])


def _ratio_values(case, got, want):
    """A wrong answer no known mistake explains: show the ratios (the inputs are lists of arrays, too long
    for the generic message)."""
    return failed("update_ratio.wrong_values", want=fmt(want[0]), got=fmt(got[0]))


UPDATE_RATIO = FunctionCheck(
    names=("ratios",),
    cases=_ratio_cases,
    # ||after_i - before_i|| / ||before_i|| for every array i (Frobenius norms)
    reference=lambda before, after: _change(before, after) / _norms(before),
    mistakes={
        "update_ratio.not_relative": lambda before, after: _change(before, after),
        "update_ratio.upside_down": lambda before, after: _norms(before) / _change(before, after),
        "update_ratio.after_norm": lambda before, after: _change(before, after) / _norms(after),
        "update_ratio.norm_difference": lambda before, after: np.abs(_norms(after) - _norms(before)) / _norms(before),
        "update_ratio.elementwise": lambda before, after: np.array(
            [np.mean(np.abs(a - b) / np.abs(b)) for b, a in zip(before, after)]),
        "update_ratio.one_for_all": lambda before, after: _change(before, after).sum() / _norms(before).sum(),
    },
    success="update_ratio.ok",
    hint="update_ratio.hint",
    diagnose=_ratio_values,
)


@check
def check_update_ratio(update_ratio):
    """Check ``update_ratio(before, after) -> [||after_i - before_i|| / ||before_i|| for each array i]``.

    ``before`` and ``after`` are lists of parameter arrays (e.g. ``[W1, b1, W2, ...]`` copied before and after
    one optimizer step). The learner's function gets copies, so it may change them in place.
    """
    if not callable(update_ratio):
        return UPDATE_RATIO(update_ratio)  # "pass your function itself"
    return UPDATE_RATIO(lambda before, after: update_ratio([b.copy() for b in before], [a.copy() for a in after]))


EXAMPLES += [
    (CONSTANT_GUESS_LOSS, _nan_for_an_empty_class, "constant_guess_loss.zero_class"),
    (check_constant_guess_loss.__wrapped__, _math_log_of_an_empty_class, "constant_guess_loss.zero_class"),
    (UPDATE_RATIO, lambda before, after: [0.5] * len(before), "update_ratio.wrong_values"),
]
