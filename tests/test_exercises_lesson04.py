"""The self-checks of lesson 04 accept a right answer and name each mistake they claim to catch."""

import numpy as np
import pytest

from lessons_lib.exercises import lesson04 as ex

# ----- Exercise 1: AdaGrad step --------------------------------------------------------------------------


def adagrad_right(p, s, g, lr, eps):
    s = s + g**2
    return p - lr * g / (np.sqrt(s) + eps), s


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, s, g, lr, eps: (p, s + g**2), "did not change"),
        (lambda p, s, g, lr, eps: (p + lr * g / (np.sqrt(s + g**2) + eps), s + g**2), "wrong sign"),
        (lambda p, s, g, lr, eps: (p - lr * g / (s + g**2 + eps), s + g**2), "square root"),
        (lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s) + eps), s + g**2), "old sum"),
        (lambda p, s, g, lr, eps: (p - lr * g / (np.abs(g) + eps), g**2), "forgot the history"),
        (lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s + abs(g)) + eps), s + abs(g)), "|g|"),
        (lambda p, s, g, lr, eps: (p - lr * g / (np.sqrt(s + g**2) + eps), s), "returned accumulator"),
    ],
)
def test_adagrad_step_names_the_mistake(wrong, words):
    fb = ex.check_adagrad_step(wrong)
    assert not fb.ok
    assert words in fb.message


def test_adagrad_step_accepts_the_right_answer():
    assert ex.check_adagrad_step(adagrad_right).ok


# ----- Exercise 2: AdaGrad's effective rate --------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda G, lr, eps: lr / (np.sqrt(np.sum(G**2, axis=1)) + eps), "axis 0"),
        (lambda G, lr, eps: lr / (np.sqrt(np.mean(G**2, axis=0)) + eps), "mean"),
        (lambda G, lr, eps: lr / (np.abs(G[-1]) + eps), "last gradient"),
        (lambda G, lr, eps: lr / (np.sum(G**2, axis=0) + eps), "square root"),
        (lambda G, lr, eps: lr / (np.sqrt(np.abs(G.sum(axis=0))) + eps), "summed g, not g**2"),
        (lambda G, lr, eps: lr * np.sqrt(np.sum(G**2, axis=0)), "upside down"),
    ],
)
def test_effective_lr_names_the_mistake(wrong, words):
    fb = ex.check_adagrad_effective_lr(wrong)
    assert not fb.ok
    assert words in fb.message


def test_effective_lr_accepts_the_right_answer():
    right = lambda G, lr, eps: lr / (np.sqrt((G**2).sum(axis=0)) + eps)  # noqa: E731
    assert ex.check_adagrad_effective_lr(right).ok


def test_effective_lr_loop_solution_is_accepted():
    def loop(G, lr, eps):
        s = np.zeros(G.shape[1])
        for g in G:
            s += g * g
        return lr / (np.sqrt(s) + eps)

    assert ex.check_adagrad_effective_lr(loop).ok


# ----- Exercise 3: bias correction -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda m, v, b1, b2, t: (m, v), "nothing was corrected"),
        (lambda m, v, b1, b2, t: (m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))), "t + 1"),
        (lambda m, v, b1, b2, t: (m / (1 - b1 ** max(t - 1, 1)), v / (1 - b2 ** max(t - 1, 1))), "t - 1"),
        (lambda m, v, b1, b2, t: (m / b1**t, v / b2**t), "beta**t"),
        (lambda m, v, b1, b2, t: (m / (1 - b2**t), v / (1 - b1**t)), "swapped"),
        (lambda m, v, b1, b2, t: (m * (1 - b1**t), v * (1 - b2**t)), "multiplied"),
        (lambda m, v, b1, b2, t: (m / (1 - b1**t), v / np.sqrt(1 - b2**t)), "square root"),
        (lambda m, v, b1, b2, t: (m / (1 - b1**t), v / (1 - b1**t)), "v_hat is not"),
    ],
)
def test_bias_correction_names_the_mistake(wrong, words):
    fb = ex.check_bias_correction(wrong)
    assert not fb.ok
    assert words in fb.message


def test_bias_correction_accepts_the_right_answer():
    assert ex.check_bias_correction(lambda m, v, b1, b2, t: (m / (1 - b1**t), v / (1 - b2**t))).ok


# ----- Exercise 4: Adam step -----------------------------------------------------------------------------


