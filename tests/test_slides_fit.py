"""Every slide fits its canvas when projected, with text large enough for a room (marker `browser`).

Every deck that `make slides` builds (the English lessons in notebooks/, and the Korean ones in
notebooks/ko/ when they exist) is built into a temporary folder and opened in headless Chromium at the
deck's own size, 1280 x 800, with the network cut off. On every slide, with all its fragments shown:

- the slide is no taller than the deck's canvas (reveal.js's configured height): a taller slide makes the
  presenter scroll in front of the room. The failure lists every such slide: deck, slide number (as the
  deck shows it), heading, and height;
- nothing is cut at the right edge (code and output wrap; a table or an equation must not be wider);
- every piece of text is at least 22 px on the canvas, and paragraph and list text at least 28 px
  (slides/deck.css says why);
- an animation (the optimizer race) is drawn large: at least 60% of the canvas wide, or 600 px high.

The speaker view's previews keep the deck's proportions, so the upcoming slide is not a sliver.
The measuring itself is checked on a small deck with one slide known to be too tall.

Chromium comes from Debian (`apt-get install chromium`); Playwright drives it (never `playwright install`).
"""

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

import test_slides  # noqa: E402  (tests/ is on sys.path)
from test_slides_browser import CHROMIUM_ARGS, OfflinePage  # noqa: E402  (--no-sandbox, --disable-gpu, ...)

ROOT = Path(__file__).resolve().parents[1]
SLIDES_BUILD = test_slides.slides_build
MIN_TEXT_PX = 22  # anything on a slide: code, printed output, tables
MIN_BODY_PX = 28  # paragraphs, list items, table cells of the lesson's text
MIN_ANIMATION_WIDTH = 0.6  # of the canvas's width ...
MIN_ANIMATION_HEIGHT = 600  # ... or this many pixels high


def lesson_sets():
    """(sub-folder of the build, lesson notebooks): the English lessons, then the Korean ones if any."""
    sets = [("", SLIDES_BUILD.lesson_notebooks(ROOT / "notebooks"))]
    korean = SLIDES_BUILD.lesson_notebooks(ROOT / "notebooks" / "ko")
    if korean:
        sets.append(("ko", korean))
    return [(sub, paths) for sub, paths in sets if paths]


# Wait for what changes a slide's size (fonts, images, MathJax), then measure every slide in reading order.
MEASURE = """async () => {
  await document.fonts.ready;
  await MathJax.startup.promise;
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  const config = Reveal.getConfig();
  const text = (e) => (e ? e.textContent.replace(/\\u00b6/g, '').replace(/\\s+/g, ' ').trim() : '');
  const ownText = (e) => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const body = new Set(['P', 'LI', 'SUMMARY', 'TD', 'TH', 'BLOCKQUOTE']);
  let lastHeading = '';
  return Reveal.getSlides().map((slide, i) => {
    const at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v || 0);
    while (Reveal.nextFragment()) {}
    const h = slide.querySelector('h1, h2, h3, h4');
    const heading = h ? text(h) : (lastHeading ? lastHeading + ' (continued)' : '(no heading)');
    if (h) lastHeading = text(h);
    const shown = [...slide.querySelectorAll('*')].filter(e =>
      !e.closest('aside.notes, mjx-container, style, script, .jp-InputPrompt, .jp-OutputPrompt')
      && e.getClientRects().length > 0);
    const small = [];
    for (const e of shown) {
      if (!ownText(e)) continue;
      const size = parseFloat(getComputedStyle(e).fontSize);
      const isBody = body.has(e.tagName) && e.closest('.jp-RenderedMarkdown');
      const least = isBody ? %(body)d : %(text)d;
      if (size < least) small.push(`${e.tagName.toLowerCase()} ${size}px < ${least}px: "${text(e).slice(0, 40)}"`);
    }
    const cut = [...slide.querySelectorAll('pre, table, .jp-OutputArea-output, .jp-RenderedHTMLCommon, mjx-container')]
      .filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
      .map(e => `${e.tagName.toLowerCase()} ${e.scrollWidth}px in ${e.clientWidth}px: "${text(e).slice(0, 40)}"`);
    const animations = [...slide.querySelectorAll('img.animation')].map(img => {
      const scale = Math.min(img.clientWidth / img.naturalWidth, img.clientHeight / img.naturalHeight);
      return {width: img.naturalWidth * scale, height: img.naturalHeight * scale};
    });
    return {number: i + 1, h: at.h, v: at.v || 0, heading, height: slide.scrollHeight,
            width: slide.scrollWidth, small, cut, animations};
  });
}""" % {"body": MIN_BODY_PX, "text": MIN_TEXT_PX}


