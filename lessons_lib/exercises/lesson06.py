"""Self-checks for lesson 06 (the capstone). The grid and the mystery runs are in ``experiments.capstone``.

The checks say *what* is wrong: a loss in the wrong log base, an update ratio that is not relative, a
diagnosis that mixes up the learning rate with the init, ...
"""

import math

import numpy as np

from . import failed, passed
from ..experiments.capstone import DIAGNOSES, MYSTERY

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: five mystery runs to diagnose.

_ANSWERS = {"A": "init too large", "B": "lr too low", "C": "fine", "D": "lr too high", "E": "init too small"}

_WHY = {
    "A": "its loss starts far above ln 10 = 2.30 before a single step is taken: only the init can do that "
         "(weights of std 1 with 64 inputs per unit give huge logits); the learning rate has not acted yet",
    "B": "it starts healthy (loss near ln 10, the same start as C) but its loss creeps down and each step "
         "changes the weights by about 1e-5 of their size (C: about 1e-3): the learning rate is too small",
    "C": "healthy start, steadily falling loss, weights moving by about 1e-3 of their size per step",
    "D": "it starts healthy (the same start as C) and the loss first falls, then jumps up and stalls: steps "
         "15 times larger than C's (about 2 % of the weights' size each) throw the weights around and kill "
         "ReLU units",
    "E": "the loss sits at exactly ln 10 = 2.30 from the first step and the first layer's gradient is tiny: "
         "the signal dies out in the forward pass (weights of std 0.01), so every class looks alike; a larger "
         "learning rate cannot revive a gradient that is almost zero",
}


