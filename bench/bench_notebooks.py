"""How long each lesson takes top to bottom in a fresh kernel, against its budget (COURSE.md standard 7), and
the whole course against as many empty kernels measured in the same run (issue 11: at most 5x).

Budget: 8 s per lesson, 15 s for the capstone, 20 s for lesson 07, on a 2-core machine, kernel start
included. The notebooks are executed in memory; the files on disk are not changed. The course library is
compiled to bytecode first, as a learner's Python does the first time it imports it.

Three kinds of kernel run side by side, so all see the same machine load, each the median of ``REPEATS``:

- the lesson itself;
- an **empty kernel**: one cell holding ``1``, the floor any notebook pays (starting Python and the kernel);
- the lesson's **floor**: its set-up cell (the imports: numpy, matplotlib, the course library) and then as
  many cells holding ``1`` as the lesson has code cells (each cell costs a round trip to the kernel). No
  lesson can run faster than its floor; what it takes beyond that is its own work (training, figures).
"""

import compileall
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE_RATIO_GOAL = 5.0
REPEATS = 3  # one run varies by a fifth on a busy 2-core machine; the median of three is steadier


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


def _notebook(sources):
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def floor_notebook(lesson):
    """The lesson's set-up cell followed by a ``1`` cell for each of its other code cells."""
    code = [cell.source for cell in lesson.cells if cell.cell_type == "code"]
    setup = next(source for source in code if "notebook_setup(" in source)
    return _notebook([setup] + ["1"] * (len(code) - 1))


def seconds_of_runs(make_notebook):
    """The times of ``REPEATS`` fresh kernels, each running ``make_notebook()``, fastest first."""
    return sorted(_execute(make_notebook(), NOTEBOOKS) for _ in range(REPEATS))


def median_seconds(make_notebook):
    return statistics.median(seconds_of_runs(make_notebook))


def compile_library():
    """Compile lessons_lib to bytecode (``__pycache__``, ignored by git) before any kernel is timed.

    A learner's Python caches the bytecode of every module it imports, so each lesson after the first imports
    the library from it. A machine with ``PYTHONDONTWRITEBYTECODE`` set (this one: the sandbox sets it) would
    otherwise compile the library from source in every kernel, about 0.15 s per lesson that no learner pays.
    """
    return compileall.compile_dir(ROOT / "lessons_lib", quiet=1)


def run():
    lessons = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    compile_library()
    total = empty = floor = 0.0
    print(f"(each time is the median of {REPEATS} fresh kernels, lessons_lib imported from its bytecode; the floor "
          "is the lesson's set-up cell and as many empty cells as it has code cells)")
    for path in lessons:
        lesson = nbformat.read(path, as_version=4)
        empty_s = median_seconds(lambda: _notebook(["1"]))
        floor_s = median_seconds(lambda: floor_notebook(lesson))
        runs = seconds_of_runs(lambda: nbformat.read(path, as_version=4))
        seconds = statistics.median(runs)
        empty, floor, total = empty + empty_s, floor + floor_s, total + seconds
        budget = budget_seconds(path)
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        print(f"{path.name:34s} {seconds:5.1f} s (runs {runs[0]:.1f}-{runs[-1]:.1f})  (budget {budget:4.1f} s, "
              f"ratio {seconds / budget:.2f}) {verdict}; floor {floor_s:.1f} s, its own work {seconds - floor_s:4.1f} s",
              flush=True)
    ratio = total / empty
    verdict = "ok" if ratio <= COURSE_RATIO_GOAL else "OVER THE GOAL"
    print(f"the course: {total:.1f} s against {empty:.1f} s for {len(lessons)} empty kernels: "
          f"{ratio:.1f}x (goal at most {COURSE_RATIO_GOAL:.0f}x) {verdict}")
    print(f"its floors alone: {floor:.1f} s, {floor / empty:.1f}x the empty kernels; the lessons' own work: "
          f"{total - floor:.1f} s, {(total - floor) / empty:.1f}x")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        REPEATS = int(sys.argv[1])
    run()
