"""Binder builds the course from environment.yml and postBuild at the repository root.

What can be checked here without Binder itself:
- repo2docker reads the root files (no binder/ or .binder/ folder hides them), environment.yml is valid
  YAML of the shape conda expects, and it pins Python;
- postBuild is an executable script that installs the course library;
- environment.yml pins every package that the notebooks and lessons_lib import;
- (needs PyPI, marked ``network``) pip resolves environment.yml's pins, with all their dependencies, for
  the pinned Python, from wheels alone: what Binder's pip step will install.
The pins themselves equal pyproject.toml's: tests/test_environment.py checks that.
"""

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import pypi_reachable

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def environment():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_and_pip_entries():
    deps = environment()["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = [entry for d in deps if isinstance(d, dict) for entry in d.get("pip", [])]
    return conda, pip


def pinned_python():
    conda, _ = conda_and_pip_entries()
    (python,) = [d for d in conda if re.fullmatch(r"python\s*[=<>].*", d)]
    match = re.fullmatch(r"python\s*=\s*(\d+\.\d+)(?:\.\*)?", python)
    assert match, f"environment.yml should pin Python to one minor version (python=3.X), got {python!r}"
    return match.group(1)


def pip_pins():
    _, pip = conda_and_pip_entries()
    pins = {}
    for entry in pip:
        name, sep, version = entry.partition("==")
        assert sep, f"environment.yml: {entry!r} is not pinned exactly"
        pins[canonical(name)] = version.strip()
    return pins


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower().strip()


# ------------------------------------------------------------------------------------------- the files


def test_binder_reads_the_root_files():
    """repo2docker uses binder/ or .binder/ instead of the root when such a folder exists."""
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), f"{folder}/ would make Binder ignore the root environment.yml"


def test_environment_yml_has_the_shape_conda_reads():
    env = environment()
    assert isinstance(env.get("name"), str) and env["name"]
    assert env.get("channels") == ["conda-forge"]
    conda, pip = conda_and_pip_entries()
    assert "pip" in conda, "environment.yml must list pip before its pip: section"
    assert pip, "environment.yml has no pip: section"
    assert pinned_python()


def test_postbuild_installs_the_course_library():
    script = ROOT / "postBuild"
    assert script.is_file() and os.access(script, os.X_OK), "postBuild must exist and be executable"
    lines = script.read_text().splitlines()
    assert lines[0].startswith("#!/bin/bash") or lines[0] == "#!/usr/bin/env bash"
    assert any(line.startswith("set -e") for line in lines), "postBuild should stop at the first error"
    installs = [line for line in lines if re.search(r"\bpip install\b", line)]
    assert len(installs) == 1, f"postBuild should install the library once: {installs}"
    words = installs[0].split()
    assert words[-1] == ".", f"postBuild should install the repository itself ('.'): {installs[0]}"
    # --no-deps is right only because environment.yml already pins every dependency (checked below and
    # in tests/test_environment.py).


# ------------------------------------------------------------------- imports of notebooks and library


def code_of_notebook(path):
    """The notebook's code with IPython syntax (%magics, !shell) turned into plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    cells = json.loads(path.read_text())["cells"]
    return [transform("".join(c["source"])) for c in cells if c["cell_type"] == "code"]


def top_level_imports(source):
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def imported_modules():
    """module -> where it is imported, for every notebook cell and every lessons_lib module."""
    found = {}
    for path in NOTEBOOKS:
        for source in code_of_notebook(path):
            for module in top_level_imports(source):
                found.setdefault(module, path.name)
    for path in sorted((ROOT / "lessons_lib").rglob("*.py")):
        for module in top_level_imports(path.read_text()):
            found.setdefault(module, str(path.relative_to(ROOT)))
    return found


def test_environment_yml_pins_every_package_the_course_imports():
    pins = pip_pins()
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for module, where in sorted(imported_modules().items()):
        if module in sys.stdlib_module_names or module in ("lessons_lib", "__future__"):
            continue
        names = {canonical(d) for d in distributions.get(module, [])}
        if not names & set(pins):
            missing.append(f"{module} (imported in {where}; distribution {sorted(names) or 'not installed'})")
    assert not missing, "environment.yml does not pin: " + ", ".join(missing)


def test_the_import_scan_sees_the_course_libraries():
    """Guards the test above against finding nothing: the lessons do import numpy and matplotlib."""
    modules = imported_modules()
    assert {"numpy", "matplotlib", "ipywidgets"} <= set(modules), sorted(modules)


# ------------------------------------------------------------------------------ resolving the pins


@pytest.mark.network
def test_pip_resolves_environment_yml_for_the_pinned_python(tmp_path):
    """What Binder's pip step does, short of installing: resolve every pin and all its dependencies.

    ``--isolated`` ignores this machine's pip configuration (local mirrors, constraints) so the answer is
    PyPI's; ``--python-version`` with ``--only-binary=:all:`` judges wheels and Requires-Python for the
    pinned Python, whatever Python runs the tests (pip needs ``--target`` with these; nothing is written).
    """
    if not pypi_reachable():
        pytest.skip("PyPI is not reachable from here")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(conda_and_pip_entries()[1]) + "\n")
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "pip", "install", "--isolated", "--disable-pip-version-check",
        "--dry-run", "--ignore-installed", "--quiet", "--report", str(report),
        "--target", str(tmp_path / "target"),
        "--python-version", pinned_python(), "--only-binary=:all:",
        "-r", str(requirements),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"pip could not resolve environment.yml:\n{result.stderr[-3000:]}"
    resolved = {
        canonical(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    pins = pip_pins()
    assert {name: resolved.get(name) for name in pins} == pins
    assert not (tmp_path / "target").exists(), "a dry run installed something"
