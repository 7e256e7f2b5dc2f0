"""Shared pytest configuration for the course's tests, and the helpers several test files need."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_course(name="course"):
    """course.py (the commands behind make) as a module; it is a script at the root, not a package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pypi_reachable():
    """True when https://pypi.org answers (the ``network`` tests skip, saying so, when it does not)."""
    import urllib.request

    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives headless Chromium (/usr/bin/chromium) through Playwright; skipped when it is missing",
    )
    config.addinivalue_line(
        "markers",
        "network: needs PyPI (e.g. resolving environment.yml's pins); skipped when it is not reachable",
    )
