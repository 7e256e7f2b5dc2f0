"""The self-checks of lesson 04 accept right answers written in different ways and name each mistake.

tests/test_exercise_messages.py already turns every listed mistake into a learner's function; here the
learner's functions are written out by hand, as a learner would write them (with loops, in place, with the
lesson's own rules), the right answers are checked against the library's optimizers independently of the
checks' references, and the checks must recognise each mistake by the message key they return.
"""

import numpy as np
import pytest

from lessons_lib import optim, rules
from lessons_lib.exercises import lesson04 as ex

# ----- Exercise 1: AdaGrad's effective rate from a gradient history --------------------------------------


def rates_right(grads, lr, eps):
    return lr / (np.sqrt((grads**2).sum(axis=0)) + eps)


def test_effective_lr_accepts_a_vectorised_and_a_loop_answer():
    def loop(grads, lr, eps):
        s = np.zeros(grads.shape[1])
        for g in grads:
            s += g * g
        return lr / (np.sqrt(s) + eps)

    assert ex.check_adagrad_effective_lr(rates_right).key == "adagrad_effective_lr.ok"
    assert ex.check_adagrad_effective_lr(loop).ok


def test_effective_lr_accepts_eps_inside_the_root():
    """lr / sqrt(s + eps) differs from lr / (sqrt(s) + eps) by about 1e-9 at eps = 1e-10: a message could only
    say "should be 0.1017 but is 0.1017", so the check accepts it."""
    feedback = ex.check_adagrad_effective_lr(lambda G, lr, eps: lr / np.sqrt((G**2).sum(axis=0) + eps))
    assert feedback.key == "adagrad_effective_lr.ok"


def test_the_effective_lr_answer_is_what_optim_adagrad_reports():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(15, 4)) * np.array([0.1, 1.0, 3.0, 10.0])
    p = np.zeros(4)
    opt = optim.Adagrad([p], lr=0.3)
    for g in grads:
        opt.step([g])
    np.testing.assert_allclose(rates_right(grads, 0.3, 1e-10), opt.effective_lr()[0], rtol=1e-12)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda G, lr, eps: lr / (np.sqrt((G**2).sum(axis=1)) + eps), "adagrad_effective_lr.wrong_axis"),
        (lambda G, lr, eps: lr / (np.sqrt((G**2).mean(axis=0)) + eps), "adagrad_effective_lr.mean"),
        (lambda G, lr, eps: lr / (np.abs(G[-1]) + eps), "adagrad_effective_lr.last_only"),
        (lambda G, lr, eps: lr / ((G**2).sum(axis=0) + eps), "adagrad_effective_lr.no_sqrt"),
        (lambda G, lr, eps: lr / (np.sqrt(np.abs(G.sum(axis=0))) + eps), "adagrad_effective_lr.summed_g"),
        (lambda G, lr, eps: lr * np.sqrt((G**2).sum(axis=0)), "adagrad_effective_lr.upside_down"),
    ],
)
def test_effective_lr_names_the_mistake(wrong, key):
    feedback = ex.check_adagrad_effective_lr(wrong)
    assert not feedback.ok and feedback.key == key


def test_an_unknown_mistake_on_a_gradient_history_names_the_history_by_its_shape():
    feedback = ex.check_adagrad_effective_lr(lambda G, lr, eps: np.full(G.shape[1], lr))
    assert feedback.key == "common.wrong_value"
    assert "array of shape (20, 3)" in feedback.message and "rates should be" in feedback.message


# ----- Exercise 2: bias-corrected averages over a stream --------------------------------------------------


def averages_right(values, beta):
    m, out = 0.0, []
    for t, x in enumerate(values, start=1):
        m = beta * m + (1 - beta) * x
        out.append(m / (1 - beta**t))
    return np.array(out)


def test_corrected_averages_accepts_a_loop_and_a_closed_form():
    def closed_form(values, beta):
        t = np.arange(1, len(values) + 1)
        weights = (1 - beta) * beta ** (t[:, None] - t[None, :]) * (t[None, :] <= t[:, None])
        return weights @ values / (1 - beta**t)

    assert ex.check_corrected_averages(averages_right).key == "corrected_averages.ok"
    assert ex.check_corrected_averages(closed_form).ok


def test_the_corrected_averages_are_adams_m_hat():
    """Independent of the check: Adam's stored m, divided by 1 - beta1^t, is the learner's answer."""
    rng = np.random.default_rng(1)
    grads = rng.normal(size=10)
    p = np.zeros(1)
    opt = optim.Adam([p], lr=1e-3, betas=(0.8, 0.999))
    m_hat = []
    for t, g in enumerate(grads, start=1):
        opt.step([np.array([g])])
        m_hat.append(opt.state[0]["m"][0] / (1 - 0.8**t))
    np.testing.assert_allclose(averages_right(grads, 0.8), m_hat, rtol=1e-12)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda xs, b: np.array([sum((1 - b) * b ** (t - k) * xs[k - 1] for k in range(1, t + 1))
                                 for t in range(1, len(xs) + 1)]), "corrected_averages.uncorrected"),
        (lambda xs, b: _stored(xs, b), "corrected_averages.stored_correction"),
        (lambda xs, b: np.array([averages_right(xs, b)[t - 1] * (1 - b**t) / (1 - b ** (t + 1))
                                 for t in range(1, len(xs) + 1)]), "corrected_averages.off_by_one"),
        (lambda xs, b: np.cumsum(xs) / np.arange(1, len(xs) + 1), "corrected_averages.plain_mean"),
    ],
)
def test_corrected_averages_names_the_mistake(wrong, key):
    feedback = ex.check_corrected_averages(wrong)
    assert not feedback.ok and feedback.key == key


