"""course.py, the commands behind make: what `make test` says when the browser tests cannot run, and which
SIMD groups `make test-portable` switches off."""

import types
from pathlib import Path

from conftest import load_course

ROOT = Path(__file__).resolve().parents[1]


def test_make_test_ends_by_saying_chromium_is_missing_and_how_to_install_it(monkeypatch, capsys):
    course = load_course()
    calls = []
    monkeypatch.setattr(course, "setup", lambda: "python")
    monkeypatch.setattr(course, "run", lambda *args, **kwargs: calls.append(args) or 0)
    monkeypatch.setattr(course, "chromium_missing", lambda: True)
    assert course.test(types.SimpleNamespace(pytest_args=[])) == 0
    assert calls == [tuple(course.test_command("python"))]
    last = capsys.readouterr().out.strip().splitlines()
    assert "apt-get install chromium" in "\n".join(last[-4:]) and "skipped" in "\n".join(last)
    monkeypatch.setattr(course, "chromium_missing", lambda: False)
    course.test(types.SimpleNamespace(pytest_args=["-k", "x"]))
    assert calls[-1] == tuple(course.test_command("python", ["-k", "x"]))
    assert "chromium" not in capsys.readouterr().out.lower()


def test_portable_run_switches_off_exactly_the_dispatched_groups_this_cpu_has():
    import sys

    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    features = load_course().dispatched_cpu_features(sys.executable)
    expected = [k for k in __cpu_dispatch__ if __cpu_features__.get(k)]
    assert features.split(",") == expected if expected else features == ""
