"""How long each lesson takes top to bottom in a fresh kernel, against its budget (COURSE.md standard 7).

Budget: 8 s per lesson, 15 s for the capstone, on a 2-core machine, kernel start included. The notebooks
are executed in memory; the files on disk are not changed.
"""

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def budget_seconds(path):
    return 15.0 if "capstone" in path.name else 8.0


def run():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        budget = budget_seconds(path)
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        print(f"{path.name:34s} {seconds:5.1f} s  (budget {budget:4.1f} s, ratio {seconds / budget:.2f}) {verdict}")


if __name__ == "__main__":
    run()
