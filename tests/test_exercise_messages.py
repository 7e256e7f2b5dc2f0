"""Every self-check message is reachable, distinct, and has its Korean twin.

For every ``FunctionCheck`` in ``lessons_lib.exercises.lessonNN``: the reference passes; each listed
mistake, turned into a learner's function, is named by exactly its own message (so no mistake hides behind
another, and none equals the right answer); a stub gets the "not written yet" hint. Checks written by hand
list ``EXAMPLES`` (check, learner's answer, expected key), run here the same way. Then every key of the
English catalogue must have been reached by one of these, and the Korean catalogue must hold every
English key with the same placeholders.
"""

import importlib
import inspect
import pkgutil
import string

import numpy as np
import pytest

import lessons_lib.exercises as exercises
from lessons_lib.exercises import FunctionCheck, messages

LESSON_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(exercises.__path__) if info.name.startswith("lesson")
)


def lesson(name):
    return importlib.import_module(f"lessons_lib.exercises.{name}")


def function_checks():
    found = []
    for name in LESSON_MODULES:
        for attr, value in vars(lesson(name)).items():
            if isinstance(value, FunctionCheck):
                found.append(pytest.param(value, id=f"{name}.{attr}"))
    return found


def examples():
    found = []
    for name in LESSON_MODULES:
        for i, (check, answer, key) in enumerate(getattr(lesson(name), "EXAMPLES", [])):
            found.append(pytest.param(check, answer, key, id=f"{name}.{key}.{i}"))
    return found


REACHED = set()  # keys produced by the checks, filled by the tests below


def learner_making(check, key):
    """A learner's function that makes mistake ``key``. Where the mistake leaves an output undecided (None),
    the learner returns a value that is wrong too (the right one plus 1)."""

    def fn(*case):
        want = check.want(case)
        wrong = check.wrong(key, case)
        outputs = tuple(w if w is not None else r + 1.0 for w, r in zip(wrong, want))
        return outputs if len(outputs) > 1 else outputs[0]

    return fn


@pytest.mark.parametrize("check", function_checks())
def test_every_mistake_of_a_function_check_is_named_by_its_own_message(check):
    assert check.mistakes, "a check with no known mistakes teaches little"

    def right(*case):
        outputs = check.want(case)
        return outputs if len(outputs) > 1 else outputs[0]

    assert check(right).ok and check(right).key == check.success
    REACHED.add(check.success)
    for key in check.mistakes:
        feedback = check(learner_making(check, key))
        assert not feedback.ok and feedback.key == key, f"mistake {key} is reported as {feedback.key}"
        assert feedback.message  # it renders (every placeholder filled)
        REACHED.add(key)
    stub = check(lambda *args: None)
    assert stub.key == "common.not_written" and stub.fields["hint"].key == check.hint
    assert check.hint.split(".")[0] in check.success
    assert "Hint:" in stub.message
    REACHED.update({check.hint, "common.not_written"})


# Checks that take a table of the learner's answers (a dict), not the learner's function.
ANSWER_TABLES = {"lesson05.check_histogram_predictions", "lesson06.check_diagnosis"}


def public_function_checks():
    """Every ``check_*`` a lesson offers on the learner's function (the name the notebook calls)."""
    found = []
    for name in LESSON_MODULES:
        module = lesson(name)
        for attr, value in vars(module).items():
            if attr.startswith("check_") and callable(value) and value.__module__ == module.__name__:
                if f"{name}.{attr}" not in ANSWER_TABLES:
                    found.append(pytest.param(value, id=f"{name}.{attr}"))
    return found


def test_answer_tables_name_checks_that_exist():
    for qualified in ANSWER_TABLES:
        name, attr = qualified.split(".")
        assert callable(getattr(lesson(name), attr)), qualified


@pytest.mark.parametrize("check", public_function_checks())
def test_every_check_answers_a_stub_with_its_hint_and_a_call_with_what_to_pass(check):
    """The notebook's stub (body ``...``) gets "not written yet" and the hint of that exercise, never the
    fix; ``check(f())`` instead of ``check(f)`` is told to pass the function itself."""

    def stub(*args):
        ...  # your code here

    feedback = check(stub)
    learner_function = next(iter(inspect.signature(check).parameters))  # e.g. gd_run, my_minibatches
    assert not feedback.ok and feedback.key == "common.not_written"
    assert feedback.fields["hint"].key == f"{learner_function}.hint" and "Hint:" in feedback.message
    for called in (None, 3.0):  # what f() may have returned
        feedback = check(called)
        assert feedback.key == "common.not_callable" and "pass your function itself" in feedback.message


