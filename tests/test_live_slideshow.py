"""Presenting a lesson live inside JupyterLab with jupyterlab-slideshow (the explorers keep running).

The live deck must be the offline deck: the same cells on each slide (computed from the notebook's slide
metadata exactly as tests/test_slides.py does for the offline decks), every slide reachable, the
explorers included and live, and nothing fetched from the web.

Two kinds of check:
- metadata (fast, no browser): no cell says slide_type "-" (jupyterlab-slideshow 0.3.4 hides such a
  cell; a missing key means the same to nbconvert and is shown), and no explorer is "skip";
- browser (marker `browser`): JupyterLab started as `make lab` starts it (helpers from
  tests/test_browser_lab.py), lesson 03 run, the deck started from the command palette, every slide
  stepped through with Space, the explorer's slider moved and its figure redrawn. Every request the
  page makes must go to the local server, except URLs written in the lesson itself (the Colab badge).
  Screenshots go to build/screenshots/live/. Skipped when /usr/bin/chromium or Playwright is missing.
"""

import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

import test_slides  # noqa: E402  (tests/ is on sys.path: the offline decks' expected layout)

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSON = ROOT / "notebooks" / "03_momentum_nesterov.ipynb"
SCREENSHOTS = ROOT / "build" / "screenshots" / "live"
CHROMIUM = Path("/usr/bin/chromium")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MAX_STEPS = 300  # Space presses; a lesson has fewer than 100 cells


def is_explorer(cell):
    return cell.cell_type == "code" and any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))


# ---------------------------------------------------------------- metadata both tools read alike


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_explicit_dash_slide_type(path):
    nb = nbformat.read(path, as_version=4)
    dashed = [i for i, c in enumerate(nb.cells) if c.metadata.get("slideshow", {}).get("slide_type") == "-"]
    assert not dashed, (
        f"{path.name}: cells {dashed} say slide_type '-'; jupyterlab-slideshow hides them. "
        "Leave the slideshow key out instead (python tools/slide_metadata.py does it)."
    )


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_explorers_are_on_a_slide(path):
    nb = nbformat.read(path, as_version=4)
    explorers = [i for i, c in enumerate(nb.cells) if is_explorer(c)]
    assert explorers, f"{path.name}: no explorer (a cell whose stored output is a widget)"
    hidden = [i for i in explorers if test_slides.slide_type(nb.cells[i]) in ("skip", "notes")]
    assert not hidden, f"{path.name}: explorer cells {hidden} are left out of the deck"


# ---------------------------------------------------------------- the live deck in a browser


@pytest.fixture(scope="module")
def lab_helpers():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("Playwright for Python is missing (pip install playwright)")
    if importlib.util.find_spec("jupyterlab_slideshow") is None:
        pytest.skip("jupyterlab-slideshow is missing (make setup installs it)")
    import test_browser_lab  # imported here: it skips itself at import when the browser is missing

    return test_browser_lab


@pytest.fixture(scope="module")
def lab(lab_helpers):
    """JupyterLab as `make lab` starts it, with throw-away config/settings folders (the deck's
    'active' setting would otherwise be remembered between sessions), autosave off."""
    h = lab_helpers
    notebooks_before = h.snapshot(ROOT / "notebooks")
    with h.running_lab("course-live-") as instance:
        yield instance
    assert h.snapshot(ROOT / "notebooks") == notebooks_before, "presenting changed a notebook on disk"


