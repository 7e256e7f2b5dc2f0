"""The self-checks' messages, one catalogue per language: ``en/`` and ``ko/``, one module per lesson.

Each module defines ``MESSAGES = {key: text}``; a language's catalogue is the union of its modules (a key
defined twice is an error). A text is a ``str.format`` template: ``"p should be {want} but is {got}"``.
A field whose value is a ``Ref`` is itself a message (a hint, a "what"), shown in the same language.
A key missing from a language falls back to English; ``tests/test_exercise_messages.py`` makes sure no
key is missing and that every Korean text has the same placeholders as its English one.
"""

import functools
import importlib
import pkgutil
from dataclasses import dataclass

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class Ref:
    """A field value that names another message (rendered in the same language)."""

    key: str


@functools.cache
def catalogue(language):
    """Every message of ``language``, by key."""
    if language not in LANGUAGES:
        raise ValueError(f"Invalid language: {language!r} (choose one of {', '.join(map(repr, LANGUAGES))})")
    package = importlib.import_module(f"{__name__}.{language}")
    merged, origin = {}, {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for key, text in module.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined in both {origin[key]} and {info.name} ({language})")
            merged[key], origin[key] = text, info.name
    return merged


def text(key, language="en", **fields):
    """The message ``key`` in ``language`` (English if that language lacks it), with its fields filled in."""
    template = catalogue(language).get(key)
    if template is None:
        template = catalogue("en")[key]
    values = {name: text(v.key, language) if isinstance(v, Ref) else v for name, v in fields.items()}
    return template.format(**values)