def check_diagnosis(answers):
    """Check a dict ``{"A": diagnosis, ..., "E": diagnosis}``, each one of ``DIAGNOSES``."""
    if not isinstance(answers, dict):
        return failed(f"give a dict like {{'A': 'fine', 'B': ...}}, got {type(answers).__name__}")
    missing = [k for k in MYSTERY if k not in answers]
    if missing:
        return failed(f"diagnose every run: {', '.join(missing)} missing")
    for key in MYSTERY:
        if answers[key] not in DIAGNOSES:
            return failed(f"run {key}: {answers[key]!r} is not one of {', '.join(map(repr, DIAGNOSES))}")
    wrong = []
    for key in MYSTERY:
        said, truth = answers[key], _ANSWERS[key]
        if said == truth:
            continue
        mix = ""
        if said.startswith("lr") and truth.startswith("init"):
            mix = " (you blamed the learning rate; look at the start, before any step)"
        elif said.startswith("init") and truth.startswith("lr"):
            mix = " (you blamed the init, but this run starts exactly like run C)"
        wrong.append(f"{key}: you said {said!r}, it is {truth!r}{mix}: {_WHY[key]}")
    if wrong:
        return failed(f"{len(wrong)} of {len(MYSTERY)} diagnoses are off. " + " | ".join(wrong))
    return passed("all five diagnoses are right: the start tells a bad init, the curve after it a bad learning rate.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: the loss a healthy network starts with.

_LOSS_CASES = [10, 2, 1000]


def check_expected_initial_loss(expected_initial_loss):
    """Check ``expected_initial_loss(n_classes) -> ln(n_classes)``.

    A network that gives every class the same probability 1/K has cross-entropy -ln(1/K) = ln K on every
    sample: the loss a well-initialized classifier starts near.
    """
    if not callable(expected_initial_loss):
        return failed(f"pass your function itself (without calling it), got {type(expected_initial_loss).__name__}")
    mistakes = [
        ("you used log base 10: cross-entropy uses the natural log (np.log), so the answer is ln K",
         lambda k: math.log10(k)),
        ("you used log base 2 (bits): cross-entropy in our library uses the natural log, ln K",
         lambda k: math.log2(k)),
        ("1/K is the probability of each class; the loss is -ln(1/K) = ln K", lambda k: 1.0 / k),
        ("wrong sign: the loss is -ln(1/K) = +ln K, a positive number", lambda k: -math.log(k)),
        ("ln(1/K) is the log-probability; the loss is its negative, ln K", lambda k: math.log(1.0 / k)),
        ("K itself is not a loss: a uniform guess costs -ln(1/K) = ln K per sample", lambda k: float(k)),
        ("1 - 1/K is the error rate of a uniform guess, not its cross-entropy ln K", lambda k: 1.0 - 1.0 / k),
    ]
    for k in _LOSS_CASES:
        try:
            got = float(expected_initial_loss(k))
        except Exception as exc:  # the learner's code may raise anything; report it plainly
            return failed(f"your function raised {type(exc).__name__}: {exc}")
        want = math.log(k)
        if math.isclose(got, want, rel_tol=1e-9):
            continue
        for message, wrong in mistakes:
            if math.isclose(got, wrong(k), rel_tol=1e-9):
                return failed(f"for K = {k}: {message}")
        return failed(f"for K = {k} classes the loss of a uniform guess is ln {k} = {want:.4f}, got {got:.4g}")
    return passed(f"ln K: {math.log(10):.3f} for the ten digits. A loss far above it at step 0 means the init "
                  "is too large; sitting exactly on it, that the network outputs the same for every class.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the update-to-weight ratio of each layer.


def _ratio_cases():
    rng = np.random.default_rng(6)
    before = [rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(3, 2))]
    small = [b - 1e-3 * rng.normal(size=b.shape) for b in before]
    large = [3.0 * before[0], before[1] + 1.0, before[2] - 0.5 * before[2]]  # big, unequal changes
    return [(before, small), (before, large)]


def check_update_ratio(update_ratio):
    """Check ``update_ratio(before, after) -> [||after_i - before_i|| / ||before_i|| for each array i]``.

    ``before`` and ``after`` are lists of parameter arrays (e.g. ``[W1, b1, W2, ...]`` copied before and after
    one optimizer step); norms are Frobenius norms (``np.linalg.norm``).
    """
    if not callable(update_ratio):
        return failed(f"pass your function itself (without calling it), got {type(update_ratio).__name__}")
    norm = np.linalg.norm
    mistakes = [
        ("you returned the size of the update, ||after - before||, without dividing by ||before||: the ratio "
         "must be relative, so layers of different size and scale can be compared",
         lambda b, a: [norm(y - x) for x, y in zip(b, a)]),
        ("the ratio is upside down: divide the update's norm by the weights' norm, ||after - before|| / ||before||",
         lambda b, a: [norm(x) / norm(y - x) for x, y in zip(b, a)]),
        ("you divided by the norm *after* the step; use the weights before it, ||before||",
         lambda b, a: [norm(y - x) / norm(y) for x, y in zip(b, a)]),
        ("the difference of the norms, ||after|| - ||before||, is not the norm of the difference: a step can "
         "turn the weights a lot without changing their length; use ||after - before||",
         lambda b, a: [abs(norm(y) - norm(x)) / norm(x) for x, y in zip(b, a)]),
        ("that is the mean of element-wise ratios |after - before| / |before|, which tiny weights blow up; use the "
         "norms of whole arrays", lambda b, a: [float(np.mean(np.abs(y - x) / np.abs(x))) for x, y in zip(b, a)]),
    ]
    for before, after in _ratio_cases():
        want = [norm(y - x) / norm(x) for x, y in zip(before, after)]
        try:
            got = update_ratio([x.copy() for x in before], [y.copy() for y in after])
        except Exception as exc:  # the learner's code may raise anything; report it plainly
            return failed(f"your function raised {type(exc).__name__}: {exc}")
        if not isinstance(got, (list, tuple)) and not (isinstance(got, np.ndarray) and got.ndim == 1):
            return failed("return one ratio per parameter array (a list of numbers), not a single number: "
                          "each layer learns at its own pace")
        if any(np.ndim(g) != 0 for g in got):
            return failed("return one number per parameter array (a norm ratio), not arrays")
        got = [float(g) for g in got]
        if len(got) != len(want):
            return failed(f"return one ratio per parameter array: {len(want)} arrays, got {len(got)} numbers")
        if np.allclose(got, want, rtol=1e-9, atol=0.0):
            continue
        for message, wrong in mistakes:
            if np.allclose(got, wrong(before, after), rtol=1e-9, atol=0.0):
                return failed(message)
        return failed(f"the ratios should be {', '.join(f'{w:.4g}' for w in want)}, got "
                      f"{', '.join(f'{g:.4g}' for g in got)}")
    return passed("your ratios are ||after - before|| / ||before|| per array. Rule of thumb: about 1e-3 per "
                  "step is healthy; 1e-5 or less points to a learning rate that is too small, 1e-2 and more to one "
                  "that is too large (after checking that the init is sane).")


# ---------------------------------------------------------------------------------------------------------
# The lesson's explorer: pick a pairing and watch it train.