# The shown notebook: which cells the deck shows now, and which cell is current.
JS_DECK_STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {deck: panel.classList.contains('jp-Deck'),
          active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
          visible: cells.map((c, i) => [c, i]).filter(([c]) => c.classList.contains('jp-deck-mod-visible')
                                                               && c.offsetParent !== null).map(([c, i]) => i)};
}"""


def offline_slides(nb):
    """Cell indices of each offline slide (notes cells left out: they are speaker notes)."""
    layout = test_slides.expected_layout(nb)
    slides = {}
    for index, cell in enumerate(nb.cells):
        if cell.id in layout and test_slides.slide_type(cell) != "notes":
            slides.setdefault(layout[cell.id], set()).add(index)
    return slides


@pytest.mark.browser
def test_live_deck_matches_offline_deck_and_explorer_runs(lab_helpers, lab):
    h = lab_helpers
    name = LESSON.name
    nb = nbformat.read(LESSON, as_version=4)
    slides = offline_slides(nb)
    slide_of = {i: k for k, cells in slides.items() for i in cells}
    explorer = next(i for i, c in enumerate(nb.cells) if is_explorer(c))
    written_urls = set(re.findall(r"https?://[^\s)\"'<>]+", json.dumps([c.source for c in nb.cells])))

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()

    from playwright.sync_api import sync_playwright

    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=h.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(20_000)
        page.on("request", lambda r: requests.append(r.url))
        try:
            page.goto(f"{lab.url}/lab/workspaces/live/tree/{name}?token={lab.token}")
            page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(timeout=60_000)
            h.wait_for(lambda: h.kernel_idle(lab, name), 60, f"the kernel of {name} to start")
            h.run_all(page, lab, name)  # as the teacher does before presenting: Run > Run All Cells
            assert not page.evaluate(h.JS_ERRORS), f"{name}: error output after Run All"

            # Start the deck from the command palette, as the README says.
            page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click()
            page.keyboard.press("Escape")
            page.keyboard.press("Control+Shift+C")
            page.locator(".lm-CommandPalette-input").fill("Start Deck")
            page.keyboard.press("Enter")
            h.wait_for(lambda: page.evaluate(JS_DECK_STATE)["deck"], 10, "the deck to start")
            page.wait_for_timeout(500)
            page.screenshot(path=SCREENSHOTS / f"{LESSON.stem}_first_slide.png")

            # Step through the whole deck with Space: record what each stop shows.
            shown = {}  # offline slide index -> cells the live deck showed on it
            order = []  # offline slide index of each stop
            state = page.evaluate(JS_DECK_STATE)
            figure_shot = False
            for _ in range(MAX_STEPS):
                active, visible = state["active"], set(state["visible"])
                assert active in slide_of, f"live deck stopped on cell {active}, which no offline slide holds"
                k = slide_of[active]
                assert visible <= slides[k], (
                    f"live deck shows cells {sorted(visible)} on offline slide {k} {sorted(slides[k])}"
                )
                shown.setdefault(k, set()).update(visible)
                order.append(k)
                if active == explorer:
                    break
                if not figure_shot and any(nb.cells[i].cell_type == "code" and any(
                        "image/png" in o.get("data", {}) for o in nb.cells[i].outputs) for i in visible):
                    page.screenshot(path=SCREENSHOTS / f"{LESSON.stem}_figure_slide.png")
                    figure_shot = True
                page.keyboard.press("Space")
                h.wait_for(lambda: (s := page.evaluate(JS_DECK_STATE))["active"] != active and s, 5,
                           f"the deck to move on from cell {active}")
                state = page.evaluate(JS_DECK_STATE)
            else:
                pytest.fail(f"the explorer (cell {explorer}) not reached in {MAX_STEPS} steps")
            assert order == sorted(order), f"slides visited out of order: {order}"
            reached = sorted(shown)
            assert reached == list(range(slide_of[explorer] + 1)), f"slides skipped on the way: {reached}"
            for k in reached[:-1]:  # every slide before the explorer's, shown completely
                assert shown[k] == slides[k], f"offline slide {k}: {sorted(slides[k])}, live: {sorted(shown[k])}"
            assert explorer in shown[slide_of[explorer]]

            # The explorer is on screen and live: move its first slider, its figure redraws.
            page.wait_for_timeout(500)
            page.screenshot(path=SCREENSHOTS / f"{LESSON.stem}_explorer_before.png")
            cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(explorer)
            handle = cell.locator(".jp-OutputArea .widget-slider .noUi-handle").first
            assert handle.is_visible(), "the explorer's slider is not shown on its slide"
            before = page.evaluate(h.JS_CELL_IMAGE_SOURCES, explorer)
            value = handle.get_attribute("aria-valuenow")
            box = handle.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.down()
            page.mouse.move(box["x"] - 60, box["y"] + box["height"] / 2, steps=5)
            page.mouse.up()
            h.wait_for(lambda: handle.get_attribute("aria-valuenow") != value, 5, "the slider to move")
            h.wait_for(
                lambda: (now := page.evaluate(h.JS_CELL_IMAGE_SOURCES, explorer)) != before
                and all(not s.endswith("|0") for s in now),
                h.REDRAW_TIMEOUT,
                "the explorer's figure to change after its slider moved",
            )
            assert page.evaluate(JS_DECK_STATE)["deck"], "moving the slider left the deck"
            page.wait_for_timeout(300)
            page.screenshot(path=SCREENSHOTS / f"{LESSON.stem}_explorer_after.png")
            assert not page.evaluate(h.JS_ERRORS), f"{name}: error output after the slider moved"
        finally:
            page.close()
            browser.close()
            for session in lab.sessions_for(name):
                lab.api(f"/api/sessions/{session['id']}", method="DELETE")

    local = urlsplit(lab.url).netloc
    remote = {u for u in requests if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != local}
    unexpected = sorted(u for u in remote if u not in written_urls)
    assert not unexpected, f"the page fetched from the web: {unexpected}"
    print(f"{name}: live deck, {len(order)} stops over {len(shown)} slides, explorer at cell {explorer} redrew")
