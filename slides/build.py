"""Build one reveal.js lecture deck per lesson notebook, presentable offline (`make slides`).

    python slides/build.py                       # every notebooks/NN_*.ipynb -> slides/build/NN_*.slides.html
    python slides/build.py notebooks/03_x.ipynb  # only these
    python slides/build.py --out DIR ...         # somewhere else (the tests build into a temporary folder)

The deck is the notebook itself: nbconvert's slides exporter reads each cell's slideshow metadata
(slide / subslide / fragment / - / skip / notes) and stored outputs, so a deck cannot drift from its lesson.
What this script adds to the stock exporter, so that a deck presents with no internet:

- template slides/templates/offline_reveal: reveal.js, its speaker-notes plugin, its theme and fonts, and
  MathJax 3 load from ``assets/`` next to the deck (copied from the committed slides/vendor/), never a CDN;
- figures stay embedded as data: URIs (nbconvert's default for PNG outputs; markdown images too);
- the "Open in Colab" badge image (fetched from the web) becomes a plain "Open In Colab" hyperlink: it
  loads nothing while presenting, and a student with internet can still follow it;
- links to another lesson notebook (``02_sgd.ipynb``) point to that lesson's deck (``02_sgd.slides.html``);
- animated GIF outputs (the optimizer race), which nbconvert's HTML template does not render, are
  embedded as <img class="animation" src="data:image/gif;base64,..."> so they play on the slide, as wide
  as the slide;
- text sized for a room (slides/deck.css: body 28 px, code 22 px on the 1280 x 800 canvas), figures as
  wide as the slide allows;
- a line of a paragraph that starts with a zero-padded number ("... lesson\n01. The settings") stays
  text: nbconvert's markdown reader would start a numbered list there, JupyterLab's does not;
- the speaker view (key S) gives its slide previews the deck's proportions (slides/speaker.css);
- speaker notes belong to their whole slide: a notes cell is moved before the slide's first fragment
  (reveal.js would show a note inside a fragment only while that fragment is current);
- a code cell tagged ``remove-input`` shows only its output in the deck, one tagged ``remove-output`` only
  its code (Jupyter Book's tags; the notebook is unchanged): how a lesson keeps a slide short;
- a slide taller than the deck scrolls inside itself instead of being cut (a fallback only: every lesson
  slide must fit, tests/test_slides_fit.py measures them);
- an interactive explorer's widget output (meaningless without a kernel) becomes a one-line note saying
  it runs live in JupyterLab; the static figure the lesson shows above it stays.

The folder written (slides/build/ by default) is self-contained: copy it to a USB stick and open a deck.
"""

import argparse
import copy
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.exporters import SlidesExporter
from traitlets.config import Config

SLIDES = Path(__file__).resolve().parent
ROOT = SLIDES.parent
sys.path.insert(0, str(ROOT))
from course import SOLUTION  # noqa: E402  (the folded-solution pattern, one definition for the course)
NOTEBOOKS = ROOT / "notebooks"
VENDOR = SLIDES / "vendor"
DEFAULT_OUT = SLIDES / "build"
ASSETS = "assets"  # folder name, next to the decks, that holds the vendored files
LESSON_GLOB = "[0-9][0-9]_*.ipynb"

REMOVE_INPUT_TAG = "remove-input"  # Jupyter Book's name for "show the output, not the code"
REMOVE_OUTPUT_TAG = "remove-output"  # and for "show the code, not its output" (a long printout)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="offline-widget-note">Interactive explorer: run the notebook in JupyterLab '
    "to move its sliders.</p>"
)

