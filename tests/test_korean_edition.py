"""The Korean edition (notebooks/ko/) is in step with the English lessons, and the check that says so works.

Every English lesson has a Korean twin whose code cells are the English ones (the set-up cell selects Korean
feedback) and whose text cells are the blocks of translations/ko/NN_name.md, each recording the hash of the
English text it renders. A deliberate stale edit, a moved cell and a new cell are each caught, naming the
cells (tools/korean.py).
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("korean", ROOT / "tools" / "korean.py")
korean = importlib.util.module_from_spec(spec)
spec.loader.exec_module(korean)

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Key terms: where an English text cell uses the term, its Korean twin uses the glossary's Korean term
# (GLOSSARY.md; the forms of the Korean edition of *Deep Learning from Scratch*).
KEY_TERMS = {
    "stochastic gradient descent": "확률적 경사 하강법",
    "gradient descent": "경사 하강법",
    "learning rate": "학습률",
    "momentum": "모멘텀",
    "initial weights": "가중치 초깃값",
    "weight initialization": "가중치 초기화",
    "vanishing gradient": "기울기 소실",
    "bias correction": "편향 보정",
    "saddle point": "안장점",
    "local minimum": "지역 최솟값",
    "minibatch": "미니배치",
    "epoch": "에포크",
    "weight decay": "가중치 감쇠",
    "activation function": "활성화 함수",
}


@pytest.mark.parametrize("en_path", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_every_lesson_has_an_up_to_date_korean_twin(en_path):
    found = korean.problems(en_path)
    assert not found, "\n".join(found)


def prose(markdown):
    """A text cell without its code spans, code blocks, maths and link targets (terms there are code)."""
    markdown = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    markdown = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)", " ", markdown, flags=re.S)
    return markdown


def test_the_key_terms_are_the_glossarys_where_the_english_lesson_uses_them():
    glossary = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    for english, korean_term in KEY_TERMS.items():
        assert korean_term in glossary, f"{korean_term!r} ({english}) is not a Korean form in GLOSSARY.md"
    missing = []
    for en_path in ENGLISH:
        tr_path = korean.translation_path(en_path)
        if not tr_path.exists():
            missing.append(f"{en_path.name}: no translation yet")
            continue
        en = {c.id: prose(c.source) for c in nbformat.read(en_path, as_version=4).cells if c.cell_type == "markdown"}
        for cell_id, _, text in korean.read_translation(tr_path):
            for english, korean_term in KEY_TERMS.items():
                # "gradient descent" inside "stochastic gradient descent" counts as the longer term only
                uses = re.search(rf"(?<!stochastic ){re.escape(english)}", en.get(cell_id, ""), re.I)
                if uses and korean_term not in text:
                    missing.append(f"{tr_path.name} block for cell {cell_id}: the English says {english!r}, "
                                   f"the Korean lacks {korean_term!r}")
    assert not missing, "\n".join(missing)


# ------------------------------------------------------------------------------------------ the tool itself


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A tiny course in a temporary folder: one English lesson of four cells."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    monkeypatch.setattr(korean, "ROOT", tmp_path)
    monkeypatch.setattr(korean, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(korean, "KO_NOTEBOOKS", notebooks / "ko")
    monkeypatch.setattr(korean, "TRANSLATIONS", tmp_path / "translations" / "ko")
    nb = new_notebook(cells=[
        new_markdown_cell("# Lesson 99 · Gradient descent\n\nThe learning rate sets the step. See "
                          "[the glossary](../GLOSSARY.md) and [lesson 98](98_other.ipynb)."),
        new_code_cell("import lessons_lib\nlessons_lib.notebook_setup()"),
        new_markdown_cell("## 1. One step\n\nGradient descent steps against the gradient."),
        new_code_cell("x = 1.5 - 0.2 * 3.0\nprint(x)"),
    ])
    path = notebooks / "99_lesson.ipynb"
    nbformat.write(nb, path)
    return path


def translate(path):
    """What a translator does: replace each block's English text by Korean, keeping the markers."""
    blocks = korean.read_translation(path)
    korean_text = {0: "# 레슨 99 · 경사 하강법\n\n학습률이 걸음을 정합니다. [용어집](../GLOSSARY.md)과 "
                      "[레슨 98](98_other.ipynb)을 보세요.",
                   1: "## 1. 한 걸음\n\n경사 하강법은 기울기의 반대 방향으로 움직입니다."}
    korean.write_translation(path, [(cid, digest, korean_text[k]) for k, (cid, digest, _) in enumerate(blocks)])


def test_template_translate_build_and_check(course):
    tr = korean.template(course)
    assert korean.problems(course)  # still English: "untranslated", and no Korean notebook yet
    translate(tr)
    ko_path = korean.build(course)
    assert korean.problems(course) == []
    ko = nbformat.read(ko_path, as_version=4)
    en = nbformat.read(course, as_version=4)
    assert [c.id for c in ko.cells] == [c.id for c in en.cells]
    assert ko.cells[1].source == 'import lessons_lib\nlessons_lib.notebook_setup(language="ko")'
    assert ko.cells[3].source == en.cells[3].source
    assert "](../../GLOSSARY.md)" in ko.cells[0].source  # one folder further from the repository root
    assert "](98_other.ipynb)" in ko.cells[0].source  # links between lessons stay in the Korean edition
    assert ko.cells[2].metadata["translation"]["source_id"] == en.cells[2].id


