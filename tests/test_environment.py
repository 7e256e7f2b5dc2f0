"""The set-up files agree with each other: the pins nbval depends on are the same everywhere, and the
commands the README gives are the ones CI and the Makefile run."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from conftest import load_course, pypi_reachable

ROOT = Path(__file__).resolve().parents[1]


def requirement_pins(path, python=None):
    """name -> version for every 'name==version' line of a requirements file. A line with an environment
    marker, e.g. '; python_full_version < "3.11.5"', counts where the marker holds: for this Python, or for
    ``python`` (a version such as "3.11.0") when it is given."""
    from packaging.markers import Marker

    environment = None
    if python is not None:
        environment = {"python_full_version": python, "python_version": ".".join(python.split(".")[:2])}
    pins = {}
    for line in path.read_text().splitlines():
        line, _, marker = line.split("#")[0].partition(";")
        line = line.strip()
        if line and (not marker.strip() or Marker(marker.strip()).evaluate(environment)):
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned exactly (name==version)"
            pins[canonicalize_name(name.strip())] = version.strip()
    return pins


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def direct_requirements():
    """The names of the library's and its extras' requirements, as pyproject.toml lists them."""
    project = pyproject()
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {canonicalize_name(re.match(r"[A-Za-z0-9_.\-]+", r).group(0)): r for r in reqs}


def environment_yml():
    text = (ROOT / "environment.yml").read_text()
    pins = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.\-]+)==([^\s#]+)\s*$", text, flags=re.M))
    python = re.search(r"^\s*-\s*python=(\S+)\s*$", text, flags=re.M)
    return {canonicalize_name(k): v for k, v in pins.items()}, (python.group(1) if python else None)


def test_the_lock_pins_every_direct_requirement_inside_its_range():
    from packaging.requirements import Requirement

    lock = requirement_pins(ROOT / "requirements" / "lock.txt")
    for name, req in direct_requirements().items():
        assert name in lock, f"requirements/lock.txt does not pin {name}"
        assert Requirement(req).specifier.contains(lock[name]), f"lock pins {name}=={lock[name]}, outside {req}"


def oldest_python():
    """The oldest Python pyproject.toml accepts, as a full version: ">=3.11" gives "3.11.0"."""
    match = re.fullmatch(r">=\s*(\d+)\.(\d+)", pyproject()["requires-python"].strip())
    assert match, f"requires-python should read '>=3.X', got {pyproject()['requires-python']!r}"
    return f"{match.group(1)}.{match.group(2)}.0"


def test_the_lock_picks_soupsieve_by_python_version():
    """The lock's one marker, read both ways: soupsieve 3 and later need Python 3.11.5 (Debian 12 has
    3.11.2), so the oldest Pythons get soupsieve 2."""
    oldest = requirement_pins(ROOT / "requirements" / "lock.txt", python=oldest_python())
    newer = requirement_pins(ROOT / "requirements" / "lock.txt", python="3.12.0")
    assert oldest["soupsieve"].startswith("2.") and not newer["soupsieve"].startswith("2.")
    assert {k: v for k, v in oldest.items() if k != "soupsieve"} == {k: v for k, v in newer.items() if k != "soupsieve"}


@pytest.mark.network
@pytest.mark.parametrize("python", ["oldest", "3.12.0", "3.13.0"])
def test_every_pin_of_the_lock_installs_as_a_wheel_on_the_pythons_learners_have(python, tmp_path):
    """``make lab`` and ``make test`` install the lock on whatever Python the learner has (pyproject.toml
    accepts 3.11 and later): the oldest it accepts, 3.11.0 (Debian 12 ships 3.11.2), Colab's 3.12 and 3.13.
    For each, pip must find every pin that applies there as a wheel whose Requires-Python admits it.

    pip judges a requirement's environment marker by the Python that runs pip, not by ``--python-version``
    (pypa/pip#11010), so the markers are evaluated here for the target Python and pip gets plain pins;
    ``--no-deps`` because the lock already lists every dependency. ``--isolated`` ignores this machine's pip
    configuration (its local mirrors), so the answer is PyPI's. Nothing is installed (``--dry-run``).
    """
    if not pypi_reachable():
        pytest.skip("PyPI is not reachable from here")
    python = oldest_python() if python == "oldest" else python
    pins = requirement_pins(ROOT / "requirements" / "lock.txt", python=python)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in sorted(pins.items())))
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "pip", "install", "--isolated", "--disable-pip-version-check", "--dry-run",
        "--ignore-installed", "--no-deps", "--quiet", "--report", str(report), "--target", str(tmp_path / "target"),
        "--python-version", python, "--only-binary=:all:", "-r", str(requirements),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the lock does not install on Python {python}:\n{result.stderr[-3000:]}"
    resolved = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    assert resolved == pins


def test_colab_set_is_inside_the_declared_ranges_and_is_the_lowest_bound():
    """requirements/colab.txt is the oldest set we test on; each runtime range starts there."""
    from packaging.requirements import Requirement

    colab = requirement_pins(ROOT / "requirements" / "colab.txt")
    for req in pyproject()["dependencies"]:
        r = Requirement(req)
        assert r.name in colab, f"requirements/colab.txt does not pin {r.name}"
        assert r.specifier.contains(colab[r.name]), f"colab pins {r.name}=={colab[r.name]}, outside {req}"


def test_environment_yml_pins_equal_the_lock():
    env_pins, _ = environment_yml()
    lock = requirement_pins(ROOT / "requirements" / "lock.txt")
    assert set(env_pins) == set(direct_requirements())
    assert {name: lock[name] for name in env_pins} == env_pins


def test_environment_yml_pins_a_python_that_pyproject_accepts():
    _, python = environment_yml()
    assert python is not None, "environment.yml must pin a Python version"
    minimum = re.fullmatch(r">=\s*(\d+)\.(\d+)", pyproject()["requires-python"])
    assert minimum, f"unexpected requires-python {pyproject()['requires-python']!r}"
    major, minor = map(int, python.split(".")[:2])
    assert (major, minor) >= (int(minimum.group(1)), int(minimum.group(2)))


def test_ci_runs_the_readme_test_command_then_the_portability_checks():
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("make ")]
    readme = (ROOT / "README.md").read_text()
    assert ci == ["make test", "make test-portable", "make test-colab"]
    assert "make test" in readme and "make lab" in readme
    for command in ("make test-portable", "make test-colab"):
        assert command in readme, f"the README does not say what `{command}` is for"


def test_every_make_target_is_the_course_py_command_of_the_same_name():
    """Learners without make (Windows, a bare macOS) type `py course.py lab`: the same thing make runs."""
    makefile = (ROOT / "Makefile").read_text()
    recipes = dict(re.findall(r"^([a-z\-]+):\s*\n\t(.+)$", makefile, flags=re.M))
    assert {"lab", "test", "setup", "notebooks", "slides", "bench"} <= set(recipes)
    for target, recipe in recipes.items():
        assert recipe.strip() == f"$(PYTHON) course.py {target}", (target, recipe)
    course = load_course()
    commands = {name for name in recipes}
    parser_commands = set(re.findall(r'^    python course\.py ([a-z\-]+)', course.__doc__, flags=re.M))
    assert commands - {"setup"} <= parser_commands


def test_lab_listens_on_localhost_and_keeps_token_auth():
    words = load_course().lab_command("python")
    assert "--ServerApp.ip=127.0.0.1" in words
    assert not any("token" in w.lower() or "allow-root" in w for w in words)


def test_jupyterlab_settings_that_ship_with_the_course_silence_the_news_prompt():
    import json

    overrides = json.loads((ROOT / "requirements" / "jupyterlab-overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    assert "requirements/jupyterlab-overrides.json" in (ROOT / "postBuild").read_text()  # Binder too