def _stored(values, beta):
    m, out = 0.0, []
    for t, x in enumerate(values, start=1):
        m = (beta * m + (1 - beta) * x) / (1 - beta**t)  # the corrected value kept as the new m
        out.append(m)
    return np.array(out)


# ----- Exercise 3: AMSGrad --------------------------------------------------------------------------------


def amsgrad_right(p, m, v, v_max, g, t, lr, beta1, beta2, eps):
    p, m_new, v_new = rules.adam(p, g, m, v, t, lr, beta1, beta2, eps)  # only to get m_new and v_new
    p = p + lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps)  # undo Adam's step
    v_max = np.maximum(v_max, v_new)
    p = p - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_max / (1 - beta2**t)) + eps)
    return p, m_new, v_new, v_max


def test_amsgrad_accepts_the_right_answer():
    def plain(p, m, v, v_max, g, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        v_max = np.maximum(v_max, v)
        return p - lr * (m / (1 - b1**t)) / (np.sqrt(v_max / (1 - b2**t)) + eps), m, v, v_max

    assert ex.check_amsgrad_step(plain).key == "amsgrad_step.ok"
    assert ex.check_amsgrad_step(amsgrad_right).ok


def test_the_amsgrad_answer_follows_optim_adam_with_amsgrad():
    rng = np.random.default_rng(2)
    grads = rng.normal(size=(30, 3)) * np.linspace(2.0, 0.1, 30)[:, None]  # shrinking: v_max matters
    q = np.zeros(3)
    opt = optim.Adam([q], lr=0.05, amsgrad=True)
    p, m, v, v_max = np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        opt.step([g])
        p, m, v, v_max = amsgrad_right(p, m, v, v_max, g, t, 0.05, 0.9, 0.999, 1e-8)
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda p, m, v, vm, g, t, lr, b1, b2, eps: (*rules.adam(p, g, m, v, t, lr, b1, b2, eps), vm),
         "amsgrad_step.plain_adam"),
        (lambda p, m, v, vm, g, t, lr, b1, b2, eps: _amsgrad_max_old(p, m, v, vm, g, t, lr, b1, b2, eps),
         "amsgrad_step.max_of_old_v"),
    ],
)
def test_amsgrad_names_the_mistake(wrong, key):
    feedback = ex.check_amsgrad_step(wrong)
    assert not feedback.ok and feedback.key == key


def _amsgrad_max_old(p, m, v, v_max, g, t, lr, b1, b2, eps):
    v_max = np.maximum(v_max, v)  # before v is updated
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    return p - lr * (m / (1 - b1**t)) / (np.sqrt(v_max / (1 - b2**t)) + eps), m, v, v_max


# ----- Exercise 4: AdamW ----------------------------------------------------------------------------------


def adamw_right(p, m, v, g, t, lr, beta1, beta2, eps, weight_decay):
    return rules.adam(p * (1 - lr * weight_decay), g, m, v, t, lr, beta1, beta2, eps)


def test_adamw_accepts_the_right_answer_and_an_in_place_one():
    def in_place(p, m, v, g, t, lr, b1, b2, eps, wd):
        p *= 1 - lr * wd
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        return p, m, v

    assert ex.check_adamw_step(adamw_right).key == "adamw_step.ok"
    assert ex.check_adamw_step(in_place).ok


def test_the_adamw_answer_follows_optim_adamw():
    rng = np.random.default_rng(3)
    grads = rng.normal(size=(20, 3))
    q = np.ones(3)
    opt = optim.AdamW([q], lr=0.05, weight_decay=0.1)
    p, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        opt.step([g])
        p, m, v = adamw_right(p, m, v, g, t, 0.05, 0.9, 0.999, 1e-8, 0.1)
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (lambda p, m, v, g, t, lr, b1, b2, eps, wd: rules.adam(p, g, m, v, t, lr, b1, b2, eps), "adamw_step.no_decay"),
        (lambda p, m, v, g, t, lr, b1, b2, eps, wd: rules.adam(p, g + wd * p, m, v, t, lr, b1, b2, eps),
         "adamw_step.l2_in_gradient"),
        (lambda p, m, v, g, t, lr, b1, b2, eps, wd: rules.adam(p * (1 - wd), g, m, v, t, lr, b1, b2, eps),
         "adamw_step.decay_without_lr"),
        (lambda p, m, v, g, t, lr, b1, b2, eps, wd: _after(rules.adam(p, g, m, v, t, lr, b1, b2, eps), lr * wd),
         "adamw_step.decay_after_step"),
    ],
)
def test_adamw_names_the_mistake(wrong, key):
    feedback = ex.check_adamw_step(wrong)
    assert not feedback.ok and feedback.key == key


def _after(step, shrink):
    p, m, v = step
    return p * (1 - shrink), m, v
