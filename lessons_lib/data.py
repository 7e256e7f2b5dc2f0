"""Data for the lessons: the real handwritten digits, small synthetic sets, and seeded minibatches.

The digits are scikit-learn's bundled copy of the UCI "Optical Recognition of Handwritten Digits" test set
(1797 images of 8x8 pixels, grey levels 0..16, labels 0..9). We read its file directly with numpy, without
importing scikit-learn (which takes about a second), and nothing is ever downloaded.
"""

import functools
import gzip
import importlib.util
import math
import os
from typing import NamedTuple

import numpy as np

from . import _validate


# ---------------------------------------------------------------------------------------------------------
# The handwritten digits
# ---------------------------------------------------------------------------------------------------------


def digits_path():
    """Path of scikit-learn's bundled ``digits.csv.gz`` (found without importing scikit-learn)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("scikit-learn is not installed: it carries the digits data (pip install scikit-learn)")
    path = os.path.join(list(spec.submodule_search_locations)[0], "datasets", "data", "digits.csv.gz")
    if not os.path.exists(path):
        raise FileNotFoundError(f"scikit-learn's digits file is missing: {path}")
    return path


@functools.lru_cache(maxsize=1)
def _read_digits(path):
    # Each line: 64 pixel values (row by row) then the label, separated by commas.
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    table.flags.writeable = False
    return table


def load_digits_raw(path=None):
    """All 1797 digits as ``(X, y)``: X float64 of shape (1797, 64) with grey levels 0..16, y int64 labels.

    These equal ``sklearn.datasets.load_digits(return_X_y=True)`` exactly. ``path`` overrides where the
    ``digits.csv.gz`` file is looked for.
    """
    table = _read_digits(digits_path() if path is None else os.fspath(path))
    return table[:, :-1].copy(), table[:, -1].astype(np.int64)


def load_digits(*, test_fraction=0.25, seed=0, path=None):
    """The digits, scaled to [0, 1] and split at random into train and test sets.

    Returns ``(X_train, X_test, y_train, y_test)``: float64 pixels divided by 16 (so each lies in [0, 1]),
    int64 labels. ``ceil(test_fraction * 1797)`` random samples form the test set (450 for 0.25, as in
    scikit-learn's ``train_test_split``), the rest the training set; ``seed`` fixes the permutation.
    """
    test_fraction = _validate.real_number("test_fraction", test_fraction)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"Invalid test_fraction: {test_fraction} (must be in (0, 1))")
    seed = _validate.seed(seed)
    X, y = load_digits_raw(path)
    X /= 16.0
    n = len(y)
    n_test = math.ceil(test_fraction * n)
    if n_test >= n:
        raise ValueError(f"Invalid test_fraction: {test_fraction} (leaves no training samples)")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def hold_out(X, y, n_validation, *, seed):
    """Split ``(X, y)`` at random into a part to train on and a validation part to choose settings with.

    Returns ``(X_fit, X_val, y_fit, y_val)``: a permutation of the rows is drawn from ``seed``; its first
    ``n_validation`` rows are the validation part, the rest the part to train on. Used on the *training*
    digits, never the test set: a setting chosen on the test set would make its score look better than it is.
    """
    _validate.labels("y", y, len(X), int(np.max(y)) + 1 if len(y) else 1)
    n_validation = _validate.positive_int("n_validation", n_validation)
    if n_validation >= len(y):
        raise ValueError(f"Invalid n_validation: {n_validation} (leaves no rows to train on out of {len(y)})")
    order = np.random.default_rng(_validate.seed(seed)).permutation(len(y))
    val, fit = order[:n_validation], order[n_validation:]
    return X[fit], X[val], y[fit], y[val]


class DigitsSplit(NamedTuple):
    """The digits split three ways: train on the first pair, choose settings on the second, score the
    chosen setting once on the third."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def load_digits_split(*, n_validation=323, seed=0):
    """The digits as a ``DigitsSplit``: ``load_digits(seed=seed)``'s 450 test images, and its 1347 training
    images split by ``hold_out`` (from ``seed + 1``) into 1347 - ``n_validation`` to train on and
    ``n_validation`` to choose settings with (323 leave 1024 = 16 batches of 64)."""
    X_train, X_test, y_train, y_test = load_digits(seed=seed)
    X_fit, X_val, y_fit, y_val = hold_out(X_train, y_train, n_validation, seed=seed + 1)
    return DigitsSplit(X_fit, y_fit, X_val, y_val, X_test, y_test)


# ---------------------------------------------------------------------------------------------------------
# Synthetic sets
# ---------------------------------------------------------------------------------------------------------


def make_classification_blobs(n, *, n_features=2, n_classes=3, seed, center_std=3.0, cluster_std=1.0):
    """``n`` points in ``n_classes`` Gaussian clusters: returns ``(X, y)``.

    The class centres are drawn from N(0, center_std^2) in every coordinate, each point from
    N(centre, cluster_std^2). Classes are balanced (sizes differ by at most one) and the rows shuffled.
    """
    n = _validate.positive_int("n", n)
    n_features = _validate.positive_int("n_features", n_features)
    n_classes = _validate.positive_int("n_classes", n_classes)
    center_std = _validate.non_negative("center_std", center_std)
    cluster_std = _validate.non_negative("cluster_std", cluster_std)
    rng = np.random.default_rng(_validate.seed(seed))
    centers = rng.normal(0.0, center_std, size=(n_classes, n_features))
    y = rng.permutation(np.arange(n) % n_classes)
    X = centers[y] + rng.normal(0.0, cluster_std, size=(n, n_features))
    return X, y


def make_linear_regression(n, n_features, *, seed, noise=0.1):
    """A linear regression problem: returns ``(X, y, w_true)`` with y = X @ w_true + noise * N(0, 1).

    X and w_true are standard normal. Cheap to make large, so lesson 01 can time a full-batch gradient
    against the number of samples.
    """
    n = _validate.positive_int("n", n)
    n_features = _validate.positive_int("n_features", n_features)
    noise = _validate.non_negative("noise", noise)
    rng = np.random.default_rng(_validate.seed(seed))
    w_true = rng.normal(size=n_features)
    X = rng.normal(size=(n, n_features))
    y = X @ w_true + noise * rng.normal(size=n)
    return X, y, w_true


# ---------------------------------------------------------------------------------------------------------
# Minibatches
# ---------------------------------------------------------------------------------------------------------


LAST_BATCH = ("keep", "drop", "fold")


def minibatches(n, batch_size, *, rng=None, shuffle=True, last_batch="keep"):
    """Split the indices 0..n-1 into minibatches for one epoch: yields index arrays.

    With ``shuffle=True`` (needs ``rng``) the order is a random permutation drawn from ``rng`` when you call
    this function; with ``shuffle=False`` it is 0, 1, ..., n-1. All batches have ``batch_size`` indices.
    When ``batch_size`` does not divide ``n``, ``last_batch`` says what happens to the ``n % batch_size``
    indices left over:

    - ``"keep"``: they form a last, smaller batch (every index appears exactly once per epoch);
    - ``"drop"``: they are left out of this epoch (torch's ``DataLoader(drop_last=True)``); with shuffling,
      a different few are left out each epoch, so no sample is lost for good;
    - ``"fold"``: they join the last full batch, which then holds up to ``2 * batch_size - 1`` indices.

    Why it matters: 1347 digits in batches of 64 leave a last batch of 3. A step on 3 samples is far
    noisier than a step on 64 (lesson 02), and a model scored right after it looks worse than it is.
    ``batch_size >= n`` gives one batch of all ``n`` indices, whatever ``last_batch`` says.

    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False, last_batch="drop")]
    [[0, 1], [2, 3]]
    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False, last_batch="fold")]
    [[0, 1], [2, 3, 4]]
    """
    n = _validate.positive_int("n", n)
    batch_size = _validate.positive_int("batch_size", batch_size)
    _validate.flag("shuffle", shuffle)
    _validate.one_of("last_batch", last_batch, LAST_BATCH)
    if shuffle:
        if rng is None:
            raise TypeError("minibatches(shuffle=True) needs rng=np.random.default_rng(seed)")
        _validate.generator("rng", rng)
        order = rng.permutation(n)
    else:
        if rng is not None:
            _validate.generator("rng", rng)
        order = np.arange(n)
    size = min(batch_size, n)
    starts = list(range(0, n, size))
    if n % size and last_batch != "keep" and len(starts) > 1:
        starts.pop()  # the short remainder: dropped, or folded into the batch before it
    ends = starts[1:] + [n if last_batch != "drop" or n % size == 0 else starts[-1] + size]
    return (order[start:end] for start, end in zip(starts, ends))
