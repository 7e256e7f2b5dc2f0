"""`make bench`: the course's speed benchmarks, each printing ratios measured side by side in one run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_adam  # noqa: E402
import bench_mlp  # noqa: E402
import bench_notebooks  # noqa: E402


def explorer_redraw():
    """Median redraw of a surface explorer (2 optimizers x 100 steps) against the 100 ms budget."""
    import matplotlib

    matplotlib.use("Agg")
    from lessons_lib import optim, surfaces, widgets

    explorer = widgets.surface_explorer(
        surfaces.BOWL,
        {
            "SGD": (optim.SGD, {"lr": widgets.slider("lr", 0.05, 0.95, 0.05, 0.9)}),
            "Momentum": (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
        },
        steps=100,
    )
    median_ms = widgets.measure_redraw(explorer, [{"lr": 0.5}, {"lr": 0.9}], repeats=5)
    print(f"surface explorer redraw: median {median_ms:.1f} ms (budget 100 ms, ratio {median_ms / 100:.2f})")


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
