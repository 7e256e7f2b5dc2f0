"""Self-checks for lesson 04 (AdaGrad, RMSProp, AdaDelta, Adam and its bias correction).

Same engine as lesson 03: the learner's function runs on fixed cases, the reference comes from the
equation (as in torch.optim, PyTorch 2.13), and a wrong answer is matched against the usual mistakes.

At the end, two figure helpers the lesson needs and ``lessons_lib.plots`` / ``lessons_lib.widgets`` do
not offer yet: ``race_grid_gif`` (the race on several surfaces as one GIF, cheap enough for a lesson that
must run in seconds) and ``optimizer_explorer`` (an explorer where the learner ticks which optimizers to show).
"""

import numpy as np

from .. import _validate
from ..surfaces import Surface
from .lesson03 import _run_check

_RNG_SEED = 4


def _rng():
    return np.random.default_rng(_RNG_SEED)


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: one AdaGrad step.


def _cases_adagrad():
    rng = _rng()
    return [
        (rng.normal(size=3), rng.uniform(0.5, 2.0, size=3), rng.normal(size=3), 0.1, 1e-10),
        (rng.normal(size=2), rng.uniform(0.1, 1.0, size=2), rng.normal(size=2) * 3, 0.5, 1e-10),
    ]


def check_adagrad_step(adagrad_step):
    """Check ``adagrad_step(p, s, g, lr, eps) -> (p_new, s_new)``.

    Reference (torch.optim.Adagrad, lr_decay 0): s_new = s + g**2; p_new = p - lr * g / (sqrt(s_new) + eps).
    """

    def ref(p, s, g, lr, eps):
        s_new = s + g**2
        return p - lr * g / (np.sqrt(s_new) + eps), s_new

    mistakes = [
        ("p did not change: take the step p - lr * g / (sqrt(s_new) + eps)", lambda p, s, g, lr, eps: (p, None)),
        ("wrong sign: the step goes against the gradient, p - lr * g / (sqrt(s_new) + eps)",
         lambda p, s, g, lr, eps: (p + lr * g / (np.sqrt(s + g**2) + eps), s + g**2)),
        ("the square root is missing: divide by sqrt(s_new) + eps, so the step has the units of lr",
         lambda p, s, g, lr, eps: (p - lr * g / (s + g**2 + eps), None)),
        ("you divided by the old sum s; add g**2 first (s_new = s + g**2), then divide by sqrt(s_new)",
         lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s) + eps), s + g**2)),
        ("s_new forgot the history: AdaGrad adds g**2 to the running sum (s_new = s + g**2); keeping only "
         "the latest g**2 makes every step lr * sign(g)",
         lambda p, s, g, lr, eps: (p - lr * g / (np.abs(g) + eps), g**2)),
        ("the sum holds |g|, not g**2: s_new = s + g**2",
         lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s + np.abs(g)) + eps), s + np.abs(g))),
        ("the step is right but the returned accumulator is not: return s_new = s + g**2",
         lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s + g**2) + eps), None)),
    ]
    return _run_check(adagrad_step, _cases_adagrad(), ref, mistakes, ("p_new", "s_new"),
                      "your AdaGrad step matches torch.optim.Adagrad on every test case.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: AdaGrad's effective learning rate per coordinate, from a gradient history.


def _cases_history():
    rng = _rng()
    scales = np.array([0.1, 1.0, 5.0])
    return [
        (rng.normal(size=(20, 3)) * scales, 0.5, 1e-10),
        (rng.normal(size=(7, 3)) * scales[::-1], 1.5, 1e-10),
    ]


def check_adagrad_effective_lr(adagrad_effective_lr):
    """Check ``adagrad_effective_lr(grads, lr, eps) -> rates`` where grads has one row per step.

    Reference: rates = lr / (sqrt(sum over steps of g**2) + eps), one value per coordinate (column).
    """

    def ref(G, lr, eps):
        return (lr / (np.sqrt(np.sum(G**2, axis=0)) + eps),)

    mistakes = [
        ("you summed over the coordinates (axis 1); sum over the steps (axis 0), one rate per coordinate",
         lambda G, lr, eps: (lr / (np.sqrt(np.sum(G**2, axis=1)) + eps),)),
        ("you used the mean of g**2 (an average, like RMSProp); AdaGrad sums the whole history, so its rate "
         "keeps falling", lambda G, lr, eps: (lr / (np.sqrt(np.mean(G**2, axis=0)) + eps),)),
        ("only the last gradient counts in your rate; AdaGrad divides by the sum over every step",
         lambda G, lr, eps: (lr / (np.abs(G[-1]) + eps),)),
        ("the square root is missing: lr / (sqrt(sum of g**2) + eps)",
         lambda G, lr, eps: (lr / (np.sum(G**2, axis=0) + eps),)),
        ("you summed g, not g**2: positive and negative gradients cancel; square them first",
         lambda G, lr, eps: (lr / (np.sqrt(np.abs(np.sum(G, axis=0))) + eps),)),
        ("upside down: the rate is lr divided by sqrt(sum of g**2), not multiplied by it",
         lambda G, lr, eps: (lr * np.sqrt(np.sum(G**2, axis=0)),)),
    ]
    return _run_check(adagrad_effective_lr, _cases_history(), ref, mistakes, ("rates",),
                      "right: coordinates with large past gradients get the smallest rates, and every rate "
                      "only falls as the sum grows.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: Adam's bias correction.


def _cases_bias():
    rng = _rng()
    return [
        (rng.normal(size=3) * 0.1, rng.uniform(0.0, 0.01, size=3), 0.9, 0.999, 1),
        (rng.normal(size=3) * 0.5, rng.uniform(0.0, 0.1, size=3), 0.9, 0.999, 5),
        (rng.normal(size=2), rng.uniform(0.1, 1.0, size=2), 0.8, 0.99, 30),
    ]


def check_bias_correction(bias_correction):
    """Check ``bias_correction(m, v, beta1, beta2, t) -> (m_hat, v_hat)`` at step t = 1, 2, ...

    Reference (Kingma and Ba 2015; torch.optim.Adam): m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t).
    """

    def ref(m, v, b1, b2, t):
        return m / (1 - b1**t), v / (1 - b2**t)

    mistakes = [
        ("nothing was corrected: divide m by 1 - beta1**t and v by 1 - beta2**t",
         lambda m, v, b1, b2, t: (m, v)),
        ("off by one: the first step is t = 1, so divide by 1 - beta**t (you used t + 1)",
         lambda m, v, b1, b2, t: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1)))),
        ("off by one: divide by 1 - beta**t (you used t - 1)",
         lambda m, v, b1, b2, t: (m / (1 - b1 ** (t - 1)) if t > 1 else None,
                                  v / (1 - b2 ** (t - 1)) if t > 1 else None)),
        ("you divided by beta**t; the bias factor is 1 - beta**t (the weight the average has gathered so far)",
         lambda m, v, b1, b2, t: (m / b1**t, v / b2**t)),
        ("the betas are swapped: m goes with beta1, v with beta2",
         lambda m, v, b1, b2, t: (m / (1 - b2**t), v / (1 - b1**t))),
        ("you multiplied by 1 - beta**t; divide by it, so the early estimates grow to their true size",
         lambda m, v, b1, b2, t: (m * (1 - b1**t), v * (1 - b2**t))),
        ("v_hat took a square root of its factor: v_hat = v / (1 - beta2**t); the square root comes later, "
         "on v_hat itself", lambda m, v, b1, b2, t: (m / (1 - b1**t), v / np.sqrt(1 - b2**t))),
        ("m_hat is right, v_hat is not: v_hat = v / (1 - beta2**t)",
         lambda m, v, b1, b2, t: (m / (1 - b1**t), None)),
    ]
    return _run_check(bias_correction, _cases_bias(), ref, mistakes, ("m_hat", "v_hat"),
                      "your bias correction matches Adam's on every test case.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one Adam step.


def _cases_adam():
    rng = _rng()
    first_step = (rng.normal(size=3), np.zeros(3), np.zeros(3), rng.normal(size=3), 1, 0.01, 0.9, 0.999, 1e-8)
    return [
        (rng.normal(size=3), rng.normal(size=3) * 0.1, rng.uniform(0, 0.05, size=3), rng.normal(size=3), 4,
         0.1, 0.9, 0.999, 1e-8),
        first_step,
        (rng.normal(size=2), rng.normal(size=2) * 0.3, rng.uniform(0.1, 0.5, size=2), rng.normal(size=2), 12,
         0.05, 0.8, 0.99, 1e-8),
    ]


def _adam(p, m, v, g, t, lr, b1, b2, eps, *, correct=True, sqrt=True, swap_ema=False, sign=-1.0):
    if swap_ema:
        m_new, v_new = (1 - b1) * m + b1 * g, (1 - b2) * v + b2 * g**2
    else:
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
    m_hat = m_new / (1 - b1**t) if correct else m_new
    v_hat = v_new / (1 - b2**t) if correct else v_new
    den = (np.sqrt(v_hat) if sqrt else v_hat) + eps
    return p + sign * lr * m_hat / den, m_new, v_new


def check_adam_step(adam_step):
    """Check ``adam_step(p, m, v, g, t, lr, beta1, beta2, eps) -> (p_new, m_new, v_new)``.

    Reference (torch.optim.Adam): m_new = beta1*m + (1-beta1)*g; v_new = beta2*v + (1-beta2)*g**2;
    p_new = p - lr * m_hat / (sqrt(v_hat) + eps), with m_hat = m_new/(1-beta1**t), v_hat = v_new/(1-beta2**t).
    """
    mistakes = [
        ("p did not change: take the step p - lr * m_hat / (sqrt(v_hat) + eps)",
         lambda p, m, v, g, t, lr, b1, b2, eps: (p, None, None)),
        ("wrong sign: the step goes against the first moment, p - lr * m_hat / (sqrt(v_hat) + eps)",
         lambda *a: _adam(*a, sign=1.0)),
        ("the bias correction is missing: divide m by 1 - beta1**t and v by 1 - beta2**t before the step",
         lambda *a: _adam(*a, correct=False)),
        ("the square root is missing: divide by sqrt(v_hat) + eps", lambda *a: _adam(*a, sqrt=False)),
        ("the averages are weighted the wrong way round: m_new = beta1*m + (1-beta1)*g keeps most of the old "
         "m (and the same for v with beta2)", lambda *a: _adam(*a, swap_ema=True)),
        ("the step uses g where it should use the first moment m_hat: without it Adam loses its momentum",
         lambda p, m, v, g, t, lr, b1, b2, eps: (
             p - lr * g / (np.sqrt((b2 * v + (1 - b2) * g**2) / (1 - b2**t)) + eps), *_adam(
                 p, m, v, g, t, lr, b1, b2, eps)[1:])),
        ("the step is right but the returned moments are not: return m_new and v_new (before bias correction)",
         lambda *a: (_adam(*a)[0], None, None)),
    ]
    return _run_check(adam_step, _cases_adam(), lambda *a: _adam(*a), mistakes, ("p_new", "m_new", "v_new"),
                      "your Adam step matches torch.optim.Adam on every test case.")


# =========================================================================================================
# Two figures lesson 04 needs that lessons_lib.plots and lessons_lib.widgets do not offer (yet):
# the race on several surfaces at once as one cheap GIF, and an explorer where the learner picks which
# optimizers to show. They are built from the library's own pieces (draw_contours, styles_for, Explorer).
# =========================================================================================================


def race_grid_gif(panels, *, frames=24, interval=180, dpi=60, ncols=2, panel_size=(4.6, 3.3)):
    """Every optimizer racing on several surfaces, as the bytes of one animated GIF.

    ``panels``: a list of ``(surface, paths)`` with ``paths`` a dict name -> array (n, 2) (from
    ``surfaces.trace``). Frame k shows every path of a panel up to the same fraction k/(frames-1) of that
    panel's steps (each title says how many steps that is); a bar along the bottom shows the progress.
    The background (contours, titles, legend) is drawn once; each frame only redraws the paths
    (matplotlib blitting), so the GIF costs about a second. Same bytes on every run.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D
    from matplotlib.figure import Figure
    from PIL import Image

    from ..plots import draw_contours, styles_for, visible_part

    if not isinstance(panels, (list, tuple)) or not panels:
        raise TypeError("panels must be a non-empty list of (surface, paths) pairs")
    for i, panel in enumerate(panels):
        if not (isinstance(panel, tuple) and len(panel) == 2 and isinstance(panel[0], Surface)
                and isinstance(panel[1], dict) and panel[1]):
            raise TypeError(f"panels[{i}] must be (surface, {{name: path}}), got {panel!r:.80}")
        for name, path in panel[1].items():
            if np.ndim(path) != 2 or np.shape(path)[1] != 2:
                raise ValueError(f"panels[{i}] path {name!r} must have shape (n, 2), got {np.shape(path)}")
    frames, interval, ncols = (_validate.positive_int(n, v) for n, v in
                               (("frames", frames), ("interval", interval), ("ncols", ncols)))
    dpi = _validate.positive("dpi", dpi)
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.6), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    moving, legend_lines = [], {}
    for ax, (surface, paths) in zip(axes, panels):
        draw_contours(surface, ax, resolution=120)
        n_steps = max(len(p) for p in paths.values()) - 1
        ax.set_title(f"{surface.name} ({n_steps} steps)", fontsize=11)
        for name, style in styles_for(paths).items():
            (line,) = ax.plot([], [], color=style["color"], linestyle=style["linestyle"], lw=1.6, label=name)
            (head,) = ax.plot([], [], linestyle="none", marker=style["marker"], markersize=7,
                              color=style["color"], markeredgecolor="black", markeredgewidth=0.5)
            moving.append((line, head, visible_part(paths[name]), n_steps))
            legend_lines.setdefault(name, line)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.legend(legend_lines.values(), legend_lines.keys(), loc="lower center", ncol=min(len(legend_lines), 8),
               fontsize=9, frameon=False, bbox_to_anchor=(0.5, 0.025))
    fig.subplots_adjust(left=0.07, right=0.98, top=0.95, bottom=0.16, hspace=0.35, wspace=0.2)
    progress = fig.add_artist(Line2D([0.0, 0.0], [0.012, 0.012], color="#555555", lw=4, transform=fig.transFigure))
    progress.set_animated(True)
    for line, head, _, _ in moving:
        line.set_animated(True)
        head.set_animated(True)
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)

    def render(fraction):
        canvas.restore_region(background)
        for line, head, path, n_steps in moving:
            shown = path[: int(round(fraction * n_steps)) + 1]
            line.set_data(shown[:, 0], shown[:, 1])
            head.set_data(shown[-1:, 0], shown[-1:, 1])
            fig.draw_artist(line)
            fig.draw_artist(head)
        progress.set_xdata([0.0, fraction])
        fig.draw_artist(progress)
        return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())

    fractions = np.linspace(0.0, 1.0, frames)
    last = render(1.0)
    palette = last.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    images = [render(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in fractions]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=interval, loop=0)
    return buffer.getvalue()


def optimizer_explorer(surfaces_by_name, optimizers, *, steps=100, shown=None, dpi=80):
    """Paths of the optimizers you tick, on the surface you pick, from the start you choose.

    ``optimizers``: a dict name -> (optimizer class, hyperparameters), where a hyperparameter is a number
    or a control shared between optimizers (as in ``widgets.surface_explorer``), or a tuple of those
    (``"betas": (beta1, beta2)``). A checkbox per optimizer
    shows or hides it (``shown``: the names ticked at first, default all). Controls: ``surface``, the
    hyperparameter controls, ``x0`` and ``y0`` (reset to the surface's own start when the surface changes).
    Only the ticked optimizers are run. Returns a ``widgets.Explorer``.
    """
    import ipywidgets

    from .. import widgets
    from ..plots import draw_contours, draw_path, styles_for, visible_part
    from ..surfaces import trace

    if not isinstance(surfaces_by_name, dict) or not surfaces_by_name or not all(
            isinstance(k, str) and isinstance(v, Surface) for k, v in surfaces_by_name.items()):
        raise TypeError("surfaces_by_name must be a non-empty dict of name -> Surface")
    if not isinstance(optimizers, dict) or not optimizers or not all(
            isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], dict) for spec in optimizers.values()):
        raise TypeError("optimizers must be a non-empty dict of name -> (optimizer class, hyperparameters)")
    steps = _validate.positive_int("steps", steps)
    names = list(optimizers)
    unknown = set(() if shown is None else shown) - set(names)
    if unknown:
        raise ValueError(f"Invalid shown: {sorted(unknown)} (not among the optimizers {names})")
    shown = set(names if shown is None else shown)
    first_key = next(iter(surfaces_by_name))
    first = surfaces_by_name[first_key]
    surface_menu = widgets.dropdown("surface", list(surfaces_by_name), first_key)
    ticks = [widgets.checkbox(name, name in shown) for name in names]
    hyper_controls = []
    for _, hyper in optimizers.values():
        for value in hyper.values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, ipywidgets.ValueWidget) and all(item is not c for c in hyper_controls):
                    hyper_controls.append(item)

    def resolve(value, values):
        """A hyperparameter's current value: a control's value, or the number itself (tuples element-wise)."""
        if isinstance(value, tuple):
            return tuple(resolve(item, values) for item in value)
        return values[value.description] if isinstance(value, ipywidgets.ValueWidget) else value
    x0 = widgets.slider("x0", *first.xlim, (first.xlim[1] - first.xlim[0]) / 200, float(first.start[0]))
    y0 = widgets.slider("y0", *first.ylim, (first.ylim[1] - first.ylim[0]) / 200, float(first.start[1]))
    controls = [surface_menu, *ticks, *hyper_controls, x0, y0]

    def reset_start(change):
        s = surfaces_by_name[change["new"]]
        with explorer.quiet():
            for control, (lo, hi), value in ((x0, s.xlim, s.start[0]), (y0, s.ylim, s.start[1])):
                with control.hold_trait_notifications():
                    control.min, control.max = lo, hi
                    control.step = (hi - lo) / 200
                    control.value = float(value)

    surface_menu.observe(reset_start, names="value")  # before the explorer's own observer

    def setup(figure):
        axes = figure.subplots(1, 2, width_ratios=[1.3, 1])
        return {"axes": axes, "drawn_for": None}

    def draw_background(state, surface):
        path_ax, loss_ax = state["axes"]
        path_ax.clear()
        loss_ax.clear()
        draw_contours(surface, path_ax)
        path_ax.set_title(f"{surface.name}: ${surface.tex}$", fontsize=10)
        state["paths"], state["losses"] = {}, {}
        for name, style in styles_for(names).items():
            state["paths"][name] = draw_path(path_ax, np.zeros((1, 2)), name, style)
            state["paths"][name].set_markevery(max(1, steps // 25))
            (state["losses"][name],) = loss_ax.plot([], [], label=name, color=style["color"],
                                                    linestyle=style["linestyle"])
        (state["start"],) = path_ax.plot([], [], linestyle="none", marker="o", markersize=10, color="none",
                                         markeredgecolor="black", markeredgewidth=1.2)
        state["message"] = path_ax.text(0.02, 0.02, "", transform=path_ax.transAxes, fontsize=8,
                                        color="#D55E00", va="bottom")
        top = (surface.levels[-1] - surface.min_value) * 10
        loss_ax.set(yscale="log", xlim=(0, steps), ylim=(1e-10, top), xlabel="step",
                    ylabel=r"$f - f_{min}$", title="Loss")
        loss_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=8)
        for artist in [*state["paths"].values(), *state["losses"].values(), state["start"], state["message"]]:
            artist.set_animated(True)
        state["drawn_for"] = surface

    def update(state, **values):
        surface = surfaces_by_name[values["surface"]]
        if state["drawn_for"] is not surface:
            draw_background(state, surface)
        p0 = np.array([values["x0"], values["y0"]])
        problems = []
        for name, (optimizer_cls, hyper) in optimizers.items():
            visible = bool(values[name])
            state["paths"][name].set_visible(visible)
            state["losses"][name].set_visible(visible)
            if not visible:
                continue
            kwargs = {k: resolve(v, values) for k, v in hyper.items()}
            try:
                path = trace(surface, optimizer_cls, p0, steps, **kwargs)
            except ValueError as error:
                path = p0[None, :]
                problems.append(f"{name}: {error}")
            else:
                if len(path) < steps + 1:
                    problems.append(f"{name} diverged after {len(path) - 1} steps")
            drawn = visible_part(path)
            state["paths"][name].set_data(drawn[:, 0], drawn[:, 1])
            with np.errstate(over="ignore", invalid="ignore"):  # a diverged path's last values overflow
                gap = surface.values(path) - surface.min_value
            state["losses"][name].set_data(np.arange(len(path)), gap)
        state["start"].set_data([p0[0]], [p0[1]])
        state["message"].set_text("\n".join(problems))

    explorer = widgets.Explorer(controls, update, setup, figsize=(10.0, 4.0), dpi=dpi)
    return explorer
