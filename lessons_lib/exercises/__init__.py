"""Self-checks for the exercises of each lesson: one engine, and one message catalogue per language.

A check runs the learner's code on cases whose right answer is computed independently, and says *what* is
wrong (a wrong sign, a wrong scale, a skipped sample, ...), not only that something is. It prints its
verdict, so the cell shows it wherever the call stands, and returns it as a ``Feedback`` (``.ok``,
``.key``, ``.message``) for code that wants to look.

Three rules every check follows:

- **An untouched stub gets a hint, never the fix.** The stubs in the lessons return ``None`` (their body is
  ``...``) or raise ``NotImplementedError``; the check answers "not written yet" and a hint. The message
  that names a mistake, and so its fix, appears only for a learner's own wrong answer.
- **Messages live in catalogues** (``messages/en/`` and ``messages/ko/``, one module per lesson), under
  keys such as ``"momentum_step.old_velocity"``; the code names the key, the catalogue the words.
  ``set_language("ko")`` switches every check to Korean (the Korean lessons do it in their set-up cell).
- **Every message is reachable.** A ``FunctionCheck`` lists its mistakes as functions that compute the
  wrong answer; the tests turn each into a learner's function and check that the check names that
  mistake. Checks written by hand list an ``EXAMPLES`` table (answer -> expected message) for the same test.
"""

from dataclasses import dataclass, field
import functools

import numpy as np

from . import messages

# ---------------------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------------------

_language = "en"


def set_language(language):
    """Choose the language of every check's messages: ``"en"`` (default) or ``"ko"``."""
    global _language
    if language not in messages.LANGUAGES:
        raise ValueError(f"Invalid language: {language!r} (choose one of {', '.join(map(repr, messages.LANGUAGES))})")
    _language = language


def get_language():
    return _language


# ---------------------------------------------------------------------------------------------------------
# The verdict
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Feedback:
    """The verdict of a self-check: ``ok``, the catalogue ``key`` of its message, and the message's fields."""

    ok: bool
    key: str
    fields: dict = field(default_factory=dict)

    @property
    def message(self):
        """The message in the current language (see ``set_language``)."""
        return messages.text(self.key, _language, **self.fields)

    def __str__(self):
        label = messages.text("label.correct" if self.ok else "label.not_yet", _language)
        return f"{label}: {self.message}"

    def _ipython_display_(self):
        """Show nothing as a cell's last value: the check printed the verdict already."""


def passed(key, **fields):
    """A check that passed; ``key`` names its message."""
    return Feedback(True, key, fields)


def failed(key, **fields):
    """A check that found a mistake; ``key`` names the message that explains it."""
    return Feedback(False, key, fields)


def not_written(hint_key):
    """The learner has not written the function yet (the stub): say so, with a hint, never the fix."""
    return Feedback(False, "common.not_written", {"hint": messages.Ref(hint_key)})


def check(func):
    """Make ``func`` a self-check: the ``Feedback`` it returns is printed, then returned."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        feedback = func(*args, **kwargs)
        print(feedback)
        return feedback

    return wrapper


# ---------------------------------------------------------------------------------------------------------
# Calling the learner's code
# ---------------------------------------------------------------------------------------------------------


def call_learner(fn, *args, hint):
    """Call the learner's function: ``(result, None)``, or ``(None, Feedback)`` when it cannot be used.

    A function that is not callable (e.g. ``check(f())`` instead of ``check(f)``), a stub that returns
    ``None`` or raises ``NotImplementedError``, and an exception in the learner's code each become a
    message, not a traceback. ``hint`` is the key of the hint shown for a stub.
    """
    if not callable(fn):
        return None, failed("common.not_callable", got=type(fn).__name__)
    try:
        result = fn(*args)
    except NotImplementedError:
        return None, not_written(hint)
    except Exception as error:  # the learner's code may raise anything; report it plainly
        return None, failed("common.raised", error=f"{type(error).__name__}: {error}")
    if result is None:
        return None, not_written(hint)
    return result, None


def fmt(value):
    """Numbers for a message: rounded, never a numpy repr; a large array is named by its shape; a flag
    (``True``/``False``, e.g. a ``drop_last`` argument) as itself, not as 1 or 0."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    arr = np.asarray(value, dtype=float)
    if arr.size > 8:
        return f"(array of shape {arr.shape})"
    text = ", ".join(f"{float(x):.4g}" for x in arr.ravel())
    return text if arr.ndim == 0 else f"[{text}]"


