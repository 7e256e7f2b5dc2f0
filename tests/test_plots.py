"""Tests of lessons_lib.plots: the palette, every figure's title/labels/legend, and stable bytes."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex, to_rgba  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402
from PIL import Image  # noqa: E402

from lessons_lib import plots  # noqa: E402
from lessons_lib import surfaces as S  # noqa: E402
from lessons_lib.optim import SGD, Adam  # noqa: E402

OPTIMIZERS = ["GD", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "NAdam", "AdamW"]


@pytest.fixture(autouse=True)
def course_style():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield
    plt.close("all")


def bowl_paths():
    return {
        "SGD": S.trace(S.BOWL, SGD, None, 30, lr=0.95),
        "Momentum": S.trace(S.BOWL, SGD, None, 30, lr=0.1, momentum=0.9),
    }


def legend_labels(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


# ----------------------------------------------------------------------------------------------------------
# Palette and style
# ----------------------------------------------------------------------------------------------------------
def test_okabe_ito_values():
    # Okabe & Ito (2008), as hex: black, orange, sky blue, bluish green, yellow, blue, vermillion, purple
    assert {v.upper() for v in plots.OKABE_ITO.values()} == {
        "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_every_optimizer_has_its_own_colour_linestyle_and_marker():
    assert set(plots.COLORS) == set(OPTIMIZERS)
    colours = [to_hex(plots.COLORS[name]) for name in OPTIMIZERS]
    assert len(set(colours)) == len(colours)  # no two colours equal
    markers = [plots.MARKERS[name] for name in OPTIMIZERS]
    assert len(set(markers)) == len(markers)
    dashes = [str(plots.LINESTYLES[name]) for name in OPTIMIZERS]
    assert len(set(dashes)) == len(dashes)
    for name in OPTIMIZERS:
        to_rgba(plots.COLORS[name])  # a valid colour
        matplotlib.lines.Line2D([], [], linestyle=plots.LINESTYLES[name], marker=plots.MARKERS[name])
    fallback = [to_hex(c) for c in plots.FALLBACK_COLORS]
    assert len(set(fallback)) == len(fallback)


# Colour-vision deficiencies simulated with the matrices of Machado, Oliveira & Fernandes (2009), severity 1,
# applied in linear RGB; colour differences as CIE76 Delta E in CIELAB (D65).
_CVD = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _linear(colour):
    c = np.asarray(to_rgba(colour)[:3])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a, b, vision):
    m = _CVD[vision]
    return float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b))))


RACE_ORDER = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "NAdam"]


def _neighbours():
    """Pairs of racers next to each other in a one-column legend (the race's), or in a legend of four columns
    (filled column by column: SGD above Momentum, Nesterov above AdaGrad, ...)."""
    pairs = set(zip(RACE_ORDER, RACE_ORDER[1:]))
    grid = [RACE_ORDER[i:i + 2] for i in range(0, 8, 2)]  # the four columns
    pairs |= {(col[0], col[1]) for col in grid}
    pairs |= {(a[r], b[r]) for a, b in zip(grid, grid[1:]) for r in range(2)}
    return sorted(pairs)


@pytest.mark.parametrize("vision", list(_CVD))
def test_neighbouring_optimizers_have_clearly_different_colours_for_every_common_vision(vision):
    for a, b in _neighbours():
        assert _delta_e(plots.COLORS[a], plots.COLORS[b], vision) > 20, (a, b, vision)
    for a, b in [(a, b) for i, a in enumerate(OPTIMIZERS) for b in OPTIMIZERS[i + 1:]]:
        assert _delta_e(plots.COLORS[a], plots.COLORS[b], "normal") > 20, (a, b)  # any two, normal vision


def test_no_optimizer_colour_is_too_pale_on_a_white_background():
    def luminance(colour):
        return float(np.dot([0.2126, 0.7152, 0.0722], _linear(colour)))

    for name in OPTIMIZERS:  # WCAG contrast ratio against white (Okabe-Ito's yellow has 1.3)
        assert 1.05 / (luminance(plots.COLORS[name]) + 0.05) > 2.0, name


def test_style_for_names_and_aliases():
    assert plots.style_for("Adagrad") == plots.style_for("AdaGrad") == plots.style_for("adagrad")
    assert plots.style_for("RMSprop")["color"] == plots.COLORS["RMSProp"]
    assert plots.style_for("NAG")["color"] == plots.COLORS["Nesterov"]
    assert plots.style_for("Adam")["marker"] == plots.MARKERS["Adam"]


def test_styles_for_gives_distinct_styles_to_other_labels():
    styles = plots.styles_for(["lr = 0.1", "lr = 0.5", "lr = 1.1", "Adam"])
    colours = [s["color"] for s in styles.values()]
    assert len(set(colours)) == 4
    assert styles["Adam"]["color"] == plots.COLORS["Adam"]


def test_use_course_style_sets_rcparams():
    with matplotlib.rc_context({"figure.dpi": 50, "axes.grid": False}):
        plots.use_course_style()
        assert matplotlib.rcParams["figure.dpi"] == 100
        assert matplotlib.rcParams["axes.grid"] is True
        assert matplotlib.rcParams["savefig.dpi"] == 100


# ----------------------------------------------------------------------------------------------------------
# Stable bytes
# ----------------------------------------------------------------------------------------------------------
def test_png_bytes_are_stable_and_unstamped():
    ax = plots.plot_surface(S.BOWL, paths=bowl_paths())
    first = plots.figure_png_bytes(ax.figure)
    second = plots.figure_png_bytes(ax.figure)
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in first and b"matplotlib" not in first.lower()
    # a second figure built the same way gives the same bytes too
    again = plots.plot_surface(S.BOWL, paths=bowl_paths())
    assert plots.figure_png_bytes(again.figure) == first
    assert plots.figure_png_bytes(ax.figure, tight=False) == plots.figure_png_bytes(again.figure, tight=False)


@pytest.mark.parametrize("make", [
    lambda: plots.plot_gradient_field(S.BOWL, point=S.BOWL.start).figure,
    lambda: plots.plot_loss_curves({"a": [3.0, 2.0], "b": [3.0, 1.0]}).figure,
    lambda: plots.plot_activation_histograms([np.linspace(0, 1, 100)] * 3),
    lambda: plots.family_tree().figure,
], ids=["gradient_field", "loss_curves", "histograms", "family_tree"])
def test_every_kind_of_figure_renders_the_same_bytes_twice(make):
    fig = make()
    first = plots.figure_png_bytes(fig)
    assert plots.figure_png_bytes(fig) == first
    assert plots.figure_png_bytes(make()) == first


# ----------------------------------------------------------------------------------------------------------
# Surfaces
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("surface", list(S.SURFACES.values()), ids=list(S.SURFACES))
def test_plot_surface_labels_limits_and_markers(surface):
    paths = {"SGD": S.trace(surface, SGD, None, 20, lr=1e-3), "Momentum": S.trace(surface, SGD, None, 20,
                                                                                    lr=1e-3, momentum=0.9)}
    ax = plots.plot_surface(surface, paths=paths)
    assert surface.name in ax.get_title()
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert ax.get_xlim() == surface.xlim and ax.get_ylim() == surface.ylim
    labels = legend_labels(ax)
    assert {"SGD", "Momentum", "global minimum", "start"} <= set(labels)
    assert ("saddle point" in labels) == bool(surface.saddles)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["SGD"].get_xydata(), paths["SGD"])
    assert any(np.array_equal(m, surface.global_minimum) for m in lines["global minimum"].get_xydata())
    assert to_hex(lines["Momentum"].get_color()) == to_hex(plots.COLORS["Momentum"])


def test_plot_surface_marks_local_and_global_minima():
    ax = plots.plot_surface(S.TWO_BASIN)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["global minimum"].get_xydata(), [[-1.0, 0.0]])
    np.testing.assert_array_equal(lines["local minimum"].get_xydata(), [[1.0, 0.0]])
    # both minima of the saddle surface are equally deep: both are global
    ax = plots.plot_surface(S.SADDLE)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert len(lines["global minimum"].get_xydata()) == 2 and "local minimum" not in lines


def test_plot_surface_draws_a_diverging_path_without_warnings():
    path = S.trace(S.ROSENBROCK, SGD, None, 100, lr=0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_surface(S.ROSENBROCK, paths={"SGD": path})
        plots.figure_png_bytes(ax.figure)
    drawn = {line.get_label(): line for line in ax.get_lines()}["SGD"].get_xydata()
    first_far = np.flatnonzero(np.abs(path).max(axis=1) > 1e6)[0]
    np.testing.assert_array_equal(drawn, path[: first_far + 1])


def test_plot_surface_single_axes_given():
    fig, axes = plt.subplots(1, 2)
    out = plots.plot_surface(S.BOWL, ax=axes[1], title="my title")
    assert out is axes[1] and out.get_title() == "my title"
    assert axes[0].get_title() == ""


@pytest.mark.parametrize("paths, error", [({"a": np.zeros((3, 3))}, ValueError),
                                          ([np.zeros((3, 2))], TypeError)])
def test_plot_surface_rejects_bad_paths(paths, error):
    with pytest.raises(error):
        plots.plot_surface(S.BOWL, paths=paths)


def test_plot_surface_rejects_a_non_surface():
    with pytest.raises(TypeError, match="surface"):
        plots.plot_surface(S.TWO_BASIN_1D)


def test_gradient_field_arrows_point_along_minus_grad():
    ax = plots.plot_gradient_field(S.BOWL, n=9, point=S.BOWL.start)
    assert ax.get_title() and ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert len(legend_labels(ax)) >= 2
    (quiver,) = [c for c in ax.collections if isinstance(c, matplotlib.quiver.Quiver)]
    X, Y = quiver.X, quiver.Y
    gx, gy = X / 10, 2 * Y  # the bowl's gradient, from its formula
    norm = np.hypot(gx, gy)
    ok = norm > 0
    np.testing.assert_allclose(quiver.U[ok], -gx[ok] / norm[ok], atol=1e-12)
    np.testing.assert_allclose(quiver.V[ok], -gy[ok] / norm[ok], atol=1e-12)
    # at the bowl's start the steepest-descent direction is far from the direction to the minimum
    d = -np.array([-7 / 10, 2 * 2])
    to_min = -np.array([-7.0, 2.0])
    cos = d @ to_min / np.linalg.norm(d) / np.linalg.norm(to_min)
    assert cos < 0.5


# ----------------------------------------------------------------------------------------------------------
# 1-D functions and curves
# ----------------------------------------------------------------------------------------------------------
def test_plot_1d():
    paths = {"start 2.0": S.trace_1d(S.TWO_BASIN_1D, SGD, 2.0, 20, lr=0.1),
             "start -2.0": S.trace_1d(S.TWO_BASIN_1D, SGD, -2.0, 20, lr=0.1)}
    ax = plots.plot_1d(S.TWO_BASIN_1D, paths=paths)
    assert ax.get_title() and ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)"
    assert {"start 2.0", "start -2.0", "global minimum", "local minimum"} <= set(legend_labels(ax))
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["start 2.0"].get_xdata(), paths["start 2.0"])
    assert lines["start 2.0"].get_color() != lines["start -2.0"].get_color()


def test_plot_1d_with_a_diverging_run():
    path = S.trace_1d(S.quadratic_1d(1.0), SGD, 1.0, 30, lr=2.5)
    ax = plots.plot_1d(S.quadratic_1d(1.0), paths={"lr 2.5": path})
    assert ax.get_xlim()[1] > 100  # the view widens to show where the run went


def test_plot_loss_curves():
    curves = {"SGD": np.array([1.0, 0.5, 0.25]), "Adam": np.array([1.0, 0.1, 0.01])}
    ax = plots.plot_loss_curves(curves, xlabel="epoch")
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "log"
    assert legend_labels(ax) == ["SGD", "Adam"]
    ax = plots.plot_loss_curves({"only": np.array([3.0, 2.0])}, log=False)
    assert ax.get_legend() is None and ax.get_yscale() == "linear"


def test_plot_loss_curves_with_x_values():
    curves = {"a": np.array([3.0, 2.0, 1.0]), "b": np.array([3.0, 1.0])}
    seconds = {"a": np.array([0.0, 0.1, 0.2]), "b": np.array([0.0, 0.5])}
    ax = plots.plot_loss_curves(curves, x=seconds, xlabel="time (s)")
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["b"].get_xdata(), [0.0, 0.5])
    with pytest.raises(ValueError, match="x"):
        plots.plot_loss_curves(curves, x={"a": seconds["a"]})
    with pytest.raises(ValueError, match="shape"):
        plots.plot_loss_curves(curves, x={"a": seconds["a"], "b": seconds["a"]})


def test_plot_loss_curves_refuses_non_positive_values_on_a_log_axis():
    with pytest.raises(ValueError, match="'saddle'.*log"):
        plots.plot_loss_curves({"saddle": np.array([0.5, -1.0])})
    plots.plot_loss_curves({"saddle": np.array([0.5, -1.0])}, log=False)  # fine on a linear axis


def test_plain_log_ticks_label_a_log_axis_with_plain_numbers_and_keep_its_limits():
    ax = plots.plot_loss_curves({"a": np.array([3.0, 1.0, 0.12]), "b": np.array([2.5, 0.5, 0.15])})
    ax.set_xscale("log")
    ax.set_xlim(1e-4, 1.0)
    limits = ax.get_ylim()
    plots.plain_log_ticks(ax)
    assert ax.get_ylim() == limits
    low, high = limits
    want = [t for t in (0.1, 0.2, 0.5, 1, 2, 5) if low <= t <= high]
    np.testing.assert_allclose(ax.get_yticks(), want)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{t:g}" for t in want]
    assert len(ax.yaxis.get_minorticklocs()) == 0
    plots.plain_log_ticks(ax, "x")  # four decades: only the powers of ten
    np.testing.assert_allclose(ax.get_xticks(), [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    plots.plain_log_ticks(ax, ticks=[0.3, 3])
    np.testing.assert_allclose(ax.get_yticks(), [0.3, 3])
    with pytest.raises(ValueError, match="not logarithmic"):
        plots.plain_log_ticks(plots.plot_loss_curves({"a": np.array([1.0, 2.0])}, log=False))
    with pytest.raises(ValueError, match="axis"):
        plots.plain_log_ticks(ax, "z")
    plt.close("all")


# ----------------------------------------------------------------------------------------------------------
# Initialization figures
# ----------------------------------------------------------------------------------------------------------
def test_activation_histograms():
    rng = np.random.default_rng(0)
    acts = [rng.uniform(0, 1, (50, 10)) ** (k + 1) for k in range(5)]
    fig = plots.plot_activation_histograms(acts, bins=30, title="sigmoid")
    axes = fig.axes
    assert len(axes) == 5
    assert fig.get_suptitle() == "sigmoid"
    for k, ax in enumerate(axes):
        assert ax.get_title() == f"layer {k + 1}" and ax.get_xlabel()
        assert ax.get_shared_y_axes().joined(axes[0], ax)
        (stairs,) = ax.patches
        counts, edges = np.histogram(acts[k].ravel(), bins=30, range=(0, 1))
        np.testing.assert_array_equal(stairs.get_data().values, counts)
        np.testing.assert_allclose(stairs.get_data().edges, edges)
    assert axes[0].get_ylabel() == "count"


def test_activation_histograms_say_how_much_falls_outside_the_range():
    acts = [np.array([-0.5, 0.1, 0.2, 0.3]), np.array([0.1, 0.2, 0.3, 0.4])]
    fig = plots.plot_activation_histograms(acts, range=(0.0, 1.0))
    notes = [[t.get_text() for t in ax.texts] for ax in fig.axes]
    assert notes == [["25% outside"], []]


@pytest.mark.parametrize("kwargs, error", [(dict(range=(1.0, 0.0)), ValueError), (dict(bins=0), ValueError),
                                           (dict(activations=[]), TypeError)])
def test_activation_histograms_reject_bad_input(kwargs, error):
    args = dict(activations=[np.zeros(3)]) | kwargs
    with pytest.raises(error):
        plots.plot_activation_histograms(**args)


def test_activation_histograms_into_a_given_figure():
    fig = matplotlib.figure.Figure()
    out = plots.plot_activation_histograms([np.zeros(4)] * 3, fig=fig)
    assert out is fig and len(fig.axes) == 3
    plots.plot_activation_histograms([np.zeros(4)] * 2, fig=fig)
    assert len(fig.axes) == 2  # cleared first


def test_plot_layer_stats():
    values = {"Xavier": [0.6, 0.4, 0.3], "He": [0.8, 0.8, 0.79]}
    ax = plots.plot_layer_stats(values, ylabel="activation std")
    assert ax.get_title() and ax.get_xlabel() == "layer" and ax.get_ylabel() == "activation std"
    assert ax.get_yscale() == "log"
    assert legend_labels(ax) == ["Xavier", "He"]
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["He"].get_xdata(), [1, 2, 3])


def test_stacked_histograms_put_every_layer_on_one_axes_scaled_to_its_peak():
    rng = np.random.default_rng(0)
    acts = [np.maximum(rng.normal(0, s, size=(200, 10)), 0) for s in (1.0, 0.5, 5.0)]
    ax = plots.plot_activation_histograms(acts, range=(0.0, 3.0), stacked=True, positive_only=True,
                                          title="ReLU")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3"]
    assert ax.get_xlabel() == "activation (values > 0 only)" and ax.get_title() == "ReLU"
    tops = [float(np.max(patch.get_path().vertices[:, 1])) for patch in ax.patches]
    assert tops == pytest.approx([2.85, 1.85, 0.85])  # layer 1 on top, each at 85% of its row
    beyond = [t.get_text() for t in ax.texts]
    counts, outside = plots.layer_histogram(acts[2], np.linspace(0, 3, 31), positive_only=True)
    assert beyond == [f"{outside:.0%} beyond the axis"] and outside > 0.3  # only layer 3 spills over


# ----------------------------------------------------------------------------------------------------------
# The race and the family tree
# ----------------------------------------------------------------------------------------------------------
def test_race_gif_is_deterministic_small_and_subsampled():
    paths = {"SGD": S.trace(S.BOWL, SGD, None, 200, lr=0.95),
             "Momentum": S.trace(S.BOWL, SGD, None, 150, lr=0.1, momentum=0.9)}
    first = plots.race_gif(S.BOWL, paths)
    assert first[:6] == b"GIF89a"
    assert first == plots.race_gif(S.BOWL, paths)
    assert len(first) < 1_500_000
    gif = Image.open(io.BytesIO(first))
    assert gif.n_frames == 60  # 201 steps subsampled to the default 60 frames
    short = Image.open(io.BytesIO(plots.race_gif(S.BOWL, paths, frames=12)))
    assert short.n_frames == 12


def test_race_animation_returns_an_inline_gif():
    paths = {"SGD": S.trace(S.SADDLE, SGD, None, 10, lr=0.1)}
    image = plots.race_animation(S.SADDLE, paths)
    assert image.format == "gif" and image.data[:6] == b"GIF89a"
    assert Image.open(io.BytesIO(image.data)).n_frames == 11


def test_race_gif_with_panels_draws_small_multiples_with_one_legend():
    panels = [(surface, {"SGD": S.trace(surface, SGD, None, n, lr=lr),
                         "Adam": S.trace(surface, Adam, None, n, lr=0.1)})
              for surface, n, lr in ((S.BOWL, 30, 0.9), (S.ROSENBROCK, 60, 1e-3), (S.SADDLE, 20, 0.1))]
    one = Image.open(io.BytesIO(plots.race_gif(S.BOWL, panels[0][1], frames=5, dpi=50)))
    grid = Image.open(io.BytesIO(plots.race_gif(panels, frames=5, dpi=50, ncols=2)))
    assert grid.n_frames == 5
    assert grid.size[0] > 1.8 * one.size[0] * 0.8 and grid.size[1] > one.size[1]  # 2 x 2 panels
    # every panel's paths reach their last point in the last frame: the colours of both optimizers show
    grid.seek(grid.n_frames - 1)
    pixels = {tuple(p) for p in np.unique(np.asarray(grid.convert("RGB")).reshape(-1, 3), axis=0)}
    for name in ("SGD", "Adam"):
        assert tuple(round(255 * c) for c in to_rgba(plots.COLORS[name])[:3]) in pixels


def test_race_gif_of_the_lesson_is_slide_sized_and_readable_and_holds_its_last_frame(monkeypatch):
    """Four panels make a GIF that a 1280 x 800 slide shows at its own size (slides/deck.css: an animation is
    as wide as the slide and at most 660 px high), so no text is scaled down there; and every text in it (the
    panels' titles and step counters, the legend) is at least 22 px, the deck's smallest text."""
    figures = []

    class Recorded(plots.Figure):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            figures.append(self)

    monkeypatch.setattr(plots, "Figure", Recorded)
    panels = [(surface, {"SGD": S.trace(surface, SGD, None, 20, lr=1e-3), "Adam": S.trace(surface, Adam, None, 20,
                                                                                        lr=0.1)})
              for surface in (S.BOWL, S.ROSENBROCK, S.SADDLE, S.TWO_BASIN)]
    gif = Image.open(io.BytesIO(plots.race_gif(panels, frames=4, interval=100, hold=1800)))
    assert 1100 <= gif.size[0] <= 1200 and 600 <= gif.size[1] <= 660
    (fig,) = figures
    texts = [t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title) if t.get_text().strip()]
    texts += fig.legends[0].get_texts()
    assert len(texts) == 4 + 4 + 2  # four names, four counters, two legend entries
    assert all(t.get_fontsize() * fig.dpi / 72 >= 22 for t in texts)
    assert {t.get_text() for t in texts} >= {"anisotropic bowl", "Rosenbrock", "step 20 of 20", "SGD", "Adam"}
    durations = []
    for k in range(gif.n_frames):
        gif.seek(k)
        durations.append(gif.info["duration"])
    assert durations == [100, 100, 100, 1800]


def test_race_gif_draws_each_path_with_an_outline_markers_and_a_head(monkeypatch):
    """Inspect the figure race_gif draws: per path a line with a white outline (path effect), a marker every
    tenth of the run, and a larger marker at its head, all in the optimizer's colour and marker."""
    drawn = []
    original = plots.Figure.draw_artist
    monkeypatch.setattr(plots.Figure, "draw_artist", lambda fig, a: (drawn.append(a), original(fig, a))[1])
    paths = {"Adam": S.trace(S.BOWL, Adam, None, 50, lr=0.3)}
    plots.race_gif([(S.BOWL, paths), (S.SADDLE, {"Adam": S.trace(S.SADDLE, Adam, None, 50, lr=0.1)})], frames=2)
    line, marks, head = drawn[-8:-5]  # the last frame: 2 x (line, marks, head), 2 counters; the bowl first
    assert line.get_path_effects() and to_hex(line.get_color()) == to_hex(plots.COLORS["Adam"])
    assert marks.get_marker() == head.get_marker() == plots.MARKERS["Adam"]
    np.testing.assert_allclose(marks.get_xydata(), paths["Adam"][::5])
    np.testing.assert_allclose(head.get_xydata(), paths["Adam"][-1:])
    assert head.get_markersize() > marks.get_markersize()


def test_race_gif_rejects_bad_input():
    with pytest.raises(ValueError, match="paths"):
        plots.race_gif(S.BOWL, {})
    with pytest.raises(ValueError, match="frames"):
        plots.race_gif(S.BOWL, {"SGD": np.zeros((3, 2))}, frames=0)
    with pytest.raises(TypeError, match="panels"):
        plots.race_gif([])
    with pytest.raises(TypeError, match="surface"):
        plots.race_gif([("bowl", {"SGD": np.zeros((3, 2))})])
    with pytest.raises(ValueError, match="shape"):
        plots.race_gif([(S.BOWL, {"SGD": np.zeros(3)})])
    with pytest.raises(TypeError, match="both"):
        plots.race_gif([(S.BOWL, {"SGD": np.zeros((3, 2))})], {"SGD": np.zeros((3, 2))})


@pytest.mark.parametrize("include_adamw, n_boxes, n_arrows", [(True, 10, 11), (False, 9, 10)])
def test_family_tree(include_adamw, n_boxes, n_arrows):
    ax = plots.family_tree(include_adamw=include_adamw)
    assert ax.get_title() == "The optimizer family tree"
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == n_boxes and len(arrows) == n_arrows
    texts = {t.get_text() for t in ax.texts}
    names = [n for n in OPTIMIZERS if include_adamw or n != "AdamW"]
    assert set(names) <= texts
    edge_colours = {to_hex(b.get_edgecolor()) for b in boxes}
    assert edge_colours == {to_hex(plots.COLORS[n]) for n in names}
    # years by one convention, the first public version: e.g. Adam arXiv:1412.6980 (Dec 2014), AdamW
    # arXiv:1711.05101 (Nov 2017), AdaGrad COLT 2010, AdaDelta arXiv:1212.5701 (Dec 2012); and it is stated
    years = {"AdaGrad": "2010", "AdaDelta": "2012", "Adam": "2014", "NAdam": "2016", "AdamW": "2017"}
    for name, year in years.items():
        if name in names:
            assert year in texts, name
    assert any("first public version" in t for t in texts)
    # no two boxes overlap
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            ea, eb = a.get_extents(), b.get_extents()
            assert not ea.overlaps(eb)


def test_race_gif_keeps_every_optimizer_colour_exact():
    names = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "AdaDelta", "Adam", "NAdam"]
    paths = {name: S.trace(S.BOWL, SGD, (-7.0 + k, 2.0 - 0.5 * k), 10, lr=0.1)
             for k, name in enumerate(names)}
    gif = Image.open(io.BytesIO(plots.race_gif(S.BOWL, paths, frames=3)))
    gif.seek(gif.n_frames - 1)
    pixels = np.asarray(gif.convert("RGB")).reshape(-1, 3)
    present = {tuple(p) for p in np.unique(pixels, axis=0)}
    for name in names:
        rgb = tuple(round(255 * c) for c in to_rgba(plots.COLORS[name])[:3])
        assert rgb in present, name
