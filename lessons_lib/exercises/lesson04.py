"""Self-checks for lesson 04 (AdaGrad, RMSProp, AdaDelta, Adam and its bias correction).

Same engine as lesson 03: the learner's function runs on fixed cases, the reference comes from the
equation (as in torch.optim, PyTorch 2.13), and a wrong answer is matched against the usual mistakes.
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
