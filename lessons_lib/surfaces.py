"""Test functions for watching optimizers move, and a runner that records their paths.

Every function comes with its value, its analytic gradient and its known critical points (minima and,
where there are any, saddle points), so a lesson can ask "where did the optimizer end up?" and a test can
check the answer.

2-D surfaces (``Surface``):

- ``BOWL``             f = x^2/20 + y^2, the anisotropic bowl of *Deep Learning from Scratch* ch. 6
- ``ILL_CONDITIONED``  f = 0.1 x^2 + 2 y^2, the ill-conditioned quadratic of *Dive into Deep Learning* ch. 12
- ``ROSENBROCK``       f = (1 - x)^2 + 100 (y - x^2)^2, a long curved valley (Rosenbrock, 1960)
- ``SADDLE``           f = x^2 - y^2 + y^4/4, a saddle at the origin between two minima
- ``TWO_BASIN``        a tilted double well: a local and a deeper global minimum

1-D functions (``Function1D``): ``TWO_BASIN_1D`` and ``quadratic_1d(L)``.

The runner ``trace(surface, optimizer_cls, start, steps, **hyperparameters)`` builds an optimizer from
``lessons_lib.optim`` (or any class with the same interface) on one 2-D parameter array and returns every
point it visits.
"""

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate

__all__ = [
    "Surface",
    "Function1D",
    "BOWL",
    "ILL_CONDITIONED",
    "ROSENBROCK",
    "SADDLE",
    "TWO_BASIN",
    "TWO_BASIN_1D",
    "SURFACES",
    "quadratic_1d",
    "trace",
    "trace_1d",
    "steps_to_reach",
]


# ----------------------------------------------------------------------------------------------------------
# The two kinds of test function
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Surface:
    """A 2-D test function f(x, y) with its analytic gradient and its known critical points.

    ``f(x, y)`` works on numpy arrays of any shape (for contour plots); ``df(x, y)`` returns the two
    partial derivatives (df/dx, df/dy). ``grad(p)`` and ``value(p)`` take one point p = (x, y).
    ``levels`` are the contour levels a plot should use (log-spaced above the lowest value).
    """

    name: str
    tex: str
    f: Callable
    df: Callable
    minima: tuple
    global_minimum: np.ndarray
    start: np.ndarray
    xlim: tuple
    ylim: tuple
    levels: np.ndarray
    saddles: tuple = ()

    def grad(self, p):
        """The gradient (df/dx, df/dy) at the point p, as a new float array of shape (2,)."""
        x, y = p
        dfdx, dfdy = self.df(x, y)
        return np.array([dfdx, dfdy], dtype=float)

    def value(self, p):
        """f at the point p = (x, y), as a Python float."""
        x, y = p
        return float(self.f(x, y))

    def values(self, path):
        """f at every row of a path of shape (n, 2): the loss curve of that path."""
        path = np.asarray(path, dtype=float)
        return self.f(path[:, 0], path[:, 1])

    @property
    def min_value(self):
        """The lowest value of f (at the global minimum)."""
        return self.value(self.global_minimum)

    def __repr__(self):
        return f"Surface({self.name!r}: {self.tex})"


@dataclass(frozen=True, eq=False)
class Function1D:
    """A 1-D test function f(x) with its analytic derivative and its known critical points.

    ``f`` and ``df`` work on numpy arrays of any shape. ``grad(p)`` returns df/dx at p as a float array of
    p's shape, so an optimizer can update a parameter array of shape (1,).
    """

    name: str
    tex: str
    f: Callable
    df: Callable
    minima: tuple
    global_minimum: float
    start: float
    xlim: tuple
    maxima: tuple = ()

    def grad(self, p):
        """The derivative df/dx at p (an array of shape (1,), or a number)."""
        return np.asarray(self.df(np.asarray(p, dtype=float)), dtype=float)

    def value(self, x):
        """f at the number x, as a Python float."""
        return float(self.f(float(x)))

    @property
    def min_value(self):
        """The lowest value of f (at the global minimum)."""
        return self.value(self.global_minimum)

    def __repr__(self):
        return f"Function1D({self.name!r}: {self.tex})"


def _levels_above(lowest, smallest_gap, largest_gap, n, extra=()):
    """Contour levels lowest + gap, with gaps spaced evenly on a log scale (plus any ``extra`` levels)."""
    levels = lowest + np.geomspace(smallest_gap, largest_gap, n)
    return np.unique(np.concatenate([levels, np.asarray(extra, dtype=float)]))


