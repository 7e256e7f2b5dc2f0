"""The learner's edition (`make learner-edition`): every lesson without its folded solutions and its
teacher's notes, for graded use, written to build/learner-edition/ (Korean lessons to .../ko/).

A solution is a markdown `<details><summary>Solution</summary> ... </details>` block (the form every
exercise of the course uses); a teacher's note is a cell whose slide type is "notes". Everything else
(code cells, the self-checks, the outputs, the order) must stay exactly as in the lesson.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import load_course

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
ANY_SOLUTION = re.compile(r"<summary>\s*(?:<[^>]+>\s*)*(?:Solution|풀이|해답|정답)", re.I)


course = load_course("course_for_edition")


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The edition of the real lessons, written into a temporary folder (the lessons are only read)."""
    out = tmp_path_factory.mktemp("learner-edition")
    written = course.make_learner_edition(ROOT, out, say=lambda _: None)
    return out, {path.relative_to(out).as_posix(): (solutions, notes) for path, solutions, notes in written}


def test_every_lesson_has_its_learner_edition(edition):
    out, written = edition
    expected = {p.relative_to(ROOT / "notebooks").as_posix() for p in LESSONS}
    assert set(written) == expected
    assert (out / "README.md").is_file()


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.relative_to(ROOT / "notebooks").as_posix() for p in LESSONS])
def test_a_lesson_without_solutions_and_notes_and_nothing_else_changed(edition, lesson):
    out, written = edition
    name = lesson.relative_to(ROOT / "notebooks").as_posix()
    original = nbformat.read(lesson, as_version=4)
    learner = nbformat.read(out / name, as_version=4)
    nbformat.validate(learner)

    # no solution and no teacher's note is left
    assert not [c for c in learner.cells if ANY_SOLUTION.search(c.source)], "a folded solution is left"
    assert not [c for c in learner.cells if slide_type(c) == "notes"], "a teacher's note is left"

    # everything else is exactly the lesson, in order: every code cell (stub, self-check, outputs)
    # untouched, every markdown cell either untouched or the same text without its solution block
    kept = [c for c in original.cells if slide_type(c) != "notes"]
    kept = [c for c in kept if not (c.cell_type == "markdown" and ANY_SOLUTION.search(c.source)
                                     and not course.SOLUTION.sub("", c.source).strip())]
    assert [c.id for c in learner.cells] == [c.id for c in kept]
    for mine, theirs in zip(learner.cells, kept):
        if mine.cell_type == "code" or not ANY_SOLUTION.search(theirs.source):
            assert mine == theirs, f"cell {mine.id} changed"
        else:
            expected = re.sub(r"\n{3,}", "\n\n", course.SOLUTION.sub("", theirs.source)).strip()
            assert mine.source == expected

    # the counts the README reports are the lesson's own
    solutions, notes = written[name]
    assert solutions == sum(len(course.SOLUTION.findall(c.source)) for c in original.cells
                            if slide_type(c) != "notes")
    assert notes == sum(slide_type(c) == "notes" for c in original.cells)
    exercises = [c for c in original.cells if c.cell_type == "markdown" and re.search(r"^#+ .*Exercise|^#+ .*연습",
                                                                                      c.source, re.M)]
    assert all(c.id in {m.id for m in learner.cells} for c in exercises), "an exercise heading went missing"


def test_a_solution_inside_a_longer_cell_leaves_the_rest():
    nb = new_notebook(cells=[
        new_markdown_cell("Try it first.\n\n<details><summary>Solution</summary>\n\n"
                          "```python\nx = 1\n```\n</details>\n\nThen read on."),
        new_markdown_cell("<details><summary><b>Solution</b> (exercise 2)</summary>The answer.</details>"),
        new_markdown_cell("<details><summary>Why this works</summary>Background, kept.</details>"),
        new_markdown_cell("**Teacher's note.** Ask the room first."),
        new_code_cell("check(answer)"),
    ])
    nb.cells[3].metadata["slideshow"] = {"slide_type": "notes"}
    before = json.dumps(nb, sort_keys=True)
    learner, solutions, notes = course.strip_for_learners(json.loads(json.dumps(nb)))
    assert json.dumps(nb, sort_keys=True) == before  # the lesson itself is not changed
    assert (solutions, notes) == (2, 1)
    sources = ["".join(c["source"]) for c in learner["cells"]]
    assert sources == ["Try it first.\n\nThen read on.",
                       "<details><summary>Why this works</summary>Background, kept.</details>",
                       "check(answer)"]


def test_make_learner_edition_is_a_course_command():
    makefile = (ROOT / "Makefile").read_text()
    assert "learner-edition:\n\t$(PYTHON) course.py learner-edition" in makefile
    assert "build/learner-edition" in (ROOT / "README.md").read_text()
