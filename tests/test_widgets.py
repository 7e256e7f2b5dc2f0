"""Tests of lessons_lib.widgets: controls, the Explorer (redraws, blitting, bad input), surface explorers.

Headless: matplotlib's Agg canvas, and ipywidgets without a front end.
"""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from lessons_lib import plots, widgets  # noqa: E402
from lessons_lib import surfaces as S  # noqa: E402
from lessons_lib.optim import SGD, Adam  # noqa: E402


@pytest.fixture(autouse=True)
def course_style():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


# ----------------------------------------------------------------------------------------------------------
# Controls
# ----------------------------------------------------------------------------------------------------------
def test_control_helpers():
    s = widgets.slider("momentum", 0.0, 0.99, 0.01, 0.9)
    assert isinstance(s, ipywidgets.FloatSlider) and s.description == "momentum" and s.value == 0.9
    n = widgets.slider("steps", 10, 300, 10, 100)
    assert isinstance(n, ipywidgets.IntSlider) and n.value == 100
    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
    assert isinstance(lr, ipywidgets.FloatLogSlider)
    assert lr.value == pytest.approx(0.1) and lr.min == pytest.approx(-3) and lr.max == pytest.approx(0)
    d = widgets.dropdown("surface", ["bowl", "saddle"], "saddle")
    assert d.value == "saddle"
    c = widgets.checkbox("nesterov", True)
    assert c.value is True


@pytest.mark.parametrize(
    "make, error, word",
    [
        (lambda: widgets.slider("a", 0.0, 1.0, 0.1, 2.0), ValueError, "value"),
        (lambda: widgets.slider("a", 0.0, 1.0, 0.0, 0.5), ValueError, "step"),
        (lambda: widgets.slider("a", 0.0, "1", 0.1, 0.5), TypeError, "max"),
        (lambda: widgets.log_slider("lr", 0.0, 1.0, 0.1), ValueError, "min"),
        (lambda: widgets.log_slider("lr", 1e-3, 1.0, 2.0), ValueError, "value"),
        (lambda: widgets.dropdown("s", ["a", "b"], "c"), ValueError, "value"),
        (lambda: widgets.dropdown("s", [], "c"), ValueError, "options"),
        (lambda: widgets.checkbox("n", 1), TypeError, "value"),
    ],
)
def test_control_helpers_reject_bad_input(make, error, word):
    with pytest.raises(error, match=word):
        make()


# ----------------------------------------------------------------------------------------------------------
# The generic Explorer
# ----------------------------------------------------------------------------------------------------------
def line_explorer(**kwargs):
    """An explorer that draws y = a * x with an animated line, and a static title from `label`."""
    a = widgets.slider("a", -2.0, 2.0, 0.1, 1.0)
    label = widgets.dropdown("label", ["one", "two"], "one")
    x = np.linspace(0, 1, 50)

    def setup(figure):
        ax = figure.add_subplot()
        ax.set(xlim=(0, 1), ylim=(-2, 2), xlabel="x", ylabel="y")
        (line,) = ax.plot([], [])
        line.set_animated(True)
        return ax, line

    def update(handle, a, label):
        ax, line = handle
        line.set_data(x, a * x)
        if ax.get_title() != label:
            ax.set_title(label)

    return widgets.Explorer([a, label], update, setup, **kwargs)


def test_explorer_draws_and_set_changes_the_image():
    e = line_explorer()
    first = e.png
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and e.image.value == first
    assert pixels(first).shape == (round(4.2 * 80), round(7.0 * 80), 3)
    assert e.redraw_ms > 0
    e.set(a=-1.5)
    assert e.png != first and e.image.value == e.png
    assert e.values == {"a": -1.5, "label": "one"}


def test_settings_line_follows_the_controls():
    # what a lesson prints above a snapshot: every control, floats to 3 significant digits
    controls = [widgets.slider("n", 1, 10, 1, 5), widgets.log_slider("lr", 1e-3, 1.0, 0.1),
                widgets.checkbox("flag", False)]
    e = widgets.Explorer(controls, lambda ax, n, lr, flag: ax.set_title(f"{n} {lr} {flag}"))
    assert e.settings() == "n = 5, lr = 0.1, flag = False"
    e.set(n=7, lr=10 ** -2.5, flag=True)
    assert e.settings() == "n = 7, lr = 0.00316, flag = True"
    assert e.settings(width=20) == "n = 7, lr = 0.00316,\n  flag = True"  # broken between settings
    with pytest.raises(ValueError, match="width"):
        e.settings(width=0)


def test_blitted_redraws_equal_full_redraws():
    # after changes to the animated line (blitted) and to the title (a full redraw), the picture is exactly
    # the one a fresh explorer draws from scratch with the same values
    e = line_explorer()
    e.set(a=0.5)
    fresh = line_explorer()
    fresh.set(a=0.5)
    fresh_from_start = line_explorer()
    fresh_from_start.controls["a"].value = 0.5  # the same change through the control, as a user makes it
    np.testing.assert_array_equal(pixels(e.png), pixels(fresh.png))
    np.testing.assert_array_equal(pixels(e.png), pixels(fresh_from_start.png))
    e.set(label="two")
    before = pixels(e.png)
    other = line_explorer()
    other.set(a=0.5, label="two")
    np.testing.assert_array_equal(before, pixels(other.png))
    assert not np.array_equal(before, pixels(fresh.png))  # the title really changed


