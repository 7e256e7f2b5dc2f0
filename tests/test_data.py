"""lessons_lib.data: the digits equal scikit-learn's, splits, synthetic sets, minibatches, bad input."""

import subprocess
import sys

import numpy as np
import pytest

from lessons_lib import data


def test_digits_equal_scikit_learns_exactly():
    from sklearn.datasets import load_digits as sklearn_load_digits

    X_ref, y_ref = sklearn_load_digits(return_X_y=True)
    X, y = data.load_digits_raw()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.dtype == X_ref.dtype and y.dtype == y_ref.dtype
    assert np.array_equal(X, X_ref) and np.array_equal(y, y_ref)


def test_loading_digits_does_not_import_scikit_learn():
    code = "import sys; from lessons_lib import data; data.load_digits(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_split_sizes_scaling_and_no_overlap():
    X_train, X_test, y_train, y_test = data.load_digits()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert y_train.shape == (1347,) and y_test.shape == (450,)
    assert X_train.dtype == np.float64 and X_train.min() == 0.0 and X_train.max() == 1.0
    # Together the two sets are exactly the 1797 digits (scaled by 1/16), each once.
    X_raw, y_raw = data.load_digits_raw()
    whole = np.column_stack([X_raw / 16, y_raw])
    parts = np.column_stack([np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])])
    assert np.array_equal(np.unique(whole, axis=0), np.unique(parts, axis=0))
    assert len(np.unique(parts, axis=0)) == len(np.unique(whole, axis=0))
    assert set(range(10)) == set(y_train.tolist()) == set(y_test.tolist())


def test_split_fraction_and_seed():
    X_train, X_test, _, _ = data.load_digits(test_fraction=0.1)
    assert len(X_test) == 180 and len(X_train) == 1617  # ceil(0.1 * 1797) = 180
    a = data.load_digits(seed=3)
    b = data.load_digits(seed=3)
    c = data.load_digits(seed=4)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[2], c[2])


def test_returned_arrays_are_independent_copies():
    X_train, _, _, _ = data.load_digits()
    X_train[:] = -1.0
    X_again, _, _, _ = data.load_digits()
    assert X_again.min() == 0.0


def test_blobs_shapes_balance_and_determinism():
    X, y = data.make_classification_blobs(100, n_features=4, n_classes=3, seed=0)
    assert X.shape == (100, 4) and y.shape == (100,)
    assert np.issubdtype(y.dtype, np.integer)
    assert sorted(np.bincount(y).tolist()) == [33, 33, 34]
    X2, y2 = data.make_classification_blobs(100, n_features=4, n_classes=3, seed=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = data.make_classification_blobs(100, n_features=4, n_classes=3, seed=1)
    assert not np.array_equal(X, X3)


def test_blobs_are_clusters_around_their_class_centres():
    X, y = data.make_classification_blobs(3000, n_classes=3, seed=0, cluster_std=0.5)
    for k in range(3):
        assert np.allclose(X[y == k].std(axis=0), 0.5, rtol=0.1)


def test_linear_regression_set():
    X, y, w = data.make_linear_regression(5000, 3, seed=0, noise=0.1)
    assert X.shape == (5000, 3) and y.shape == (5000,) and w.shape == (3,)
    residual = y - X @ w
    assert abs(residual.std() - 0.1) < 0.005
    w_fit = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.allclose(w_fit, w, atol=0.01)
    X2, y2, w2 = data.make_linear_regression(5000, 3, seed=0, noise=0.1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and np.array_equal(w, w2)


@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (5, 5), (5, 100), (1, 1)])
def test_minibatches_cover_every_index_once(n, batch_size):
    batches = list(data.minibatches(n, batch_size, rng=np.random.default_rng(0)))
    assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    assert len(batches) == -(-n // batch_size)
    assert all(len(b) == min(batch_size, n) for b in batches[:-1])
    assert len(batches[-1]) == n - batch_size * (len(batches) - 1)


def test_minibatches_are_shuffled_from_the_rng():
    first = np.concatenate(list(data.minibatches(50, 8, rng=np.random.default_rng(5))))
    again = np.concatenate(list(data.minibatches(50, 8, rng=np.random.default_rng(5))))
    other = np.concatenate(list(data.minibatches(50, 8, rng=np.random.default_rng(6))))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    assert not np.array_equal(first, np.arange(50))
    rng = np.random.default_rng(5)
    epoch1 = np.concatenate(list(data.minibatches(50, 8, rng=rng)))
    epoch2 = np.concatenate(list(data.minibatches(50, 8, rng=rng)))
    assert not np.array_equal(epoch1, epoch2)  # a new order every epoch


def test_minibatches_without_shuffle_are_in_order():
    batches = [b.tolist() for b in data.minibatches(7, 3, shuffle=False)]
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]


