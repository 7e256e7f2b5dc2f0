"""Keep every notebook's "Open in Colab" badge and set-up cell built from the one repository URL.

The course's repository address lives in one place, pyproject.toml ([project.urls] Repository). From it
this script writes, in each notebook:

- the Colab badge in the first markdown cell, linking to that notebook on the main branch;
- the first code cell, the set-up cell: in a clone or on Binder it only imports ``lessons_lib``; in Colab,
  where ``lessons_lib`` is missing, it first installs it from the repository.

Nothing else in a notebook changes (outputs included), and a notebook already in step is not rewritten.
tests/test_links.py checks that every notebook is in step.

Usage:
    python tools/colab_links.py            rewrite the notebooks in notebooks/ that are out of step
    python tools/colab_links.py --check    only list them; exit status 1 if there are any
    python tools/colab_links.py --check notebooks/01_gradient_descent.ipynb
"""

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
SETUP_MARKER = "# Set-up:"  # the set-up cell's first line starts with this

# Any Colab badge link, whatever repository, branch or path it names.
_BADGE = re.compile(
    r"\[!\[Open In Colab\]\([^)]*\)\]\(https://colab\.research\.google\.com/github/[^)\s]*\)"
)


def repository_url(root=ROOT):
    """The course repository's address, from pyproject.toml [project.urls] Repository."""
    project = tomllib.loads((Path(root) / "pyproject.toml").read_text())["project"]
    url = project["urls"]["Repository"]
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url) or url.endswith(".git"):
        raise ValueError(f"Repository must look like https://github.com/OWNER/NAME, got {url!r}")
    return url


def owner_and_name(repo_url):
    """('OWNER', 'NAME') of https://github.com/OWNER/NAME."""
    owner, name = repo_url.removeprefix("https://github.com/").split("/")
    return owner, name


def colab_url(repo_url, path):
    """Colab's address for the file ``path`` (relative to the repository root) on the main branch."""
    owner, name = owner_and_name(repo_url)
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{BRANCH}/{Path(path).as_posix()}"


def colab_badge(repo_url, path):
    """The markdown of an "Open In Colab" badge for ``path``."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({colab_url(repo_url, path)})"


def binder_url(repo_url, urlpath="lab/tree/notebooks"):
    """mybinder.org's address that builds the repository and opens JupyterLab at ``urlpath``."""
    owner, name = owner_and_name(repo_url)
    return f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?urlpath={urlpath}"


def binder_badge(repo_url, urlpath="lab/tree/notebooks"):
    """The markdown of a "launch binder" badge."""
    return f"[![Binder]({BINDER_BADGE_IMAGE})]({binder_url(repo_url, urlpath)})"


def setup_cell(repo_url):
    """The source of every lesson's first code cell."""
    return (
        f"{SETUP_MARKER} in a clone or in Binder this only imports the course library; "
        "in Colab it installs it first.\n"
        "import importlib.util\n"
        'if importlib.util.find_spec("lessons_lib") is None:\n'
        f'    %pip install --quiet --no-deps "lessons_lib @ git+{repo_url}"\n'
        "import lessons_lib\n"
        "lessons_lib.notebook_setup()"
    )


def _with_badge(markdown, badge):
    """``markdown`` with its Colab badge replaced by ``badge``, or ``badge`` added under its first line."""
    if _BADGE.search(markdown):
        return _BADGE.sub(lambda _: badge, markdown, count=1)
    title, _, rest = markdown.partition("\n")
    return f"{title}\n\n{badge}\n\n{rest.lstrip(chr(10))}".rstrip("\n")


def sync(path, repo_url, root=ROOT, write=True):
    """Bring one notebook's badge and set-up cell in step with ``repo_url``.

    Returns a list of what was (or, with ``write=False``, would be) changed; empty when in step.
    """
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    changes = []

    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown":
        raise ValueError(f"{path.name}: the first cell must be markdown (title and Colab badge)")
    badged = _with_badge(first.source, colab_badge(repo_url, path.relative_to(Path(root).resolve())))
    if badged != first.source:
        first.source = badged
        changes.append("Colab badge")

    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    wanted = setup_cell(repo_url)
    if code_cells and code_cells[0].source.startswith(SETUP_MARKER):
        if code_cells[0].source != wanted:
            code_cells[0].source = wanted
            changes.append("set-up cell")
    else:  # no set-up cell yet: add one right after the first markdown cell
        cell = nbformat.v4.new_code_cell(wanted, metadata={"slideshow": {"slide_type": "skip"}})
        nb.cells.insert(1, cell)
        changes.append("set-up cell added")

    if changes and write:
        nbformat.write(nb, path)
    return changes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of step")
    args = parser.parse_args(argv)
    repo_url = repository_url()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    out_of_step = 0
    for path in paths:
        changes = sync(path, repo_url, write=not args.check)
        if changes:
            out_of_step += 1
            verb = "out of step" if args.check else "rewrote"
            print(f"{path}: {verb}: {', '.join(changes)}")
    return 1 if args.check and out_of_step else 0


if __name__ == "__main__":
    sys.exit(main())
