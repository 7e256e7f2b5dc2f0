"""Shared pytest configuration for the course's tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives headless Chromium (/usr/bin/chromium) through Playwright; skipped when it is missing",
    )
    config.addinivalue_line(
        "markers",
        "network: needs PyPI (e.g. resolving environment.yml's pins); skipped when it is not reachable",
    )
