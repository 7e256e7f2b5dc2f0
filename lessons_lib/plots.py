"""The course's figures, in one colour-blind-safe style.

Colours come from the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), which readers with
any common colour-vision deficiency can tell apart. Every optimizer keeps one colour, one line style and one
marker across all lessons, so lines also differ without colour (in print, or for a colour-blind reader).

Every function takes ``ax=None`` (draw on a new figure) or an existing Axes, sets a title and axis labels,
adds a legend when there is more than one line, and returns the Axes (or the Figure, for multi-panel
figures). ``figure_png_bytes`` renders a figure to PNG bytes that are identical from run to run.
"""

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from PIL import Image as PILImage

from . import _validate
from .surfaces import Function1D, Surface

__all__ = [
    "OKABE_ITO",
    "COLORS",
    "style_for",
    "styles_for",
    "use_course_style",
    "figure_png_bytes",
    "draw_contours",
    "draw_path",
    "visible_part",
    "plot_surface",
    "plot_gradient_field",
    "plot_1d",
    "plot_loss_curves",
    "layer_histogram",
    "plot_activation_histograms",
    "plot_layer_stats",
    "race_gif",
    "race_animation",
    "family_tree",
]

# ----------------------------------------------------------------------------------------------------------
# Palette and per-optimizer styles
# ----------------------------------------------------------------------------------------------------------
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
GREY = "#999999"
DARK_GREY = "#555555"

WINE = "#882255"  # from Paul Tol's colour-blind-safe "muted" scheme: the eighth colour Okabe-Ito lacks

# One fixed colour per optimizer, chosen so that optimizers next to each other in the usual order (SGD,
# Momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, NAdam), in a one-column legend (the race's) or in
# one of two or four columns, differ clearly also for readers with a red-green or blue-yellow colour-vision
# deficiency (tests/test_plots.py simulates them). Okabe-Ito's yellow is left out: too pale on a light
# background.
COLORS = {
    "GD": GREY,
    "SGD": OKABE_ITO["black"],
    "Momentum": OKABE_ITO["orange"],
    "Nesterov": OKABE_ITO["bluish green"],
    "AdaGrad": WINE,
    "RMSProp": OKABE_ITO["vermillion"],
    "AdaDelta": OKABE_ITO["sky blue"],
    "Adam": OKABE_ITO["reddish purple"],
    "NAdam": OKABE_ITO["blue"],
    "AdamW": DARK_GREY,
}
# Ten different dash patterns, (offset, (on, off, ...)) in points, so no two optimizers share one.
LINESTYLES = {
    "GD": (0, (1, 3)),
    "SGD": "-",
    "Momentum": "--",
    "Nesterov": "-.",
    "AdaGrad": (0, (5, 1)),
    "RMSProp": ":",
    "AdaDelta": (0, (3, 1, 1, 1, 1, 1)),
    "Adam": (0, (8, 2)),
    "NAdam": (0, (1, 1)),
    "AdamW": (0, (3, 1, 1, 1)),
}
MARKERS = {
    "GD": ".",
    "SGD": "o",
    "Momentum": "s",
    "Nesterov": "^",
    "AdaGrad": "v",
    "RMSProp": "D",
    "AdaDelta": "P",
    "Adam": "X",
    "NAdam": "*",
    "AdamW": "h",
}
# Other spellings a lesson may use for the same method (torch's class names, the usual abbreviation).
_ALIASES = {"adagrad": "AdaGrad", "rmsprop": "RMSProp", "adadelta": "AdaDelta", "nag": "Nesterov"}
_CANONICAL = {name.lower(): name for name in COLORS} | _ALIASES

# Lines whose label is not an optimizer name (e.g. "lr = 0.1") take these, in order.
FALLBACK_COLORS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["black"],
    GREY,
]
FALLBACK_LINESTYLES = ["-", "--", "-.", ":"]
FALLBACK_MARKERS = ["o", "s", "^", "v", "D", "P", "X", "*"]


def style_for(name, index=0):
    """Colour, line style and marker for a line labelled ``name``.

    An optimizer name ("SGD", "Momentum", "Adam", "Adagrad", ...) always gets its own fixed style; any
    other label gets the ``index``-th style of the fallback cycle.
    """
    canonical = _CANONICAL.get(str(name).lower())
    if canonical is not None:
        return {
            "color": COLORS[canonical],
            "linestyle": LINESTYLES[canonical],
            "marker": MARKERS[canonical],
        }
    return {
        "color": FALLBACK_COLORS[index % len(FALLBACK_COLORS)],
        "linestyle": FALLBACK_LINESTYLES[index % len(FALLBACK_LINESTYLES)],
        "marker": FALLBACK_MARKERS[index % len(FALLBACK_MARKERS)],
    }


