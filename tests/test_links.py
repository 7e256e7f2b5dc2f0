"""Colab and Binder: every way in is built from the one repository URL and leads to a file that exists.

The address lives in pyproject.toml ([project.urls] Repository). From it:
- each notebook's "Open in Colab" badge links to that notebook itself, on the main branch;
- each notebook's first code cell installs lessons_lib from that repository when it is missing (Colab),
  and only imports it where it is present (a clone, Binder);
- the README's Binder badge and link build that repository and open its notebooks folder.
Expected addresses are written out here from the URL, independently of tools/colab_links.py; the last
tests then check that the tool and the notebooks agree, so the tool can rewrite them all after a move.
"""

import importlib.util
import json
import re
import shlex
import tomllib
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REPO = PYPROJECT["project"]["urls"]["Repository"]

COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^)\s\"'<>]+")
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/[^)\s\"'<>]+")


def owner_name():
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", REPO)
    assert match and not REPO.endswith(".git"), f"Repository: want https://github.com/OWNER/NAME, got {REPO!r}"
    return match.groups()


def load(path):
    return json.loads(path.read_text())


def cell_source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def first_code_cell(path):
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert cells, f"{path.name} has no code cell"
    return cell_source(cells[0])


def load_tool():
    spec = importlib.util.spec_from_file_location("colab_links", ROOT / "tools" / "colab_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_repository_url_is_a_github_repository():
    owner, name = owner_name()
    assert owner and name


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no lesson"


# ------------------------------------------------------------------------------------------------ Colab


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_cell_has_a_colab_badge_for_this_notebook(path):
    owner, name = owner_name()
    rel = path.relative_to(ROOT).as_posix()
    expected = (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{owner}/{name}/blob/main/{rel})"
    )
    first = load(path)["cells"][0]
    assert first["cell_type"] == "markdown", f"{path.name}: the first cell should be the title (markdown)"
    assert expected in cell_source(first), f"{path.name}: the first cell lacks the badge\n{expected}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_colab_link_is_built_from_the_repository_and_points_at_a_file(path):
    """Also links to other lessons (e.g. "next lesson"): same repository, main branch, an existing file."""
    owner, name = owner_name()
    prefix = f"https://colab.research.google.com/github/{owner}/{name}/blob/main/"
    text = "\n".join(cell_source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    links = COLAB_LINK.findall(text)
    assert links, f"{path.name}: no Colab link"
    for link in links:
        assert link.startswith(prefix), f"{path.name}: {link} is not under {prefix}"
        target = link.removeprefix(prefix).split("#")[0]
        assert target.endswith(".ipynb") and (ROOT / target).is_file(), f"{path.name}: {link} -> no {target}"
        assert (ROOT / target).resolve().parent == (ROOT / "notebooks").resolve(), link


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_installs_from_the_repository_only_when_missing(path):
    """The source text: a find_spec guard around one %pip install of git+<Repository>, then the import."""
    source = first_code_cell(path)
    lines = source.splitlines()
    assert lines[0].startswith("# Set-up:"), f"{path.name}: the first code cell is not the set-up cell"
    guard_line = 'if importlib.util.find_spec("lessons_lib") is None:'
    assert guard_line in lines, f"{path.name}: the install is not guarded by `{guard_line}`"
    guard = lines.index(guard_line)
    install = lines[guard + 1]
    assert install.startswith("    %pip install "), f"{path.name}: the guarded line should be %pip install"
    assert f'"lessons_lib @ git+{REPO}"' in install, f"{path.name}: installs from elsewhere: {install}"
    assert [line for line in lines if "pip" in line] == [install], f"{path.name}: a second install"
    assert lines[guard + 2 :] == ["import lessons_lib", "lessons_lib.notebook_setup()"]


class FakeShell:
    """Stands in for get_ipython(): records the magics a cell runs instead of running them."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def run_setup_cell(path, monkeypatch, lessons_lib_present):
    """Execute the notebook's set-up cell as IPython would, with a fake shell; return (shell, namespace)."""
    from IPython.core.inputtransformer2 import TransformerManager

    import lessons_lib

    setup_calls = []
    monkeypatch.setattr(lessons_lib, "notebook_setup", lambda: setup_calls.append(1))
    if not lessons_lib_present:  # Colab: find_spec does not find the package
        real_find_spec = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a, **k: None if name == "lessons_lib" else real_find_spec(name, *a, **k),
        )
    python = TransformerManager().transform_cell(first_code_cell(path))  # %pip -> run_line_magic(...)
    shell = FakeShell()
    namespace = {"get_ipython": lambda: shell}
    exec(compile(python, f"{path.name} set-up cell", "exec"), namespace)
    assert setup_calls == [1], f"{path.name}: notebook_setup() should run once"
    return shell, {k for k in namespace if k not in ("get_ipython", "__builtins__")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_does_nothing_but_import_where_lessons_lib_is_installed(path, monkeypatch):
    shell, names = run_setup_cell(path, monkeypatch, lessons_lib_present=True)
    assert shell.magics == [], f"{path.name}: ran {shell.magics} although lessons_lib is installed"
    assert names == {"importlib", "lessons_lib"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_installs_lessons_lib_from_the_repository_where_missing(path, monkeypatch):
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    shell, _ = run_setup_cell(path, monkeypatch, lessons_lib_present=False)
    assert len(shell.magics) == 1 and shell.magics[0][0] == "pip", f"{path.name}: {shell.magics}"
    words = shlex.split(shell.magics[0][1])
    assert words[0] == "install"
    options = [w for w in words[1:] if w.startswith("-")]
    assert set(options) <= {"--quiet", "-q", "--no-deps"}, f"{path.name}: unexpected pip options {options}"
    (requirement,) = [Requirement(w) for w in words[1:] if not w.startswith("-")]
    assert canonicalize_name(requirement.name) == canonicalize_name(PYPROJECT["project"]["name"])
    assert requirement.url == f"git+{REPO}"


# ------------------------------------------------------------------------------------------------ Binder


def readme():
    return (ROOT / "README.md").read_text()


def test_readme_has_a_binder_badge_for_the_repository():
    owner, name = owner_name()
    badge = re.search(
        r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\((https://mybinder\.org/v2/[^)\s]+)\)",
        readme(),
    )
    assert badge, "README.md has no Binder badge [![Binder](https://mybinder.org/badge_logo.svg)](...)"
    assert badge.group(1).startswith(f"https://mybinder.org/v2/gh/{owner}/{name}/")


def test_every_binder_link_in_the_readme_opens_this_repository_at_a_folder_that_exists():
    owner, name = owner_name()
    links = BINDER_LINK.findall(readme())
    assert links, "README.md has no Binder link"
    for link in links:
        match = re.fullmatch(
            rf"https://mybinder\.org/v2/gh/{re.escape(owner)}/{re.escape(name)}/(HEAD|main)"
            r"(?:\?urlpath=lab(?:/tree/([^&#]*))?)?",
            urllib.parse.unquote(link),
        )
        assert match, f"README.md: {link} is not a Binder link to {REPO} on HEAD/main"
        opened = match.group(2)
        if opened:
            assert (ROOT / opened).exists(), f"README.md: {link} opens {opened}, which does not exist"


def test_every_colab_link_in_the_readme_points_at_a_notebook_of_this_repository():
    owner, name = owner_name()
    prefix = f"https://colab.research.google.com/github/{owner}/{name}/blob/main/"
    for link in COLAB_LINK.findall(readme()):
        assert link.startswith(prefix), f"README.md: {link} is not under {prefix}"
        assert (ROOT / link.removeprefix(prefix)).is_file(), f"README.md: {link} points at no file"


# ------------------------------------------------------------------------------ tools/colab_links.py


def test_the_tool_reads_the_same_repository_url():
    assert load_tool().repository_url(ROOT) == REPO


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_in_step_with_tools_colab_links(path):
    tool = load_tool()
    changes = tool.sync(path, REPO, root=ROOT, write=False)
    assert changes == [], f"{path.name} is out of step ({changes}): run python tools/colab_links.py"


def test_the_tool_rewrites_a_moved_repository_everywhere_and_touches_nothing_else(tmp_path):
    """After the repository moves, one run rewrites badge and set-up cell; a second run changes nothing."""
    nbformat = pytest.importorskip("nbformat")
    tool = load_tool()
    old = "https://github.com/old-owner/old-name"
    new = "https://github.com/new-owner/new-name"
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "07_x.ipynb"
    nb = nbformat.v4.new_notebook()
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Title\n\n{tool.colab_badge(old, 'notebooks/07_x.ipynb')}\n\nText."),
        nbformat.v4.new_code_cell(tool.setup_cell(old)),
        nbformat.v4.new_code_cell("x = 1", outputs=[figure], execution_count=2),
    ]
    nbformat.write(nb, path)

    assert tool.sync(path, new, root=tmp_path) == ["Colab badge", "set-up cell"]
    text = path.read_text()
    assert "old-owner" not in text
    colab = "https://colab.research.google.com/github/new-owner/new-name/blob/main/notebooks/07_x.ipynb"
    assert text.count(colab) == 1
    assert text.count("git+https://github.com/new-owner/new-name") == 1
    after = nbformat.read(path, as_version=4)
    assert after.cells[0].source.endswith("\n\nText.") and after.cells[2].outputs == nb.cells[2].outputs
    before_bytes = path.read_bytes()
    assert tool.sync(path, new, root=tmp_path) == []
    assert path.read_bytes() == before_bytes
