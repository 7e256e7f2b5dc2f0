"""The lecture decks (slides/build.py): one per lesson, built from the notebook's slide metadata, offline.

Every expectation here is computed from the notebook itself (cell ids, slideshow metadata, stored outputs),
not from the builder: which cells a slide holds, how many slides there are, which cells are speaker notes,
which figures must be embedded. The deck is read with the standard library's HTML parser.

A deck must load nothing from the web while presenting. Loaded resources (script/img/iframe/... src,
<link href>, <object data>, SVG image href, CSS @import and url()) must be local files that exist next to
the deck, or data: URIs. Plain hyperlinks (<a href>) may point to the web: following one is the viewer's
choice and presenting needs no network. That is how a deck keeps the lesson's "Open in Colab" badge: as a
plain text link, without the badge image (which would be fetched from the web).
"""

import base64
import importlib.util
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("slides_build", ROOT / "slides" / "build.py")
slides_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slides_build)
_spec = importlib.util.spec_from_file_location("slides_fetch_vendor", ROOT / "slides" / "fetch_vendor.py")
fetch_vendor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch_vendor)

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.I)  # http://, https://, //host (not file: paths)
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")


# --------------------------------------------------------------------------------------------------
# What the notebook says the deck must be (independent of slides/build.py)

def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def only_a_solution(cell):
    """A text cell that holds nothing but a folded worked solution (decks leave these out)."""
    text = cell.source.strip()
    return (cell.cell_type == "markdown" and re.match(r"<details>\s*<summary>\s*(Solution|풀이)", text)
            and text.endswith("</details>"))


def expected_layout(nb):
    """Map cell id -> index of the reveal slide (leaf <section>) that must show it; skip cells absent.

    reveal.js semantics: the first shown cell opens slide 0; every later 'slide' or 'subslide' cell opens
    the next slide; '-' and 'fragment' cells continue the current one; 'notes' cells belong to the current
    slide (speaker notes); 'skip' cells are not in the deck, and neither are folded solutions (reveal.js
    would show them open).
    """
    layout, current = {}, -1
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind == "skip" or only_a_solution(cell):
            continue
        if kind in ("slide", "subslide") or (current == -1 and kind != "notes"):
            current += 1
        layout[cell.id] = current
    return layout


def notes_cells(nb):
    return [cell for cell in nb.cells if slide_type(cell) == "notes"]


def shown_images(nb):
    """Base64 payloads of every image output of the cells that the deck shows."""
    payloads = []
    for cell in nb.cells:
        if cell.cell_type != "code" or slide_type(cell) in ("skip", "notes"):
            continue
        if slides_build.REMOVE_OUTPUT_TAG in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            for mime in IMAGE_MIMES:
                if mime in out.get("data", {}):
                    payloads.append((mime, "".join(out["data"][mime].split())))
    return payloads


