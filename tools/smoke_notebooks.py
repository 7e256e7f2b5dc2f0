"""Run every lesson top to bottom in a fresh kernel of *this* Python, then redraw each of its explorers once.

`course.py test-colab` runs it twice: in .venv-colab (Colab's older packages, ipywidgets 7, the library
installed --no-deps) and in .venv (the course's locked packages, ipywidgets 8). Outputs are not compared
(other package versions draw other pixels and may word a repr differently); what must hold everywhere:

- no cell raises, and no cell writes to stderr (a warning a learner would see counts as a failure);
- every explorer the lesson built (an ``lessons_lib.widgets.Explorer``) redraws after one of its controls
  is moved, without an error in its status line, and its picture changes.

Nothing is written to the notebooks. Usage: python tools/smoke_notebooks.py [NOTEBOOK.ipynb ...]
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]

# Appended to each notebook: find the explorers the lesson made, move one control of each, redraw.
REDRAW_EVERY_EXPLORER = '''
import gc as _gc
import numpy as _np
import ipywidgets as _ipw
from lessons_lib.widgets import Explorer as _Explorer


def _another_value(control):
    """A different value the control can hold (the middle of a slider, another menu entry, a flipped box)."""
    if isinstance(control, _ipw.Checkbox):
        return not control.value
    if isinstance(control, _ipw.Dropdown):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next((v for v in values if v != control.value), None)
    if isinstance(control, _ipw.FloatLogSlider):
        middle = control.base ** ((control.min + control.max) / 2)
        return middle if abs(middle - control.value) > 1e-12 * middle else control.base ** control.min
    if isinstance(control, (_ipw.IntSlider, _ipw.Play)):
        middle = (control.min + control.max) // 2
        return middle if middle != control.value else control.min
    if isinstance(control, _ipw.FloatSlider):
        middle = (control.min + control.max) / 2
        return middle if middle != control.value else control.min
    return None


_report = []
for _e in [o for o in _gc.get_objects() if isinstance(o, _Explorer)]:
    _before = _e.png
    _moved = next(((n, v) for n, c in _e.controls.items() if (v := _another_value(c)) is not None), None)
    if _moved is None:
        _report.append("an explorer has no control that can be moved")
        continue
    _e.set(**{_moved[0]: _moved[1]})
    if _e.status.value:
        _report.append(f"explorer {list(_e.controls)}: {_e.status.value}")
    elif _e.png == _before:
        _report.append(f"explorer {list(_e.controls)}: moving {_moved[0]} did not change the picture")
    else:
        _report.append("ok")
print("EXPLORERS", len(_report), "|".join(_report))
'''


def smoke(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(REDRAW_EVERY_EXPLORER))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    problems = []
    for index, cell in enumerate(nb.cells[:-1]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {output['text'].strip()[:300]}")
    report = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    count, _, results = report.strip().partition(" ")[2].partition(" ")
    explorers = [r for r in results.split("|") if r]
    problems += [r for r in explorers if r != "ok"]
    return seconds, int(count or 0), problems


def main(paths):
    import IPython
    import ipywidgets
    import matplotlib
    import numpy

    print(f"Python {sys.version.split()[0]}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}, "
          f"ipywidgets {ipywidgets.__version__}, IPython {IPython.__version__}", flush=True)
    paths = paths or sorted(str(p) for p in (ROOT / "notebooks").rglob("[0-9][0-9]_*.ipynb"))
    failures = 0
    for path in paths:
        try:
            seconds, n_explorers, problems = smoke(path)
        except Exception as error:  # a cell raised: nbclient says which, with the traceback
            print(f"FAIL {path}: {type(error).__name__}: {str(error)[-2000:]}", flush=True)
            failures += 1
            continue
        verdict = "ok  " if not problems else "FAIL"
        print(f"{verdict} {path}: {seconds:.1f} s, {n_explorers} explorer(s) redrawn", flush=True)
        for problem in problems:
            print(f"     {problem}", flush=True)
        failures += bool(problems)
    print(f"{len(paths) - failures} of {len(paths)} notebooks ran cleanly", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