def test_a_stale_english_edit_is_caught_naming_both_cells(course):
    translate(korean.template(course))
    korean.build(course)
    en = nbformat.read(course, as_version=4)
    en.cells[2].source = "## 1. One step\n\nGradient descent steps against the gradient, scaled by lr."
    nbformat.write(en, course)
    found = korean.problems(course)
    assert len(found) == 1 and found[0].startswith("stale: English cell 2")
    assert "'## 1. One step'" in found[0] and "block 2 of 99_lesson.md" in found[0] and "한 걸음" in found[0]
    korean.stamp(course, en.cells[2].id)  # after the Korean text was brought up to date
    korean.build(course)
    assert korean.problems(course) == []


def test_a_moved_added_or_removed_english_cell_is_caught(course):
    translate(korean.template(course))
    korean.build(course)
    en = nbformat.read(course, as_version=4)
    moved = nbformat.from_dict(en)
    moved.cells = [en.cells[0], en.cells[3], en.cells[2], en.cells[1]]
    nbformat.write(moved, course)
    assert any("not in the order" in p or "does not have" in p for p in korean.problems(course))
    added = nbformat.from_dict(en)
    added.cells = en.cells + [new_markdown_cell("## 2. Another section")]
    nbformat.write(added, course)
    assert any("has no Korean block" in p for p in korean.problems(course))
    removed = nbformat.from_dict(en)
    removed.cells = en.cells[:2] + en.cells[3:]
    nbformat.write(removed, course)
    assert any("no longer has" in p for p in korean.problems(course))


def test_a_hand_edited_korean_code_cell_is_caught(course):
    translate(korean.template(course))
    ko_path = korean.build(course)
    ko = nbformat.read(ko_path, as_version=4)
    ko.cells[3].source = "x = 2\nprint(x)"
    nbformat.write(ko, ko_path)
    assert any("code cell 3" in p for p in korean.problems(course))


def test_untranslated_blocks_are_caught(course):
    korean.template(course)
    korean.build(course)
    found = korean.problems(course)
    assert sum(p.startswith("untranslated") for p in found) == 2


# ------------------------------------------------------------------------------------------ README.ko.md


def command_rows(name):
    """A README's table of commands, (make, PowerShell, macOS) per row, read as tests/test_teaching.py reads it."""
    rows = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        cells = re.findall(r"`([^`]+)`", line)
        if line.startswith("|") and len(cells) == 3 and cells[0].startswith("make "):
            rows.append(tuple(cells))
    return rows


def repository():
    """The repository's address ([project.urls] Repository in pyproject.toml)."""
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def test_the_korean_readme_is_linked_and_links_every_korean_lesson_with_the_same_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == "한국어: [README.ko.md](README.ko.md)", "README.md's first line links README.ko.md"
    ko = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert "](README.md)" in ko
    lessons = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
    assert lessons, "no Korean lesson in notebooks/ko/"
    for path in lessons:
        # the lesson table names each Korean lesson by its first heading, "# 레슨 NN · <title>"
        heading = korean.read_translation(korean.translation_path(path))[0][2].splitlines()[0]
        title = heading.split(" · ", 1)[1]
        assert f"[{title}](notebooks/ko/{path.name})" in ko, \
            f"README.ko.md's lesson table lacks [{title}](notebooks/ko/{path.name}) (the lesson's heading: {heading!r})"
    for link in re.findall(r"\]\((notebooks/ko/[^)]*)\)|/blob/main/(notebooks/ko/[^)]*)\)|urlpath=lab/tree/([^)]*)\)", ko):
        target = next(part for part in link if part)
        assert (ROOT / target).exists(), f"README.ko.md links {target}, which does not exist"
    assert "urlpath=lab/tree/notebooks/ko)" in ko and "/blob/main/notebooks/ko/01_" in ko  # Binder, Colab
    rows = command_rows("README.md")
    assert rows and command_rows("README.ko.md") == rows, "README.ko.md's table of commands is not README.md's"
    quick = re.search(r"```bash\n(.*?)```", ko, re.S).group(1)
    assert [line.split("#")[0].strip() for line in quick.splitlines() if line.strip()] == ["make lab", "make test"]
    for needed in ("my-work/ko/", "make reset LESSON=ko/03", "slides/build/ko/", "build/learner-edition/ko/",
                   "풀이", "[TEACHING.md](TEACHING.md)", "GLOSSARY.md", "## 문제 신고"):
        assert needed in ko, f"README.ko.md does not mention {needed!r}"
    assert f"{repository()}/issues" in ko.split("## 문제 신고", 1)[1]