def test_a_control_change_from_the_ui_redraws():
    e = line_explorer()
    first = e.png
    e.controls["a"].value = 2.0
    assert e.png != first and e.status.value == ""


def test_an_error_in_update_is_shown_not_lost():
    def update(ax, a):
        if a > 1:
            raise ValueError("a is too big")
        ax.set_title(f"a = {a}")

    e = widgets.Explorer([widgets.slider("a", 0.0, 2.0, 0.1, 0.5)], update)
    e.controls["a"].value = 1.5  # as from the UI: the message goes to the status line
    assert e.status.value == "ValueError: a is too big"
    with pytest.raises(ValueError, match="too big"):  # from code: it raises
        e.set(a=1.8)


def test_set_rejects_unknown_names_and_values_before_changing_anything():
    e = line_explorer()
    before_values, before_png = e.values, e.png
    with pytest.raises(ValueError, match="'lr'"):
        e.set(a=0.3, lr=0.1)
    with pytest.raises(ValueError, match="a"):
        e.set(a=3.0)  # outside the slider: ipywidgets would clip it silently
    with pytest.raises(ValueError, match="label"):
        e.set(label="three")
    with pytest.raises(TypeError, match="a"):
        e.set(a="big")
    assert e.values == before_values and e.png == before_png


def test_set_checks_int_sliders_log_sliders_and_checkboxes():
    controls = [widgets.slider("n", 1, 10, 1, 5), widgets.log_slider("lr", 1e-3, 1.0, 0.1),
                widgets.checkbox("flag", False)]
    e = widgets.Explorer(controls, lambda ax, n, lr, flag: ax.set_title(f"{n} {lr} {flag}"))
    e.set(n=7, lr=1e-3, flag=True)
    assert e.values == {"n": 7, "lr": pytest.approx(1e-3), "flag": True}
    for bad, error in [({"n": 2.5}, TypeError), ({"n": 11}, ValueError), ({"lr": 2.0}, ValueError),
                       ({"flag": 1}, TypeError)]:
        with pytest.raises(error):
            e.set(**bad)


@pytest.mark.parametrize(
    "controls, update, error, word",
    [
        ([widgets.slider("learning rate", 0.0, 1.0, 0.1, 0.5)], lambda ax, **v: None, ValueError,
         "identifier"),
        ([widgets.slider("a", 0.0, 1.0, 0.1, 0.5), widgets.slider("a", 0.0, 1.0, 0.1, 0.5)],
         lambda ax, **v: None, ValueError, "'a'"),
        (["a"], lambda ax, **v: None, TypeError, "widget"),
        ([widgets.slider("a", 0.0, 1.0, 0.1, 0.5)], "update", TypeError, "update"),
    ],
)
def test_explorer_rejects_bad_construction(controls, update, error, word):
    with pytest.raises(error, match=word):
        widgets.Explorer(controls, update)


def test_explorer_displays_as_its_widget_box():
    e = line_explorer()
    assert isinstance(e.widget, ipywidgets.VBox) and e.image in e.widget.children
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert e.snapshot().data == e.png


def test_measure_redraw_restores_the_controls():
    e = line_explorer()
    ms = widgets.measure_redraw(e, [{"a": 0.1}, {"a": -0.1}], repeats=3)
    assert isinstance(ms, float) and ms > 0
    assert e.values["a"] == 1.0
    with pytest.raises(TypeError, match="changes"):
        widgets.measure_redraw(e, [])
    with pytest.raises(ValueError, match="repeats"):
        widgets.measure_redraw(e, [{"a": 0.1}], repeats=0)


# ----------------------------------------------------------------------------------------------------------
# The surface explorer
# ----------------------------------------------------------------------------------------------------------
def two_optimizer_explorer(**kwargs):
    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
    momentum = widgets.slider("momentum", 0.0, 0.99, 0.01, 0.9)
    nesterov = widgets.checkbox("nesterov", False)
    optimizers = {"SGD": (SGD, {"lr": lr}),
                  "Momentum": (SGD, {"lr": lr, "momentum": momentum, "nesterov": nesterov})}
    return widgets.surface_explorer(S.SURFACES, optimizers, steps=100, **kwargs)


def drawn_path(e, name):
    return e.handle["paths"][name].get_xydata()


def test_surface_explorer_draws_the_traced_paths():
    e = two_optimizer_explorer()
    assert list(e.controls) == ["surface", "lr", "momentum", "nesterov", "x0", "y0"]
    np.testing.assert_array_equal(drawn_path(e, "SGD"), S.trace(S.BOWL, SGD, None, 100, lr=0.1))
    e.set(lr=0.05, momentum=0.5, x0=-5.0)
    expected = S.trace(S.BOWL, SGD, (-5.0, 2.0), 100, lr=0.05, momentum=0.5)
    np.testing.assert_allclose(drawn_path(e, "Momentum"), expected, rtol=0, atol=1e-12)
    gap = e.handle["losses"]["Momentum"].get_ydata()
    np.testing.assert_allclose(gap, S.BOWL.values(expected), rtol=1e-12)


