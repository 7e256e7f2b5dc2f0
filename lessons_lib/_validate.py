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
    if not np.issubdtype(value.dtype, np.floating):
        raise TypeError(f"{name} must have a floating dtype, got dtype {value.dtype}")
    return value


def finite_array(name, value):
    """A floating numpy array with no NaN or inf."""
    float_array(name, value)
    if not np.all(np.isfinite(value)):
        bad = np.count_nonzero(~np.isfinite(value))
        raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf)")
    return value