def words(markdown):
    """The plain words of a markdown text (link targets, math and HTML tags left out)."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


# --------------------------------------------------------------------------------------------------
# What the deck is

LOADED_ATTRS = {"src", "srcset", "data", "poster", "background"}  # on any element: the browser fetches them
HYPERLINK_TAGS = {"a", "area"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CSS_REFS = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)", re.I)


def css_refs(css):
    return [a or b for a, b in CSS_REFS.findall(css)]


class Deck(HTMLParser):
    """Reads a deck: its slides, which cell each slide holds, speaker notes, loaded resources, links."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.sections = []        # per <section>, in start order: does it contain another <section>?
        self._open = []           # stack of indices into self.sections
        self.cell_section = {}    # cell id -> index of the innermost <section> it is in
        self.cell_in_notes = {}   # cell id -> inside <aside class="notes">?
        self.asides = []          # text of each <aside class="notes">, in order
        self._aside_depth = 0
        self._divs = []           # open <div>s: is each a reveal fragment?
        self.notes_in_fragment = 0
        self.loaded = []          # (tag, attribute, value) of resources the browser fetches
        self.links = []           # href of plain hyperlinks
        self.img_srcs = []
        self.css = []             # contents of <style> elements and style="" attributes
        self._in_style = False
        self.scripts = []         # contents of inline <script> elements
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            if self._open:
                self.sections[self._open[-1]] = True
            self.sections.append(False)
            self._open.append(len(self.sections) - 1)
        elif tag == "aside" and "notes" in (attrs.get("class") or "").split():
            self._aside_depth += 1
            self.asides.append("")
            self.notes_in_fragment += any(self._divs)
        elif tag == "div":
            self._divs.append("fragment" in (attrs.get("class") or "").split())
        elif tag == "style":
            self._in_style = True
            self.css.append("")
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")
        cell_id = (attrs.get("id") or "")
        if cell_id.startswith("cell-id="):
            cell_id = cell_id[len("cell-id="):]
            self.cell_section[cell_id] = self._open[-1] if self._open else None
            self.cell_in_notes[cell_id] = self._aside_depth > 0
        if tag == "img":
            self.img_srcs.append(attrs.get("src") or "")
        for name, value in attrs.items():
            if value is None:
                continue
            if name in LOADED_ATTRS:
                self.loaded.append((tag, name, value))
            elif name in ("href", "xlink:href"):
                (self.links if tag in HYPERLINK_TAGS else self.loaded).append(
                    value if tag in HYPERLINK_TAGS else (tag, name, value))
            elif name == "style":
                self.css.append(value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("section", "aside", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs.pop()
        elif tag == "section":
            self._open.pop()
        elif tag == "aside" and self._aside_depth:
            self._aside_depth -= 1
        elif tag == "style":
            self._in_style = False
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._aside_depth:
            self.asides[-1] += data
        if self._in_style:
            self.css[-1] += data
        if self._in_script:
            self.scripts[-1] += data

    def slide_of_cell(self):
        """cell id -> index of the reveal slide (leaf <section>) that shows it (None: not in a leaf)."""
        leaves = [i for i, has_child in enumerate(self.sections) if not has_child]
        leaf_index = {section: n for n, section in enumerate(leaves)}
        return {cid: leaf_index.get(sec) for cid, sec in self.cell_section.items()}

    @property
    def n_slides(self):
        return sum(not has_child for has_child in self.sections)

    def remote_loads(self):
        remote = [f"<{tag} {name}={value!r}>" for tag, name, value in self.loaded
                  if any(REMOTE.match(v.split()[0]) for v in value.split(",") if v.strip())]
        remote += [f"CSS {ref!r}" for css in self.css for ref in css_refs(css) if REMOTE.match(ref)]
        # an inline script that names a web address could load it (an ES module import, a loader call)
        remote += [f"script naming {url!r}" for js in self.scripts for url in re.findall(r"https?://[^\s'\"]+", js)]
        return remote

    def local_loads(self):
        refs = [value for _, name, value in self.loaded if name != "srcset"]
        refs += [ref for css in self.css for ref in css_refs(css)]
        return [r for r in refs if not REMOTE.match(r) and not r.startswith(("data:", "#"))]


def missing_local_files(folder, refs):
    folder = Path(folder)
    return [r for r in refs if not (folder / r.split("?")[0].split("#")[0]).is_file()]


# --------------------------------------------------------------------------------------------------
# A small notebook that uses every feature the builder handles, so the suite checks the builder even
# while the lessons are being written.

def tiny_png(width=4, height=3):
    """A valid RGB PNG, built by hand (no figure library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


TINY_GIF = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
BADGE = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/o/r/blob/main/notebooks/98_sample.ipynb)")


def sample_notebooks(folder):
    """Write 98_sample.ipynb (every feature) and 99_next.ipynb (the lesson it links to) into ``folder``."""
    def cell(maker, source, kind, **kw):
        c = maker(source, **kw)
        c.metadata["slideshow"] = {"slide_type": kind}
        return c

    png = base64.b64encode(tiny_png(320, 180)).decode()
    cells = [
        cell(new_markdown_cell, f"# Sample lesson\n\n{BADGE}\n\nYou will be able to step.", "slide"),
        cell(new_code_cell, "import importlib.util  # set-up", "skip"),
        cell(new_markdown_cell, "Welcome: ask who has rolled a marble in a salad bowl.", "notes"),
        cell(new_markdown_cell, "## The rule\n\n$$\\theta_{t+1} = \\theta_t - \\eta \\nabla f(\\theta_t)$$", "slide"),
        cell(new_markdown_cell, "Stable when $\\eta < 2/L$.", "fragment"),
        cell(new_markdown_cell, "Stress the factor two in the bound.", "notes"),
        cell(new_markdown_cell, "Above the bound, each step overshoots further, as in lesson\n"
                                "01. The bound is the same.", "fragment"),
        cell(new_code_cell, "show_the_bowl()", "subslide",
             outputs=[new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]),
        cell(new_code_cell, "long_helper()", "skip"),
        cell(new_code_cell, "draw_only_the_figure()", "-", metadata={"tags": ["remove-input"]},
             outputs=[new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]),
        cell(new_code_cell, "print_a_long_table()", "-", metadata={"tags": ["remove-output"]},
             outputs=[new_output("stream", name="stdout", text="a long printout\n")]),
        cell(new_code_cell, "race()", "-",
             outputs=[new_output("display_data", data={"image/gif": TINY_GIF, "text/plain": "<Image>"})]),
        cell(new_code_cell, "# explorer\nexplorer()", "subslide",
             outputs=[new_output("display_data", data={
                 "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                              "version_minor": 0},
                 "text/plain": "VBox(children=(FloatSlider(value=0.1),))"})]),
        cell(new_markdown_cell, "A remote picture: ![a logo](https://example.org/logo.png)", "-"),
        cell(new_markdown_cell, "### Exercise 1: the bound\n\nWrite `bound(L)`.", "subslide"),
        cell(new_markdown_cell, "<details><summary>Solution</summary>\n\nreturn 2 / L, the SECRET answer\n"
                                "</details>", "fragment"),
        cell(new_markdown_cell, "## Summary\n\nNext: [lesson 99](99_next.ipynb#Start).", "slide"),
        cell(new_markdown_cell, "Point to the next lesson.", "notes"),
    ]
    paths = []
    for name, nb_cells in (("98_sample", cells),
                           ("99_next", [cell(new_markdown_cell, "# Start\n\nBack to [98](98_sample.ipynb).",
                                             "slide")])):
        nb = new_notebook(cells=nb_cells)
        nbformat.validate(nb)
        path = Path(folder) / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------------
# Fixtures: build once per test session

def snapshot(notebooks, folder):
    """Copies of the notebooks (lessons may be re-run while the suite runs: build and read one version)."""
    copies = []
    for path in notebooks:
        copy = Path(folder) / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    return copies


@pytest.fixture(scope="module")
def exporter():
    return slides_build.make_exporter()


@pytest.fixture(scope="module")
def lesson_decks(tmp_path_factory, exporter):
    if not LESSONS:
        pytest.skip("no lesson notebook in notebooks/ yet")
    out = tmp_path_factory.mktemp("decks")
    copies = snapshot(LESSONS, tmp_path_factory.mktemp("lessons"))
    decks = slides_build.build(copies, out, exporter=exporter, quiet=True)
    return out, {p.stem: (p, deck) for p, deck in zip(copies, decks)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory, exporter):
    src = tmp_path_factory.mktemp("sample_src")
    out = tmp_path_factory.mktemp("sample_decks")
    paths = sample_notebooks(src)
    decks = slides_build.build(paths, out, exporter=exporter, quiet=True)
    nb = nbformat.read(paths[0], as_version=4)
    html = decks[0].read_text(encoding="utf-8")
    return out, nb, html, Deck(html)


# --------------------------------------------------------------------------------------------------
# Checks shared by the sample deck and every lesson deck

def check_deck(folder, nb, html):
    deck = Deck(html)
    layout = expected_layout(nb)
    assert all(cell.get("id") for cell in nb.cells), "every cell needs an id (nbformat >= 4.5)"
    assert min(layout.values(), default=0) >= 0, "a notes cell comes before the first shown cell"

    # slides: how many, and which cells each holds (skip cells absent)
    assert deck.n_slides == max(layout.values()) + 1
    assert deck.slide_of_cell() == layout

    # speaker notes: every notes cell, and only those, inside <aside class="notes">, with its words
    notes = notes_cells(nb)
    assert {cid for cid, inside in deck.cell_in_notes.items() if inside} == {c.id for c in notes}
    assert len(deck.asides) == len(notes)
    assert deck.notes_in_fragment == 0, "reveal.js shows a note inside a fragment only with that fragment"
    for cell, aside in zip(notes, deck.asides):
        missing = set(words(cell.source)) - set(words(aside))
        assert not missing, f"speaker notes of cell {cell.id} lack {sorted(missing)}"
    assert 'class="notes"' in html and "plugin/notes/notes.js" in html  # reveal's notes plugin, local

    # offline: nothing remote is loaded; every local file it loads exists next to the deck
    assert deck.remote_loads() == []
    locals_ = deck.local_loads()
    assert missing_local_files(folder, locals_) == []
    assert {"assets/reveal.js/dist/reveal.js", "assets/reveal.js/plugin/notes/notes.js",
            "assets/mathjax/es5/tex-svg-full.js"} <= set(locals_)

    # figures: every <img> is a data: URI, and every image output shown is embedded byte for byte
    assert all(src.startswith("data:") for src in deck.img_srcs), deck.img_srcs
    embedded = set(deck.img_srcs)
    for mime, payload in shown_images(nb):
        assert f"data:{mime};base64,{payload}" in embedded, f"a {mime} output is not embedded"

    # widgets: no widget view left (it would be an empty box without a kernel)
    assert slides_build.WIDGET_MIME not in html
    return deck


# --------------------------------------------------------------------------------------------------
# The builder, on the sample notebook

def test_sample_deck_structure_notes_figures_offline(sample):
    folder, nb, html, _ = sample
    deck = check_deck(folder, nb, html)
    assert deck.n_slides == 6  # title, rule, figure subslide, explorer subslide, exercise, summary
    assert len(shown_images(nb)) == 3  # two PNGs and the GIF are all checked above


def test_folded_solutions_are_left_out_of_the_deck(sample):
    _, _, html, _ = sample
    assert "Write" in html and "SECRET" not in html and "<details>" not in html


def test_remove_input_tag_keeps_the_output_only(sample):
    _, _, html, deck = sample
    assert "draw_only_the_figure" not in html
    assert "show_the_bowl" in html  # an untagged code cell keeps its code


def test_remove_output_tag_keeps_the_code_only(sample):
    _, _, html, _ = sample
    assert "print_a_long_table" in html and "a long printout" not in html


def test_a_wrapped_lesson_number_stays_in_its_paragraph(sample):
    """'... lesson\n01. The bound' is one paragraph in JupyterLab; nbconvert's reader would start a list."""
    _, _, html, _ = sample
    assert "<ol" not in html
    assert re.search(r"as in lesson\s+01\. The bound is the same", html)


@pytest.mark.parametrize("source, expected", [
    ("the two basins of lesson\n01. The settings", "the two basins of lesson\n01\\. The settings"),
    ("text\n  001) more", "text\n  001\\) more"),
    ("text:\n1. a real list", "text:\n1. a real list"),            # a list the author meant
    ("text:\n\n01. a\n02. b", "text:\n\n01. a\n02. b"),          # after a blank line: a list
    ("1. item of lesson\n01. next item", "1. item of lesson\n01. next item"),  # inside a list
    ("# Heading\n01. x", "# Heading\n01. x"),
    ("code:\n```\nlesson\n01. x\n```", "code:\n```\nlesson\n01. x\n```"),
    ("text\n02. two", "text\n02. two"),                            # only a 1 can interrupt a paragraph
])
def test_keep_numbers_in_paragraphs(source, expected):
    assert slides_build.keep_numbers_in_paragraphs(source) == expected


def test_colab_badge_becomes_a_plain_link(sample):
    _, _, html, deck = sample
    assert "colab-badge.svg" not in html
    assert any(href.startswith("https://colab.research.google.com/github/") for href in deck.links)
    assert ">Open In Colab</a>" in html


def test_remote_image_in_markdown_becomes_a_link(sample):
    _, _, _, deck = sample
    assert "https://example.org/logo.png" in deck.links
    assert not any("example.org" in src for src in deck.img_srcs)


def test_widget_output_becomes_a_note_and_its_repr_is_gone(sample):
    _, _, html, _ = sample
    assert html.count('class="offline-widget-note"') == 1
    assert "VBox(children=" not in html


def test_links_between_lessons_point_to_decks(sample):
    folder, _, _, deck = sample
    assert "99_next.slides.html#Start" in deck.links
    assert not any(href.endswith(".ipynb") for href in deck.links if not REMOTE.match(href))
    back = Deck((folder / "99_next.slides.html").read_text(encoding="utf-8"))
    assert "98_sample.slides.html" in back.links


def test_the_parser_sees_remote_loads_and_tells_them_from_links():
    html = ('<section><img src="https://x.org/a.png"><a href="https://x.org">x</a>'
            '<link rel="stylesheet" href="//cdn.x.org/r.css"><script src="http://x.org/a.js"></script>'
            '<style>@import url(https://fonts.x.org/f.css); .a { background: url("https://x.org/b.png") }</style>'
            '<div style="background-image: url(http://x.org/c.png)"></div>'
            '<svg><image xlink:href="https://x.org/d.png"/></svg>'
            "<script type=\"module\">import m from 'https://cdn.x.org/m.mjs';</script></section>")
    deck = Deck(html)
    assert len(deck.remote_loads()) == 8
    assert deck.links == ["https://x.org"]


def test_build_rejects_a_missing_notebook(tmp_path):
    with pytest.raises(ValueError, match="no such notebook"):
        slides_build.build([tmp_path / "01_nope.ipynb"], tmp_path / "out", quiet=True)


def test_notebook_file_is_not_changed_by_a_build(tmp_path, exporter):
    paths = sample_notebooks(tmp_path)
    before = paths[0].read_bytes()
    slides_build.build(paths, tmp_path / "out", exporter=exporter, quiet=True)
    assert paths[0].read_bytes() == before


# --------------------------------------------------------------------------------------------------
# Vendored assets

def test_vendored_files_match_their_recorded_sources_and_stay_small():
    assert fetch_vendor.check() == []
    total = sum(p.stat().st_size for p in (ROOT / "slides" / "vendor").rglob("*") if p.is_file())
    assert total < 5_000_000, f"slides/vendor holds {total / 1e6:.1f} MB"


def test_vendored_stylesheets_load_nothing_remote_and_find_their_files(sample):
    folder = sample[0] / slides_build.ASSETS
    sheets = list(folder.rglob("*.css"))
    assert len(sheets) == 3  # reveal.css, the white theme, its font faces
    for sheet in sheets:
        refs = [r for r in css_refs(sheet.read_text(encoding="utf-8")) if not r.startswith("data:")]
        assert not [r for r in refs if REMOTE.match(r)], sheet
        # browsers take the first format they support from each src list: woff (eot/ttf are not shipped)
        needed = [r for r in refs if not r.split("?")[0].endswith((".eot", ".ttf"))]
        assert missing_local_files(sheet.parent, needed) == [], sheet


# --------------------------------------------------------------------------------------------------
# The lessons

def test_one_deck_per_lesson_notebook(lesson_decks):
    folder, decks = lesson_decks
    built = {p.name for p in folder.glob("*.slides.html")}
    assert built == {f"{p.stem}.slides.html" for p in LESSONS}


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_deck(lesson_decks, notebook):
    folder, decks = lesson_decks
    copy, deck_path = decks[notebook.stem]
    nb = nbformat.read(copy, as_version=4)
    html = deck_path.read_text(encoding="utf-8")
    deck = check_deck(folder, nb, html)
    assert notes_cells(nb), "the lesson standard asks for speaker notes (a notes cell per section)"
    assert shown_images(nb), "a lesson deck should show at least one figure"
    assert deck.n_slides >= 2
