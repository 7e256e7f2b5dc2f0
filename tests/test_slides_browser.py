"""The decks present offline: headless Chromium opens each one from disk with the network cut off.

For every deck (the lessons', and the sample deck of test_slides.py): reveal.js starts, MathJax typesets,
the deck has as many slides as the notebook's metadata says, every slide is visited (all fragments shown),
every <img> has loaded (naturalWidth > 0), math is MathJax output (no raw `$$`, no TeX error), and the page
asked for nothing but local files. A screenshot of the first slide with a figure and of the first slide
with an equation goes to build/screenshots/slides/, so a person can look at them. The speaker view
(key S) opens and shows the notes of the current slide.

Chromium comes from Debian (`apt-get install chromium`); Playwright drives it (never `playwright install`).
The network is cut twice: every request that is not file:/data: is aborted (and recorded: the test fails),
and the host resolver maps every name to nothing.
"""

import shutil
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

import test_slides  # noqa: E402  (tests/ is on sys.path: the sibling module's helpers and fixtures' code)

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots" / "slides"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
WIDTH, HEIGHT = 1280, 800  # the decks' own size (slides/templates/offline_reveal)

# Go to slide `i` (in reading order), show all its fragments, and describe what it shows.
VISIT = """(i) => {
  const slide = Reveal.getSlides()[i];
  const at = Reveal.getIndices(slide);
  Reveal.slide(at.h, at.v || 0);
  while (Reveal.nextFragment()) {}
  const current = Reveal.getCurrentSlide();
  const text = current.cloneNode(true);
  text.querySelectorAll('pre, code, script, style, aside, mjx-container').forEach(e => e.remove());
  return {
    same: current === slide,
    images: Array.from(current.querySelectorAll('img')).map(img => ({
      complete: img.complete, width: img.naturalWidth, src: img.src.slice(0, 30)})),
    math: current.querySelectorAll('mjx-container svg').length,
    mathErrors: current.querySelectorAll('[data-mjx-error], mjx-merror').length,
    rawMath: text.textContent.includes('$$'),
  };
}"""

SHOW_FIRST_IMAGE = """() => {
  const img = Reveal.getCurrentSlide().querySelector('img');
  img.scrollIntoView({block: 'end'});
  const box = img.getBoundingClientRect();
  return box.height > 0 && box.top >= -1 && box.bottom <= window.innerHeight + 1;
}"""


def has_math(nb):
    return any(cell.cell_type == "markdown" and "$" in cell.source
               and test_slides.slide_type(cell) not in ("skip", "notes") for cell in nb.cells)


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """(name, notebook, deck path) for the sample deck and every lesson deck, built once."""
    exporter = test_slides.slides_build.make_exporter()
    src = tmp_path_factory.mktemp("browser_src")
    out = tmp_path_factory.mktemp("browser_decks")
    sample = test_slides.sample_notebooks(src)
    lessons = test_slides.snapshot(test_slides.LESSONS, src)
    notebooks = sample[:1] + lessons
    built = test_slides.slides_build.build(sample + lessons, out, exporter=exporter, quiet=True)
    by_stem = {p.name.removesuffix(".slides.html"): p for p in built}
    return [(p.stem, p, by_stem[p.stem]) for p in notebooks]


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A page in a fresh context whose network is cut; it records every attempt to reach outside."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        self.remote, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._route)
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def _watch(self, page):
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url[:120]} {r.failure}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def open(self, deck):
        self.page.goto(deck.as_uri())
        self.page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=15_000)
        self.page.evaluate("MathJax.startup.promise")
        self.page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        return self.page

    def close(self):
        self.context.close()


def test_every_deck_presents_offline(browser, decks):
    names = []
    for name, notebook, deck in decks:
        nb = nbformat.read(notebook, as_version=4)
        expected = max(test_slides.expected_layout(nb).values()) + 1
        offline = OfflinePage(browser)
        page = offline.open(deck)
        assert page.evaluate("Reveal.getTotalSlides()") == expected, name

        figure_shot = equation_shot = None
        for i in range(expected):
            seen = page.evaluate(VISIT, i)
            assert seen["same"], f"{name}: could not reach slide {i}"
            broken = [img for img in seen["images"] if not (img["complete"] and img["width"] > 0)]
            assert not broken, f"{name} slide {i}: images not loaded {broken}"
            assert seen["mathErrors"] == 0, f"{name} slide {i}: MathJax reports a TeX error"
            assert not seen["rawMath"], f"{name} slide {i}: '$$' left untypeset"
            if seen["images"] and figure_shot is None:
                # a tall slide scrolls inside itself: bring the figure into view, as a presenter would
                assert page.evaluate(SHOW_FIRST_IMAGE), f"{name} slide {i}: the figure cannot be scrolled into view"
                figure_shot = SHOTS / f"{name}-figure-slide{i + 1}.png"
                page.screenshot(path=str(figure_shot))
            if seen["math"] and equation_shot is None:
                equation_shot = SHOTS / f"{name}-equation-slide{i + 1}.png"
                page.screenshot(path=str(equation_shot))

        if test_slides.shown_images(nb):
            assert figure_shot is not None, f"{name}: no slide showed a figure"
        if has_math(nb):
            assert equation_shot is not None, f"{name}: no slide showed typeset math"
        assert offline.remote == [], f"{name} tried the network: {offline.remote}"
        assert offline.failed == [], f"{name}: requests failed: {offline.failed}"
        assert offline.errors == [], f"{name}: script errors: {offline.errors}"
        offline.close()
        names.append(name)
    assert names[0] == "98_sample" and len(names) == 1 + len(test_slides.LESSONS)


def notes_after_a_fragment(nb):
    """The first notes cell that follows a fragment of its slide (the hard case), else the first one."""
    seen_fragment = False
    for cell in nb.cells:
        kind = test_slides.slide_type(cell)
        if kind in ("slide", "subslide"):
            seen_fragment = False
        elif kind == "fragment":
            seen_fragment = True
        elif kind == "notes" and seen_fragment:
            return cell
    return test_slides.notes_cells(nb)[0]


@pytest.mark.parametrize("which", ["sample", "last lesson"])
def test_speaker_view_shows_the_notes(browser, decks, which):
    name, notebook, deck = decks[0] if which == "sample" else decks[-1]
    nb = nbformat.read(notebook, as_version=4)
    layout = test_slides.expected_layout(nb)
    note = notes_after_a_fragment(nb)
    offline = OfflinePage(browser)
    page = offline.open(deck)
    page.evaluate("(i) => { const at = Reveal.getIndices(Reveal.getSlides()[i]); Reveal.slide(at.h, at.v); }",
                  layout[note.id])
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    notes_box = ".speaker-controls-notes .value"  # filled once the speaker view's deck copies report
    speaker.wait_for_function(f"document.querySelector('{notes_box}') && "
                              f"document.querySelector('{notes_box}').innerText.trim().length > 0",
                              timeout=15_000)
    shown = speaker.evaluate(f"document.querySelector('{notes_box}').innerText")
    assert set(test_slides.words(note.source)) <= set(test_slides.words(shown))
    # stepping through the slide's fragments keeps the notes in view
    while page.evaluate("Reveal.nextFragment()"):
        speaker.wait_for_timeout(200)
        shown = speaker.evaluate(f"document.querySelector('{notes_box}').innerText")
        assert set(test_slides.words(note.source)) <= set(test_slides.words(shown))
    speaker.screenshot(path=str(SHOTS / f"{name}-speaker-view.png"))
    assert offline.remote == [] and offline.failed == [] and offline.errors == []
    offline.close()
