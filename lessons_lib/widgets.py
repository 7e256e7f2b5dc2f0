"""Interactive explorers: sliders and switches next to a figure that redraws at once.

An ``Explorer`` owns one matplotlib Figure and shows it as a PNG image under its controls. When a control
changes, it calls your ``update(handle, **values)``, renders the figure, and shows the new image:

    from lessons_lib import widgets
    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)

    def update(ax, lr):
        ax.clear()
        ...                                  # draw the picture for this learning rate

    explorer = widgets.Explorer([lr], update)
    explorer                                 # shows the controls and the figure in a notebook

Speed: matplotlib's blitting. Artists marked ``set_animated(True)`` (e.g. a path whose data ``update``
changes with ``set_data``) are drawn on every change; everything else (axes, ticks, contours, legend) is
drawn once, kept as a picture, and drawn again only when ``update`` changes it. A redraw of a surface with
two optimizers then takes a few tens of milliseconds. ``explorer.redraw_ms`` holds the time of the last
redraw (computation plus drawing), ``measure_redraw`` the median of several.
"""

import io
import textwrap
import time
from contextlib import contextmanager

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, NullLocator
from PIL import Image

from . import _validate
from .plots import draw_contours, draw_path, styles_for, visible_part
from .surfaces import Surface, trace

__all__ = [
    "slider",
    "log_slider",
    "dropdown",
    "checkbox",
    "Explorer",
    "measure_redraw",
    "surface_explorer",
]

_STYLE = {"description_width": "initial"}  # show a control's whole name


# ----------------------------------------------------------------------------------------------------------
# Controls. A control's name (its description) is the keyword that ``update`` receives its value under.
# ----------------------------------------------------------------------------------------------------------
def slider(name, min, max, step, value):
    """A slider for a number in [min, max]; an integer slider when all four numbers are integers."""
    numbers = [_validate.real_number(arg, v) for arg, v in
               (("min", min), ("max", max), ("step", step), ("value", value))]
    if not numbers[0] <= numbers[3] <= numbers[1]:
        raise ValueError(f"Invalid value: {value} (must lie in [min, max] = [{min}, {max}])")
    _validate.positive("step", step)
    is_int = all(isinstance(v, int) and not isinstance(v, bool) for v in (min, max, step, value))
    kind = ipywidgets.IntSlider if is_int else ipywidgets.FloatSlider
    return kind(description=name, min=min, max=max, step=step, value=value, style=_STYLE,
                continuous_update=True)


def log_slider(name, min, max, value, steps_per_decade=20):
    """A slider whose positions are spaced on a log scale, for values in [min, max] (all > 0).

    Good for learning rates and eps: log_slider("lr", 1e-3, 1.0, 0.1).
    """
    lo, hi, v = (_validate.positive(arg, x) for arg, x in (("min", min), ("max", max), ("value", value)))
    if not lo <= v <= hi:
        raise ValueError(f"Invalid value: {value} (must lie in [min, max] = [{min}, {max}])")
    steps_per_decade = _validate.positive_int("steps_per_decade", steps_per_decade)
    return ipywidgets.FloatLogSlider(description=name, base=10, min=np.log10(lo), max=np.log10(hi),
                                     step=1 / steps_per_decade, value=v, readout_format=".3g",
                                     style=_STYLE, continuous_update=True)


def dropdown(name, options, value):
    """A menu of options (strings, or (label, value) pairs)."""
    options = list(options)
    if not options:
        raise ValueError("options must not be empty")
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    if value not in values:
        raise ValueError(f"Invalid value: {value!r} (choose one of {values!r})")
    return ipywidgets.Dropdown(description=name, options=options, value=value, style=_STYLE)


def checkbox(name, value):
    """An on/off switch."""
    if not isinstance(value, bool):
        raise TypeError(f"value must be True or False, got {value!r}")
    return ipywidgets.Checkbox(description=name, value=value, style=_STYLE, indent=False)


