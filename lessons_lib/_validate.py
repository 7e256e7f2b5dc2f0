"""Argument checks shared by the library's public functions.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the argument and its value,
so a learner sees at once what was wrong (torch's style: "Invalid learning rate: -1").
"""

import math
import numbers

import numpy as np


def real_number(name, value):
    """Return ``value`` as a float if it is a finite real number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"Invalid {name}: {value} (must be finite)")
    return value


def non_negative(name, value):
    """A finite real number >= 0."""
    value = real_number(name, value)
    if value < 0:
        raise ValueError(f"Invalid {name}: {value} (must be >= 0)")
    return value


def positive(name, value):
    """A finite real number > 0."""
    value = real_number(name, value)
    if value <= 0:
        raise ValueError(f"Invalid {name}: {value} (must be > 0)")
    return value


def in_unit_interval(name, value):
    """A finite real number in [0, 1) (torch's rule for betas, alpha and rho)."""
    value = real_number(name, value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"Invalid {name}: {value} (must be in [0, 1))")
    return value


def positive_int(name, value):
    """An integer > 0 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"Invalid {name}: {value} (must be > 0)")
    return int(value)


def one_of(name, value, choices):
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise ValueError(f"Invalid {name}: {value!r} (choose one of {', '.join(map(repr, choices))})")
    return value


def generator(name, rng):
    """A ``numpy.random.Generator`` (every random draw in the course comes from one)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng


def float_array(name, value):
    """A numpy array of a floating dtype."""
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(value).__name__}")
    if value.dtype.kind != "f":  # a floating dtype (the fast spelling of np.issubdtype(dtype, np.floating))
        raise TypeError(f"{name} must have a floating dtype, got dtype {value.dtype}")
    return value


def finite_array(name, value):
    """A floating numpy array with no NaN or inf."""
    float_array(name, value)
    if not np.isfinite(value).all():
        bad = np.count_nonzero(~np.isfinite(value))
        raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf)")
    return value


def flag(name, value):
    """True or False (a number such as 1 is refused, so a swapped argument does not pass silently)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type {type(value).__name__}")
    return bool(value)


def in_closed_unit_interval(name, value):
    """A finite real number in [0, 1] (torch's rule for Adadelta's rho; 1 is allowed)."""
    value = real_number(name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Invalid {name}: {value} (must be in [0, 1])")
    return value


def betas(value):
    """A pair (beta1, beta2), each in [0, 1) as torch requires."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"betas must be a pair (beta1, beta2), got {value!r} of type {type(value).__name__}")
    if len(value) != 2:
        raise ValueError(f"Invalid betas: {value!r} (must be a pair (beta1, beta2))")
    return (in_unit_interval("betas[0]", value[0]), in_unit_interval("betas[1]", value[1]))


def seed(value):
    """A seed for ``numpy.random.default_rng``: an int >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"seed must be an int >= 0, got {value!r}")
    if value < 0:
        raise ValueError(f"Invalid seed: {value} (must be >= 0)")
    return int(value)


def shape(value):
    """An array shape: a tuple of positive ints (an int ``n`` means ``(n,)``)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"shape must be a tuple of positive ints, got {value!r}")
    for size in value:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise TypeError(f"shape must be a tuple of positive ints, got {value!r}")
        if size <= 0:
            raise ValueError(f"Invalid shape: {tuple(value)!r} (every size must be > 0)")
    if len(value) == 0:
        raise ValueError("Invalid shape: () (an initializer needs at least one axis)")
    return tuple(int(size) for size in value)


def layer_sizes(sizes):
    """A network's layer widths, input first: a list of at least two ints > 0."""
    if not isinstance(sizes, (list, tuple)):
        raise TypeError(f"sizes must be a list of layer widths like [64, 128, 10], got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"Invalid sizes: {sizes!r} (need at least an input and an output width)")
    for width in sizes:
        if isinstance(width, bool) or not isinstance(width, numbers.Integral):
            raise TypeError(f"sizes must hold ints, got {sizes!r}")
        if width <= 0:
            raise ValueError(f"Invalid sizes: {sizes!r} (every width must be > 0)")
    return [int(width) for width in sizes]


def param_list(params):
    """An optimizer's parameters: a non-empty list (or tuple) of distinct, writable, finite float arrays."""
    if not isinstance(params, (list, tuple)):
        raise TypeError(
            f"params must be a list of numpy arrays, got {type(params).__name__} "
            "(a single array goes in a list: [w])"
        )
    if len(params) == 0:
        raise ValueError("Invalid params: [] (the optimizer needs at least one array)")
    for i, p in enumerate(params):
        finite_array(f"params[{i}]", p)
        if not p.flags.writeable:
            raise ValueError(f"params[{i}] is read-only; the optimizer updates parameters in place")
        for j in range(i):
            if np.shares_memory(p, params[j]):
                raise ValueError(
                    f"params[{i}] shares memory with params[{j}] (the same array or a view of it); "
                    "each parameter must appear once"
                )
    return list(params)


def _finite_without_copy(name, a):
    """Raise if ``a`` holds NaN or inf, without making a full-size temporary array.

    A sum is NaN or inf whenever one of its terms is, so a finite sum proves every element finite.
    Only when the sum is not finite (a bad value, or a huge but finite array that overflowed) does the
    exact, element-by-element check run. (Call it inside ``np.errstate(all="ignore")``: an overflowing
    sum is an answer here, not a warning.)
    """
    if not math.isfinite(a.sum()):
        finite_array(name, a)


def grad_list(grads, params):
    """One finite float gradient per parameter, each with its parameter's shape and its own memory."""
    if not isinstance(grads, (list, tuple)):
        raise TypeError(
            f"grads must be a list of numpy arrays (one per parameter), got {type(grads).__name__}"
        )
    if len(grads) != len(params):
        raise ValueError(f"grads has {len(grads)} arrays but the optimizer has {len(params)} params")
    for i, (g, p) in enumerate(zip(grads, params)):
        float_array(f"grads[{i}]", g)
        if g.shape != p.shape:
            raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has shape {p.shape}")
        if np.may_share_memory(g, p) and np.shares_memory(g, p):  # the quick bounds test first
            raise ValueError(
                f"grads[{i}] shares memory with params[{i}]; the step would overwrite the gradient "
                f"(pass a copy: grads[{i}].copy())"
            )
    with np.errstate(all="ignore"):
        for i, g in enumerate(grads):
            _finite_without_copy(f"grads[{i}]", g)
    return grads


def samples(name, X, n_features):
    """A finite float array of shape (n_samples, n_features) with at least one sample."""
    finite_array(name, X)
    if X.ndim != 2 or X.shape[1] != n_features or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n_samples, {n_features}) with n_samples > 0, got {X.shape}")
    return X


def labels(name, y, n_samples, n_classes):
    """Integer class labels in 0..n_classes-1, one per sample."""
    if not isinstance(y, np.ndarray):
        raise TypeError(f"{name} must be a numpy array of integer class labels, got {type(y).__name__}")
    if y.dtype.kind not in "iu":  # signed or unsigned integers
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(f"{name} must have shape ({n_samples},) to match X, got {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)][0]
        raise ValueError(f"{name} holds label {int(bad)}, outside 0..{n_classes - 1}")
    return y