def adam_right(p, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_variant(*, sign=-1, correct=True, sqrt=True, swap=False, use_g=False, return_hat=False):
    def step(p, m, v, g, t, lr, b1, b2, eps):
        if swap:
            m, v = (1 - b1) * m + b1 * g, (1 - b2) * v + b2 * g * g
        else:
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if correct else (m, v)
        num = g if use_g else m_hat
        den = (np.sqrt(v_hat) if sqrt else v_hat) + eps
        p_new = p + sign * lr * num / den
        return (p_new, m_hat, v_hat) if return_hat else (p_new, m, v)

    return step


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda p, m, v, g, t, lr, b1, b2, eps: (p, m, v), "did not change"),
        (adam_variant(sign=+1), "wrong sign"),
        (adam_variant(correct=False), "bias correction is missing"),
        (adam_variant(sqrt=False), "square root"),
        (adam_variant(swap=True), "wrong way round"),
        (adam_variant(use_g=True), "uses g where"),
        (adam_variant(return_hat=True), "returned moments"),
    ],
)
def test_adam_step_names_the_mistake(wrong, words):
    fb = ex.check_adam_step(wrong)
    assert not fb.ok
    assert words in fb.message


def test_adam_step_accepts_the_right_answer():
    assert ex.check_adam_step(adam_right).ok


def test_an_unknown_mistake_on_a_gradient_history_is_reported_without_printing_the_history():
    fb = ex.check_adagrad_effective_lr(lambda G, lr, eps: np.full(G.shape[1], lr))
    assert not fb.ok
    assert "rates should be" in fb.message and "array of shape (20, 3)" in fb.message


# ----- The lesson's explorer and race GIF helpers ------------------------------------------------------


def small_explorer():
    from lessons_lib import optim, surfaces, widgets

    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
    beta1 = widgets.slider("beta1", 0.0, 0.99, 0.01, 0.9)
    beta2 = widgets.slider("beta2", 0.5, 0.999, 0.001, 0.99)
    return ex.optimizer_explorer(
        {"bowl": surfaces.BOWL, "saddle": surfaces.SADDLE, "Rosenbrock": surfaces.ROSENBROCK},
        {"SGD": (optim.SGD, {"lr": lr}), "Adam": (optim.Adam, {"lr": lr, "betas": (beta1, beta2)})},
        shown=("Adam",), steps=20)


def test_explorer_runs_only_the_ticked_optimizers_with_their_current_hyperparameters():
    from lessons_lib import optim, surfaces

    explorer = small_explorer()
    state = explorer.handle
    assert not state["paths"]["SGD"].get_visible() and state["paths"]["Adam"].get_visible()
    explorer.set(beta1=0.5, beta2=0.9, lr=0.2)
    expected = surfaces.trace(surfaces.BOWL, optim.Adam, None, 20, lr=0.2, betas=(0.5, 0.9))
    np.testing.assert_allclose(np.column_stack(state["paths"]["Adam"].get_data()), expected)
    explorer.set(SGD=True)
    assert state["paths"]["SGD"].get_visible()


def test_explorer_moves_the_start_with_the_surface_and_reports_divergence():
    from lessons_lib import surfaces

    explorer = small_explorer()
    explorer.set(surface="saddle")
    assert (explorer.values["x0"], explorer.values["y0"]) == pytest.approx(tuple(surfaces.SADDLE.start))
    assert explorer.handle["message"].get_text() == ""
    explorer.set(surface="Rosenbrock", SGD=True, lr=0.1)  # far too large for Rosenbrock's steep walls
    assert "SGD diverged after" in explorer.handle["message"].get_text()
    assert explorer.status.value == ""  # reported in the picture, not as an error


def test_race_grid_gif_rejects_bad_input():
    from lessons_lib import surfaces

    with pytest.raises(TypeError, match="panels"):
        ex.race_grid_gif([])
    with pytest.raises(TypeError, match=r"panels\[0\]"):
        ex.race_grid_gif([("bowl", {"SGD": np.zeros((3, 2))})])
    with pytest.raises(ValueError, match="shape"):
        ex.race_grid_gif([(surfaces.BOWL, {"SGD": np.zeros(3)})])
    with pytest.raises(ValueError, match="frames"):
        ex.race_grid_gif([(surfaces.BOWL, {"SGD": np.zeros((3, 2))})], frames=0)


def test_optimizer_explorer_rejects_bad_input():
    from lessons_lib import optim, surfaces

    with pytest.raises(TypeError, match="surfaces_by_name"):
        ex.optimizer_explorer({}, {"SGD": (optim.SGD, {})})
    with pytest.raises(TypeError, match="optimizers"):
        ex.optimizer_explorer({"bowl": surfaces.BOWL}, {"SGD": optim.SGD})
    with pytest.raises(ValueError, match="shown"):
        ex.optimizer_explorer({"bowl": surfaces.BOWL}, {"SGD": (optim.SGD, {"lr": 0.1})}, shown=("Adam",))
    with pytest.raises(ValueError, match="steps"):
        ex.optimizer_explorer({"bowl": surfaces.BOWL}, {"SGD": (optim.SGD, {"lr": 0.1})}, steps=0)