def styles_for(names):
    """A style per name (see ``style_for``); labels that are not optimizer names take the fallback cycle
    in order, so three lines "lr = 0.1", "lr = 0.5", "lr = 1.1" get three different styles."""
    styles, k = {}, 0
    for name in names:
        if str(name).lower() in _CANONICAL:
            styles[name] = style_for(name)
        else:
            styles[name] = style_for(name, k)
            k += 1
    return styles


COURSE_RC = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=FALLBACK_COLORS),
    "image.cmap": "viridis",
    "lines.linewidth": 1.8,
    "lines.markersize": 4,
    # Titles sit just above the axes. Left at None, matplotlib measures every top tick label of every
    # Axes at every draw to place the title clear of them: about a tenth of a lesson's run time, for
    # figures that have no tick labels on top.
    "axes.titley": 1.0,
}


def use_course_style():
    """Apply the course's plotting style (font sizes, grid, dpi, figure size, colour cycle) to rcParams."""
    matplotlib.rcParams.update(COURSE_RC)


def figure_png_bytes(fig, dpi=None, tight=True):
    """Render ``fig`` to PNG bytes with no software stamp, so the same figure gives the same bytes.

    ``tight=True`` fits the picture to what is drawn, a legend outside the Axes included (as the notebooks'
    inline figures do); ``tight=False`` keeps the figure's own size.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=dpi,
        metadata={"Software": None},
        bbox_inches="tight" if tight else None,
    )
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------------------
def _new_axes(ax, figsize=None):
    """``ax`` if given, else the Axes of a new pyplot figure (shown inline in a notebook).

    A legend outside the Axes is kept in the picture by saving with bbox_inches="tight", as the notebooks'
    inline figures and ``figure_png_bytes`` do.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _legend_if_many(ax, **kwargs):
    """Add a legend when the Axes has two or more labelled artists."""
    handles, labels = ax.get_legend_handles_labels()
    if len(handles) >= 2:
        ax.legend(**kwargs)


def _legend_outside(ax):
    """A legend to the right of the Axes, so it never hides a path."""
    _legend_if_many(ax, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)


def _check_surface(surface):
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a lessons_lib.surfaces.Surface, got {type(surface).__name__}")


def _check_paths(paths, ndim):
    """Paths as a dict of float arrays: (n, 2) for surfaces (ndim=2), (n,) for 1-D functions."""
    if paths is None:
        return {}
    if not isinstance(paths, dict):
        raise TypeError(f"paths must be a dict of name -> array, got {type(paths).__name__}")
    checked = {}
    for name, path in paths.items():
        path = np.asarray(path, dtype=float)
        if ndim == 2 and (path.ndim != 2 or path.shape[1] != 2):
            raise ValueError(f"path {name!r} must have shape (n, 2), got {path.shape}")
        if ndim == 1 and path.ndim != 1:
            raise ValueError(f"path {name!r} must have shape (n,), got {path.shape}")
        checked[name] = path
    return checked


def visible_part(path, limit=1e6):
    """The start of a path up to its first point beyond ``limit`` (a diverging run's first huge point).

    Points after it are far off any plot and would only make matplotlib's arithmetic overflow.
    """
    too_far = np.abs(path) > limit
    if path.ndim == 2:
        too_far = too_far.any(axis=1)
    far = np.flatnonzero(too_far)
    return path if far.size == 0 else path[: far[0] + 1]


# Star markers for minima: global (True) black with a white rim, local (False) white with a black rim.
_MINIMUM_STYLE = {
    True: dict(marker="*", markersize=15, color="black", markeredgecolor="white", markeredgewidth=0.8),
    False: dict(marker="*", markersize=15, color="white", markeredgecolor="black", markeredgewidth=0.8),
}


