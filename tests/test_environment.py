"""The set-up files agree with each other: the pins nbval depends on are the same everywhere."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pyproject_pins():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    pins = {}
    for req in reqs:
        name, sep, version = req.partition("==")
        assert sep, f"pyproject.toml: {req!r} is not pinned exactly (name==version)"
        pins[name.strip().lower()] = version.strip()
    return pins


def environment_yml():
    text = (ROOT / "environment.yml").read_text()
    pins = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.\-]+)==([^\s#]+)\s*$", text, flags=re.M))
    python = re.search(r"^\s*-\s*python=(\S+)\s*$", text, flags=re.M)
    return {k.lower(): v for k, v in pins.items()}, (python.group(1) if python else None)


def test_environment_yml_pins_equal_pyproject():
    env_pins, _ = environment_yml()
    assert env_pins == pyproject_pins()


def test_environment_yml_pins_a_python_that_pyproject_accepts():
    _, python = environment_yml()
    assert python is not None, "environment.yml must pin a Python version"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires)
    assert minimum, f"unexpected requires-python {requires!r}"
    major, minor = map(int, python.split(".")[:2])
    assert (major, minor) >= (int(minimum.group(1)), int(minimum.group(2)))


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci.splitlines()[-1]
    assert "make test" in readme and "make lab" in readme


def test_lab_listens_on_localhost_and_keeps_token_auth():
    makefile = (ROOT / "Makefile").read_text()
    lab = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, flags=re.M).group(1)
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert "token" not in lab.lower() and "--allow-root" not in lab
