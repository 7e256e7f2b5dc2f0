"""A small authoring aid: write a lesson notebook from a list of cells, with slide metadata and tags.

The .ipynb files in notebooks/ are the source of truth; this only makes writing them less error-prone.

    from nbbuild import md, code, notes, write
    cells = [
        md("# Title", slide="slide"),
        code("x = 1", slide="fragment"),
        notes("Say this out loud."),
        code("explorer", tags=["nbval-ignore-output"], slide="subslide"),
    ]
    write("notebooks/01_x.ipynb", cells)

Then run `make notebooks` to execute it in a fresh kernel and store the outputs.
"""

import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")


def _meta(slide, tags):
    """Cell metadata. "-" (continue the current slide) is written as no ``slideshow`` key at all:
    nbconvert reads a missing key as "-", and jupyterlab-slideshow 0.3.4 hides a cell whose
    slide_type is the explicit string "-" (see tools/slide_metadata.py)."""
    if slide not in SLIDE_TYPES:
        raise ValueError(f"slide must be one of {SLIDE_TYPES}, got {slide!r}")
    meta = {} if slide == "-" else {"slideshow": {"slide_type": slide}}
    if tags:
        meta["tags"] = list(tags)
    return meta


def md(text, slide="-", tags=()):
    """A markdown cell; ``slide`` is its slideshow type."""
    return new_markdown_cell(textwrap.dedent(text).strip("\n"), metadata=_meta(slide, tags))


def notes(text):
    """Speaker notes: a markdown cell shown only in the presenter view."""
    return md(text, slide="notes")


def code(source, slide="-", tags=()):
    """A code cell; tag ``nbval-ignore-output`` only where the output must vary (say why in the cell)."""
    return new_code_cell(textwrap.dedent(source).strip("\n"), metadata=_meta(slide, tags))


def write(path, cells):
    """Write a notebook with the course's kernel metadata."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    nbformat.write(nb, path)
