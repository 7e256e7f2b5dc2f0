"""GLOSSARY.md: every term with its Korean form, a definition, and a lesson that exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def rows():
    out = []
    for line in (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| term "):
            out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return out


def test_every_row_has_a_term_korean_form_definition_and_existing_lesson():
    lessons = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    table = rows()
    assert len(table) >= 60
    for cells in table:
        assert len(cells) == 4, cells
        term, korean, definition, lesson = cells
        assert term and len(definition) > 10, cells
        assert HANGUL.search(korean), f"{term!r} has no Korean form: {korean!r}"
        assert lesson in lessons, f"{term!r} names lesson {lesson!r}, which has no notebook"


def test_each_lesson_introduces_terms_and_no_term_is_listed_twice():
    table = rows()
    terms = [t.lower() for t, *_ in table]
    assert len(terms) == len(set(terms))
    per_lesson = {}
    for _, _, _, lesson in table:
        per_lesson[lesson] = per_lesson.get(lesson, 0) + 1
    assert sorted(per_lesson) == ["01", "02", "03", "04", "05", "06", "07"]
    assert min(per_lesson.values()) >= 5


def test_the_core_terms_have_their_korean_forms():
    korean_of = {t.lower(): k for t, k, *_ in rows()}

    def find(english):
        return next(k for t, k in korean_of.items() if t.startswith(english))

    assert "확률적 경사 하강법" in find("stochastic gradient descent")
    assert "학습률" in find("learning rate")
    assert "지역 최솟값" in find("local minimum")
    assert "가중치 초기화" in find("weight initialization")
    assert "모멘텀" in find("momentum")
