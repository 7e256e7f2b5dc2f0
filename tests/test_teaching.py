"""What a teacher and a learner are told matches what the course is.

- TEACHING.md, the teacher's guide: a week-by-week schedule of every lesson, with each lesson's time equal
  to the time the lesson states in its own opening ("About N minutes"); the sections a teacher needs.
- README.md: the set-up without make (Windows PowerShell, macOS) runs the same course.py commands as the
  make targets; the lesson table lists every lesson; where the solutions and the learner's edition are;
  how learners keep their work; a "Report a problem" line; the guide linked.
- LICENSE (MIT, as pyproject.toml says) and CITATION.cff (Citation File Format 1.2.0).
- What the guide promises about the lessons: teacher's notes are labelled as such, and headings carry no
  claim tags.
"""

import importlib.util
import re
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
DURATION = re.compile(r"\babout\s+(\d+)\s+minutes\b|약\s*(\d+)\s*분", re.I)
NOTE_LABEL = "**Teacher's note.**"
KO_NOTE_LABEL = "**강사 노트.**"
CLAIM_TAG = re.compile(r"\(\s*claims?\s+C\d+", re.I)
LESSON_07 = ("diagnosing training: the learning-rate range test, activation statistics, LSUV and orthogonal "
             "init, the edge of stability")


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def repository():
    return project()["urls"]["Repository"].rstrip("/")


def text(name):
    return (ROOT / name).read_text(encoding="utf-8")


def opening_minutes(path):
    """The time a lesson states in its opening (the text cells before its first code cell), or None."""
    nb = nbformat.read(path, as_version=4)
    opening = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            break
        opening.append(cell.source)
    match = DURATION.search("\n".join(opening))
    return int(match.group(1) or match.group(2)) if match else None


def guide_schedule():
    """week -> (lesson number, link target, minutes), from TEACHING.md's schedule table."""
    rows = {}
    for line in text("TEACHING.md").splitlines():
        m = re.match(r"^\|\s*(\d+)\s*\|\s*\[(\d\d)[^\]]*\]\(([^)]+)\)\s*\|\s*(\d+)\s*min\s*\|", line)
        if m:
            rows[int(m.group(1))] = (m.group(2), m.group(3), int(m.group(4)))
    return rows


# ---------------------------------------------------------------------------------------------- the guide


def test_the_guide_schedules_every_lesson_one_a_week_in_order():
    rows = guide_schedule()
    numbers = [p.name[:2] for p in LESSONS]
    assert sorted(rows) == list(range(1, len(rows) + 1)), "weeks must be 1, 2, 3, ..."
    assert [rows[w][0] for w in sorted(rows)] == sorted(rows[w][0] for w in rows), "lessons out of order"
    assert set(numbers) <= {n for n, _, _ in rows.values()}, "a lesson is missing from the schedule"
    assert {n for n, _, _ in rows.values()} == {f"{i:02d}" for i in range(1, 8)}, "the schedule covers 01-07"
    for number, link, _ in rows.values():
        if number in numbers:  # (a lesson still being written has no notebook yet)
            assert link == f"notebooks/{LESSONS[numbers.index(number)].name}", f"TEACHING.md links {link}"


def test_the_guide_times_are_the_lessons_own():
    """Each lesson states its time in its opening ("About N minutes"); the guide must say the same."""
    rows = {n: minutes for n, _, minutes in guide_schedule().values()}
    problems = []
    for path in LESSONS + KOREAN:
        name = path.relative_to(ROOT / "notebooks").as_posix()
        stated = opening_minutes(path)
        if stated is None:
            problems.append(f"{name} states no time in its opening (write 'About N minutes.')")
        elif path.name[:2] not in rows:
            problems.append(f"{name} is not in TEACHING.md's schedule")
        elif stated != rows[path.name[:2]]:
            problems.append(f"{name} says about {stated} minutes, TEACHING.md says {rows[path.name[:2]]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("section", [
    "The course in one table", "Prerequisites", "Presenting", "Solutions and the learner's edition",
    "Learners' work", "When a learner's `make test` fails", "Report a problem", "Licence and citation",
])
def test_the_guide_has_the_sections_a_teacher_needs(section):
    assert f"\n## {section}\n" in text("TEACHING.md")