@pytest.mark.parametrize("check, answer, key", examples())
def test_every_example_answer_gets_its_message(check, answer, key):
    feedback = check(answer)
    assert feedback.key == key, f"expected {key}, got {feedback.key}: {feedback.message}"
    feedback.message  # renders
    REACHED.add(key)
    if key == "common.not_written":
        REACHED.add(feedback.fields["hint"].key)


def test_common_messages_for_unusable_functions():
    from lessons_lib.exercises.lesson03 import MOMENTUM_STEP

    def raises(*args):
        raise ZeroDivisionError("oops")

    def stub_raising(*args):
        raise NotImplementedError

    cases = {
        "common.not_callable": (lambda *a: 1)(),  # a call's result, not the function
        "common.raised": raises,
        "common.not_written": stub_raising,
        "common.return_n_values": lambda *a: 1.0,
        "common.not_numbers": lambda *a: ("x", "y"),
        "common.wrong_shape": lambda p, b, g, lr, mu: (np.zeros(7), mu * b + g),
        "common.wrong_value": lambda p, b, g, lr, mu: (p - 2 * lr * g + 0.3, mu * b + g),
    }
    for key, fn in cases.items():
        feedback = MOMENTUM_STEP(fn)
        assert feedback.key == key, (key, feedback.key)
        REACHED.add(key)
    assert "pass your function itself" in MOMENTUM_STEP(7).message
    REACHED.update({"label.correct", "label.not_yet", "common.one_number"})


def test_fmt_shows_a_flag_as_true_or_false_and_numbers_rounded():
    from lessons_lib.exercises import fmt

    assert [fmt(True), fmt(np.bool_(False))] == ["True", "False"]  # a drop_last argument, not "1" / "0"
    assert [fmt(1), fmt(0.123456789), fmt(np.array([1.0, 2.5]))] == ["1", "0.1235", "[1, 2.5]"]


def test_a_check_prints_its_verdict_and_never_shows_it_twice(capsys):
    from lessons_lib.exercises.lesson03 import check_weight_decay_step

    feedback = check_weight_decay_step(lambda p, g, lr, weight_decay: None)
    printed = capsys.readouterr().out
    assert printed.strip() == str(feedback) and printed.startswith("Not yet: not written yet")
    from IPython.core.formatters import DisplayFormatter

    assert DisplayFormatter().format(feedback) == ({}, {})  # nothing more as the cell's last value


def test_korean_is_selected_and_english_is_the_default():
    from lessons_lib.exercises.lesson03 import WEIGHT_DECAY_STEP

    feedback = WEIGHT_DECAY_STEP(lambda *a: None)
    try:
        exercises.set_language("ko")
        assert str(feedback).startswith("아직: 빈 함수 그대로입니다")
    finally:
        exercises.set_language("en")
    assert str(feedback).startswith("Not yet: not written yet")
    with pytest.raises(ValueError, match="language"):
        exercises.set_language("fr")


def placeholders(text):
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name})


def test_messages_are_distinct_within_each_lesson():
    english = messages.catalogue("en")
    by_text = {}
    for key, text in english.items():
        by_text.setdefault((key.split(".")[0], text), []).append(key)
    same = {text: keys for (_, text), keys in by_text.items() if len(keys) > 1}
    assert not same, f"two keys of one exercise say the same thing: {same}"


def test_korean_messages_keep_the_english_placeholders():
    english, korean = messages.catalogue("en"), messages.catalogue("ko")
    for key, text in korean.items():
        assert key in english, f"Korean key {key!r} has no English message"
        assert placeholders(text) == placeholders(english[key]), key


def reached_keys():
    """Every key the function checks, the examples and the common cases produce (recomputed here, so this
    test does not depend on the others having run)."""
    REACHED.clear()
    for param in function_checks():
        test_every_mistake_of_a_function_check_is_named_by_its_own_message(*param.values)
    for param in examples():
        try:
            test_every_example_answer_gets_its_message(*param.values)
        except AssertionError:
            pass  # reported by its own test; only reached keys count here
    test_common_messages_for_unusable_functions()
    return set(REACHED)


def test_every_english_message_is_reached():
    english = set(messages.catalogue("en"))
    missing = sorted(english - reached_keys())
    assert not missing, f"messages no test reaches (dead, or missing from EXAMPLES): {missing}"
