"""Re-run notebooks top to bottom in a fresh kernel and store their outputs (`make notebooks`).

Stored outputs must equal a fresh run, because nbval compares them. So this script:
- executes every cell in order in a new kernel (execution counts 1..N),
- does not store widget state (new model ids every run) or execution timestamps,
- prints how long each notebook took (to the terminal, never into the notebook).

Usage: python tools/run_notebooks.py notebooks/01_gradient_descent.ipynb [more.ipynb ...]
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=False,
        record_timing=False,  # no execution timestamps in cell metadata
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return seconds


def main(paths):
    if not paths:
        print("usage: run_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for p in paths:
        if not Path(p).exists():  # e.g. the shell glob matched nothing
            print(f"no such notebook: {p}", file=sys.stderr)
            return 2
    for p in paths:
        seconds = run(p)
        print(f"{p}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