def test_the_guide_names_the_commands_it_relies_on():
    guide = text("TEACHING.md")
    for needed in ("make slides", "make lab", "make learner-edition", "build/learner-edition/",
                   "make reset LESSON=03", "my-work/old/", "make test", "py course.py test",
                   "python3 course.py test", "Start Deck", "speaker view"):
        assert needed in guide, f"TEACHING.md does not mention {needed!r}"


# ---------------------------------------------------------------------------------------------- README


def readme_command_rows():
    """The README's table of commands: (make command, PowerShell command, macOS command) per row."""
    rows = []
    for line in text("README.md").splitlines():
        cells = re.findall(r"`([^`]+)`", line)
        if line.startswith("|") and len(cells) == 3 and cells[0].startswith("make "):
            rows.append(tuple(cells))
    return rows


def as_course_command(command):
    """The course.py command a shell command runs: ("reset", ("03",)) for `make reset LESSON=03`."""
    words = command.split()
    if words[0] == "make":
        target, variables = words[1], [w.split("=", 1)[1] for w in words[2:] if "=" in w]
        assert all("=" in w for w in words[2:]), command
        return target, tuple(v for value in variables for v in value.split())
    launcher = {"py": "windows", "python3": "macos", "python": "any"}
    assert words[0] in launcher and words[1] == "course.py", command
    return words[2], tuple(words[3:])


def test_the_readme_gives_the_same_set_up_with_and_without_make():
    rows = readme_command_rows()
    assert rows, "README.md has no table of commands with make, PowerShell and macOS columns"
    makefile = text("Makefile")
    recipes = dict(re.findall(r"^([a-z\-]+):\s*\n\t(.+)$", makefile, flags=re.M))
    for make, windows, macos in rows:
        assert windows.startswith("py course.py "), windows
        assert macos.startswith("python3 course.py "), macos
        assert as_course_command(make) == as_course_command(windows) == as_course_command(macos), (make, windows, macos)
        target = as_course_command(make)[0]
        assert recipes.get(target) == f"$(PYTHON) course.py {target}", f"make {target} does not run course.py {target}"
    # every make command of the Quick start has its row
    quick = text("README.md").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make lab", "make test"]
    assert set(commands) <= {make for make, _, _ in rows}


def test_the_readme_rows_are_commands_course_py_knows():
    spec = importlib.util.spec_from_file_location("course_for_readme", ROOT / "course.py")
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    documented = set(re.findall(r"^    python course\.py ([a-z\-]+)", course.__doc__, flags=re.M))
    for make, _, _ in readme_command_rows():
        assert as_course_command(make)[0] in documented


def test_the_readme_lists_every_lesson_and_lesson_07():
    readme = text("README.md")
    for path in LESSONS:
        assert f"](notebooks/{path.name})" in readme, f"README.md's lesson table lacks {path.name}"
    row = re.search(r"^\| 07 \| \[07_diagnostics\.ipynb\]\(notebooks/07_diagnostics\.ipynb\) \| (.+) \|$", readme, re.M)
    assert row and row.group(1) == LESSON_07


def test_the_readme_says_where_solutions_work_and_the_guide_are():
    readme = text("README.md")
    assert "solution folded under the exercise" in readme
    assert "make learner-edition" in readme and "build/learner-edition/" in readme
    assert "my-work/" in readme and "make reset LESSON=03" in readme
    assert "[TEACHING.md](TEACHING.md)" in readme
    for kept in ("make test-portable", "make test-colab", "[CONTRIBUTING.md](CONTRIBUTING.md)"):
        assert kept in readme


