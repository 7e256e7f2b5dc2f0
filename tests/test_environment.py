"""The set-up files agree with each other: the pins nbval depends on are the same everywhere, and the
commands the README gives are the ones CI and the Makefile run."""

import re
import tomllib
from pathlib import Path

from conftest import load_course

ROOT = Path(__file__).resolve().parents[1]


def requirement_pins(path):
    """name -> version for every 'name==version' line of a requirements file (a line with an environment
    marker, e.g. '; python_full_version < "3.11.5"', counts where the marker holds for this Python)."""
    from packaging.markers import Marker

    pins = {}
    for line in path.read_text().splitlines():
        line, _, marker = line.split("#")[0].partition(";")
        line = line.strip()
        if line and (not marker.strip() or Marker(marker.strip()).evaluate()):
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned exactly (name==version)"
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def direct_requirements():
    """The names of the library's and its extras' requirements, as pyproject.toml lists them."""
    project = pyproject()
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {re.match(r"[A-Za-z0-9_.\-]+", r).group(0).lower().replace("_", "-"): r for r in reqs}


def environment_yml():
    text = (ROOT / "environment.yml").read_text()
    pins = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.\-]+)==([^\s#]+)\s*$", text, flags=re.M))
    python = re.search(r"^\s*-\s*python=(\S+)\s*$", text, flags=re.M)
    return {k.lower().replace("_", "-"): v for k, v in pins.items()}, (python.group(1) if python else None)


def test_the_lock_pins_every_direct_requirement_inside_its_range():
    from packaging.requirements import Requirement

    lock = requirement_pins(ROOT / "requirements" / "lock.txt")
    for name, req in direct_requirements().items():
        assert name in lock, f"requirements/lock.txt does not pin {name}"
        assert Requirement(req).specifier.contains(lock[name]), f"lock pins {name}=={lock[name]}, outside {req}"


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
