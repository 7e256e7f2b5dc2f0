"""Self-checks for the exercises of each lesson.

Every check runs the learner's code on cases whose right answer is computed independently, and says
*what* is wrong (a wrong sign, a wrong scale, a skipped sample, ...), not only that something is.
A check returns a ``Feedback`` and prints it, so a notebook cell shows the verdict.
"""

from dataclasses import dataclass


@dataclass
class Feedback:
    """The verdict of a self-check: ``ok`` and a message for the learner."""

    ok: bool
    message: str

    def __str__(self):
        mark = "Correct" if self.ok else "Not yet"
        return f"{mark}: {self.message}"

    def _repr_pretty_(self, printer, cycle):  # how IPython shows it as a cell's last value
        printer.text(str(self))


def passed(message):
    """A check that passed."""
    return Feedback(True, message)


def failed(message):
    """A check that found a mistake; ``message`` names the mistake."""
    return Feedback(False, message)


def call_learner(fn, *args):
    """Call the learner's function: ``(result, None)``, or ``(None, Feedback)`` when it cannot be used.

    An exception in the learner's code becomes a message, not a traceback.
    """
    if not callable(fn):
        return None, failed(f"pass your function itself (without calling it), got {type(fn).__name__}")
    try:
        return fn(*args), None
    except Exception as error:  # the learner's code may raise anything; report it plainly
        return None, failed(f"your function raised {type(error).__name__}: {error}")


def number_answers(fn, cases, what):
    """Call ``fn(*case)`` for every case: ``(answers, None)`` with one float per case, or ``(None, Feedback)``
    when the function raises or returns something that is not one number (``what`` names the number)."""
    answers = []
    for case in cases:
        result, error = call_learner(fn, *case)
        if error:
            return None, error
        try:
            answers.append(float(result))
        except (TypeError, ValueError):
            return None, failed(f"return one number ({what}), not {type(result).__name__}")
    return answers, None