def _as_outputs(result, names):
    """What the learner returned, as a tuple of float arrays (one per name), or a Feedback saying why not."""
    if len(names) == 1:
        result = (result,)
    elif not isinstance(result, (tuple, list)) or len(result) != len(names):
        return None, failed("common.return_n_values", n=len(names), names=", ".join(names))
    outputs = []
    for name, value in zip(names, result):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return None, failed("common.not_numbers", name=name, got=type(value).__name__)
        outputs.append(arr)
    return tuple(outputs), None


def _close(got, want, rtol, atol):
    return all(
        w is None or (g.shape == np.shape(w) and np.allclose(g, w, rtol=rtol, atol=atol)) for g, w in zip(got, want)
    )


# ---------------------------------------------------------------------------------------------------------
# The engine: a function checked on fixed cases against a reference and a list of known mistakes
# ---------------------------------------------------------------------------------------------------------


class FunctionCheck:
    """Check a learner's function on fixed cases: right answer, known mistakes, or a generic message.

    - ``names``: what the function returns, in order (``("p_new", "b_new")``; one name: a single value).
    - ``cases``: a list of argument tuples, or a function that makes it (called at each check).
    - ``reference(*case)``: the right outputs, a tuple in the order of ``names``.
    - ``mistakes``: ``{key: wrong}``, tried in order; ``wrong(*case)`` returns the outputs that mistake
      gives, with ``None`` for an output it does not decide (that output is not compared).
    - ``success``, ``hint``: the keys of the message for a right answer and of the hint for a stub.
    - ``diagnose(case, got, want)``: optional, for a mistake no fixed formula captures (e.g. "you moved
      0.37 x grad"): returns a Feedback or None. Its keys need ``EXAMPLES`` in the lesson's module.

    The learner's function gets fresh copies of array arguments, so it may change them in place.
    """

    def __init__(self, *, names, cases, reference, mistakes, success, hint, diagnose=None, rtol=1e-9, atol=1e-12):
        self.names, self.cases, self.reference = tuple(names), cases, reference
        self.mistakes, self.success, self.hint = dict(mistakes), success, hint
        self.diagnose, self.rtol, self.atol = diagnose, rtol, atol

    def all_cases(self):
        return self.cases() if callable(self.cases) else list(self.cases)

    def want(self, case):
        return tuple(np.asarray(w, dtype=float) for w in _tuple(self.reference(*case)))

    def wrong(self, key, case):
        """The outputs mistake ``key`` gives on ``case`` (None where it does not decide)."""
        return tuple(None if w is None else np.asarray(w, dtype=float) for w in _tuple(self.mistakes[key](*case)))

    def __call__(self, fn):
        for case in self.all_cases():
            args = [a.copy() if isinstance(a, np.ndarray) else a for a in case]
            result, error = call_learner(fn, *args, hint=self.hint)
            if error:
                return error
            got, error = _as_outputs(result, self.names)
            if error:
                return error
            want = self.want(case)
            if _close(got, want, self.rtol, self.atol):
                continue
            for key in self.mistakes:
                expected_wrong = self.wrong(key, case)
                if any(w is not None for w in expected_wrong) and _close(got, expected_wrong, self.rtol, self.atol):
                    return failed(key)
            for name, g, w in zip(self.names, got, want):
                if g.shape != w.shape:
                    return failed("common.wrong_shape", name=name, got=g.shape, want=w.shape)
            if self.diagnose is not None:
                feedback = self.diagnose(case, got, want)
                if feedback is not None:
                    return feedback
            bad = next(i for i, (g, w) in enumerate(zip(got, want)) if not _close([g], [w], self.rtol, self.atol))
            return failed("common.wrong_value", inputs=", ".join(fmt(a) for a in case), name=self.names[bad],
                          want=fmt(want[bad]), got=fmt(got[bad]))
        return passed(self.success)


def _tuple(outputs):
    return outputs if isinstance(outputs, tuple) else (outputs,)


def number_answers(fn, cases, what, *, hint):
    """Call ``fn(*case)`` for every case: ``(answers, None)`` with one float per case, or ``(None, Feedback)``
    when the function is a stub, raises, or returns something that is not one number (``what`` names it)."""
    answers = []
    for case in cases:
        result, error = call_learner(fn, *case, hint=hint)
        if error:
            return None, error
        try:
            answers.append(float(result))
        except (TypeError, ValueError):
            return None, failed("common.one_number", what=messages.Ref(what), got=type(result).__name__)
    return answers, None
