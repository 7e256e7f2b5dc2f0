#!/usr/bin/env python3
"""The course's commands, the same on Linux, macOS and Windows. The Makefile only calls this file.

    python course.py lab             set up .venv (pinned packages + the course library), copy each lesson you
                                     have no copy of yet into my-work/ (never overwriting one), say which
                                     lessons the course updated since you copied them, open JupyterLab there
    python course.py reset NN        start lesson NN again from the course's version: your copy moves to
                                     my-work/old/ (ko/NN for a Korean lesson; several at once: reset 03 04)
    python course.py test            set up .venv, then run every test (what CI runs first)
    python course.py test-portable   re-run nbval as another machine would: numpy's SIMD paths off,
                                     another BLAS kernel, and every input nudged by 1e-12
                                     (name notebooks to check only those)
    python course.py test-colab      run every lesson on the oldest packages we support (Colab's), with
                                     the library installed --no-deps as Colab does; redraw every explorer
    python course.py notebooks       re-run every notebook in a fresh kernel and store its outputs (then
                                     rebuild and re-run the Korean edition, as `korean` does)
    python course.py korean          build the Korean lessons notebooks/ko/ from the English ones and
                                     translations/ko/, then run them
    python course.py slides          build the offline lecture decks into slides/build/
    python course.py learner-edition write the lessons without their folded solutions and teacher's notes
                                     into build/learner-edition/ (for graded use)
    python course.py bench           speed benchmarks (ratios)
    python course.py clean           remove .venv, .venv-colab and build products

On Windows type ``py course.py lab``; on macOS and Linux ``python3 course.py lab`` (or ``make lab``).
Only the standard library is used here: this file runs before anything is installed.

A learner's work lives in my-work/ (git-ignored), never in notebooks/: ``git pull`` updates the course's
lessons without touching it, ``notebooks`` and ``test`` read and write notebooks/ only, and ``reset`` keeps
the old copy. Each copy records which lesson it came from and a hash of that lesson's cells.
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
COLAB_VENV = ROOT / ".venv-colab"
LOCK = ROOT / "requirements" / "lock.txt"
COLAB_CONSTRAINTS = ROOT / "requirements" / "colab.txt"
LAB_OVERRIDES = ROOT / "requirements" / "jupyterlab-overrides.json"
MIN_PYTHON = (3, 11)
NOTEBOOKS = ROOT / "notebooks"
MY_WORK = ROOT / "my-work"  # the learner's copies of the lessons (git-ignored; nothing of the course writes there)
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
LEARNER_EDITION = ROOT / "build" / "learner-edition"


def venv_python(venv):
    """The Python inside a virtual environment (its folder layout differs on Windows)."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def run(*args, env=None, check=True):
    """Run a command, echoing it first (as make does)."""
    words = [str(a) for a in args]
    print("+", " ".join(words), flush=True)
    return subprocess.run(words, cwd=ROOT, env=env, check=check).returncode


def lab_settings_dir(venv):
    """Where JupyterLab reads settings overrides that ship with an environment (<sys.prefix>/share/...)."""
    return venv / "share" / "jupyter" / "lab" / "settings"


# ------------------------------------------------------------------------------------------ set-up


