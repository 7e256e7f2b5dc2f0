#!/usr/bin/env python3
"""The course's commands, the same on Linux, macOS and Windows. The Makefile only calls this file.

    python course.py lab             set up .venv (pinned packages + the course library), open JupyterLab
    python course.py test            set up .venv, then run every test (what CI runs first)
    python course.py test-portable   re-run nbval as another machine would: numpy's SIMD paths off,
                                     another BLAS kernel, and every input nudged by 1e-12
                                     (name notebooks to check only those)
    python course.py test-colab      run every lesson on the oldest packages we support (Colab's), with
                                     the library installed --no-deps as Colab does; redraw every explorer
    python course.py notebooks       re-run every notebook in a fresh kernel and store its outputs
    python course.py slides          build the offline lecture decks into slides/build/
    python course.py bench           speed benchmarks (ratios)
    python course.py clean           remove .venv, .venv-colab and build products

On Windows type ``py course.py lab``; on macOS and Linux ``python3 course.py lab`` (or ``make lab``).
Only the standard library is used here: this file runs before anything is installed.
"""

import argparse
import os
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


def lab_command(python):
    """How ``lab`` starts JupyterLab: localhost only, token authentication kept, the lessons as its root."""
    return [str(python), "-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1", "--ServerApp.root_dir=notebooks"]


def lab(_args):
    python = setup()
    return run(*lab_command(python), check=False)


# ------------------------------------------------------------------------------------------ tests


def chromium_missing():
    """The browser tests drive Debian's Chromium at /usr/bin/chromium; say so when it is not there."""
    return not Path("/usr/bin/chromium").exists()


def test(args):
    python = setup()
    code = run(python, "-m", "pytest", *args.pytest_args, check=False)
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


def notebooks(args):
    python = setup()
    paths = args.paths or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
    return run(python, ROOT / "tools" / "run_notebooks.py", *paths)


def slides(args):
    python = setup()
    return run(python, ROOT / "slides" / "build.py", *args.paths)


def bench(_args):
    python = setup()
    return run(python, ROOT / "bench" / "run.py")


def clean(_args):
    for path in (VENV, COLAB_VENV, ROOT / ".pytest_cache", ROOT / "slides" / "build", ROOT / "build"):
        if path.exists():
            print("removing", path.relative_to(ROOT))
            shutil.rmtree(path)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create .venv with the locked packages").set_defaults(func=lambda a: setup() and 0)
    sub.add_parser("lab", help="open the course in JupyterLab").set_defaults(func=lab)
    for name, func in (("test", test), ("test-portable", test_portable)):
        sub.add_parser(name, help="extra arguments go to pytest").set_defaults(func=func, takes_extra=True)
    sub.add_parser("test-colab").set_defaults(func=test_colab)
    for name, func in (("notebooks", notebooks), ("slides", slides)):
        p = sub.add_parser(name)
        p.add_argument("paths", nargs="*")
        p.set_defaults(func=func)
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