def measure(browser, deck):
    """(canvas width, canvas height, one record per slide) for a deck file."""
    offline = OfflinePage(browser)
    try:
        page = offline.open(deck)
        width, height = page.evaluate("[Reveal.getConfig().width, Reveal.getConfig().height]")
        slides = page.evaluate(MEASURE)
        assert offline.remote == [] and offline.errors == [], (deck.name, offline.remote, offline.errors)
        return width, height, slides
    finally:
        offline.close()


def deck_label(deck, out):
    return str(deck.relative_to(out)).removesuffix(".slides.html")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def measured(tmp_path_factory, browser):
    """deck label -> (canvas width, canvas height, slides), for every deck `make slides` builds."""
    sets = lesson_sets()
    if not sets:
        pytest.skip("no lesson notebook yet")
    exporter = SLIDES_BUILD.make_exporter()
    out = tmp_path_factory.mktemp("fit_decks")
    result = {}
    for sub, notebooks in sets:
        copies = test_slides.snapshot(notebooks, tmp_path_factory.mktemp(f"fit_src{sub}"))
        decks = SLIDES_BUILD.build(copies, out / sub, exporter=exporter, quiet=True)
        for deck in decks:
            result[deck_label(deck, out)] = measure(browser, deck)
    return result


def too_tall(measured):
    rows = []
    for label, (_, height, slides) in measured.items():
        rows += [(label, s) for s in slides if s["height"] > height]
    return rows


# ---------------------------------------------------------------------------------------------- lessons


def test_every_slide_fits_the_deck_height(measured):
    rows = too_tall(measured)
    counts = {label: sum(1 for lab, _ in rows if lab == label) for label in measured}
    summary = ", ".join(f"{label} {counts[label]}/{len(slides)}" for label, (_, _, slides) in measured.items())
    listing = "\n".join(
        f"  {label} slide {s['number']} (h {s['h']}, v {s['v']}) {s['heading'][:70]!r}: "
        f"{s['height']} px > {measured[label][1]} px"
        for label, s in rows)
    print(f"too-tall slides per deck: {summary}")
    if rows:
        pytest.fail(
        f"{len(rows)} slides are taller than their deck's canvas (too tall per deck: {summary}):\n{listing}\n"
        "Keep a slide to its figure, the few lines that matter and the takeaway: move long code to a "
        "'skip' cell or tag it remove-input, tag a long printout remove-output, or split the slide "
        "(slides/README.md, 'Keeping a slide short').", pytrace=False)


def test_nothing_is_cut_at_the_right_edge(measured):
    rows = [f"  {label} slide {s['number']} {s['heading'][:50]!r}: " + "; ".join(s["cut"] or [f"{s['width']} px wide"])
            for label, (width, _, slides) in measured.items() for s in slides if s["cut"] or s["width"] > width]
    assert not rows, "content wider than the slide (hidden behind a sideways scroll):\n" + "\n".join(rows)