def test_surface_explorer_switches_surface_and_resets_the_start():
    e = two_optimizer_explorer()
    bowl_png = e.png
    e.set(surface="rosenbrock", lr=0.001)
    assert e.png != bowl_png
    assert (e.values["x0"], e.values["y0"]) == (-2.0, 2.0)
    assert (e.controls["x0"].min, e.controls["x0"].max) == S.ROSENBROCK.xlim
    assert "Rosenbrock" in e.handle["axes"][0].get_title()
    np.testing.assert_array_equal(drawn_path(e, "SGD"), S.trace(S.ROSENBROCK, SGD, None, 100, lr=0.001))
    e.controls["surface"].value = "saddle"  # as from the UI
    assert (e.values["x0"], e.values["y0"]) == (-1.5, pytest.approx(0.0, abs=0.02))


def test_surface_explorer_reports_divergence_and_invalid_settings_in_the_picture():
    e = two_optimizer_explorer()
    e.set(surface="rosenbrock", lr=0.05)
    assert "SGD diverged after" in e.handle["message"].get_text()
    e.set(surface="bowl", lr=0.1, momentum=0.0, nesterov=True)  # torch refuses nesterov without momentum
    assert "Momentum:" in e.handle["message"].get_text() and "nesterov" in e.handle["message"].get_text()
    e.set(momentum=0.9)
    assert e.handle["message"].get_text() == ""


def test_surface_explorer_with_a_steps_control_and_betas():
    beta1 = widgets.slider("beta1", 0.0, 0.99, 0.01, 0.9)
    steps = widgets.slider("steps", 10, 200, 10, 50)
    e = widgets.surface_explorer(S.BOWL, {"Adam": (Adam, {"lr": 0.3, "betas": (beta1, 0.999)})},
                                 steps=steps, start=False, loss_panel=False)
    assert list(e.controls) == ["beta1", "steps"]
    e.set(beta1=0.5, steps=30)
    expected = S.trace(S.BOWL, Adam, None, 30, lr=0.3, betas=(0.5, 0.999))
    np.testing.assert_array_equal(drawn_path(e, "Adam"), expected)


def test_surface_explorer_rejects_bad_input():
    with pytest.raises(TypeError, match="surfaces"):
        widgets.surface_explorer([S.BOWL], {"SGD": (SGD, {"lr": 0.1})})
    with pytest.raises(TypeError, match="optimizers"):
        widgets.surface_explorer(S.BOWL, {"SGD": SGD})
    with pytest.raises(ValueError, match="steps"):
        widgets.surface_explorer(S.BOWL, {"SGD": (SGD, {"lr": 0.1})}, steps=0)
    with pytest.raises(TypeError):  # an unknown hyperparameter: the optimizer's own error
        widgets.surface_explorer(S.BOWL, {"SGD": (SGD, {"learning_rate": 0.1})})


def test_surface_explorer_lets_the_learner_choose_the_optimizers():
    e = two_optimizer_explorer(choose=True, shown=["Momentum"])
    assert list(e.controls)[:3] == ["surface", "SGD", "Momentum"]
    assert e.values["SGD"] is False and e.values["Momentum"] is True
    assert not e.handle["paths"]["SGD"].get_visible() and e.handle["paths"]["Momentum"].get_visible()
    e.set(SGD=True)
    assert e.handle["paths"]["SGD"].get_visible() and e.handle["losses"]["SGD"].get_visible()
    np.testing.assert_array_equal(drawn_path(e, "SGD"), S.trace(S.BOWL, SGD, None, 100, lr=0.1))
    with pytest.raises(ValueError, match="Adam"):
        two_optimizer_explorer(choose=True, shown=["Adam"])
    with pytest.raises(ValueError, match="choose"):
        two_optimizer_explorer(shown=["SGD"])


def test_surface_explorer_legend_lists_only_the_optimizers_shown():
    def legend(e):
        return [t.get_text() for t in e.handle["axes"][1].get_legend().get_texts()]

    e = two_optimizer_explorer(choose=True, shown=["Momentum"])
    assert legend(e) == ["Momentum"]
    e.set(SGD=True)
    assert legend(e) == ["SGD", "Momentum"]
    e.set(SGD=False, Momentum=False)
    assert e.handle["axes"][1].get_legend() is None
    assert legend(two_optimizer_explorer()) == ["SGD", "Momentum"]  # without choose: every optimizer


def test_surface_explorer_redraws_only_what_changed():
    """A slider move redraws the paths on the kept background; a new surface redraws the background.
    (Speed itself is a benchmark, `make bench`, not a test: timings flake on a busy machine.)"""
    e = two_optimizer_explorer()
    background = e._background
    e.set(lr=0.05, x0=-3.0)
    assert e._background is background  # contours, axes, legend: not drawn again
    e.set(surface="rosenbrock")
    assert e._background is not background
