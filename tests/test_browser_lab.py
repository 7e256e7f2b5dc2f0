"""The course works where it is used: JupyterLab in a real browser.

Starts JupyterLab as `make lab` does (the same command line, from course.py), but with the course's own
notebooks/ folder as its root instead of the learner's copies in my-work/ (a test checks the lessons, and
never opens a learner's work), plus what a test needs: a free localhost port, a fresh token, no browser
of its own, `--allow-root` (tests run as root in CI), and throw-away Jupyter config/data/runtime folders so
nothing from the user's home leaks in. Then, in headless Chromium driven by Playwright, for every lesson:

- open it and run all its cells from the Run menu, as a learner would;
- no cell shows an error (no traceback, no widget that failed to display);
- every figure is drawn (each output image decodes to a non-zero width, and there are at least as many as
  the stored notebook has);
- moving the first slider of each explorer (a cell whose output holds a slider and an image) with the
  keyboard redraws that explorer's figure (its image source changes).

A screenshot of each lesson (its top, and its first explorer after the slider moved) is written to
build/screenshots/lab/ for a person to look at. Skipped when /usr/bin/chromium or Playwright is missing.
Uses Debian's Chromium (`apt-get install chromium`); never `playwright install`.
"""

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every English lesson, and the first Korean one (with a Hangul font installed, as CI does, its text must
# show as Hangul, not as empty boxes).
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "ko").glob("*.ipynb"))[:1]
NOTEBOOK_IDS = [p.relative_to(ROOT / "notebooks").as_posix().removesuffix(".ipynb").replace("/", "-") for p in NOTEBOOKS]
SCREENSHOTS = ROOT / "build" / "screenshots" / "lab"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # The browser reaches the local server only (the Colab badge's image stays blank, as offline).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SERVER_START_TIMEOUT = 90  # s, JupyterLab's first start builds nothing but may be slow on 2 busy cores
RUN_ALL_TIMEOUT = 240  # s, a lesson runs in <= 15 s in nbclient; the browser adds rendering
REDRAW_TIMEOUT = 30  # s, one explorer redraw is <= 100 ms of work, plus the kernel round trip

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
if importlib.util.find_spec("jupyterlab") is None:  # (find, not import: importing it takes seconds)
    pytest.skip("JupyterLab is missing (make setup installs it)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is missing (pip install playwright)"
)


# ---------------------------------------------------------------- the server, as `make lab` starts it


def make_lab_command():
    """`make lab`'s command line (course.py's ``lab_command``), with the Python that runs the tests, on
    the course's notebooks/ rather than the learner's my-work/."""
    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    course = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course)
    return course.lab_command(sys.executable, root_dir="notebooks")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir):
    """Lab settings for the test only: never autosave (the notebooks on disk must stay as they are).
    The "news?" prompt is silenced by the settings that ship with the course (course.py installs them
    into the environment), not here: the test checks that they work."""
    files = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    for name, values in files.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def snapshot(folder, skip=("__pycache__", ".ipynb_checkpoints")):
    """Every file under ``folder`` (but caches and JupyterLab's checkpoints) with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not set(p.relative_to(folder).parts) & set(skip)
    }


def checkpoints(folder):
    return set(folder.rglob(".ipynb_checkpoints/*"))


class Lab:
    def __init__(self, url, token, log):
        self.url, self.token, self.log = url, token, log

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def sessions_for(self, name):
        return [s for s in self.api("/api/sessions") if s.get("path") == name]

    def log_tail(self, n=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


@pytest.fixture(scope="module")
def notebooks_before():
    return snapshot(ROOT / "notebooks")


@contextlib.contextmanager
def running_lab(prefix):
    """JupyterLab started as `make lab` starts it, on a free port with a fresh token and throw-away
    config, data, runtime and settings folders; stopped, and its checkpoint files removed, on exit."""
    import secrets

    home = Path(tempfile.mkdtemp(prefix=prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab" / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    write_settings(home / "lab" / "user-settings")
    port, token = free_port(), secrets.token_hex(24)
    command = make_lab_command() + [
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        "--allow-root",  # tests run as root in CI; `make lab` itself never passes it
    ]
    checkpoints_before = checkpoints(ROOT / "notebooks")  # JupyterLab makes one when it opens a notebook
    log = home / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    instance = Lab(f"http://127.0.0.1:{port}", token, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode}:\n{instance.log_tail()}")
            try:
                instance.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    log = instance.log_tail()
                    pytest.fail(f"jupyter lab did not answer in {SERVER_START_TIMEOUT} s:\n{log}")
                time.sleep(0.25)
        yield instance
    finally:
        server.terminate()  # SIGTERM: the server shuts its kernels down and exits
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(home, ignore_errors=True)
        for path in checkpoints(ROOT / "notebooks") - checkpoints_before:
            path.unlink()
        for folder in (ROOT / "notebooks").rglob(".ipynb_checkpoints"):
            if not any(folder.iterdir()):
                folder.rmdir()


@pytest.fixture(scope="module")
def lab(notebooks_before):
    with running_lab("course-lab-") as instance:
        yield instance


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium  # a fresh temporary profile: Playwright makes one per launch
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


# JavaScript run in the page. The notebook shown is the one panel not hidden.
JS_PROMPTS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim())"""

