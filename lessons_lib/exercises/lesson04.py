"""Self-checks for lesson 04 (adaptive methods: AdaGrad's rates, bias correction, AMSGrad, AdamW).

Each check is a ``FunctionCheck``: the learner's function runs on a few fixed cases, the right answer comes
from the equation (as in torch.optim, PyTorch 2.13), and a wrong answer is matched against the usual
mistakes so the message can say *which* mistake it is. The words of every message are in
``messages/en/lesson04.py`` (and ``messages/ko/lesson04.py``).

None of the exercises is a copy of a rule the lesson shows (``rules.adagrad``, ``rules.adam``, ...): each asks
for something the lesson explains but does not write out (a rate from a whole gradient history, the
correction over a stream, the AMSGrad and AdamW variants of Adam). The learner's functions return new
arrays; they are called positionally, so any argument names work.
"""

import numpy as np

from . import FunctionCheck, check

_RNG_SEED = 4


def _rng(offset=0):
    return np.random.default_rng(_RNG_SEED + offset)


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: AdaGrad's effective learning rate per coordinate, from a whole gradient history.


def _cases_history():
    rng = _rng()
    scales = np.array([0.1, 1.0, 5.0])
    return [
        (rng.normal(size=(20, 3)) * scales, 0.5, 1e-10),
        (rng.normal(size=(7, 3)) * scales[::-1], 1.5, 1e-10),
    ]


def _rates(G, lr, eps, reduce=np.sum, axis=0):
    return lr / (np.sqrt(reduce(G**2, axis=axis)) + eps)


ADAGRAD_EFFECTIVE_LR = FunctionCheck(
    names=("rates",),
    cases=_cases_history,
    # torch.optim.Adagrad after len(G) steps: s = sum over the steps of g^2; rate = lr / (sqrt(s) + eps)
    reference=lambda G, lr, eps: _rates(G, lr, eps),
    mistakes={
        "adagrad_effective_lr.wrong_axis": lambda G, lr, eps: _rates(G, lr, eps, axis=1),
        "adagrad_effective_lr.mean": lambda G, lr, eps: _rates(G, lr, eps, reduce=np.mean),
        "adagrad_effective_lr.last_only": lambda G, lr, eps: lr / (np.abs(G[-1]) + eps),
        "adagrad_effective_lr.no_sqrt": lambda G, lr, eps: lr / (np.sum(G**2, axis=0) + eps),
        "adagrad_effective_lr.summed_g": lambda G, lr, eps: lr / (np.sqrt(np.abs(np.sum(G, axis=0))) + eps),
        "adagrad_effective_lr.upside_down": lambda G, lr, eps: lr * np.sqrt(np.sum(G**2, axis=0)),
    },
    success="adagrad_effective_lr.ok",
    hint="adagrad_effective_lr.hint",
    # eps inside the root, lr / sqrt(s + eps), differs by about 1e-9 with eps = 1e-10: the same rates to every
    # digit a message shows, so it passes rather than being told "should be 0.1017 but is 0.1017"
    rtol=1e-6,
)