def test_report_a_problem_points_at_the_repository_issues():
    issues = f"{repository()}/issues"
    for name in ("README.md", "TEACHING.md"):
        doc = text(name)
        assert "Report a problem" in doc and issues in doc, f"{name}: no 'Report a problem' line with {issues}"
    assert f"git clone {repository()}" in text("README.md")


# ---------------------------------------------------------------------------------------------- licence, citation


def test_license_is_the_mit_licence_pyproject_declares():
    licence = text("LICENSE")
    assert licence.startswith("MIT License\n")
    assert re.search(r"Copyright \(c\) \d{4} The optim-init-course authors", licence)
    assert "Permission is hereby granted, free of charge" in licence
    assert project()["license"] in ({"text": "MIT"}, "MIT")


# Top-level keys of the Citation File Format 1.2.0 schema.
CFF_KEYS = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
            "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
            "repository-artifact", "repository-code", "title", "type", "url", "version"}
CFF_PERSON_KEYS = {"family-names", "given-names", "name-particle", "name-suffix", "affiliation", "email",
                   "orcid", "website", "alias", "address", "city", "country", "post-code", "region", "tel", "fax"}
CFF_ENTITY_KEYS = {"name", "email", "orcid", "website", "alias", "address", "city", "country", "post-code",
                   "region", "tel", "fax", "location", "date-start", "date-end"}


def test_citation_cff_is_valid_cff_1_2_0():
    yaml = pytest.importorskip("yaml")
    cff = yaml.safe_load(text("CITATION.cff"))
    assert set(cff) <= CFF_KEYS, f"keys CFF 1.2.0 does not know: {set(cff) - CFF_KEYS}"
    assert {"cff-version", "message", "title", "authors"} <= set(cff), "CFF 1.2.0 requires these"
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["title"], str) and cff["title"].strip()
    assert isinstance(cff["authors"], list) and cff["authors"]
    for author in cff["authors"]:
        person = "family-names" in author or "given-names" in author
        allowed = CFF_PERSON_KEYS if person else CFF_ENTITY_KEYS
        assert person or "name" in author, author
        assert set(author) <= allowed, author
        assert all(isinstance(v, str) and v.strip() for v in author.values()), author
    assert cff.get("type", "software") in ("software", "dataset")
    assert cff["repository-code"] == repository()
    assert cff["license"] == "MIT"
    assert str(cff["version"]) == project()["version"]
    assert all(isinstance(k, str) for k in cff.get("keywords", []))


# ---------------------------------------------------------------------------------------------- the lessons


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


@pytest.mark.parametrize("path", LESSONS + KOREAN, ids=[p.relative_to(ROOT / "notebooks").as_posix() for p in LESSONS + KOREAN])
def test_teacher_notes_are_labelled_in_the_lesson(path):
    """A learner reading the notebook sees whom a notes cell is for (TEACHING.md, 'Your notes')."""
    nb = nbformat.read(path, as_version=4)
    label = KO_NOTE_LABEL if path in KOREAN else NOTE_LABEL
    unlabelled = [i for i, c in enumerate(nb.cells)
                  if slide_type(c) == "notes" and not c.source.lstrip().startswith(label)]
    assert not unlabelled, f"{path.name}: notes cells {unlabelled} do not begin with {label!r}"


@pytest.mark.parametrize("path", LESSONS + KOREAN, ids=[p.relative_to(ROOT / "notebooks").as_posix() for p in LESSONS + KOREAN])
def test_headings_carry_no_claim_tags(path):
    """'(claim C18)' means nothing to a learner; the claims are for maintainers (TEACHING.md, 'Claims')."""
    nb = nbformat.read(path, as_version=4)
    tagged = [line.strip() for c in nb.cells if c.cell_type == "markdown"
              for line in c.source.splitlines() if line.lstrip().startswith("#") and CLAIM_TAG.search(line)]
    assert not tagged, f"{path.name}: headings with claim tags: {tagged}"
