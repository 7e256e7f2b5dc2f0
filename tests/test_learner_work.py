"""A learner's work is never lost.

The learner works in my-work/ (git-ignored): `make lab` copies each lesson there once and never
overwrites a copy, and names the lessons the course has updated since; `make reset LESSON=NN` moves the
learner's copy to my-work/old/ and copies the course's current version. `make notebooks` and `make test`
read and write notebooks/ only. See course.py ("the learner's work") and the README.

Every test here works on a course laid out in a temporary folder (never on the real my-work/, which may
hold a learner's answers), except the read-only checks of .gitignore and the command lines.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import load_course

ROOT = Path(__file__).resolve().parents[1]


course = load_course("course_for_learner_work")


def lesson(title, answer_stub="def answer():\n    ...", extra=""):
    nb = new_notebook(cells=[
        new_markdown_cell(f"# {title}\n\nAbout 40 minutes.{extra}"),
        new_markdown_cell("## Exercise 1: write `answer`"),
        new_code_cell(answer_stub),
        new_markdown_cell("<details><summary>Solution</summary>\n\n```python\ndef answer():\n    return 42\n```\n</details>"),
    ])
    return nb


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def snapshot(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@pytest.fixture
def course_root(tmp_path):
    """A course in a temporary folder: two English lessons (one of them a real lesson), one Korean."""
    root = tmp_path / "course"
    write(lesson("Lesson 01"), root / "notebooks" / "01_first.ipynb")
    shutil.copyfile(ROOT / "notebooks" / "02_sgd.ipynb", root / "notebooks" / "02_sgd.ipynb")
    write(lesson("레슨 01"), root / "notebooks" / "ko" / "01_first.ipynb")
    return root


def learner_edits(path, code):
    """What JupyterLab does when the learner writes an answer and saves: the exercise cell changes."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "def answer" in c.source)
    cell.source = code
    nbformat.write(nb, path)


def messages():
    said = []
    return said, said.append


# ---------------------------------------------------------------------------------------- the whole story