def test_text_is_large_enough_for_a_room(measured):
    rows = [f"  {label} slide {s['number']}: " + "; ".join(s["small"][:3])
            for label, (_, _, slides) in measured.items() for s in slides if s["small"]]
    assert not rows, f"text below {MIN_TEXT_PX} px (or body text below {MIN_BODY_PX} px):\n" + "\n".join(rows)


def test_animations_are_shown_large(measured):
    shown = [(label, s["number"], a) for label, (width, _, slides) in measured.items()
             for s in slides for a in s["animations"]]
    small = [f"  {label} slide {n}: {a['width']:.0f} x {a['height']:.0f} px"
             for label, n, a in shown
             if a["width"] < MIN_ANIMATION_WIDTH * measured[label][0] and a["height"] < MIN_ANIMATION_HEIGHT]
    assert not small, "animations drawn small:\n" + "\n".join(small)


# ---------------------------------------------------------------------------------------------- the measuring


def test_the_measure_finds_a_too_tall_slide_and_passes_a_short_one(tmp_path, browser):
    def slide(source):
        cell = new_markdown_cell(source)
        cell.metadata["slideshow"] = {"slide_type": "slide"}
        return cell

    long_list = "\n".join(f"- point number {i}" for i in range(40))
    nb = new_notebook(cells=[slide("# Short\n\nOne line."), slide(f"## Long\n\n{long_list}"),
                             slide("## Short again\n\nThe lesson\n01. The settings stay in the paragraph.")])
    path = tmp_path / "97_fit.ipynb"
    nbformat.write(nb, path)
    deck = SLIDES_BUILD.build([path], tmp_path / "out", quiet=True)[0]
    width, height, slides = measure(browser, deck)
    assert (width, height) == (1280, 800)
    assert [s["height"] > height for s in slides] == [False, True, False]
    assert slides[1]["heading"] == "Long" and slides[1]["height"] > 40 * MIN_BODY_PX
    assert all(not s["small"] and not s["cut"] for s in slides)
    assert not re.search(r"<ol", deck.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- speaker view


@pytest.mark.parametrize("window", [(1100, 700), (760, 900)], ids=["as-opened", "narrow"])
def test_speaker_view_previews_keep_the_deck_proportions(tmp_path, browser, window):
    """The upcoming slide's preview has the deck's shape (1280:800) and shows the next slide."""
    paths = test_slides.sample_notebooks(tmp_path)
    deck = SLIDES_BUILD.build(paths, tmp_path / "out", quiet=True)[0]
    offline = OfflinePage(browser)
    page = offline.open(deck)
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.set_viewport_size({"width": window[0], "height": window[1]})
    speaker.wait_for_function("document.getElementById('course-speaker-css') !== null "
                              "&& document.querySelector('#upcoming-slide iframe') !== null", timeout=60_000)
    boxes = speaker.evaluate("""() => ['current-slide', 'upcoming-slide'].map(id => {
        const r = document.querySelector('#' + id + ' iframe').getBoundingClientRect();
        return {width: r.width, height: r.height};
    })""")
    for box in boxes:
        assert abs(box["width"] / box["height"] - 1280 / 800) < 0.05, (window, boxes)
    current, upcoming = boxes
    assert upcoming["width"] >= 0.35 * window[0], (window, upcoming)
    assert current["width"] >= 0.55 * window[0], (window, current)
    # the deck is on its first slide, which has no fragment: the upcoming preview shows the second slide
    frame = speaker.locator("#upcoming-slide iframe").element_handle().content_frame()
    frame.wait_for_function("window.Reveal && Reveal.isReady() && Reveal.getIndices().h === 1", timeout=60_000)
    notes_box = ".speaker-controls-notes .value"
    speaker.wait_for_function(f"document.querySelector('{notes_box}').innerText.trim().length > 0", timeout=60_000)
    assert speaker.locator(notes_box).is_visible()
    speaker.screenshot(path=str(tmp_path / "speaker.png"))
    assert offline.remote == [] and offline.errors == []
    offline.close()
