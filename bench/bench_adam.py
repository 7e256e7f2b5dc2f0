"""Benchmark: one lessons_lib Adam step on 10^6 float64 parameters, against the memory-traffic floor.

The floor: an Adam step must read p, g, m, v and write p, m, v, i.e. move 7 arrays of 8 MB. At the
bandwidth that ``np.copyto`` reaches on the same size in the same run (8 MB read + 8 MB write), that takes

    floor = 7 * 8 MB / bandwidth

The target is step time <= 3 * floor, both times the best of REPEATS. The copy is timed two ways:

- interleaved (the ratio the target is checked on): each copy right after an Adam step, so the copy
  finds the caches as the Adam step does. Adam's arrays (p, g, m, v and a scratch array: 40 MB) do not
  fit in a 32 MB last-level cache, so both run at main-memory speed.
- back to back: copies in a row. Its 16 MB stay in the last-level cache, so this is the cache's
  bandwidth, several times main memory's; the ratio against it is printed too.

For context the benchmark also prints the time of ``np.sqrt`` alone on 10^6 float64 (limited by
arithmetic, not memory) and the ratio to torch.optim.Adam(foreach=True) when torch imports.

    python bench/bench_adam.py
"""

import pathlib
import sys
import time

import numpy as np

try:
    from lessons_lib.optim import Adam
except ImportError:  # e.g. the torch reference venv, where lessons_lib is not installed
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from lessons_lib.optim import Adam

N = 10**6
REPEATS = 20
ARRAYS_MOVED = 7  # read p, g, m, v; write p, m, v
TARGET = 3.0


def _best(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(n=N, repeats=REPEATS):
    """Best-of-``repeats`` times (seconds) of one Adam step and of np.copyto, with the floors and ratios."""
    rng = np.random.default_rng(0)
    p, g = rng.standard_normal(n), rng.standard_normal(n)
    src, dst = rng.standard_normal(n), np.empty(n)
    opt = Adam([p])
    opt.step([g])  # warm-up: the first step creates m, v and the scratch array
    step_time = copy_time = float("inf")
    for _ in range(repeats):
        step_time = min(step_time, _best(lambda: opt.step([g]), 1))
        copy_time = min(copy_time, _best(lambda: np.copyto(dst, src), 1))
    np.copyto(dst, src)
    copy_back_to_back = _best(lambda: np.copyto(dst, src), repeats)
    result = {"n": n, "step": step_time}
    for key, t_copy in [("interleaved", copy_time), ("back_to_back", copy_back_to_back)]:
        bandwidth = 2 * src.nbytes / t_copy  # bytes per second, read + write
        floor = ARRAYS_MOVED * p.nbytes / bandwidth
        result[key] = {"copy": t_copy, "bandwidth": bandwidth, "floor": floor, "ratio": step_time / floor}
    return result


def adam_floor_ratio(n=N, repeats=REPEATS):
    """Adam step time / memory-traffic floor, the floor at the interleaved copy's bandwidth."""
    return measure(n, repeats)["interleaved"]["ratio"]


def sqrt_time(n=N, repeats=REPEATS):
    """Best time of np.sqrt over n float64 values, in place."""
    x = np.random.default_rng(1).random(n) + 1.0
    return _best(lambda: np.sqrt(x, out=x), repeats)


def torch_adam_time(n=N, repeats=REPEATS, threads=None):
    """Best time of torch.optim.Adam(foreach=True) on n float64 values, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        gen = torch.Generator().manual_seed(0)
        p = torch.randn(n, dtype=torch.float64, generator=gen, requires_grad=True)
        p.grad = torch.randn(n, dtype=torch.float64, generator=gen)
        opt = torch.optim.Adam([p], foreach=True)
        opt.step()
        return _best(opt.step, repeats)
    finally:
        torch.set_num_threads(old_threads)


def run():
    m = measure()
    ms = 1e3
    print(f"Adam step on {m['n']:,} float64 parameters (best of {REPEATS})")
    print(f"  step time                  {m['step'] * ms:8.3f} ms")
    for key, label in [("interleaved", "copy interleaved with steps"), ("back_to_back", "copy back to back")]:
        r = m[key]
        verdict = "ok" if r["ratio"] <= TARGET else f"above the {TARGET:g}x target"
        print(f"  {label}: {r['bandwidth'] / 1e9:.1f} GB/s, floor {r['floor'] * ms:.3f} ms, "
              f"step / floor = {r['ratio']:.2f} ({verdict})")
    t_sqrt = sqrt_time()
    print(f"  context: np.sqrt alone on {m['n']:,} float64: {t_sqrt * ms:.3f} ms")
    try:
        import torch
    except ImportError:
        print("  torch.optim.Adam(foreach=True): torch not installed: skipped")
        return
    threads = torch.get_num_threads()
    for label, n_threads in [(f"{threads} threads (default)", None), ("1 thread", 1)]:
        t_torch = torch_adam_time(threads=n_threads)
        print(f"  torch.optim.Adam(foreach=True), {label}: {t_torch * ms:.3f} ms, "
              f"lessons_lib / torch = {m['step'] / t_torch:.2f}")


if __name__ == "__main__":
    run()