# A markdown image whose address is on the web, alone or as the face of a link: [![alt](img)](href)
_LINKED_REMOTE_IMAGE = re.compile(r"\[!\[([^\]]*)\]\((https?://[^)\s]+)[^)]*\)\]\(([^)\s]+)\)")
_REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\((https?://[^)\s]+)[^)]*\)")
# A markdown link to a notebook in the same folder: (02_sgd.ipynb) or (02_sgd.ipynb#Section)
_NOTEBOOK_LINK = re.compile(r"\]\(((?:\./)?([0-9][0-9]_[A-Za-z0-9_\-]+)\.ipynb)(#[^)\s]*)?\)")

DECK_CSS = SLIDES / "deck.css"  # text sizes, figures, the explorer note
SPEAKER_CSS = SLIDES / "speaker.css"  # the speaker view's layout (added to its pop-up window)

# A line that continues a paragraph and starts with a zero-padded 1 ("01. The settings", a lesson number
# wrapped onto the line start). nbconvert's markdown reader (mistune) reads it as the start of a numbered
# list; JupyterLab's (marked) keeps it in the paragraph, as its author meant. Escaping the dot keeps it text.
_ZERO_PADDED_ONE = re.compile(r"^( {0,3})(0+1)([.)])(?=[ \t]|$)")
_BLOCK_MARKER = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)|^ {0,3}(?:>|\||<)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")


def lesson_notebooks(folder=NOTEBOOKS):
    """The lesson notebooks, in lesson order: notebooks/NN_name.ipynb."""
    return sorted(Path(folder).glob(LESSON_GLOB))


def deck_name(notebook):
    return Path(notebook).stem + ".slides.html"


def keep_numbers_in_paragraphs(source):
    """Escape "01." at the start of a paragraph's continuation line, so that it is not read as a list.

    Lists (a block whose first line is a list item), fenced code, headings, quotes, tables and HTML blocks
    are left alone: only a plain paragraph's wrapped line changes, as JupyterLab would show it.
    """
    lines = source.split("\n")
    fence = None  # the open code fence, if any
    block = None  # the block the previous line belongs to: None (none), "paragraph" or "other"
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1) == fence:
                fence = None
            continue
        if opened:
            fence, block = opened.group(1), None
            continue
        if not line.strip() or _HEADING.match(line):
            block = None
            continue
        if block == "paragraph":
            escaped = _ZERO_PADDED_ONE.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", line)
            if escaped == line and _BLOCK_MARKER.match(line):
                block = "other"  # a list or quote that interrupts the paragraph (both readers agree)
            lines[i] = escaped
        elif block is None:
            block = "other" if _BLOCK_MARKER.match(line) or line.startswith("    ") else "paragraph"
    return "\n".join(lines)


def _offline_markdown(source, deck_stems):
    """Remote images become plain links; links to lessons that get a deck point to that deck; a wrapped
    "01." stays in its paragraph."""
    source = keep_numbers_in_paragraphs(source)
    source = _LINKED_REMOTE_IMAGE.sub(lambda m: f"[{m.group(1) or m.group(3)}]({m.group(3)})", source)
    source = _REMOTE_IMAGE.sub(lambda m: f"[{m.group(1) or m.group(2)}]({m.group(2)})", source)

    def to_deck(m):
        stem = m.group(2)
        if stem not in deck_stems:
            return m.group(0)
        return f"]({stem}.slides.html{m.group(3) or ''})"

    return _NOTEBOOK_LINK.sub(to_deck, source)


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def notes_first(cells):
    """Move each notes cell up to just after the cell that opens its slide (order otherwise kept).

    nbconvert wraps every cell that follows a fragment in that fragment's <div>, notes included, and
    reveal.js shows a note that sits inside a fragment only while that fragment is the current one. A
    notes cell is written for its whole slide, so it goes before the slide's first fragment.
    """
    head, groups, current = [], [], None  # per slide: [opening cell], [notes cells], [other cells]
    for cell in cells:
        kind = _slide_type(cell)
        opens = kind in ("slide", "subslide") or (current is None and kind not in ("skip", "notes"))
        if opens:
            current = [[cell], [], []]
            groups.append(current)
        elif current is None:
            head.append(cell)
        elif kind == "notes":
            current[1].append(cell)
        else:
            current[2].append(cell)
    return head + [cell for opener, notes, rest in groups for cell in opener + notes + rest]