def test_an_edit_survives_an_update_and_a_reset_keeps_the_old_copy(course_root):
    root = course_root
    work = root / "my-work"
    said, say = messages()

    # 1. first `make lab`: every lesson copied, the Korean one into my-work/ko/
    copied, changed = course.prepare_my_work(root, say)
    assert sorted(p.relative_to(work).as_posix() for p in copied) == [
        "01_first.ipynb", "02_sgd.ipynb", "ko/01_first.ipynb"]
    assert changed == []
    for copy in copied:
        original = nbformat.read(root / "notebooks" / copy.relative_to(work), as_version=4)
        mine = nbformat.read(copy, as_version=4)
        assert [(c.cell_type, c.source) for c in mine.cells] == [(c.cell_type, c.source) for c in original.cells]
        record = mine.metadata[course.COPY_KEY]
        assert record["lesson"] == ("notebooks/" + copy.relative_to(work).as_posix())
        assert record["lesson_sha256"] == course.lesson_hash(json.loads((root / record["lesson"]).read_text()))
        nbformat.validate(mine)

    # 2. the learner answers exercise 1 (and a Korean one); `make lab` again overwrites nothing
    mine = work / "01_first.ipynb"
    learner_edits(mine, "def answer():\n    return 6 * 7  # my answer")
    learner_edits(work / "ko" / "01_first.ipynb", "def answer():\n    return 42  # 내 답")
    course_before = snapshot(root / "notebooks")
    work_before = snapshot(work)
    assert course.prepare_my_work(root, say) == ([], [])
    assert snapshot(work) == work_before

    # 3. the course is updated (as `git pull` would): lesson 01 changes, lesson 03 is new
    write(lesson("Lesson 01", extra="\n\nA new paragraph."), root / "notebooks" / "01_first.ipynb")
    write(lesson("Lesson 03"), root / "notebooks" / "03_third.ipynb")
    said.clear()
    copied, changed = course.prepare_my_work(root, say)
    assert [p.name for p in copied] == ["03_third.ipynb"]
    assert changed == [mine]  # only the lesson that changed is named, and only named
    assert "my answer" in mine.read_text()
    text = "\n".join(said)
    assert "01_first.ipynb" in text and "make reset LESSON=01" in text and "course.py reset 01" in text

    # 4. the learner resets lesson 01: the old copy is kept byte for byte, the new one is the new lesson
    edited = mine.read_bytes()
    kept, fresh = course.reset_lesson("01", root, say)
    assert kept.parent == work / "old" and kept.name.startswith("01_first.") and kept.suffix == ".ipynb"
    assert kept.read_bytes() == edited
    assert fresh == mine and "A new paragraph." in mine.read_text() and "my answer" not in mine.read_text()
    assert course.prepare_my_work(root, say) == ([], [])  # up to date now

    # 5. a second reset in the same second keeps both old copies
    kept_again, _ = course.reset_lesson("01_first.ipynb", root, say)
    assert kept_again != kept and kept.exists() and kept_again.exists()
    assert kept.read_bytes() == edited

    # 6. the Korean lesson resets into my-work/old/ko/, the English copies untouched
    before = snapshot(work)
    kept_ko, _ = course.reset_lesson("ko/01", root, say)
    assert kept_ko.parent == work / "old" / "ko" and "내 답" in kept_ko.read_text(encoding="utf-8")
    assert {k: v for k, v in snapshot(work).items() if not k.startswith(("ko/", "old/ko/"))} == \
           {k: v for k, v in before.items() if not k.startswith(("ko/", "old/ko/"))}

    # nothing the learner did wrote to the course's notebooks/ (3. changed it, as an update does)
    assert {k: v for k, v in snapshot(root / "notebooks").items() if k not in ("01_first.ipynb", "03_third.ipynb")} \
        == {k: v for k, v in course_before.items() if k != "01_first.ipynb"}


def test_a_copy_is_never_overwritten(course_root):
    course.prepare_my_work(course_root, lambda _: None)
    mine = course_root / "my-work" / "01_first.ipynb"
    with pytest.raises(FileExistsError):
        course.copy_lesson(course_root / "notebooks" / "01_first.ipynb", mine, course_root)


def test_reset_of_a_lesson_never_copied_just_copies_it(course_root):
    kept, fresh = course.reset_lesson("02", course_root, lambda _: None)
    assert kept is None and fresh.exists()


def test_reset_checks_every_name_before_moving_anything(course_root, monkeypatch, capsys):
    course.prepare_my_work(course_root, lambda _: None)
    before = snapshot(course_root / "my-work")
    monkeypatch.setattr(course, "ROOT", course_root)
    monkeypatch.setattr(course, "reset_lesson",
                        lambda name, root=course_root, say=print: pytest.fail("moved a copy"))
    args = type("Args", (), {"lessons": ["01", "99"]})()
    assert course.reset(args) == 2
    assert "99" in capsys.readouterr().err
    assert snapshot(course_root / "my-work") == before
    with pytest.raises(ValueError, match="by its number"):
        course.find_lesson("first", course_root)


def test_reset_reads_the_lesson_from_make(monkeypatch, course_root):
    """`make reset LESSON=03` runs `course.py reset` with LESSON in its environment."""
    course.prepare_my_work(course_root, lambda _: None)
    reset = []
    monkeypatch.setenv("LESSON", "01 ko/01")
    monkeypatch.setattr(course, "find_lesson", lambda name, root=None: name)
    monkeypatch.setattr(course, "reset_lesson", lambda name, root=None, say=None: reset.append(name))
    assert course.reset(type("Args", (), {"lessons": []})()) == 0
    assert reset == ["01", "ko/01"]


