"""`make bench`: the course's speed benchmarks, each printing ratios measured side by side in one run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_adam  # noqa: E402
import bench_mlp  # noqa: E402
import bench_notebooks  # noqa: E402


def explorer_redraw():
    """Median redraw of every lesson's explorer, as a learner moves its controls, against the 100 ms budget
    (COURSE.md standard 3). Timings belong here, not in tests: on a busy machine they flake."""
    import matplotlib

    matplotlib.use("Agg")
    import bench_explorers

    for name, explorer, changes in bench_explorers.explorers():
        median_ms = widgets_measure(explorer, changes)
        verdict = "ok" if median_ms <= 100 else "OVER BUDGET"
        print(f"{name:44s} median {median_ms:6.1f} ms (budget 100 ms, ratio {median_ms / 100:.2f}) {verdict}")


def widgets_measure(explorer, changes):
    from lessons_lib import widgets

    return widgets.measure_redraw(explorer, changes, repeats=5)


if __name__ == "__main__":
    print("== One Adam step on 10^6 float64 parameters ==")
    bench_adam.run()
    print()
    print("== One epoch of MLP training (64-128-128-10, ReLU, batch 64, SGD + momentum) ==")
    bench_mlp.run()
    print()
    print("== Explorer redraw ==")
    explorer_redraw()
    print()
    print("== Each lesson top to bottom in a fresh kernel ==")
    bench_notebooks.run()