def _check_value(name, control, value):
    """Refuse a value the control cannot hold (ipywidgets would silently clip it to the range)."""
    if isinstance(control, ipywidgets.FloatLogSlider):
        lo, hi = control.base**control.min, control.base**control.max
        v = _validate.real_number(name, value)
        if not lo * (1 - 1e-12) <= v <= hi * (1 + 1e-12):
            raise ValueError(f"Invalid {name}: {value} (the slider covers [{lo:.3g}, {hi:.3g}])")
    elif isinstance(control, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
        if isinstance(control, ipywidgets.IntSlider) and (
            isinstance(value, bool) or not isinstance(value, (int, np.integer))
        ):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        v = _validate.real_number(name, value)
        if not control.min <= v <= control.max:
            raise ValueError(f"Invalid {name}: {value} (the slider covers [{control.min}, {control.max}])")
    elif isinstance(control, ipywidgets.Dropdown):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        if value not in values:
            raise ValueError(f"Invalid {name}: {value!r} (choose one of {values!r})")
    elif isinstance(control, ipywidgets.Checkbox) and not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")


def _controls_by_name(controls):
    """The controls as a dict name -> widget, checking that the names are usable keywords."""
    by_name = {}
    for control in controls:
        if not isinstance(control, ipywidgets.ValueWidget):
            raise TypeError(f"a control must be an ipywidgets value widget, got {type(control).__name__}")
        name = control.description
        if not name.isidentifier():
            raise ValueError(f"control name {name!r} must be a Python identifier (e.g. 'lr', 'momentum')")
        if name in by_name and by_name[name] is not control:
            raise ValueError(f"two different controls are both named {name!r}")
        by_name[name] = control
    return by_name


# ----------------------------------------------------------------------------------------------------------
# The explorer
# ----------------------------------------------------------------------------------------------------------
class Explorer:
    """Controls above one figure that is redrawn whenever a control changes.

    ``controls``: a list of widgets from ``slider``, ``log_slider``, ``dropdown``, ``checkbox``.
    ``setup(figure)`` builds the axes (and any artists) once and returns what ``update`` gets as its first
    argument; without ``setup`` that is a single Axes. ``update(handle, **values)`` draws the picture for
    the current control values (each value under its control's name).

    The layout (where the axes sit) is computed on the first draw and then kept, which saves much of a
    full redraw's time; pass ``freeze_layout=False`` if ``update`` adds or removes axes.

    ``explorer.widget`` is the box to display (a notebook also displays ``explorer`` itself),
    ``explorer.set(lr=0.1)`` changes controls from code, ``explorer.png`` holds the current image and
    ``explorer.redraw_ms`` how long the last redraw took.
    """

    def __init__(self, controls, update, setup=None, *, figsize=(7.0, 4.2), dpi=80, freeze_layout=True):
        self.controls = _controls_by_name(controls)
        if not callable(update):
            raise TypeError(f"update must be a function, got {update!r}")
        if setup is not None and not callable(setup):
            raise TypeError(f"setup must be a function or None, got {setup!r}")
        self.update = update
        self.figure = Figure(figsize=figsize, dpi=_validate.positive("dpi", dpi), layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.handle = setup(self.figure) if setup is not None else self.figure.add_subplot()

        # flex-start: show the PNG at its own size; a stretched image would blur its text.
        self.image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(align_self="flex-start"))
        self.status = ipywidgets.Label()  # shows an error raised by update, if any
        self.widget = ipywidgets.VBox([
            ipywidgets.HBox(list(self.controls.values()), layout=ipywidgets.Layout(flex_flow="row wrap")),
            self.image,
            self.status,
        ])
        self.png = b""
        self.redraw_ms = None
        self.freeze_layout = freeze_layout
        self._background = None  # the picture of everything that is not animated
        self._quiet = 0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self):
        """Call ``update`` with the current values, render the figure, and show it."""
        start = time.perf_counter()
        self.update(self.handle, **self.values)
        self._render()
        self.png = self._encode_png()
        self.redraw_ms = (time.perf_counter() - start) * 1000
        self.image.value = self.png

    def _render(self):
        """Blitting: reuse the still background if nothing in it changed, then draw the animated artists."""
        if self._background is None or self.figure.stale:
            self.canvas.draw()  # draws every artist that is not animated
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            if self.freeze_layout:  # keep the axes where the first layout put them: faster, and no jumping
                self.figure.set_layout_engine("none")
        else:
            self.canvas.restore_region(self._background)
        animated = [a for a in self.figure.findobj() if a.get_animated() and a.get_visible()]
        for artist in sorted(animated, key=lambda a: a.get_zorder()):
            self.figure.draw_artist(artist)

    def _encode_png(self):
        rgb = np.asarray(self.canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format="png", compress_level=1)  # fast, a little larger
        return buffer.getvalue()

    def _on_change(self, change):
        if self._quiet:
            return
        try:
            self.redraw()
            self.status.value = ""
        except Exception as error:  # keep the explorer alive and say what went wrong
            self.status.value = f"{type(error).__name__}: {error}"

    @contextmanager
    def quiet(self):
        """Change controls inside this block without redrawing after each change."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def set(self, **values):
        """Set controls by name (e.g. ``set(lr=0.1, momentum=0.9)``), then redraw once.

        Every name and value is checked before anything changes; a value a control cannot hold raises
        (nothing is clipped).
        """
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"Unknown control {name!r} (this explorer has {', '.join(self.controls)})")
            _check_value(name, self.controls[name], value)
        with self.quiet():
            for name, value in values.items():
                self.controls[name].value = value
        self.redraw()

    def settings(self, width=96):
        """The current value of every control, e.g. "lr = 0.1, momentum = 0.9, nesterov = False".

        A lesson prints it above ``snapshot()``, so a still picture says which settings it shows. Lines
        longer than ``width`` characters are broken between settings (continued with an indent of two).
        """
        width = _validate.positive_int("width", width)
        parts = [f"{name} = {value:.3g}" if isinstance(value, float) else f"{name} = {value}"
                 for name, value in self.values.items()]
        return textwrap.fill(", ".join(parts), width, subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False)

    def snapshot(self):
        """The current picture as an image a notebook shows (a static copy of the explorer's figure)."""
        from IPython.display import Image as IPythonImage

        return IPythonImage(data=self.png, format="png")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def measure_redraw(explorer, changes, repeats=5):
    """The median redraw time in ms over ``repeats`` passes through ``changes``.

    ``changes`` is a list of dicts for ``explorer.set``, e.g. ``[{"lr": 0.05}, {"lr": 0.2}]``. Afterwards
    the controls are set back to the values they had before the measurement.
    """
    if not isinstance(explorer, Explorer):
        raise TypeError(f"explorer must be an Explorer, got {type(explorer).__name__}")
    if not isinstance(changes, (list, tuple)) or not changes or not all(isinstance(c, dict) for c in changes):
        raise TypeError("changes must be a non-empty list of dicts, e.g. [{'lr': 0.05}, {'lr': 0.2}]")
    repeats = _validate.positive_int("repeats", repeats)
    before = explorer.values
    times = []
    for _ in range(repeats):
        for change in changes:
            explorer.set(**change)
            times.append(explorer.redraw_ms)
    explorer.set(**before)
    return float(np.median(times))


# ----------------------------------------------------------------------------------------------------------
# A ready-made explorer: optimizer paths on a surface
# ----------------------------------------------------------------------------------------------------------
def _surfaces_by_key(surfaces):
    if isinstance(surfaces, Surface):
        return {surfaces.name: surfaces}
    if isinstance(surfaces, dict) and surfaces and all(isinstance(s, Surface) for s in surfaces.values()):
        return dict(surfaces)
    raise TypeError("surfaces must be a Surface or a non-empty dict of name -> Surface")


def _check_optimizers(optimizers):
    if not isinstance(optimizers, dict) or not optimizers:
        raise TypeError("optimizers must be a non-empty dict of name -> (optimizer class, hyperparameters)")
    for name, spec in optimizers.items():
        if not (isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], dict)):
            raise TypeError(f"optimizers[{name!r}] must be (optimizer class, dict of hyperparameters), "
                            f"got {spec!r}")