JS_OUTPUT_COUNT = """() => document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output').length"""

JS_ERRORS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const found = [];
  panel.querySelectorAll('.jp-Cell').forEach((cell, index) => {
    cell.querySelectorAll('.jp-OutputArea-output').forEach(out => {
      const text = out.textContent || '';
      const stderr = out.matches('[data-mime-type="application/vnd.jupyter.stderr"]')
                  || out.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
      if (stderr || /Error displaying widget|Traceback \\(most recent call last\\)/.test(text))
        found.push({cell: index, stderr: stderr, text: text.slice(0, 2000)});
    });
  });
  return found;
}"""

JS_IMAGES = """async () => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const images = [...panel.querySelectorAll('.jp-OutputArea-output img')];
  const result = [];
  for (const img of images) {
    try { await img.decode(); } catch (e) { /* reported as width 0 */ }
    result.push({width: img.naturalWidth, widget: img.closest('.jupyter-widgets') !== null,
                 src: (img.getAttribute('src') || '').slice(0, 60)});
  }
  return result;
}"""

# Explorer cells: an output with a horizontal slider and an image. Returns their cell indices.
JS_EXPLORERS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Cell')];
  return cells.map((c, i) => [c, i]).filter(([c]) =>
      c.querySelector('.jp-OutputArea .widget-slider') && c.querySelector('.jp-OutputArea img'))
    .map(([c, i]) => i);
}"""

JS_CELL_IMAGE_SOURCES = """(index) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cell = panel.querySelectorAll('.jp-Cell')[index];
  return [...cell.querySelectorAll('.jp-OutputArea img')].map(i => i.src + '|' + i.naturalWidth);
}"""


# JupyterLab's "Would you like to get notified about official Jupyter news?" toast.
JS_NEWS_PROMPT = """() => [...document.querySelectorAll('.Toastify__toast, .jp-toast-message')]
    .some(t => /Jupyter news/i.test(t.textContent || ''))"""


# Widget images shown wider than they were drawn (the browser scales them up: blurry text).
JS_UPSCALED = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets img')]
    .filter(i => i.naturalWidth > 0 && i.clientWidth > i.naturalWidth * 1.05)
    .map(i => [i.naturalWidth, i.clientWidth])"""


def screenshot(page, element, path):
    """Scroll ``element`` to the top of the notebook, let the browser paint it, and take a screenshot.
    (JupyterLab skips painting cells out of view, so a screenshot right after a scroll can be blank.)"""
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(300)
    page.screenshot(path=path)


def stored_image_count(path):
    nb = json.loads(path.read_text())
    return sum(
        1
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if any(mime.startswith("image/") for mime in output.get("data", {}))
    )


def wait_for(condition, timeout, what, interval=0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def kernel_idle(lab, name):
    sessions = lab.sessions_for(name)
    return bool(sessions) and all(s["kernel"]["execution_state"] == "idle" for s in sessions)


def menu(page, top, item):
    """Click ``top`` in the menu bar, then its entry ``item``, as a learner would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{top}$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(rf"^{item}")).first.click()