def without_solutions(cells):
    """The cells without their folded worked solutions (course.py's SOLUTION pattern, as the learner's
    edition): reveal.js shows a <details> block open, so a deck would give every answer away. A text cell
    that held only a solution is left out; the teacher shows solutions from the notebook."""
    kept = []
    for cell in cells:
        if cell.cell_type == "markdown":
            left, found = SOLUTION.subn("", cell.source)
            if found:
                if not left.strip():
                    continue
                cell.source = left
        kept.append(cell)
    return kept


def prepare(nb, deck_stems=()):
    """A copy of ``nb`` ready for an offline deck (the notebook file itself is never changed)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # no saved widget state: a static deck cannot run widgets
    nb.cells = notes_first(without_solutions(nb.cells))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _offline_markdown(cell.source, set(deck_stems))
        elif cell.cell_type == "code":
            outputs = []
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if WIDGET_MIME in data:
                    out = nbformat.v4.new_output("display_data", data={"text/html": WIDGET_NOTE})
                elif "image/gif" in data and "text/html" not in data:
                    gif = "".join(data["image/gif"].split())
                    html = f'<img class="animation" src="data:image/gif;base64,{gif}" alt="animation">'
                    out = nbformat.v4.new_output("display_data", data={"text/html": html})
                outputs.append(out)
            cell.outputs = outputs
    return nb


def make_exporter():
    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(SLIDES / "templates")]
    c.SlidesExporter.template_name = "offline_reveal"
    c.SlidesExporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    c.SlidesExporter.reveal_theme = "white"  # its fonts are vendored; 'simple' would fetch web fonts
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.embed_images = True  # markdown images as data: URIs (outputs already are)
    c.TagRemovePreprocessor.remove_input_tags = {REMOVE_INPUT_TAG}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {REMOVE_OUTPUT_TAG}
    return SlidesExporter(config=c)


def copy_assets(out):
    """Copy the vendored reveal.js and MathJax files to OUT/assets (the decks' relative base)."""
    for package in ("reveal.js", "mathjax"):
        shutil.copytree(VENDOR / package, Path(out) / ASSETS / package, dirs_exist_ok=True)


def build(notebooks=None, out=DEFAULT_OUT, exporter=None, quiet=False):
    """Build a deck for each notebook into ``out``; return the list of deck paths."""
    notebooks = [Path(p) for p in (lesson_notebooks() if notebooks is None else notebooks)]
    if not notebooks:
        raise ValueError(f"notebooks: no lesson notebook to build (looked for {NOTEBOOKS / LESSON_GLOB})")
    for path in notebooks:
        if not path.is_file():
            raise ValueError(f"notebooks: no such notebook {str(path)!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = exporter or make_exporter()
    deck_stems = {p.stem for p in notebooks}
    decks = []
    for path in notebooks:
        start = time.perf_counter()
        nb = prepare(nbformat.read(path, as_version=4), deck_stems)
        resources = {
            "metadata": {"name": path.stem, "path": str(path.parent)},
            "offline": {"assets": ASSETS, "css": DECK_CSS.read_text(encoding="utf-8"),
                        "speaker_css": SPEAKER_CSS.read_text(encoding="utf-8")},
        }
        html, _ = exporter.from_notebook_node(nb, resources=resources)
        deck = out / deck_name(path)
        deck.write_text(html, encoding="utf-8")
        decks.append(deck)
        if not quiet:
            seconds = time.perf_counter() - start
            print(f"{deck}: "
                  f"{len(html.encode()) / 1e6:.2f} MB in {seconds:.1f} s")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build offline reveal.js decks from the lesson notebooks.")
    parser.add_argument("notebooks", nargs="*", help="notebooks to build (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: slides/build)")
    args = parser.parse_args(argv)
    try:
        build(args.notebooks or None, args.out)
        korean = lesson_notebooks(NOTEBOOKS / "ko")
        if not args.notebooks and korean:  # the Korean decks, in a ko/ folder of their own
            build(korean, Path(args.out) / "ko")
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
