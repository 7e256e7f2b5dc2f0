"""Make each lesson's slide metadata mean the same deck to nbconvert and to jupyterlab-slideshow.

Two metadata-only changes, idempotent (a second run changes nothing):

1. A cell that continues the current slide carries no ``slideshow`` key at all.
   nbconvert reads a missing ``slide_type`` as "-" (continue the slide); jupyterlab-slideshow 0.3.4
   reads it the same way, but it does not know the explicit value "-" and hides such a cell
   whenever a deck is shown. Without the key both tools agree.
2. An explorer (a code cell whose stored output is an ipywidgets view) is a "subslide" instead of
   "skip", so a teacher presenting live in JupyterLab reaches it with the widgets running. The offline
   deck shows it as a slide too: its code, and a line saying the explorer runs live in JupyterLab
   (slides/build.py replaces the widget output).

Cell sources, outputs and every other metadata key are left exactly as they are.

Usage: python tools/slide_metadata.py [NOTEBOOK.ipynb ...]   (default: notebooks/*.ipynb)
       python tools/slide_metadata.py --check                (exit 1 if a notebook would change)
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def is_explorer(cell):
    """A code cell whose stored output is a widget view."""
    return cell.cell_type == "code" and any(
        WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", [])
    )


def fix_cell(cell):
    """Apply both rules to one cell's metadata; return True when it changed."""
    slideshow = cell.metadata.get("slideshow")
    if slideshow is None:
        return False
    kind = slideshow.get("slide_type")
    if kind == "-":
        del slideshow["slide_type"]
        if not slideshow:
            del cell.metadata["slideshow"]
        return True
    if kind == "skip" and is_explorer(cell):
        slideshow["slide_type"] = "subslide"
        return True
    return False


def fix_notebook(path, write=True):
    """Fix every cell of the notebook at ``path``; return how many cells changed."""
    nb = nbformat.read(path, as_version=4)
    changed = sum(fix_cell(cell) for cell in nb.cells)
    if changed and write:
        nbformat.write(nb, path)
    return changed


def main(args):
    check = "--check" in args
    paths = [Path(a) for a in args if a != "--check"] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for path in paths:
        changed = fix_notebook(path, write=not check)
        total += changed
        print(f"{path.name}: {changed} cell(s) {'to change' if check else 'changed'}")
    return 1 if check and total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