def run_all(page, lab, name):
    """Clear the stored outputs (so only what this run draws is checked), Run > Run All Cells, then wait
    until every code cell has run, or the run stopped at an error."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    wait_for(lambda: not page.evaluate(JS_OUTPUT_COUNT), 10, f"{name}: outputs to clear")
    menu(page, "Run", "Run All Cells")

    def finished():
        prompts = page.evaluate(JS_PROMPTS)
        if any("*" in p for p in prompts):
            return False
        numbered = all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
        return (numbered or page.evaluate(JS_ERRORS)) and kernel_idle(lab, name)

    wait_for(finished, RUN_ALL_TIMEOUT, f"{name} to finish running")


# A Hangul syllable drawn in the notebook's font: without a Korean font, Chromium draws the same empty box
# ("tofu") as for a code point no font has (U+10FFFD, private use).
JS_HANGUL_DRAWN = """() => {
  const font = getComputedStyle(document.querySelector('.jp-RenderedMarkdown') || document.body).fontFamily;
  const picture = (text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext('2d');
    ctx.font = `40px ${font}`;
    ctx.fillText(text, 4, 48);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  };
  const tofu = picture(String.fromCodePoint(0x10FFFD));
  return ['가', '학', '률'].every(ch => picture(ch) !== tofu) && picture('가') !== picture('학');
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_lesson_runs_in_jupyterlab(lab, browser, screenshots, notebook):
    name = notebook.relative_to(ROOT / "notebooks").as_posix()  # "01_x.ipynb", or "ko/01_x.ipynb"
    stem = name.removesuffix(".ipynb").replace("/", "-")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    console = []
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    page.on(
        "console",  # (failed loads, e.g. the Colab badge offline, are not worth reporting)
        lambda msg: msg.type == "error"
        and "Failed to load resource" not in msg.text
        and console.append(f"console: {msg.text}"),
    )
    try:
        # A workspace per lesson, so no other lesson's tabs (and kernels) are restored with it.
        page.goto(f"{lab.url}/lab/workspaces/{stem}/tree/{name}?token={lab.token}")
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(timeout=60_000)
        # Fold the file browser away (a click on its open tab): more of the lesson in the screenshots.
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
        wait_for(lambda: kernel_idle(lab, name), 60, f"the kernel of {name} to start")
        started = time.monotonic()
        run_all(page, lab, name)
        seconds = time.monotonic() - started

        errors = page.evaluate(JS_ERRORS)
        failing = [e for e in errors if not e["stderr"] or re.search(r"Traceback|Error\b", e["text"])]
        if failing:
            cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(failing[0]["cell"])
            screenshot(page, cell, screenshots / f"{stem}_error.png")
        assert not failing, f"{name}: error output in JupyterLab:\n" + "\n---\n".join(
            f"cell {e['cell']}: {e['text']}" for e in failing
        ) + ("\n" + "\n".join(console) if console else "")
        for e in errors:  # stderr that is not an error (e.g. a warning): shown, not failed
            warnings.warn(f"{name} cell {e['cell']} wrote to stderr: {e['text'][:300]}")

        images = page.evaluate(JS_IMAGES)
        blank = [i for i in images if i["width"] <= 0]
        assert not blank, f"{name}: {len(blank)} output image(s) not drawn: {blank}"
        static = [i for i in images if not i["widget"]]
        expected = stored_image_count(notebook)
        assert len(static) >= expected, (
            f"{name}: {len(static)} figures drawn in JupyterLab, the stored notebook has {expected}"
        )
        assert images, f"{name}: no figure at all"

        first = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first
        screenshot(page, first, screenshots / f"{stem}_top.png")
        assert not page.evaluate(JS_NEWS_PROMPT), f"{name}: JupyterLab asks about Jupyter news over the lesson"
        if name.startswith("ko/"):
            assert page.evaluate(JS_HANGUL_DRAWN), (
                f"{name}: Hangul is drawn as empty boxes: install a Korean font (Debian: fonts-noto-cjk)")

        explorers = page.evaluate(JS_EXPLORERS)
        assert explorers, f"{name}: no explorer (an output with a slider and a figure) found"
        for index in explorers:
            cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(index)
            handle = cell.locator(".jp-OutputArea .widget-slider .noUi-handle").first
            handle.scroll_into_view_if_needed()
            before = page.evaluate(JS_CELL_IMAGE_SOURCES, index)
            value = handle.get_attribute("aria-valuenow")
            at_max = value == handle.get_attribute("aria-valuemax")
            handle.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            wait_for(
                lambda: handle.get_attribute("aria-valuenow") != value,
                5,
                f"{name} cell {index}: the explorer's first slider to move on an arrow key",
            )
            wait_for(
                lambda: (now := page.evaluate(JS_CELL_IMAGE_SOURCES, index)) != before
                and all(not s.endswith("|0") for s in now),
                REDRAW_TIMEOUT,
                f"{name} cell {index}: the explorer's figure to change after its slider moved",
            )
            shown = cell.locator(".jp-OutputArea").inner_text()  # the explorer's status line included
            problems = re.findall(r"\b[A-Z]\w*(?:Error|Exception): .*", shown)
            assert not problems, f"{name} cell {index}: the explorer reports {problems}"
            if index == explorers[0]:
                output = cell.locator(".jp-OutputArea").first
                screenshot(page, output, screenshots / f"{stem}.png")
        stretched = page.evaluate(JS_UPSCALED)
        assert not stretched, f"{name}: explorer figures stretched (own px, shown px), so blurry: {stretched}"
        after_errors = page.evaluate(JS_ERRORS)
        assert after_errors == errors, f"{name}: moving a slider produced output on stderr: {after_errors}"
        print(f"{name}: ran all cells in JupyterLab in {seconds:.1f} s, {len(images)} images, "
              f"{len(explorers)} explorer(s)")
    finally:
        page.close()
        for session in lab.sessions_for(name):  # free the kernel for the next lesson (2 cores)
            lab.api(f"/api/sessions/{session['id']}", method="DELETE")


def test_notebooks_on_disk_left_as_they_were(lab, notebooks_before):
    """Running lessons in the browser must not save them (autosave is off for this server)."""
    assert snapshot(ROOT / "notebooks") == notebooks_before