# ----------------------------------------------------------------------------------------------------------
# BOWL: f = x^2/20 + y^2. Along y it is 20 times steeper than along x, so the gradient points mostly
# along y, not at the minimum. (Deep Learning from Scratch, ch. 6: start (-7, 2).)
# ----------------------------------------------------------------------------------------------------------
def _bowl(x, y):
    return x**2 / 20 + y**2


def _bowl_grad(x, y):
    return x / 10, 2 * y


BOWL = Surface(
    name="anisotropic bowl",
    tex=r"f(x, y) = \frac{x^2}{20} + y^2",
    f=_bowl,
    df=_bowl_grad,
    minima=(np.array([0.0, 0.0]),),
    global_minimum=np.array([0.0, 0.0]),
    start=np.array([-7.0, 2.0]),
    xlim=(-10.0, 10.0),
    ylim=(-5.0, 5.0),
    levels=_levels_above(0.0, 0.02, 30.0, 12),
)


# ----------------------------------------------------------------------------------------------------------
# ILL_CONDITIONED: f = 0.1 x^2 + 2 y^2. Curvatures 0.2 and 4: condition number 20.
# (Dive into Deep Learning, ch. 12: start (-5, -2).)
# ----------------------------------------------------------------------------------------------------------
def _ill(x, y):
    return 0.1 * x**2 + 2 * y**2


def _ill_grad(x, y):
    return 0.2 * x, 4 * y


ILL_CONDITIONED = Surface(
    name="ill-conditioned quadratic",
    tex=r"f(x, y) = 0.1\,x^2 + 2\,y^2",
    f=_ill,
    df=_ill_grad,
    minima=(np.array([0.0, 0.0]),),
    global_minimum=np.array([0.0, 0.0]),
    start=np.array([-5.0, -2.0]),
    xlim=(-6.0, 6.0),
    ylim=(-3.0, 3.0),
    levels=_levels_above(0.0, 0.02, 20.0, 12),
)


# ----------------------------------------------------------------------------------------------------------
# ROSENBROCK: f = (1 - x)^2 + 100 (y - x^2)^2. The minimum (1, 1) lies at the bottom of a narrow, curved,
# almost flat valley: easy to find the valley, slow to walk along it.
# ----------------------------------------------------------------------------------------------------------
def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    dfdx = -2 * (1 - x) - 400 * x * (y - x**2)
    dfdy = 200 * (y - x**2)
    return dfdx, dfdy


ROSENBROCK = Surface(
    name="Rosenbrock",
    tex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
    f=_rosenbrock,
    df=_rosenbrock_grad,
    minima=(np.array([1.0, 1.0]),),
    global_minimum=np.array([1.0, 1.0]),
    start=np.array([-2.0, 2.0]),
    xlim=(-2.5, 2.5),
    ylim=(-1.5, 4.0),
    levels=_levels_above(0.0, 0.1, 3000.0, 14),
)


# ----------------------------------------------------------------------------------------------------------
# SADDLE: f = x^2 - y^2 + y^4/4.
#   df/dx = 2x, df/dy = -2y + y^3 = y (y^2 - 2): critical points at (0, 0) and (0, +-sqrt(2)).
#   At (0, 0) the curvatures are +2 (along x) and -2 (along y): a saddle point.
#   At (0, +-sqrt(2)) they are +2 and -2 + 3*2 = +4: two minima, both with f = -2 + 1 = -1.
# A start on the x-axis slides straight into the saddle and stays (the gradient has no y-part there);
# the default start is a hair above it, so an optimizer first crawls towards the saddle, then escapes.
# ----------------------------------------------------------------------------------------------------------
def _saddle(x, y):
    return x**2 - y**2 + y**4 / 4


def _saddle_grad(x, y):
    return 2 * x, -2 * y + y**3


_SQRT2 = math.sqrt(2.0)

