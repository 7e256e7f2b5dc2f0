"""Lesson 05's explorer: how activation, initializer, depth and width shape each layer's activations."""

import numpy as np

from .. import plots, widgets
from ..experiments.initialization import HISTOGRAM_RANGES, INITS, stack_activations

_MAX_DEPTH = 10
_BINS = 30
_SAMPLES = 400


def explorer_data(activation, init_label, depth, width, seed=0):
    """The activations the explorer draws: ``depth`` arrays of shape (400, width), layer 1 first.

    400 samples of N(0, 1) inputs with ``width`` features go through ``depth`` layers of ``width`` units
    (``stack_activations``), so the picture matches the lesson's classic experiment at width 100.
    """
    name, std = INITS[init_label]
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(_SAMPLES, width))
    return stack_activations(X, depth, width, activation, name, rng=rng, init_std=std)


def activation_explorer(dpi=80):
    """An ``Explorer`` with menus for the activation and the initializer and sliders for depth and width.

    Left: one histogram per layer that exists (30 bins over the activation's range, each scaled to its own
    peak, layer 1 at the top; for ReLU the zeros, about half, are left out). Right: the std of each layer's
    activations, log scale. Only the histograms, the line and the texts are redrawn (blitting), so a change
    takes a few tens of milliseconds; a change of depth also redraws the axes, whose rows follow the depth.
    """
    controls = [
        widgets.dropdown("activation", ["sigmoid", "tanh", "relu"], "sigmoid"),
        widgets.dropdown("init", list(INITS), "Xavier normal"),
        widgets.slider("depth", 2, _MAX_DEPTH, 1, 5),
        widgets.slider("width", 10, 200, 10, 100),
    ]

    # The left panel's x axis runs over 0..1 in every case; its tick labels are drawn as animated texts
    # that show the activation's own range, so switching activation only redraws animated artists.
    ticks = np.linspace(0.0, 1.0, 5)

    def setup(figure):
        figure.set_layout_engine(None)
        ax_h, ax_s = figure.subplots(1, 2, width_ratios=[1.4, 1],
                                     gridspec_kw=dict(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.3))
        ax_h.set_xticks(ticks, [""] * len(ticks))
        ax_h.set(xlim=(0.0, 1.0), ylabel="layer")
        ax_h.grid(False)
        ax_s.set(yscale="log", ylim=(1e-6, 1e5), xlabel="layer", ylabel="activation std",
                 title="Spread of each layer")
        blue, red = plots.OKABE_ITO["blue"], plots.OKABE_ITO["vermillion"]
        edges = np.linspace(0.0, 1.0, _BINS + 1)
        below = ax_h.get_xaxis_transform()  # x in data units, y in axes units
        state = {
            "axes": (ax_h, ax_s),
            "depth": None,  # the depth the (still) axes are laid out for
            "bars": [ax_h.stairs(np.zeros(_BINS), edges, fill=True, color=blue, alpha=0.85, animated=True)
                     for _ in range(_MAX_DEPTH)],
            "beyond": [ax_h.text(0.99, 0.0, "", transform=ax_h.get_yaxis_transform(), ha="right",
                                 fontsize=8, color=red, animated=True) for _ in range(_MAX_DEPTH)],
            "ticks": [ax_h.text(t, -0.03, "", transform=below, ha="center", va="top", fontsize=9, animated=True)
                      for t in ticks],
            "xlabel": ax_h.text(0.5, -0.11, "", transform=ax_h.transAxes, ha="center", va="top", animated=True),
            "title": ax_h.set_title("", animated=True),
        }
        (state["line"],) = ax_s.plot([], [], marker="o", color=red, animated=True)
        return state

    def lay_out(state, depth):
        """Rows for the layers that exist, layer 1 at the top (a change of depth redraws the still axes)."""
        ax_h, ax_s = state["axes"]
        ax_h.set_yticks([depth - 1 - i + 0.4 for i in range(depth)], [str(i + 1) for i in range(depth)])
        ax_h.set_ylim(-0.1, depth)
        ax_s.set_xlim(0.5, depth + 0.5)
        ax_s.set_xticks(range(1, depth + 1))
        state["depth"] = depth

    def update(state, activation, init, depth, width):
        lo, hi = HISTOGRAM_RANGES[activation]
        for text, t in zip(state["ticks"], ticks):
            text.set_text(f"{lo + t * (hi - lo):g}")
        state["xlabel"].set_text("activation (values > 0 only)" if activation == "relu" else "activation")
        acts = explorer_data(activation, init, depth, width)
        edges = np.linspace(lo, hi, _BINS + 1)
        unit_edges = np.linspace(0.0, 1.0, _BINS + 1)
        if state["depth"] != depth:
            lay_out(state, depth)
        for i in range(_MAX_DEPTH):
            bars, beyond = state["bars"][i], state["beyond"][i]
            bars.set_visible(i < depth)
            beyond.set_visible(i < depth)
            if i >= depth:
                continue
            row = depth - 1 - i
            counts, outside = plots.layer_histogram(acts[i], edges, positive_only=activation == "relu")
            bars.set_data(row + 0.85 * counts / max(counts.max(), 1), unit_edges, baseline=row)
            beyond.set_y(row + 0.45)
            beyond.set_text(f"{outside:.0%} beyond the axis" if outside >= 0.005 else "")
        stds = np.array([float(a.std()) for a in acts])
        state["line"].set_data(np.arange(1, depth + 1), np.clip(stds, 1e-6, 1e5))
        state["title"].set_text(f"{activation}, {init}: one histogram per layer")

    return widgets.Explorer(controls, update, setup, figsize=(9.0, 4.2), dpi=dpi)
