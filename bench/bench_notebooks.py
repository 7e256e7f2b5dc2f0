"""How long each lesson takes top to bottom in a fresh kernel, against its budget (COURSE.md standard 7), and
the whole course against as many empty kernels measured in the same run (issue 11: at most 5x).

Budget: 8 s per lesson, 15 s for the capstone, 20 s for lesson 07, on a 2-core machine, kernel start
included. The notebooks are executed in memory; the files on disk are not changed. An "empty kernel" runs
one cell holding ``1``: its time is the floor any lesson pays (starting Python and the kernel); each
lesson is set against the median of three empty kernels started next to it.
"""

import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE_RATIO_GOAL = 5.0


def budget_seconds(path):
    if "capstone" in path.name:
        return 15.0
    if path.name.startswith("07_"):
        return 20.0
    return 8.0


def _execute(nb, path):
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def empty_kernel_seconds():
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return _execute(nb, NOTEBOOKS)


def run():
    lessons = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    total = empty = 0.0
    for path in lessons:
        # interleaved, so both see the same machine load; the median of three, as one start varies by a third
        empty += statistics.median(empty_kernel_seconds() for _ in range(3))
        seconds = _execute(nbformat.read(path, as_version=4), NOTEBOOKS)
        total += seconds
        budget = budget_seconds(path)
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        print(f"{path.name:34s} {seconds:5.1f} s  (budget {budget:4.1f} s, ratio {seconds / budget:.2f}) {verdict}")
    ratio = total / empty
    verdict = "ok" if ratio <= COURSE_RATIO_GOAL else "OVER THE GOAL"
    print(f"the course: {total:.1f} s against {empty:.1f} s for {len(lessons)} empty kernels: "
          f"{ratio:.1f}x (goal at most {COURSE_RATIO_GOAL:.0f}x) {verdict}")


if __name__ == "__main__":
    run()