SADDLE = Surface(
    name="saddle",
    tex=r"f(x, y) = x^2 - y^2 + \frac{y^4}{4}",
    f=_saddle,
    df=_saddle_grad,
    minima=(np.array([0.0, _SQRT2]), np.array([0.0, -_SQRT2])),
    global_minimum=np.array([0.0, _SQRT2]),  # both minima are equally deep (f = -1); this is the upper one
    saddles=(np.array([0.0, 0.0]),),
    start=np.array([-1.5, 1e-3]),
    xlim=(-2.0, 2.0),
    ylim=(-2.5, 2.5),
    levels=_levels_above(-1.0, 0.02, 8.0, 13, extra=[0.0]),  # 0.0: the level through the saddle
)


# ----------------------------------------------------------------------------------------------------------
# TWO_BASIN_1D: a tilted double well whose slope factors neatly:
#   f'(x) = (x^2 - 1)(x - 0.3) = x^3 - 0.3 x^2 - x + 0.3
#   f(x)  = x^4/4 - 0.1 x^3 - x^2/2 + 0.3 x          (the antiderivative with f(0) = 0)
# Critical points: x = -1 (global minimum, f = -0.45), x = 0.3 (a local maximum, the hill between the
# basins), x = 1 (local minimum, f = -0.05). Curvature f''(x) = 3x^2 - 0.6x - 1: 2.6 at -1, 1.4 at +1.
# ----------------------------------------------------------------------------------------------------------
_TILT = 0.3


def _two_basin_1d(x):
    return x**4 / 4 - _TILT * x**3 / 3 - x**2 / 2 + _TILT * x


def _two_basin_1d_grad(x):
    return (x**2 - 1) * (x - _TILT)


TWO_BASIN_1D = Function1D(
    name="tilted double well",
    tex=r"f(x) = \frac{x^4}{4} - 0.1\,x^3 - \frac{x^2}{2} + 0.3\,x",
    f=_two_basin_1d,
    df=_two_basin_1d_grad,
    minima=(-1.0, 1.0),
    global_minimum=-1.0,
    maxima=(_TILT,),
    start=2.0,
    xlim=(-2.0, 2.2),
)


# ----------------------------------------------------------------------------------------------------------
# TWO_BASIN: the same double well along x, plus a plain y^2 valley:
#   f(x, y) = f_1d(x) + y^2, grad = (f_1d'(x), 2y).
# Minima: (-1, 0) global (f = -0.45) and (1, 0) local (f = -0.05); a saddle at (0.3, 0) between them.
# ----------------------------------------------------------------------------------------------------------
def _two_basin(x, y):
    return _two_basin_1d(x) + y**2


def _two_basin_grad(x, y):
    return _two_basin_1d_grad(x), 2 * y


TWO_BASIN = Surface(
    name="two basins",
    tex=r"f(x, y) = \frac{x^4}{4} - 0.1\,x^3 - \frac{x^2}{2} + 0.3\,x + y^2",
    f=_two_basin,
    df=_two_basin_grad,
    minima=(np.array([-1.0, 0.0]), np.array([1.0, 0.0])),
    global_minimum=np.array([-1.0, 0.0]),
    saddles=(np.array([_TILT, 0.0]),),
    start=np.array([2.0, 1.5]),
    xlim=(-2.0, 2.5),
    ylim=(-2.0, 2.0),
    levels=_levels_above(-0.45, 0.02, 6.0, 14, extra=[-0.05 + 0.01]),
)

# Every 2-D surface by a short key, in the order the lessons meet them.
SURFACES = {
    "bowl": BOWL,
    "ill_conditioned": ILL_CONDITIONED,
    "rosenbrock": ROSENBROCK,
    "saddle": SADDLE,
    "two_basin": TWO_BASIN,
}


def quadratic_1d(L):
    """The 1-D quadratic f(x) = L/2 x^2 with curvature L (f'(x) = L x, f''(x) = L).

    Gradient descent multiplies x by (1 - lr*L) at every step, so it converges exactly when
    |1 - lr*L| < 1, i.e. 0 < lr < 2/L: the stability bound of lesson 01.
    """
    L = _validate.positive("L", L)

    def f(x):
        return L / 2 * x**2

    def df(x):
        return L * x

    return Function1D(
        name=f"quadratic (L = {L:g})",
        tex=rf"f(x) = \frac{{{L:g}}}{{2}}\,x^2",
        f=f,
        df=df,
        minima=(0.0,),
        global_minimum=0.0,
        start=1.0,
        xlim=(-1.5, 1.5),
    )


