"""One epoch of MLP training: lessons_lib (numpy) against the same network in PyTorch, when torch is installed.

Network 64-128-128-10 with ReLU, mean softmax cross-entropy, batch 64, SGD(lr=0.1, momentum=0.9), on the
training split of the digits (1347 samples, 22 steps per epoch). Like for like: both sides use float64 (the
course's library is float64 throughout), the same batch order and the same number of threads; torch's
float32 time is printed for information. The contenders' epochs are timed in turn, round after round, so
both see the same machine load, and each time is the best epoch of its contender.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from lessons_lib import data, nn  # noqa: E402
from lessons_lib.optim import SGD  # noqa: E402

SIZES = [64, 128, 128, 10]
BATCH_SIZE = 64
LR, MOMENTUM = 0.1, 0.9
ROUNDS = 30  # timed epochs per contender; the best one counts


def _digits():
    """The digits' training split; outside the course venv, borrow scikit-learn's data file from it."""
    try:
        path = data.digits_path()
    except (ImportError, FileNotFoundError):
        found = sorted(ROOT.glob(".venv/lib/python*/site-packages/sklearn/datasets/data/digits.csv.gz"))
        if not found:
            raise
        path = found[0]
    X_train, _, y_train, _ = data.load_digits(path=path)
    return X_train, y_train


def ours_epoch(X, y, batches):
    """A function that trains lessons_lib's MLP for one epoch."""
    model = nn.MLP(SIZES, "relu", "he_uniform", rng=np.random.default_rng(0))
    opt = SGD(model.params, lr=LR, momentum=MOMENTUM)

    def epoch():
        for batch in batches:
            _, grads = model.loss_and_grads(X[batch], y[batch])
            opt.step(grads)

    return epoch


def torch_epoch(torch, X, y, batches, dtype):
    """A function that trains the same network in torch for one epoch."""
    torch.manual_seed(0)
    layers = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1]).to(dtype)  # no ReLU after the output layer
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = torch.nn.CrossEntropyLoss()
    X_t, y_t = torch.as_tensor(X, dtype=dtype), torch.as_tensor(y)
    batches_t = [torch.as_tensor(batch) for batch in batches]

    def epoch():
        for batch in batches_t:
            opt.zero_grad()
            loss_fn(model(X_t[batch]), y_t[batch]).backward()
            opt.step()

    return epoch


def best_seconds(epochs):
    """Time each contender's epoch in turn for ROUNDS rounds; return each one's best time."""
    best = {name: float("inf") for name in epochs}
    for _ in range(ROUNDS):
        for name, epoch in epochs.items():
            start = time.perf_counter()
            epoch()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def _numpy_threads():
    """How many threads numpy's BLAS uses (threadpoolctl when available, else OpenBLAS's default)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count() or 1))
    counts = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
    return max(counts) if counts else 1


def run():
    X, y = _digits()
    batches = list(data.minibatches(len(y), BATCH_SIZE, rng=np.random.default_rng(0)))
    try:
        import torch
    except ImportError:
        torch = None

    threads = _numpy_threads()
    settings = [threads]
    try:
        from threadpoolctl import threadpool_limits
        if threads > 1:
            settings.append(1)
    except ImportError:
        threadpool_limits = None

    for n_threads in settings:
        epochs = {"ours": ours_epoch(X, y, batches)}
        if torch is not None:
            torch.set_num_threads(n_threads)
            epochs["torch64"] = torch_epoch(torch, X, y, batches, torch.float64)
            epochs["torch32"] = torch_epoch(torch, X, y, batches, torch.float32)
        if n_threads == threads:
            best = best_seconds(epochs)
        else:
            with threadpool_limits(limits=n_threads, user_api="blas"):
                best = best_seconds(epochs)
        print(f"-- {n_threads} thread(s) for numpy's BLAS and torch, {len(batches)} steps per epoch --")
        print(f"lessons_lib (numpy, float64): {best['ours'] * 1e3:7.2f} ms per epoch")
        if torch is None:
            print("torch not installed: no comparison")
            continue
        print(f"torch {torch.__version__} (float64):   {best['torch64'] * 1e3:7.2f} ms per epoch")
        print(f"torch {torch.__version__} (float32):   {best['torch32'] * 1e3:7.2f} ms per epoch (for information)")
        print(f"ratio ours / torch, float64: {best['ours'] / best['torch64']:.2f}  (target <= 1.0)")


if __name__ == "__main__":
    run()