def setup():
    """Create .venv and install the locked packages and the course library (editable), when needed."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"The course needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {platform.python_version()}.")
    python = venv_python(VENV)
    stamp = VENV / ".installed"
    sources = [ROOT / "pyproject.toml", LOCK, LAB_OVERRIDES]
    if not python.exists():
        run(sys.executable, "-m", "venv", VENV)
    if not stamp.exists() or any(s.stat().st_mtime > stamp.stat().st_mtime for s in sources):
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "-c", LOCK, "-e", ".[lab,test]")
        install_lab_overrides(VENV)
        stamp.write_text("installed from pyproject.toml and requirements/lock.txt\n")
    return python


def install_lab_overrides(venv):
    """JupyterLab settings that ship with the course (no "news?" prompt over the first figure)."""
    target = lab_settings_dir(venv)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LAB_OVERRIDES, target / "overrides.json")


def lab_command(python, root_dir="my-work"):
    """How ``lab`` starts JupyterLab: localhost only, token authentication kept, the learner's copies of
    the lessons (my-work/) as its root. (The browser tests open the course's own notebooks/ instead.)"""
    return [str(python), "-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root_dir}"]


def lab(_args):
    python = setup()
    prepare_my_work()
    return run(*lab_command(python), check=False)


# ------------------------------------------------------------------------------------------ the learner's work
#
# The course's lessons are in notebooks/ (tracked by git, re-run by `notebooks`, checked by `test`).
# A learner works in my-work/ (git-ignored): `lab` copies each lesson there once and never overwrites a
# copy; `reset NN` moves the learner's copy to my-work/old/ and copies the course's current version.
# Korean lessons: notebooks/ko/ -> my-work/ko/ (old copies in my-work/old/ko/).

COPY_KEY = "course_copy"  # notebook metadata of a learner's copy: which lesson, its hash, when copied


def lesson_folders(root=ROOT):
    """(the course's lessons, the learner's copies, where old copies go) per language."""
    notebooks, work = root / "notebooks", root / "my-work"
    return [(notebooks, work, work / "old"), (notebooks / "ko", work / "ko", work / "old" / "ko")]


def read_notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def notebook_text(nb):
    """A notebook as nbformat writes it (so a copy diffs cleanly against its lesson)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def lesson_hash(nb):
    """A hash of what a lesson says: its cells' types and sources (outputs and metadata left out)."""
    cells = [[c.get("cell_type"), "".join(c.get("source", ""))] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def copy_lesson(lesson, copy, root=ROOT):
    """Write the learner's copy of ``lesson`` to ``copy``, which must not exist yet (never overwritten)."""
    nb = read_notebook(lesson)
    nb.setdefault("metadata", {})[COPY_KEY] = {
        "lesson": Path(lesson).relative_to(root).as_posix(),
        "lesson_sha256": lesson_hash(nb),
        "copied": datetime.datetime.now().isoformat(timespec="seconds"),
    }
    Path(copy).parent.mkdir(parents=True, exist_ok=True)
    with open(copy, "x", encoding="utf-8", newline="\n") as out:  # "x": fails rather than overwrite
        out.write(notebook_text(nb))


def copy_record(copy):
    """What a learner's copy says about the lesson it came from ({} if it says nothing or is unreadable)."""
    try:
        return read_notebook(copy).get("metadata", {}).get(COPY_KEY, {}) or {}
    except (OSError, ValueError):
        return {}


def reset_hint(copy, root=ROOT):
    """The command that starts ``copy``'s lesson again, as the learner would type it."""
    work = root / "my-work"
    rel = Path(copy).relative_to(work)
    name = "/".join(rel.parts[:-1] + (rel.name[:2],))
    python = "py" if os.name == "nt" else "python3"
    return f"make reset LESSON={name}   (without make: {python} course.py reset {name})"


def prepare_my_work(root=ROOT, say=print):
    """Copy each lesson the learner has no copy of yet into my-work/ (a copy is never overwritten), and
    name the copies whose lesson the course has changed since they were made. Returns (copied, changed)."""
    copied, changed = [], []
    for lessons, work, _old in lesson_folders(root):
        for lesson in sorted(lessons.glob(LESSON_GLOB)):
            copy = work / lesson.name
            if not copy.exists():
                copy_lesson(lesson, copy, root)
                copied.append(copy)
                continue
            recorded = copy_record(copy).get("lesson_sha256")
            if recorded and recorded != lesson_hash(read_notebook(lesson)):
                changed.append(copy)
    work = root / "my-work"
    say(f"Your work: {work}  (your own copies of the lessons; the course never overwrites them)")
    if copied:
        say("  copied from the course: " + ", ".join(str(c.relative_to(work)) for c in copied))
    if changed:
        say("  The course has updated these lessons since you copied them (your copies are unchanged):")
        for copy in changed:
            when = copy_record(copy).get("copied", "?")
            say(f"    {copy.relative_to(work)} (your copy is from {when})")
            say(f"      to start it again from the new version, keeping yours in my-work/old/: {reset_hint(copy, root)}")
    return copied, changed


def find_lesson(name, root=ROOT):
    """The lesson that ``name`` means: "03", "ko/03", "03_momentum_nesterov(.ipynb)", or a my-work path."""
    text = str(name).replace("\\", "/").strip()
    text = re.sub(r"^(?:\./)?(?:my-work/|notebooks/)", "", text)
    korean = text.startswith("ko/")
    number = re.match(r"(?:ko/)?(\d\d)", text)
    if not number:
        raise ValueError(f"{name!r}: name a lesson by its number, e.g. 03 (or ko/03 for the Korean lesson)")
    lessons, work, old = lesson_folders(root)[1 if korean else 0]
    found = sorted(lessons.glob(f"{number.group(1)}_*.ipynb"))
    if not found:
        raise ValueError(f"{name!r}: the course has no lesson {number.group(1)} in {lessons.relative_to(root)}/")
    return found[0], work, old


def reset_lesson(name, root=ROOT, say=print):
    """Move the learner's copy of lesson ``name`` to my-work/old/NN_name.<time>.ipynb and copy the
    course's current version. Returns (the old copy's new path or None, the fresh copy)."""
    lesson, work, old = find_lesson(name, root)
    copy = work / lesson.name
    kept = None
    if copy.exists():
        old.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = old / f"{lesson.stem}.{stamp}.ipynb"
        n = 1
        while kept.exists():  # two resets in one second: never overwrite an old copy
            n += 1
            kept = old / f"{lesson.stem}.{stamp}-{n}.ipynb"
        os.replace(copy, kept)  # a move within my-work/: the old copy is never rewritten
        say(f"kept your copy: {kept.relative_to(root)}")
    copy_lesson(lesson, copy, root)
    say(f"fresh copy of {lesson.relative_to(root)}: {copy.relative_to(root)}")
    return kept, copy


def reset(args):
    names = args.lessons or os.environ.get("LESSON", "").split()
    if not names:
        print("Name the lesson to start again, e.g.  python course.py reset 03   (make reset LESSON=03)",
              file=sys.stderr)
        return 2
    try:
        lessons = [find_lesson(name) for name in names]  # every name checked before anything moves
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print("Close these lessons in JupyterLab first if they are open (it would save the old copy over the new one).")
    for name, _ in zip(names, lessons):
        reset_lesson(name)
    return 0


# ------------------------------------------------------------------------------------------ tests


def chromium_missing():
    """The browser tests drive Debian's Chromium at /usr/bin/chromium; say so when it is not there."""
    return not Path("/usr/bin/chromium").exists()


def test_command(python, pytest_args=()):
    """How ``test`` runs pytest: the paths pyproject.toml names (tests/, notebooks/), never my-work/."""
    return [str(python), "-m", "pytest", "--ignore=my-work", *pytest_args]


def test(args):
    python = setup()
    code = run(*test_command(python, args.pytest_args), check=False)
    if chromium_missing():
        print(
            "\nNote: the browser tests (JupyterLab and the slide decks in a real browser) were skipped:\n"
            "/usr/bin/chromium is missing. To run them too, install Chromium and run the tests again:\n"
            "    sudo apt-get install chromium        (Debian, Ubuntu; as CI does)\n"
            "Every other test ran.",
            flush=True,
        )
    return code


def dispatched_cpu_features(python):
    """The SIMD groups numpy chooses at run time on this CPU (``__cpu_dispatch__`` that the CPU has)."""
    code = (
        "from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f\n"
        "print(','.join(k for k in d if f.get(k)))"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def other_blas_core():
    """An OpenBLAS kernel family other than this CPU's own (numpy's wheels pick one at run time)."""
    return "Prescott" if platform.machine().lower() in ("x86_64", "amd64") else None


def test_portable(args):
    """nbval again, as on other machines: the stored outputs must not move."""
    python = setup()
    targets = [a for a in args.pytest_args if a.endswith(".ipynb") or a.rstrip("/").endswith("notebooks")]
    options = [a for a in args.pytest_args if a not in targets]
    nbval = [python, "-m", "pytest", *(targets or ["notebooks"]), "-p", "no:cacheprovider", "-q", *options]
    codes = []

    env = dict(os.environ)
    features = dispatched_cpu_features(python)
    if features:
        env["NPY_DISABLE_CPU_FEATURES"] = features
    core = other_blas_core()
    if core:
        env["OPENBLAS_CORETYPE"] = core
    print(f"\n== 1. numpy SIMD groups off ({features or 'none dispatched here'}), "
          f"OpenBLAS kernels: {core or 'unchanged'} ==", flush=True)
    codes.append(run(*nbval, env=env, check=False))

    with tempfile.TemporaryDirectory() as ipython_dir:
        startup = Path(ipython_dir) / "profile_default" / "startup"
        startup.mkdir(parents=True)
        shutil.copyfile(ROOT / "tools" / "perturb_startup.py", startup / "00-perturb.py")
        env = dict(os.environ, IPYTHONDIR=ipython_dir)
        print("\n== 2. every learning rate, random draw and digit nudged by a relative 1e-12 ==", flush=True)
        codes.append(run(*nbval, env=env, check=False))
    return max(codes)


def colab_python():
    """A Python 3.12 (Colab's), else this one."""
    wanted = os.environ.get("COLAB_PYTHON")
    if wanted:
        return wanted
    candidates = [shutil.which("python3.12")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(str(p) for p in pyenv_root.glob("versions/3.12*/bin/python"))
    for candidate in filter(None, candidates):
        ok = subprocess.run([candidate, "--version"], capture_output=True).returncode == 0
        if ok:
            return candidate
    print("No Python 3.12 found (set COLAB_PYTHON to one); using this Python instead.", flush=True)
    return sys.executable


def test_colab(_args):
    """Every lesson on Colab's own (older) packages, the library installed --no-deps; explorers redrawn.

    Then the same smoke run on the course's locked packages (ipywidgets 8), so explorers are exercised
    on both ipywidgets 7 and 8.
    """
    main_python = setup()
    python = venv_python(COLAB_VENV)
    stamp = COLAB_VENV / ".installed"
    if not python.exists():
        run(colab_python(), "-m", "venv", COLAB_VENV)
    if not stamp.exists() or COLAB_CONSTRAINTS.stat().st_mtime > stamp.stat().st_mtime:
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "-r", COLAB_CONSTRAINTS)
        stamp.write_text("installed from requirements/colab.txt\n")
    # As the notebooks' set-up cell does on Colab: the library alone, none of its pinned dependencies.
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
        "--force-reinstall", "--no-build-isolation", ".")
    smoke = ROOT / "tools" / "smoke_notebooks.py"
    codes = [run(python, smoke, check=False), run(main_python, smoke, check=False)]
    return max(codes)


# ------------------------------------------------------------------------------------------ authoring


def notebook_paths(paths=(), root=ROOT):
    """The notebooks ``notebooks`` re-runs: the course's own (all of them, or those named), never a
    learner's copy in my-work/."""
    paths = list(paths) or sorted(str(p.relative_to(root)) for p in (root / "notebooks").glob("*.ipynb"))
    work = (root / "my-work").resolve()
    mine = [p for p in paths if (root / p).resolve() == work or work in (root / p).resolve().parents]
    if mine:
        raise ValueError(f"{', '.join(mine)}: my-work/ holds your own work; `notebooks` re-runs only the "
                         "course's lessons in notebooks/ (run your copy in JupyterLab instead)")
    return paths


def notebooks(args):
    """Re-run the lessons (all, or those named); with no names, also rebuild and re-run the Korean edition
    (its code cells come from the English lessons: tools/korean.py)."""
    try:
        paths = notebook_paths(args.paths)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    python = setup()
    code = run(python, ROOT / "tools" / "run_notebooks.py", *paths, check=False)
    if code or args.paths:
        return code
    return korean(args)


def korean(_args):
    """Build every Korean lesson from its English one and its translation, then run it (`make korean`)."""
    python = setup()
    code = run(python, ROOT / "tools" / "korean.py", "build", check=False)
    korean_lessons = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks" / "ko").glob(LESSON_GLOB))
    if code or not korean_lessons:
        return code
    return run(python, ROOT / "tools" / "run_notebooks.py", *korean_lessons, check=False)


def slides(args):
    python = setup()
    return run(python, ROOT / "slides" / "build.py", *args.paths)


# A folded worked solution, as every exercise ends: <details><summary>Solution</summary> ... </details>
# (the Korean lessons may say 풀이 or 해답).
SOLUTION = re.compile(
    r"<details>\s*<summary>\s*(?:<[^>]+>\s*)*(?:Solution|풀이|해답|정답|모범 답안).*?</summary>"
    r".*?</details>[ \t]*\n?",
    re.S | re.I,
)


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def strip_for_learners(nb):
    """A lesson without its folded solutions and its teacher's notes (slide type "notes").
    Returns (the new notebook, solutions removed, notes cells removed); ``nb`` is not changed."""
    nb = json.loads(json.dumps(nb))
    cells, solutions, notes = [], 0, 0
    for cell in nb.get("cells", []):
        if slide_type(cell) == "notes":
            notes += 1
            continue
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            left, found = SOLUTION.subn("", source)
            if found:
                solutions += found
                if not left.strip():
                    continue
                cell["source"] = re.sub(r"\n{3,}", "\n\n", left).strip("\n")
        cells.append(cell)
    nb["cells"] = cells
    return nb, solutions, notes


def make_learner_edition(root=ROOT, out=None, say=print):
    """Write every lesson (and its Korean twin) without solutions and teacher's notes into ``out``."""
    out = Path(out or root / "build" / "learner-edition")
    written = []
    for lessons, _work, _old in lesson_folders(root):
        target = out / lessons.relative_to(root / "notebooks")
        for lesson in sorted(lessons.glob(LESSON_GLOB)):
            nb, solutions, notes = strip_for_learners(read_notebook(lesson))
            target.mkdir(parents=True, exist_ok=True)
            (target / lesson.name).write_text(notebook_text(nb), encoding="utf-8", newline="\n")
            written.append((target / lesson.name, solutions, notes))
            say(f"{(target / lesson.name).relative_to(out)}: {solutions} solutions and {notes} teacher's notes left out")
    rows = "\n".join(f"| {p.relative_to(out).as_posix()} | {s} | {n} |" for p, s, n in written)
    (out / "README.md").write_text(
        "# The learner's edition\n\n"
        "The course's lessons without the worked solutions folded under each exercise and without the\n"
        "teacher's notes, for graded use. Made by `make learner-edition` (`python course.py learner-edition`)\n"
        "from the lessons in `notebooks/`; the self-checks still run and say what is wrong.\n\n"
        "| lesson | solutions left out | teacher's notes left out |\n|---|---|---|\n" + rows + "\n",
        encoding="utf-8", newline="\n")
    return written


def learner_edition(_args):
    out = ROOT / "build" / "learner-edition"
    if out.exists():
        shutil.rmtree(out)  # a lesson removed from the course must not linger in the edition
    written = make_learner_edition(ROOT, out)
    print(f"{len(written)} lessons written to {out.relative_to(ROOT)}/")
    return 0


def bench(_args):
    python = setup()
    return run(python, ROOT / "bench" / "run.py")


def clean(_args):
    for path in (VENV, COLAB_VENV, ROOT / ".pytest_cache", ROOT / "slides" / "build", ROOT / "build"):
        if path.exists():
            print("removing", path.relative_to(ROOT))
            shutil.rmtree(path)
    if (ROOT / "my-work").exists():
        print("keeping my-work/ (your work)")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create .venv with the locked packages").set_defaults(func=lambda a: setup() and 0)
    sub.add_parser("lab", help="open the course (your copies in my-work/) in JupyterLab").set_defaults(func=lab)
    p = sub.add_parser("reset", help="start lessons again from the course's version; your copies go to my-work/old/")
    p.add_argument("lessons", nargs="*", help="lesson numbers, e.g. 03 or ko/03 (default: $LESSON)")
    p.set_defaults(func=reset)
    for name, func in (("test", test), ("test-portable", test_portable)):
        sub.add_parser(name, help="extra arguments go to pytest").set_defaults(func=func, takes_extra=True)
    sub.add_parser("test-colab").set_defaults(func=test_colab)
    for name, func in (("notebooks", notebooks), ("slides", slides)):
        p = sub.add_parser(name)
        p.add_argument("paths", nargs="*")
        p.set_defaults(func=func)
    sub.add_parser("learner-edition", help="the lessons without solutions and teacher's notes, in "
                   "build/learner-edition/").set_defaults(func=learner_edition)
    sub.add_parser("korean", help="build and run the Korean lessons (notebooks/ko/)").set_defaults(func=korean)
    sub.add_parser("bench").set_defaults(func=bench)
    sub.add_parser("clean").set_defaults(func=clean)
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "takes_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = extra
    try:
        return args.func(args)
    except subprocess.CalledProcessError as error:
        return error.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