@pytest.mark.parametrize("n, batch_size", [(10, 3), (12, 4), (5, 5), (5, 100), (1, 1), (1347, 64), (7, 2)])
def test_minibatches_drop_or_fold_the_remainder(n, batch_size):
    size = min(batch_size, n)
    n_full = n // size
    dropped = list(data.minibatches(n, batch_size, rng=np.random.default_rng(0), last_batch="drop"))
    assert len(dropped) == n_full and all(len(b) == size for b in dropped)
    used = np.concatenate(dropped)
    assert len(np.unique(used)) == n_full * size  # no index twice; n % size of them left out
    folded = list(data.minibatches(n, batch_size, rng=np.random.default_rng(0), last_batch="fold"))
    assert len(folded) == n_full and all(len(b) == size for b in folded[:-1])
    assert len(folded[-1]) == size + n % size
    assert np.array_equal(np.sort(np.concatenate(folded)), np.arange(n))  # every index exactly once
    # the same permutation underlies all three: only the cut at the end differs
    kept = np.concatenate(list(data.minibatches(n, batch_size, rng=np.random.default_rng(0))))
    assert np.array_equal(np.concatenate(folded), kept)
    assert np.array_equal(used, kept[: n_full * size])


RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: data.load_digits(test_fraction=0.0), ValueError, "test_fraction"),
        (lambda: data.load_digits(test_fraction=1.0), ValueError, "test_fraction"),
        (lambda: data.load_digits(test_fraction=-0.2), ValueError, "test_fraction"),
        (lambda: data.load_digits(test_fraction="0.2"), TypeError, "test_fraction"),
        (lambda: data.load_digits(test_fraction=0.9999), ValueError, "test_fraction"),
        (lambda: data.load_digits(seed=-1), ValueError, "seed"),
        (lambda: list(data.minibatches(5, 2, shuffle=False, last_batch="skip")), ValueError, "last_batch"),
        (lambda: list(data.minibatches(5, 2, shuffle=1)), TypeError, "shuffle"),
        (lambda: data.load_digits(seed=1.5), TypeError, "seed"),
        (lambda: data.load_digits(path="/nonexistent/digits.csv.gz"), FileNotFoundError, "digits"),
        (lambda: data.make_classification_blobs(0, seed=0), ValueError, "n"),
        (lambda: data.make_classification_blobs(10, n_classes=0, seed=0), ValueError, "n_classes"),
        (lambda: data.make_classification_blobs(10, n_features=2.0, seed=0), TypeError, "n_features"),
        (lambda: data.make_classification_blobs(10, seed=None), TypeError, "seed"),
        (lambda: data.make_classification_blobs(10, seed=0, cluster_std=-1.0), ValueError, "cluster_std"),
        (lambda: data.make_linear_regression(-5, 3, seed=0), ValueError, "n"),
        (lambda: data.make_linear_regression(5, 0, seed=0), ValueError, "n_features"),
        (lambda: data.make_linear_regression(5, 3, seed=0, noise=float("nan")), ValueError, "noise"),
        (lambda: data.minibatches(0, 4, rng=RNG), ValueError, "n"),
        (lambda: data.minibatches(10, 0, rng=RNG), ValueError, "batch_size"),
        (lambda: data.minibatches(10, 2.5, rng=RNG), TypeError, "batch_size"),
        (lambda: data.minibatches(10, None, rng=RNG), TypeError, "batch_size"),
        (lambda: data.minibatches(10, 4), TypeError, "rng"),
        (lambda: data.minibatches(10, 4, rng=42), TypeError, "rng"),
        (lambda: data.minibatches(10, 4, rng=RNG, shuffle="yes"), TypeError, "shuffle"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, words):
    with pytest.raises(error) as info:
        call()  # raised at the call, not later when iterating
    assert words in str(info.value)


def test_hold_out_splits_rows_at_random_into_two_disjoint_parts():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10) % 3
    X_fit, X_val, y_fit, y_val = data.hold_out(X, y, 3, seed=7)
    assert len(y_val) == 3 and len(y_fit) == 7
    rows = np.concatenate([X_fit[:, 0], X_val[:, 0]]) // 2
    assert sorted(rows.tolist()) == list(range(10))  # every row once
    order = np.random.default_rng(7).permutation(10)  # the documented rule: the first 3 of a permutation
    assert np.array_equal(X_val[:, 0] // 2, order[:3]) and np.array_equal(y_val, y[order[:3]])
    assert np.array_equal(data.hold_out(X, y, 3, seed=7)[1], X_val)
    with pytest.raises(ValueError, match="n_validation"):
        data.hold_out(X, y, 10, seed=0)
    with pytest.raises(ValueError, match="n_validation"):
        data.hold_out(X, y, 0, seed=0)
    with pytest.raises(ValueError, match="y"):
        data.hold_out(X, y[:5], 2, seed=0)
