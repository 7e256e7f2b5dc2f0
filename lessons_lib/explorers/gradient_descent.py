"""Lesson 01's explorers: gradient descent on a 1-D function and on the 2-D surfaces.

``settings(explorer)`` says in one line what an explorer shows, for the line printed with its snapshot.
"""

import numpy as np

from .. import optim, surfaces, widgets
from ..plots import DARK_GREY, OKABE_ITO, visible_part


def gd_1d_explorer(steps=30):
    """Gradient descent on a 1-D function: pick the function, the learning rate and the start x0.

    Left: f(x) with the iterates x_0, x_1, ... on it. Right: f(x_k) - f_min against the step k (log scale).
    """
    functions = {
        "quadratic 2x^2 (L = 4)": surfaces.quadratic_1d(4.0),
        "double well": surfaces.TWO_BASIN_1D,
    }
    controls = [
        widgets.dropdown("function", list(functions), "quadratic 2x^2 (L = 4)"),
        widgets.log_slider("lr", 0.01, 1.5, 0.1),
        widgets.slider("x0", -2.0, 2.0, 0.02, 1.5),
    ]
    x_grid = np.linspace(-2.2, 2.2, 300)

    def setup(figure):
        axes = figure.subplots(1, 2)
        return {"axes": axes, "drawn_for": None}

    def draw_background(state, fn):
        ax, loss_ax = state["axes"]
        ax.clear()
        loss_ax.clear()
        ax.plot(x_grid, fn.f(x_grid), color=DARK_GREY, lw=1.5, label="f(x)")
        # Stars as in every figure of the course: global minimum black, local minimum white.
        for label, keep, face, edge in (("global minimum", True, "black", "white"),
                                        ("local minimum", False, "white", "black")):
            points = np.array([m for m in fn.minima if (m == fn.global_minimum) == keep])
            if points.size:
                ax.plot(points, fn.f(points), linestyle="none", marker="*", markersize=14, color=face,
                        markeredgecolor=edge, markeredgewidth=0.8, label=label, zorder=5)
        top = float(fn.f(x_grid).max())
        ax.set(xlim=(-2.2, 2.2), ylim=(fn.min_value - 0.1 * (top - fn.min_value), top),
               xlabel="x", ylabel="f(x)", title=f"GD on the {fn.name}")
        (state["path"],) = ax.plot([], [], color=OKABE_ITO["vermillion"], lw=1, marker="o", markersize=5,
                                   markeredgecolor="black", markeredgewidth=0.3, label="iterates x_k")
        ax.legend(loc="upper center", fontsize=8)
        (state["loss"],) = loss_ax.plot([], [], color=OKABE_ITO["vermillion"], marker="o", markersize=3)
        loss_ax.set(yscale="log", xlim=(0, steps), ylim=(1e-10, 1e3), xlabel="step k",
                    ylabel=r"$f(x_k) - f_{min}$", title="Loss")
        state["message"] = loss_ax.text(0.97, 0.97, "", transform=loss_ax.transAxes, ha="right", va="top",
                                        fontsize=9, color=OKABE_ITO["vermillion"])
        for artist in (state["path"], state["loss"], state["message"]):
            artist.set_animated(True)
        state["drawn_for"] = fn

    def update(state, function, lr, x0):
        fn = functions[function]
        if state["drawn_for"] is not fn:
            draw_background(state, fn)
        path = surfaces.trace_1d(fn, optim.SGD, x0, steps, lr=lr)
        shown = visible_part(path, limit=1e3)
        state["path"].set_data(shown, fn.f(shown))
        gap = np.maximum(fn.f(shown) - fn.min_value, 1e-300)
        state["loss"].set_data(np.arange(len(shown)), gap)
        end = float(path[-1])
        if len(path) < steps + 1 or fn.value(end) > fn.value(x0):
            state["message"].set_text("the loss grew: diverging")
        else:
            state["message"].set_text(f"x_{steps} = {end:.3f}")

    explorer = widgets.Explorer(controls, update, setup, figsize=(9.0, 3.6))
    explorer.steps = steps
    return explorer


SURFACES_2D = ("ill_conditioned", "two_basin", "saddle")
# The path's label. Not "GD": the course's style for "GD" is a light grey dotted line (for races beside
# other optimizers), which is hard to see alone on the contours; any other label gets a solid coloured line.
PATH_LABEL = "gradient descent"


def gd_2d_explorer(steps=60):
    """Gradient descent on 2-D surfaces: pick the surface, the learning rate and the start (x0, y0)."""
    lr = widgets.log_slider("lr", 0.01, 1.0, 0.1)
    chosen = {surfaces.SURFACES[key].name: surfaces.SURFACES[key] for key in SURFACES_2D}
    explorer = widgets.surface_explorer(chosen, {PATH_LABEL: (optim.SGD, {"lr": lr})}, steps=steps)
    explorer.steps = steps
    return explorer


def settings(explorer):
    """The explorer's current settings in one line, e.g. "function = double well, lr = 0.1, x0 = 1.5, 30 steps"."""
    return f"{explorer.settings()}, {explorer.steps} steps"