@check
def check_adagrad_effective_lr(adagrad_effective_lr):
    """Check ``adagrad_effective_lr(grads, lr, eps) -> rates``; grads has one row per step, one column per
    coordinate, and rates holds one effective learning rate per coordinate after all those steps."""
    return ADAGRAD_EFFECTIVE_LR(adagrad_effective_lr)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: bias-corrected running averages over a stream (Adam's m_hat at every step).


def _cases_stream():
    rng = _rng(1)
    return [
        (np.full(6, 2.5), 0.9),               # a constant stream: the corrected average is the value itself
        (rng.normal(size=12) + 1.0, 0.9),
        (rng.normal(size=8), 0.5),
    ]


def _averages(values, beta, *, correct=True, store_corrected=False, power_shift=0, swap=False):
    m, out = 0.0, []
    for t, x in enumerate(values, start=1):
        m = (1 - beta) * m + beta * x if swap else beta * m + (1 - beta) * x
        m_hat = m / (1 - beta ** (t + power_shift)) if correct else m
        out.append(m_hat)
        if store_corrected:
            m = m_hat
    return np.array(out)


CORRECTED_AVERAGES = FunctionCheck(
    names=("averages",),
    cases=_cases_stream,
    # m_t = beta m_{t-1} + (1 - beta) x_t from m_0 = 0, and the output m_t / (1 - beta^t), t = 1, 2, ...
    reference=lambda values, beta: _averages(values, beta),
    mistakes={
        "corrected_averages.uncorrected": lambda values, beta: _averages(values, beta, correct=False),
        "corrected_averages.stored_correction": lambda values, beta: _averages(values, beta, store_corrected=True),
        "corrected_averages.off_by_one": lambda values, beta: _averages(values, beta, power_shift=1),
        "corrected_averages.weights_swapped": lambda values, beta: _averages(values, beta, swap=True),
        "corrected_averages.plain_mean": lambda values, beta: np.cumsum(values) / np.arange(1, len(values) + 1),
    },
    success="corrected_averages.ok",
    hint="corrected_averages.hint",
)


@check
def check_corrected_averages(corrected_averages):
    """Check ``corrected_averages(values, beta) -> averages``: the bias-corrected exponential moving average
    after each value of the stream, as Adam corrects its first moment."""
    return CORRECTED_AVERAGES(corrected_averages)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: one AMSGrad step (torch.optim.Adam(amsgrad=True)).


def _cases_amsgrad():
    rng = _rng(2)

    def case(factors, t, lr, b1, b2):
        n = len(factors)
        p, g = rng.normal(size=n), rng.normal(size=n)
        m = rng.normal(size=n) * 0.3
        v = rng.uniform(0.05, 0.5, size=n)
        v_max = v * np.array(factors)  # some coordinates' past maximum above today's v, some below
        return p, m, v, v_max, g, t, lr, b1, b2, 1e-8

    # the first case tells the mistakes apart (a past maximum 30 times v exceeds even the corrected v_hat)
    return [case([0.5, 3.0, 30.0], 12, 0.05, 0.8, 0.99), case([3.0, 0.5, 3.0, 0.5], 5, 0.1, 0.9, 0.999),
            case([0.5, 3.0], 1, 0.01, 0.9, 0.999)]


def _amsgrad(p, m, v, v_max, g, t, lr, b1, b2, eps, *, which="right"):
    m_new = b1 * m + (1 - b1) * g
    v_new = b2 * v + (1 - b2) * g**2
    if which == "max_of_old_v":
        v_max_new = np.maximum(v_max, v)
    elif which == "max_of_corrected":
        v_max_new = np.maximum(v_max, v_new / (1 - b2**t))
    else:
        v_max_new = np.maximum(v_max, v_new)
    if which == "plain_adam":
        den = np.sqrt(v_new / (1 - b2**t)) + eps
    elif which == "max_of_corrected":
        den = np.sqrt(v_max_new) + eps
    elif which == "no_correction":
        return p - lr * m_new / (np.sqrt(v_max_new) + eps), m_new, v_new, v_max_new
    else:
        den = np.sqrt(v_max_new / (1 - b2**t)) + eps
    sign = 1.0 if which == "sign" else -1.0
    return p + sign * lr * m_new / (1 - b1**t) / den, m_new, v_new, v_max_new


AMSGRAD_STEP = FunctionCheck(
    names=("p_new", "m_new", "v_new", "v_max_new"),
    cases=_cases_amsgrad,
    # torch.optim.Adam(amsgrad=True): m, v as Adam; v_max = max(v_max, v_new) (of the uncorrected v);
    # p_new = p - lr * m_new / (1 - beta1^t) / (sqrt(v_max / (1 - beta2^t)) + eps)
    reference=lambda *case: _amsgrad(*case),
    mistakes={
        "amsgrad_step.no_step": lambda p, *rest: (p, None, None, None),
        "amsgrad_step.sign": lambda *case: _amsgrad(*case, which="sign"),
        "amsgrad_step.plain_adam": lambda *case: _amsgrad(*case, which="plain_adam")[:3] + (None,),
        "amsgrad_step.max_of_old_v": lambda *case: _amsgrad(*case, which="max_of_old_v"),
        "amsgrad_step.max_of_corrected": lambda *case: _amsgrad(*case, which="max_of_corrected"),
        "amsgrad_step.no_correction": lambda *case: _amsgrad(*case, which="no_correction"),
        "amsgrad_step.state_not_returned": lambda *case: (_amsgrad(*case)[0], None, None, None),
    },
    success="amsgrad_step.ok",
    hint="amsgrad_step.hint",
)


@check
def check_amsgrad_step(amsgrad_step):
    """Check ``amsgrad_step(p, m, v, v_max, g, t, lr, beta1, beta2, eps) -> (p_new, m_new, v_new, v_max_new)``
    against torch.optim.Adam(amsgrad=True)."""
    return AMSGRAD_STEP(amsgrad_step)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one AdamW step (decoupled weight decay).


def _cases_adamw():
    rng = _rng(3)

    def case(n, t, lr, wd):
        p, g = rng.normal(size=n), rng.normal(size=n)
        m, v = rng.normal(size=n) * 0.3, rng.uniform(0.05, 0.5, size=n)
        return p, m, v, g, t, lr, 0.9, 0.999, 1e-8, wd

    return [case(4, 3, 0.1, 0.1), case(3, 1, 0.01, 0.5), case(2, 20, 0.05, 0.01)]


def _adam(p, m, v, g, t, lr, b1, b2, eps):
    m_new = b1 * m + (1 - b1) * g
    v_new = b2 * v + (1 - b2) * g**2
    return p - lr * m_new / (1 - b1**t) / (np.sqrt(v_new / (1 - b2**t)) + eps), m_new, v_new


def _adamw(p, m, v, g, t, lr, b1, b2, eps, wd, *, which="right"):
    if which == "l2_in_gradient":
        return _adam(p, m, v, g + wd * p, t, lr, b1, b2, eps)
    if which == "decay_after_step":
        p_new, m_new, v_new = _adam(p, m, v, g, t, lr, b1, b2, eps)
        return p_new * (1 - lr * wd), m_new, v_new
    factor = {"right": 1 - lr * wd, "no_decay": 1.0, "decay_without_lr": 1 - wd, "sign": 1 + lr * wd}[which]
    return _adam(p * factor, m, v, g, t, lr, b1, b2, eps)


ADAMW_STEP = FunctionCheck(
    names=("p_new", "m_new", "v_new"),
    cases=_cases_adamw,
    # torch.optim.AdamW: p <- p * (1 - lr * weight_decay), then the Adam step with the unchanged gradient
    reference=lambda *case: _adamw(*case),
    mistakes={
        "adamw_step.no_decay": lambda *case: _adamw(*case, which="no_decay"),
        "adamw_step.l2_in_gradient": lambda *case: _adamw(*case, which="l2_in_gradient"),
        "adamw_step.decay_without_lr": lambda *case: _adamw(*case, which="decay_without_lr"),
        "adamw_step.decay_after_step": lambda *case: _adamw(*case, which="decay_after_step"),
        "adamw_step.sign": lambda *case: _adamw(*case, which="sign"),
        "adamw_step.moments_not_returned": lambda *case: (_adamw(*case)[0], None, None),
    },
    success="adamw_step.ok",
    hint="adamw_step.hint",
)


@check
def check_adamw_step(adamw_step):
    """Check ``adamw_step(p, m, v, g, t, lr, beta1, beta2, eps, weight_decay) -> (p_new, m_new, v_new)`` against
    torch.optim.AdamW."""
    return ADAMW_STEP(adamw_step)
