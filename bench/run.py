"""`make bench`: the course's speed benchmarks, each printing ratios measured side by side in one run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_adam  # noqa: E402
import bench_mlp  # noqa: E402

if __name__ == "__main__":
    print("== One Adam step on 10^6 float64 parameters ==")
    bench_adam.run()
    print()
    print("== One epoch of MLP training (64-128-128-10, ReLU, batch 64, SGD + momentum) ==")
    bench_mlp.run()