# ----------------------------------------------------------------------------------------------------------
# The runner
# ----------------------------------------------------------------------------------------------------------
def _check_runner_args(fn, kind, optimizer_cls, steps, schedule):
    if not isinstance(fn, kind):
        raise TypeError(f"the function to run on must be a {kind.__name__}, got {type(fn).__name__}")
    if not inspect.isclass(optimizer_cls):
        raise TypeError(
            f"optimizer_cls must be an optimizer class such as lessons_lib.optim.SGD, got {optimizer_cls!r}"
        )
    steps = _validate.positive_int("steps", steps)
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a callable that takes the optimizer, got {schedule!r}")
    return steps


def _start_array(start, shape):
    """``start`` as a new float array of the given shape, checked to be finite."""
    try:
        p = np.array(start, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"start must be a point of numbers, got {start!r}") from None
    if p.shape != shape:
        raise ValueError(f"start must have shape {shape}, got {start!r} with shape {p.shape}")
    _validate.finite_array("start", p)
    return p


def _run(fn, p, optimizer_cls, steps, schedule, hyperparameters):
    """Run the optimizer on the parameter array p (updated in place) and record p after every step."""
    optimizer = optimizer_cls([p], **hyperparameters)
    scheduler = schedule(optimizer) if schedule is not None else None
    path = np.empty((steps + 1,) + p.shape)
    path[0] = p
    # A diverging run overflows to inf/NaN: that is an outcome we report (by stopping), not a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            g = fn.grad(p)
            if not np.all(np.isfinite(g)):
                return path[:k]
            optimizer.step([g])
            if scheduler is not None:
                scheduler.step()
            if not np.all(np.isfinite(p)):
                return path[:k]
            path[k] = p
    return path


def trace(surface, optimizer_cls, start, steps, *, schedule=None, **hyperparameters):
    """Run an optimizer on a 2-D surface and return its path.

    ``optimizer = optimizer_cls([p], **hyperparameters)`` is built on one parameter array p (a copy of
    ``start``; ``None`` means ``surface.start``). Each step computes g = surface.grad(p), calls
    ``optimizer.step([g])``, then ``scheduler.step()`` if ``schedule`` was given, where
    ``scheduler = schedule(optimizer)``, e.g. ``schedule=lambda opt: TimeDecay(opt, decay=0.01)``.

    Returns an array of shape (steps + 1, 2): row 0 is the start, row k the point after k steps.
    If the run diverges (a point or a gradient becomes inf or NaN), it stops there and returns only the
    finite rows, so ``len(path) < steps + 1`` tells that it diverged.

    Example: ``trace(BOWL, SGD, (-7, 2), 30, lr=0.95)``.
    """
    steps = _check_runner_args(surface, Surface, optimizer_cls, steps, schedule)
    p = _start_array(surface.start if start is None else start, (2,))
    return _run(surface, p, optimizer_cls, steps, schedule, hyperparameters)


def trace_1d(fn, optimizer_cls, start, steps, *, schedule=None, **hyperparameters):
    """Run an optimizer on a 1-D function and return its iterates x_0, x_1, ..., x_steps.

    The same as ``trace`` on a ``Function1D`` (``start`` is a number; ``None`` means ``fn.start``);
    returns an array of shape (steps + 1,), shorter if the run diverges.
    """
    steps = _check_runner_args(fn, Function1D, optimizer_cls, steps, schedule)
    start = fn.start if start is None else start
    if isinstance(start, (bool, np.bool_)) or not np.isscalar(start):
        raise TypeError(f"start must be a number, got {start!r}")
    p = _start_array([start], (1,))
    return _run(fn, p, optimizer_cls, steps, schedule, hyperparameters)[:, 0]


def steps_to_reach(path, target, tol):
    """The first step k at which the path is within ``tol`` of ``target`` (Euclidean distance), or None.

    ``path`` is what ``trace`` (shape (n, 2)) or ``trace_1d`` (shape (n,)) returned.
    """
    tol = _validate.positive("tol", tol)
    path = np.asarray(path, dtype=float)
    target = np.asarray(target, dtype=float)
    if path.ndim == 1:
        path = path[:, None]
        target = target.reshape(1)
    if path.ndim != 2 or target.shape != (path.shape[1],):
        raise ValueError(f"path of shape {path.shape} and target of shape {target.shape} do not match")
    distance = np.linalg.norm(path - target, axis=1)
    hits = np.flatnonzero(distance <= tol)
    return int(hits[0]) if hits.size else None