def _markevery(n, marks=30):
    """Put at most about ``marks`` markers on a line of n points."""
    return max(1, n // marks)


# ----------------------------------------------------------------------------------------------------------
# Surfaces and paths
# ----------------------------------------------------------------------------------------------------------
def draw_contours(surface, ax, resolution=200):
    """Filled contours of the surface with its log-spaced levels, its minima and saddles marked.

    Sets the axes' limits and labels; returns the artists it added (so an explorer can remove them).
    """
    x = np.linspace(*surface.xlim, resolution)
    y = np.linspace(*surface.ylim, resolution)
    X, Y = np.meshgrid(x, y)
    Z = surface.f(X, Y)
    levels = surface.levels
    # A light single-hue colour map, each band between two levels one step darker than the one above it;
    # values below the lowest level and above the highest get the end colours ("extend").
    norm = BoundaryNorm(levels, ncolors=256, extend="both")
    artists = [
        ax.contourf(X, Y, Z, levels=levels, cmap="Blues_r", norm=norm, extend="both", alpha=0.55),
        ax.contour(X, Y, Z, levels=levels, colors="#4a4a4a", linewidths=0.5, alpha=0.6),
    ]
    # Minima as stars: black where f is as low as it gets (global), white elsewhere (local).
    is_global = [np.isclose(surface.value(m), surface.min_value, rtol=0, atol=1e-12) for m in surface.minima]
    for label, keep in (("global minimum", True), ("local minimum", False)):
        points = [m for m, g in zip(surface.minima, is_global) if g == keep]
        if points:
            xs, ys = zip(*points)
            artists += ax.plot(xs, ys, linestyle="none", label=label, zorder=5, **_MINIMUM_STYLE[keep])
    if surface.saddles:
        xs, ys = zip(*surface.saddles)
        artists += ax.plot(xs, ys, linestyle="none", marker="X", markersize=9, color="white",
                           markeredgecolor="black", label="saddle point", zorder=5)
    ax.set_xlim(surface.xlim)
    ax.set_ylim(surface.ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(False)
    return artists


def draw_path(ax, path, name, style):
    """One optimizer's path: a line through its points with markers along it. Returns the Line2D."""
    path = visible_part(path)
    (line,) = ax.plot(path[:, 0], path[:, 1], label=name, color=style["color"],
                      linestyle=style["linestyle"], marker=style["marker"], markersize=4,
                      markeredgecolor="black", markeredgewidth=0.3,
                      markevery=_markevery(len(path)), zorder=4)
    return line


def plot_surface(surface, ax=None, paths=None, title=None, legend_outside=True):
    """Contours of a surface (log-spaced levels), its minima, and optimizer paths on top.

    ``paths``: a dict name -> array of shape (n, 2), e.g. ``{"SGD": trace(BOWL, SGD, None, 30, lr=0.95)}``.
    A diverging path is drawn up to where it leaves the picture. The legend sits to the right of the
    plot (``legend_outside=False``: in its upper right corner). Returns the Axes.
    """
    _check_surface(surface)
    paths = _check_paths(paths, ndim=2)
    ax = _new_axes(ax)
    draw_contours(surface, ax)
    for name, style in styles_for(paths).items():
        draw_path(ax, paths[name], name, style)
    if paths:
        starts = np.array([p[0] for p in paths.values()])
        ax.plot(starts[:, 0], starts[:, 1], linestyle="none", marker="o", markersize=10,
                color="none", markeredgecolor="black", markeredgewidth=1.2, label="start", zorder=6)
    ax.set_title(title if title is not None else f"{surface.name}: ${surface.tex}$")
    if legend_outside:
        _legend_outside(ax)
    else:
        _legend_if_many(ax, loc="upper right")
    return ax


def plot_gradient_field(surface, ax=None, n=17, point=None, title=None):
    """Arrows of the steepest-descent direction -grad f on a grid (all drawn the same length).

    With ``point`` (e.g. ``BOWL.start``), also draws -grad f at that point in bold and a dashed line from
    it to the global minimum, so the two directions can be compared. Returns the Axes.
    """
    _check_surface(surface)
    n = _validate.positive_int("n", n)
    ax = _new_axes(ax)
    draw_contours(surface, ax)
    X, Y = np.meshgrid(np.linspace(*surface.xlim, n), np.linspace(*surface.ylim, n))
    U, V = surface.df(X, Y)
    length = np.hypot(U, V)
    length[length == 0] = 1.0  # at a critical point, draw no arrow instead of dividing by zero
    ax.quiver(X, Y, -U / length, -V / length, color=DARK_GREY, angles="xy", pivot="mid",
              scale=n * 1.3, width=0.003)
    if point is not None:
        p = np.asarray(point, dtype=float)
        d = -surface.grad(p)
        to_min = surface.global_minimum - p
        d = d / np.linalg.norm(d) * np.linalg.norm(to_min) * 0.5
        ax.annotate("", xy=p + d, xytext=p,
                    arrowprops=dict(arrowstyle="-|>", color=OKABE_ITO["vermillion"], lw=2.5))
        ax.plot([], [], color=OKABE_ITO["vermillion"], lw=2.5, label=r"$-\nabla f$ at the point")
        ax.plot([p[0], surface.global_minimum[0]], [p[1], surface.global_minimum[1]],
                linestyle="--", color=OKABE_ITO["blue"], lw=2, label="straight to the minimum")
        ax.plot(*p, marker="o", color="black", markersize=6, linestyle="none")
    default_title = f"Arrows: the direction of $-\\nabla f$ on the {surface.name}"
    ax.set_title(title if title is not None else default_title)
    _legend_outside(ax)
    return ax


def plot_1d(fn, paths=None, ax=None, title=None):
    """A 1-D function's curve with optimizer iterates x_0, x_1, ... drawn on it.

    ``paths``: a dict name -> array of shape (n,), e.g. ``{"start 2.0": trace_1d(TWO_BASIN_1D, SGD, 2.0,
    30, lr=0.1)}``. Returns the Axes.
    """
    if not isinstance(fn, Function1D):
        raise TypeError(f"fn must be a lessons_lib.surfaces.Function1D, got {type(fn).__name__}")
    paths = _check_paths(paths, ndim=1)
    ax = _new_axes(ax)
    lo, hi = fn.xlim
    for path in paths.values():  # widen the view to show every iterate that stays in a sensible range
        finite = visible_part(path, limit=1e3)
        lo, hi = min(lo, finite.min()), max(hi, finite.max())
    x = np.linspace(lo, hi, 400)
    ax.plot(x, fn.f(x), color=DARK_GREY, lw=1.5, label="f(x)")
    for label, keep in (("global minimum", True), ("local minimum", False)):
        points = np.array([m for m in fn.minima if np.isclose(fn.value(m), fn.min_value, rtol=0,
                                                               atol=1e-12) == keep])
        if points.size:
            ax.plot(points, fn.f(points), linestyle="none", label=label, zorder=5, **_MINIMUM_STYLE[keep])
    for name, style in styles_for(paths).items():
        path = visible_part(paths[name], limit=1e3)
        ax.plot(path, fn.f(path), label=name, color=style["color"], linestyle=style["linestyle"],
                lw=1, marker=style["marker"], markersize=5, markeredgecolor="black",
                markeredgewidth=0.3, zorder=4)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(title if title is not None else f"{fn.name}: ${fn.tex}$")
    _legend_if_many(ax)
    return ax


# ----------------------------------------------------------------------------------------------------------
# Curves
# ----------------------------------------------------------------------------------------------------------
def plot_loss_curves(curves, ax=None, xlabel="step", log=True, x=None, ylabel="loss", title="Loss"):
    """One line per run: ``curves`` is a dict name -> 1-D array of losses.

    ``x`` (optional) is a dict name -> x values of the same length (e.g. seconds, or epochs); else the
    x value is the index. ``log=True`` uses a log y axis, which needs every value > 0 (plot f - f_min
    instead of f when f can be negative). Returns the Axes.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict of name -> 1-D array, got {curves!r}")
    ys = {}
    for name, curve in curves.items():
        curve = np.asarray(curve, dtype=float)
        if curve.ndim != 1:
            raise ValueError(f"curve {name!r} must be 1-D, got shape {curve.shape}")
        if log and np.any(curve[np.isfinite(curve)] <= 0):
            raise ValueError(
                f"curve {name!r} has values <= 0 (smallest {float(np.nanmin(curve)):.3g}), which a log "
                "axis cannot show: pass log=False, or plot loss - (lowest possible loss)"
            )
        ys[name] = curve
    if x is not None:
        if not isinstance(x, dict) or set(x) != set(curves):
            raise ValueError("x must be a dict with the same names as curves")
    ax = _new_axes(ax)
    for name, style in styles_for(ys).items():
        xs = np.arange(len(ys[name])) if x is None else np.asarray(x[name], dtype=float)
        if xs.shape != ys[name].shape:
            raise ValueError(f"x[{name!r}] has shape {xs.shape}, its curve has {ys[name].shape}")
        ax.plot(xs, ys[name], label=name, color=style["color"], linestyle=style["linestyle"],
                marker=style["marker"], markevery=_markevery(len(xs), 12), markersize=5)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    _legend_if_many(ax)
    return ax


def plain_log_ticks(ax, axis="y", ticks=None):
    """Label a log axis with plain numbers (0.1, 0.2, 0.5, 1, 2, ...) and no minor ticks; returns the Axes.

    Easier to read than matplotlib's default labels ("2 x 10^0") and faster to draw, since those are typeset
    as math. ``ticks``: the values to mark; by default 1, 2 and 5 times each power of ten inside the axis's
    current limits (only the powers of ten when the axis spans more than three decades). Call it after the
    data are drawn; the limits do not change.
    """
    import math

    from matplotlib import ticker

    if axis not in ("x", "y"):
        raise ValueError(f"Invalid axis: {axis!r} (choose 'x' or 'y')")
    which, scale, limits = ((ax.yaxis, ax.get_yscale(), ax.get_ylim()) if axis == "y"
                            else (ax.xaxis, ax.get_xscale(), ax.get_xlim()))
    if scale != "log":
        raise ValueError(f"the {axis} axis is not logarithmic (its scale is {scale!r})")
    if ticks is None:
        low, high = sorted(limits)
        first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
        mantissas = (1, 2, 5) if last - first <= 3 else (1,)
        ticks = [m * 10.0**d for d in range(first, last + 1) for m in mantissas if low <= m * 10.0**d <= high]
    which.set_major_locator(ticker.FixedLocator(list(ticks)))
    which.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    which.set_minor_locator(ticker.NullLocator())
    return ax


def layer_histogram(a, edges, positive_only=False):
    """One layer's histogram: ``(counts, share outside)`` of the values of ``a`` over the bin ``edges``.

    ``positive_only`` leaves out the values <= 0 (a ReLU layer's zeros, about half of it). The share of the
    values that fall outside the edges is returned, so a picture can say so instead of dropping them.
    """
    a = np.asarray(a, dtype=float).ravel()
    if positive_only:
        a = a[a > 0]
    counts, _ = np.histogram(a, bins=edges)
    outside = float(np.mean((a < edges[0]) | (a > edges[-1]))) if a.size else 0.0
    return counts, outside


def plot_activation_histograms(activations, bins=30, range=(0.0, 1.0), title="Activations per layer",
                               fig=None, xlabel="activation", *, stacked=False, ax=None, positive_only=False):
    """One histogram per layer (layer 1 first), in either of two layouts.

    - ``stacked=False`` (default): a row of panels with a shared y axis, as in *Deep Learning from
      Scratch* ch. 6. ``fig``: draw into this Figure (cleared first) instead of a new one. Returns the Figure.
    - ``stacked=True``: every layer on one Axes (``ax``, or a new one), layer 1 at the top, each histogram
      scaled to its own peak so the *shape* of a layer shows even when one bin holds most values.
      Returns the Axes.

    ``range`` is the x range of every histogram, (0, 1) for sigmoid, (-1, 1) for tanh, (0, some max) for
    ReLU; a layer with values outside it says which share lies beyond, so none are dropped silently.
    ``positive_only`` leaves out values <= 0 (a ReLU layer's zeros).
    """
    if not isinstance(activations, (list, tuple)) or not activations:
        raise TypeError("activations must be a non-empty list of arrays, one per layer")
    bins = _validate.positive_int("bins", bins)
    lo, hi = (_validate.real_number("range[0]", range[0]), _validate.real_number("range[1]", range[1]))
    if not lo < hi:
        raise ValueError(f"Invalid range: {range!r} (needs low < high)")
    _validate.flag("stacked", stacked)
    _validate.flag("positive_only", positive_only)
    if positive_only:
        xlabel = f"{xlabel} (values > 0 only)"
    edges = np.linspace(lo, hi, bins + 1)
    n_layers = len(activations)
    if stacked:
        ax = _new_axes(ax)
        for i, a in enumerate(activations):
            row = n_layers - 1 - i
            counts, outside = layer_histogram(a, edges, positive_only)
            ax.stairs(row + 0.85 * counts / max(counts.max(), 1), edges, baseline=row, fill=True,
                      color=OKABE_ITO["blue"], alpha=0.85)
            if outside >= 0.005:
                ax.text(0.99, row + 0.45, f"{outside:.0%} beyond the axis", transform=ax.get_yaxis_transform(),
                        ha="right", fontsize=8, color=OKABE_ITO["vermillion"])
        ax.set_yticks([n_layers - 1 - i + 0.4 for i, _ in enumerate(activations)],
                      [str(i + 1) for i, _ in enumerate(activations)])
        ax.set(xlim=(lo, hi), ylim=(-0.1, n_layers), ylabel="layer", title=title, xlabel=xlabel)
        ax.grid(False)
        return ax
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(min(2.4 * n_layers, 14), 2.8), layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(1, n_layers, sharey=True, squeeze=False)[0]
    for i, (panel, a) in enumerate(zip(axes, activations)):
        counts, outside = layer_histogram(a, edges, positive_only)
        panel.stairs(counts, edges, fill=True, color=OKABE_ITO["blue"], alpha=0.85)
        if outside:
            panel.text(0.97, 0.95, f"{100 * outside:.0f}% outside", transform=panel.transAxes,
                       ha="right", va="top", fontsize=8, color=OKABE_ITO["vermillion"])
        panel.set_title(f"layer {i + 1}", fontsize=10)
        panel.set_xlabel(xlabel)
        panel.set_xlim(lo, hi)
        panel.set_xticks([lo, (lo + hi) / 2, hi])
        panel.grid(False)
    axes[0].set_ylabel("count")
    fig.suptitle(title)
    return fig


def plot_layer_stats(values, ylabel="activation std", ax=None, title=None, log=True, xlabel="layer"):
    """A per-layer statistic (e.g. activation std, gradient norm) for several settings, layer 1 first.

    ``values``: a dict name -> sequence with one number per layer. Returns the Axes.
    """
    if not isinstance(values, dict) or not values:
        raise TypeError(f"values must be a non-empty dict of name -> per-layer numbers, got {values!r}")
    ax = _new_axes(ax)
    for name, style in styles_for(values).items():
        v = np.asarray(values[name], dtype=float)
        if v.ndim != 1:
            raise ValueError(f"values[{name!r}] must be 1-D (one number per layer), got shape {v.shape}")
        ax.plot(np.arange(1, len(v) + 1), v, label=name, color=style["color"],
                linestyle=style["linestyle"], marker=style["marker"], markersize=6)
    if log:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title if title is not None else f"{ylabel} per layer")
    _legend_if_many(ax)
    return ax


# ----------------------------------------------------------------------------------------------------------
# The race: an animated GIF that plays on a static page
# ----------------------------------------------------------------------------------------------------------
def _gif_palette(image, exact_colors):
    """A 256-colour palette for a GIF: ``exact_colors`` exactly, the rest fitted to ``image`` (median cut).

    Without the exact colours, a line drawn in few pixels (say yellow) can be merged with a similar
    colour (orange) and two optimizers would look alike.
    """
    exact = [round(c * 255) for color in dict.fromkeys(exact_colors) for c in to_rgba(color)[:3]]
    sample = image.reduce(2)  # every colour region of a frame is many pixels wide: half the pixels suffice
    fitted = sample.quantize(colors=256 - len(exact) // 3, method=PILImage.Quantize.MEDIANCUT)
    rest = fitted.getpalette()[: 3 * (256 - len(exact) // 3)]
    palette = PILImage.new("P", (1, 1))
    palette.putpalette(exact + rest)
    return palette


def _race_panels(surface_or_panels, paths):
    """``race_gif``'s first two arguments as a checked list of (surface, paths) panels."""
    if isinstance(surface_or_panels, Surface):
        panels = [(surface_or_panels, paths)]
    else:
        if paths is not None:
            raise TypeError("give race_gif(surface, paths) or race_gif([(surface, paths), ...]), not both")
        panels = surface_or_panels
    if not isinstance(panels, (list, tuple)) or not panels:
        raise TypeError("panels must be a non-empty list of (surface, paths) pairs")
    checked = []
    for i, panel in enumerate(panels):
        if not (isinstance(panel, tuple) and len(panel) == 2):
            raise TypeError(f"panels[{i}] must be a (surface, paths) pair, got {type(panel).__name__}")
        _check_surface(panel[0])
        panel_paths = _check_paths(panel[1], ndim=2)
        if not panel_paths:
            raise ValueError(f"panels[{i}]: paths must hold at least one path")
        checked.append((panel[0], panel_paths))
    return checked


_RACE_LW = 2.2  # the race's line width, in points
_RACE_FONT = 16  # the race's text size, in points: 22 px at 100 dpi, the deck's smallest text (slides/deck.css)
_RACE_LEGEND_W = 2.4  # the legend column's width, in inches, at that text size


def race_gif(surface_or_panels, paths=None, *, frames=None, interval=120, hold=1500, dpi=100,
             panel_size=(4.575, 2.775), ncols=2, title=None):
    """Every path growing step by step on its surface, as the bytes of an animated GIF.

    ``race_gif(surface, paths)`` draws one surface; ``race_gif([(surface, paths), ...])`` draws several
    side by side (small multiples, ``ncols`` per row) with one legend for all, in a column on the right.
    ``paths`` is a dict name -> array (n, 2) (from ``surfaces.trace`` or ``rules.run``). Frame k shows every
    path of a panel up to the same fraction of that panel's steps; each panel counts its steps above it.
    Long runs are subsampled to ``frames`` frames (default: one per step, at most 60). ``interval`` is the
    time per frame in ms, ``hold`` how long the last frame (the whole race) stays before the loop starts
    again; ``panel_size`` is one panel's size in inches (at ``dpi`` pixels per inch). The bytes are the same
    on every run of the same library versions (a GIF stores no timestamp); tests check its content, not
    its bytes.

    Made to be read on a projector: at the defaults, four panels make a GIF of 1200 x 660 pixels, the size
    at which a lecture slide (1280 x 800, slides/deck.css) shows it, so it is not scaled down there and every
    text is at least 22 pixels high, the deck's smallest text. Each optimizer keeps its colour, line style
    and marker (a marker every tenth of the run, and a large one at the moving head), every line has a thin
    white outline so it stays visible over the dark contours near a minimum, and the contours are paler than
    in the still figures.

    How: the still background (contours, axes, legend) is drawn once; each frame puts it back and draws only
    the moving parts on top (matplotlib's blitting), and every frame uses one 256-colour palette in which
    every optimizer's colour is exact, so similar colours never merge.
    """
    from matplotlib import patheffects

    panels = _race_panels(surface_or_panels, paths)
    interval = _validate.positive_int("interval", interval)
    hold = _validate.positive_int("hold", hold)
    ncols = min(_validate.positive_int("ncols", ncols), len(panels))
    longest = max(len(p) for _, panel_paths in panels for p in panel_paths.values())
    frames = min(longest, 60) if frames is None else _validate.positive_int("frames", frames)
    fractions = np.unique(np.linspace(0.0, 1.0, frames))

    nrows = -(-len(panels) // ncols)
    names = list(dict.fromkeys(name for _, panel_paths in panels for name in panel_paths))
    # A fixed layout in inches (constrained layout would cost more than drawing all the frames): room above
    # each panel for its title, and a column on the right for the legend.
    legend_h = 0.36 * len(names) + 0.2  # one line of the legend per optimizer, at _RACE_FONT
    left, right, top, bottom, gap_x, gap_y = 0.1, 0.1 + _RACE_LEGEND_W, 0.45, 0.1, 0.25, 0.5
    width = left + right + panel_size[0] * ncols + gap_x * (ncols - 1)
    height = max(top + bottom + panel_size[1] * nrows + gap_y * (nrows - 1), legend_h)
    fig = Figure(figsize=(width, height), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    axis_w = (width - left - right - (ncols - 1) * gap_x) / ncols
    axis_h = (height - top - bottom - (nrows - 1) * gap_y) / nrows
    axes = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw=dict(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height,
        wspace=gap_x / axis_w, hspace=gap_y / axis_h)).ravel()
    halo = [patheffects.Stroke(linewidth=_RACE_LW + 1.8, foreground="white", alpha=0.85), patheffects.Normal()]
    moving, counters, legend_lines = [], [], {}
    for ax, (surface, panel_paths) in zip(axes, panels):
        contours = draw_contours(surface, ax, resolution=120)  # smooth enough at this size, and faster
        contours[0].set_alpha(0.35)  # paler filled contours than the still figures: every colour stands out
        # no ticks or axis labels: a race is read from its paths and minima, not its coordinates (and the
        # tick labels would cost more to lay out than several frames)
        ax.set(xticks=[], yticks=[], xlabel="", ylabel="")
        n_steps = max(len(p) for p in panel_paths.values()) - 1
        for name, style in styles_for(panel_paths).items():
            marker = dict(marker=style["marker"], color=style["color"], markeredgecolor="black", linestyle="none")
            # the line with its white outline; its markers are a separate artist (an outline on markers would
            # make matplotlib draw them one by one, many times slower)
            (line,) = ax.plot([], [], color=style["color"], linestyle=style["linestyle"], lw=_RACE_LW,
                              path_effects=halo, zorder=4)
            (marks,) = ax.plot([], [], markersize=7, markeredgewidth=0.6, zorder=5, **marker)
            (head,) = ax.plot([], [], markersize=12, markeredgewidth=1.0, zorder=6, **marker)
            moving.append((line, marks, head, panel_paths[name], n_steps))
            legend_lines.setdefault(name, Line2D([], [], color=style["color"], linestyle=style["linestyle"],
                                                 lw=_RACE_LW, marker=style["marker"], markersize=10,
                                                 markeredgecolor="black", markeredgewidth=0.6))
        # the surface's name on the left above the panel (no formula: its mathtext costs more to lay out than a
        # whole frame), the step counter on the right; only the short counter is redrawn in every frame
        ax.set_title(title if title is not None and len(panels) == 1 else surface.name, loc="left",
                     fontsize=_RACE_FONT)
        counters.append((ax.set_title(" ", loc="right", fontsize=_RACE_FONT), n_steps))
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.legend(legend_lines.values(), legend_lines.keys(), loc="center left",
               bbox_to_anchor=(1 - (right - 0.15) / width, 0.5), fontsize=_RACE_FONT, handlelength=3.0,
               frameon=False, borderaxespad=0.0, labelspacing=0.45)
    if title is not None and len(panels) > 1:
        fig.suptitle(title, fontsize=_RACE_FONT, y=1.0, va="top")
    animated = [a for line, marks, head, _, _ in moving for a in (line, marks, head)] + [c for c, _ in counters]
    for artist in animated:
        artist.set_animated(True)  # left out of the background

    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    size = canvas.get_width_height()
    images = []
    for fraction in fractions:
        canvas.restore_region(background)
        for line, marks, head, path, n_steps in moving:
            shown = visible_part(path[: int(round(fraction * n_steps)) + 1])
            line.set_data(shown[:, 0], shown[:, 1])
            every = shown[:: max(1, n_steps // 10)]  # a marker every tenth of the run
            marks.set_data(every[:, 0], every[:, 1])
            head.set_data(shown[-1:, 0], shown[-1:, 1])
        for counter, n_steps in counters:
            counter.set_text(f"step {int(round(fraction * n_steps))} of {n_steps}")
        for artist in animated:
            fig.draw_artist(artist)
        # a copy in RGB (the canvas' buffer is reused by the next frame)
        images.append(PILImage.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB"))

    exact = ["#000000", "#FFFFFF", *(style["color"] for style in styles_for(legend_lines).values())]
    palette = _gif_palette(images[-1], exact)
    gif_frames = [im.quantize(palette=palette, dither=PILImage.Dither.NONE) for im in images]
    buffer = io.BytesIO()
    durations = [interval] * (len(gif_frames) - 1) + [max(interval, hold)]
    gif_frames[0].save(buffer, format="gif", save_all=True, append_images=gif_frames[1:],
                       duration=durations if len(gif_frames) > 1 else durations[0], loop=0)
    return buffer.getvalue()


def race_animation(surface_or_panels, paths=None, **kwargs):
    """The race as an animated GIF that a notebook shows inline (it plays on a static page too).

    Returns ``IPython.display.Image``; see ``race_gif`` for the arguments.
    """
    from IPython.display import Image

    return Image(data=race_gif(surface_or_panels, paths, **kwargs), format="gif")


# ----------------------------------------------------------------------------------------------------------
# The family tree of the optimizers
# ----------------------------------------------------------------------------------------------------------
# name: (x, y) of the box centre, and the year of the method's first public version (a preprint, a lecture
# or a conference paper; the journal or later conference version is often a year or two later).
TREE_YEAR_CONVENTION = "year of the first public version (preprint, lecture or conference paper)"
_TREE_NODES = {
    "GD": (0.0, 3.0, 1847),  # Cauchy, Comptes rendus 1847
    "SGD": (2.6, 3.0, 1951),  # Robbins & Monro, Ann. Math. Stat. 1951
    "Momentum": (5.2, 3.0, 1964),  # Polyak 1964
    "Nesterov": (7.8, 3.0, 1983),  # Nesterov 1983
    "AdaGrad": (2.6, 1.2, 2010),  # Duchi, Hazan & Singer: COLT 2010 (JMLR 2011)
    "RMSProp": (5.2, 1.2, 2012),  # Tieleman & Hinton: Coursera lecture 6e, 2012 (never published as a paper)
    "AdaDelta": (5.2, -0.3, 2012),  # Zeiler: arXiv 1212.5701, December 2012
    "Adam": (7.8, 1.2, 2014),  # Kingma & Ba: arXiv 1412.6980, December 2014 (ICLR 2015)
    "NAdam": (10.4, 2.1, 2016),  # Dozat: ICLR 2016 workshop
    "AdamW": (10.4, 0.3, 2017),  # Loshchilov & Hutter: arXiv 1711.05101, November 2017 (ICLR 2019)
}
_BOX_W, _BOX_H = 1.5, 0.62  # box size in data units
# (parent, child, what the child adds, where the note goes relative to the arrow's middle)
_TREE_EDGES = [
    ("GD", "SGD", "minibatch gradient", (0.0, 0.42)),
    ("SGD", "Momentum", "+ velocity", (0.0, 0.42)),
    ("Momentum", "Nesterov", "look-ahead gradient", (0.0, 0.42)),
    ("SGD", "AdaGrad", "per-coordinate\nstep size", (-0.12, 0.0)),
    ("AdaGrad", "RMSProp", "moving average\nof $g^2$", (0.0, 0.42)),
    ("AdaGrad", "AdaDelta", "moving averages,\nno global lr", (-0.62, -0.3)),
    ("RMSProp", "Adam", "+ momentum,\nbias correction", (0.0, -0.48)),
    ("Momentum", "Adam", "", (0.0, 0.0)),
    ("Nesterov", "NAdam", "look-ahead", (0.35, 0.25)),
    ("Adam", "NAdam", "", (0.0, 0.0)),
    ("Adam", "AdamW", "decoupled\nweight decay", (-0.35, -0.5)),
]


def _box_edge(centre, towards):
    """The point where the segment from a box's centre towards another point leaves the box."""
    d = np.subtract(towards, centre)
    t = min(_BOX_W / 2 / abs(d[0]) if d[0] else np.inf, _BOX_H / 2 / abs(d[1]) if d[1] else np.inf)
    return np.asarray(centre) + t * d


def family_tree(ax=None, include_adamw=True, title="The optimizer family tree"):
    """The optimizer family tree drawn with boxes and arrows, each method in its colour.

    GD -> SGD -> Momentum -> Nesterov; SGD -> AdaGrad -> RMSProp and AdaDelta; Momentum + RMSProp -> Adam;
    Adam + Nesterov -> NAdam; Adam -> AdamW (decoupled weight decay). Returns the Axes.
    """
    ax = _new_axes(ax, figsize=(11, 4.9))
    nodes = {k: v for k, v in _TREE_NODES.items() if include_adamw or k != "AdamW"}
    for name, (x, y, year) in nodes.items():
        ax.add_patch(FancyBboxPatch((x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                                    boxstyle="round,pad=0.02,rounding_size=0.12", lw=2,
                                    fc=to_rgba(COLORS[name], 0.22), ec=COLORS[name], zorder=3))
        ax.text(x, y + 0.09, name, ha="center", va="center", fontsize=11, weight="bold", zorder=4)
        ax.text(x, y - 0.17, str(year), ha="center", va="center", fontsize=8.5, color="#333333", zorder=4)
    for parent, child, note, (dx, dy) in _TREE_EDGES:
        if parent not in nodes or child not in nodes:
            continue
        a, b = np.array(nodes[parent][:2]), np.array(nodes[child][:2])
        ax.add_patch(FancyArrowPatch(_box_edge(a, b), _box_edge(b, a), arrowstyle="-|>",
                                     mutation_scale=14, color=DARK_GREY, lw=1.3, zorder=2))
        if note:
            mid = (a + b) / 2
            ax.text(mid[0] + dx, mid[1] + dy, note, ha="center", va="center", fontsize=8.5,
                    style="italic", color="#333333", zorder=2)
    ax.text(11.3, -1.05, f"Years: {TREE_YEAR_CONVENTION}", ha="right", va="bottom", fontsize=8.5,
            color="#333333")
    ax.set_xlim(-0.9, 11.3)
    ax.set_ylim(-1.05, 3.75)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    return ax