def _flat(value):
    """A hyperparameter value as a list of its parts (a tuple such as betas has several)."""
    return list(value) if isinstance(value, tuple) else [value]


def _current(value, values):
    """A hyperparameter's value now: a control's current value, inside tuples too (betas)."""
    if isinstance(value, tuple):
        return tuple(_current(v, values) for v in value)
    if isinstance(value, ipywidgets.ValueWidget):
        return values[value.description]
    return value


def surface_explorer(surfaces, optimizers, *, steps=100, start=True, loss_panel=True, choose=False, shown=None,
                     dpi=80):
    """Optimizer paths on a surface, redrawn as you move the sliders.

    ``surfaces``: a Surface, or a dict name -> Surface (then a ``surface`` menu picks one).
    ``optimizers``: a dict name -> (optimizer class, hyperparameters). A hyperparameter's value is a number
    or a control (or a tuple of them, e.g. ``betas=(beta1, beta2)``); a control's current value is used,
    and a control shared by several optimizers appears once::

        lr = log_slider("lr", 1e-3, 1.0, 0.1)
        momentum = slider("momentum", 0.0, 0.99, 0.01, 0.9)
        surface_explorer(BOWL, {"SGD": (SGD, {"lr": lr}),
                                "Momentum": (SGD, {"lr": lr, "momentum": momentum})})

    ``steps``: the number of steps, a number or a control. ``start=True`` adds ``x0`` and ``y0`` sliders
    for the start point (reset to the surface's own start when the surface changes); ``start=False``
    always starts at ``surface.start``. ``loss_panel=True`` adds f - f_min against the step, log scale.
    ``choose=True`` adds a checkbox per optimizer (named as in ``optimizers``), so the learner picks which
    ones to show; ``shown`` lists the names ticked at first (default: all). Only shown optimizers run.
    """
    surfaces = _surfaces_by_key(surfaces)
    _check_optimizers(optimizers)
    _validate.flag("choose", choose)
    names = list(optimizers)
    if shown is not None:
        if not choose:
            raise ValueError("shown= needs choose=True (it says which optimizers' checkboxes start ticked)")
        unknown = [name for name in shown if name not in optimizers]
        if unknown:
            raise ValueError(f"Invalid shown: {unknown} (not among the optimizers {names})")
    ticked = set(names if shown is None else shown)
    first = next(iter(surfaces.values()))
    controls = []
    if len(surfaces) > 1:
        controls.append(dropdown("surface", list(surfaces), next(iter(surfaces))))
    if choose:
        controls += [checkbox(name, name in ticked) for name in names]
    for _, hyperparameters in optimizers.values():
        for value in hyperparameters.values():
            controls += [v for v in _flat(value) if isinstance(v, ipywidgets.ValueWidget)]
    if isinstance(steps, ipywidgets.ValueWidget):
        controls.append(steps)
    else:
        steps = _validate.positive_int("steps", steps)
    if start:
        x0 = slider("x0", *first.xlim, (first.xlim[1] - first.xlim[0]) / 200, float(first.start[0]))
        y0 = slider("y0", *first.ylim, (first.ylim[1] - first.ylim[0]) / 200, float(first.start[1]))
        controls += [x0, y0]
    controls = list(_controls_by_name(controls).values())  # each shared control once

    if len(surfaces) > 1 and start:
        def reset_start(change):
            """A new surface: move the start sliders to its window and its default start."""
            s = surfaces[change["new"]]
            with explorer.quiet():
                for control, (lo, hi), value in ((x0, s.xlim, s.start[0]), (y0, s.ylim, s.start[1])):
                    with control.hold_trait_notifications():  # check min <= value <= max at the end
                        control.min, control.max = lo, hi
                        control.step = (hi - lo) / 200
                        control.value = float(value)

        # Registered before the explorer's own observer, so the redraw that follows sees the new start.
        controls[0].observe(reset_start, names="value")

    def setup(figure):
        """The parts that stay: axes, one animated line per optimizer, the loss panel."""
        axes = figure.subplots(1, 2 if loss_panel else 1, squeeze=False,
                               width_ratios=[1.3, 1] if loss_panel else None)[0]
        path_ax = axes[0]
        # Tick labels of one width ("-1.5", "4.0") on every surface, so the layout made for the first
        # surface fits them all (the explorer keeps its first layout).
        path_ax.xaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        path_ax.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        state = {"axes": axes, "surface": None, "n_steps": None, "contours": [], "paths": {}, "losses": {}}
        for name, style in styles_for(optimizers).items():
            state["paths"][name] = draw_path(path_ax, np.zeros((1, 2)), name, style)
        (state["start"],) = path_ax.plot([], [], linestyle="none", marker="o", markersize=10,
                                         color="none", markeredgecolor="black", markeredgewidth=1.2)
        state["message"] = path_ax.text(0.02, 0.02, "", transform=path_ax.transAxes, fontsize=8,
                                        color="#D55E00", va="bottom")
        if loss_panel:
            loss_ax = axes[1]
            for name, style in styles_for(optimizers).items():
                (state["losses"][name],) = loss_ax.plot([], [], label=name, color=style["color"],
                                                        linestyle=style["linestyle"])
            loss_ax.set(yscale="log", xlabel="step", ylabel=r"$f - f_{min}$", title="Loss")
            loss_ax.yaxis.set_minor_locator(NullLocator())  # 9 unlabelled ticks per decade only cost time
        show_legend(state, names)
        for artist in [*state["paths"].values(), *state["losses"].values(), state["start"], state["message"]]:
            artist.set_animated(True)  # redrawn on every change; the rest is drawn once (see Explorer)
        return state

    def show_legend(state, shown_names):
        """A legend of the optimizers shown, and only those (redrawn when a checkbox changes)."""
        if state.get("legend_names") == shown_names:
            return
        ax, lines = (state["axes"][1], state["losses"]) if loss_panel else (state["axes"][0], state["paths"])
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        if shown_names:
            ax.legend([lines[name] for name in shown_names], shown_names, loc="upper left",
                      bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=8)
        state["legend_names"] = shown_names

    def show_surface(state, surface, n_steps):
        """Swap in another surface's contours, or another number of steps (a full redraw follows)."""
        path_ax = state["axes"][0]
        if surface is not state["surface"]:
            for artist in state["contours"]:
                artist.remove()
            state["contours"] = draw_contours(surface, path_ax, resolution=120)
            path_ax.set_title(f"{surface.name}: ${surface.tex}$", fontsize=11)
        for line in state["paths"].values():
            line.set_markevery(max(1, n_steps // 25))
        if loss_panel:
            top = (surface.levels[-1] - surface.min_value) * 10
            state["axes"][1].set(xlim=(0, n_steps), ylim=(1e-10, top))
        state["surface"], state["n_steps"] = surface, n_steps

    def update(state, **values):
        surface = surfaces[values["surface"]] if len(surfaces) > 1 else first
        n_steps = values[steps.description] if isinstance(steps, ipywidgets.ValueWidget) else steps
        p0 = np.array([values["x0"], values["y0"]]) if start else surface.start
        if (surface, n_steps) != (state["surface"], state["n_steps"]):
            show_surface(state, surface, n_steps)
        problems = []
        for name, (optimizer_cls, hyperparameters) in optimizers.items():
            visible = values[name] if choose else True
            state["paths"][name].set_visible(visible)
            if loss_panel:
                state["losses"][name].set_visible(visible)
            if not visible:
                continue
            kwargs = {key: _current(v, values) for key, v in hyperparameters.items()}
            try:
                path = trace(surface, optimizer_cls, p0, n_steps, **kwargs)
            except ValueError as error:  # e.g. nesterov=True with momentum=0: say so in the picture
                path = p0[None, :]
                problems.append(f"{name}: {error}")
            else:
                if len(path) < n_steps + 1:
                    problems.append(f"{name} diverged after {len(path) - 1} steps")
            shown = visible_part(path)
            state["paths"][name].set_data(shown[:, 0], shown[:, 1])
            if loss_panel:
                with np.errstate(over="ignore", invalid="ignore"):  # a diverging run's last points
                    gap = surface.values(path) - surface.min_value
                state["losses"][name].set_data(np.arange(len(path)), gap)
        state["start"].set_data([p0[0]], [p0[1]])
        state["message"].set_text("\n".join(textwrap.fill(p, 70) for p in problems))
        show_legend(state, [name for name in names if values[name]] if choose else names)

    figsize = (10.5, 4.0) if loss_panel else (7.0, 4.2)
    explorer = Explorer(controls, update, setup, figsize=figsize, dpi=dpi)
    return explorer