def test_a_copy_that_lost_its_record_is_left_alone(course_root):
    """A copy whose metadata was removed (or a notebook the learner made) is never called out of date."""
    course.prepare_my_work(course_root, lambda _: None)
    mine = course_root / "my-work" / "01_first.ipynb"
    nb = json.loads(mine.read_text())
    del nb["metadata"][course.COPY_KEY]
    mine.write_text(json.dumps(nb))
    (course_root / "my-work" / "01_scratch.ipynb").write_text("not even json")
    write(lesson("Lesson 01", extra="\n\nchanged"), course_root / "notebooks" / "01_first.ipynb")
    assert course.prepare_my_work(course_root, lambda _: None) == ([], [])


# ---------------------------------------------------------------------------------------- make test, make notebooks


def test_make_notebooks_rerun_only_the_course_lessons(course_root):
    course.prepare_my_work(course_root, lambda _: None)
    paths = course.notebook_paths((), course_root)
    assert paths and all(Path(p).parts[0] == "notebooks" for p in paths)
    for mine in ("my-work/01_first.ipynb", "my-work", "./my-work/ko/01_first.ipynb"):
        with pytest.raises(ValueError, match="my-work"):
            course.notebook_paths([mine], course_root)


def test_course_py_notebooks_refuses_my_work_before_doing_anything():
    out = subprocess.run([sys.executable, str(ROOT / "course.py"), "notebooks", "my-work/01_x.ipynb"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "my-work" in out.stderr
    assert "+ " not in out.stdout  # nothing was run


def test_make_test_never_collects_my_work(course_root):
    """pytest as `make test` runs it (course.py's test_command, pyproject.toml's settings) collects the
    course's notebooks and never the learner's copies."""
    root = course_root
    shutil.copyfile(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "tests").mkdir()
    shutil.copyfile(ROOT / "tests" / "nbval_sanitize.cfg", root / "tests" / "nbval_sanitize.cfg")
    (root / "tests" / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    course.prepare_my_work(root, lambda _: None)
    shutil.copytree(root / "my-work", root / "my-work" / "old")  # old copies too
    command = course.test_command(sys.executable, ["--collect-only", "-q", "-p", "no:cacheprovider"])
    out = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    collected = [line for line in out.stdout.splitlines() if "::" in line]
    assert any(line.startswith("notebooks/01_first.ipynb::") for line in collected), out.stdout
    assert any(line.startswith("tests/test_nothing.py::") for line in collected)
    assert not [line for line in collected if "my-work" in line]


def test_clean_never_removes_my_work(course_root, monkeypatch):
    course.prepare_my_work(course_root, lambda _: None)
    (course_root / "build").mkdir()
    for name, value in (("ROOT", course_root), ("VENV", course_root / ".venv"),
                        ("COLAB_VENV", course_root / ".venv-colab")):
        monkeypatch.setattr(course, name, value)
    before = snapshot(course_root / "my-work")
    course.clean(None)
    assert not (course_root / "build").exists()
    assert snapshot(course_root / "my-work") == before


# ---------------------------------------------------------------------------------------- git and JupyterLab


def test_my_work_is_ignored_by_git():
    """`git pull` never touches it, and `git status` does not list a learner's answers."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for path in ("my-work/01_gradient_descent.ipynb", "my-work/old/01_gradient_descent.20250101-120000.ipynb",
                 "my-work/ko/01_gradient_descent.ipynb"):
        out = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert out.returncode == 0, f"{path} is not ignored by git"


def test_lab_opens_my_work_on_localhost_with_a_token():
    words = course.lab_command("python")
    assert "--ServerApp.root_dir=my-work" in words
    assert "--ServerApp.ip=127.0.0.1" in words
    assert not any("token" in w.lower() or "allow-root" in w or "password" in w.lower() for w in words)
    lab_source = Path(course.__file__).read_text()
    assert "prepare_my_work()" in lab_source.split("def lab(", 1)[1].split("\ndef ", 1)[0]
