"""Self-checks for lesson 03 (momentum, Nesterov, and the SGD settings ``decay`` and ``weight_decay``).

Each check is a ``FunctionCheck``: the learner's function runs on a few fixed cases, the right answer comes
from the equation (as in torch.optim.SGD, PyTorch 2.13), and a wrong answer is matched against the usual
mistakes so the message can say *which* mistake it is (wrong sign, old velocity, off by one, ...). The
words of every message are in ``messages/en/lesson03.py`` (and ``messages/ko/lesson03.py``).

The learner's functions return new arrays; they are called positionally, so any argument names work.
"""

import numpy as np

from . import FunctionCheck, check

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: one momentum step in PyTorch's form.

_RNG_SEED = 3


def _cases_momentum():
    rng = np.random.default_rng(_RNG_SEED)
    return [
        (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9),
        (rng.normal(size=2), rng.normal(size=2), rng.normal(size=2), 0.05, 0.5),
    ]


MOMENTUM_STEP = FunctionCheck(
    names=("p_new", "b_new"),
    cases=_cases_momentum,
    # torch.optim.SGD with momentum, dampening 0: b_new = momentum*b + g; p_new = p - lr*b_new
    reference=lambda p, b, g, lr, mu: (p - lr * (mu * b + g), mu * b + g),
    mistakes={
        "momentum_step.no_step": lambda p, b, g, lr, mu: (p, None),
        "momentum_step.sign": lambda p, b, g, lr, mu: (p + lr * (mu * b + g), mu * b + g),
        "momentum_step.plain_sgd": lambda p, b, g, lr, mu: (p - lr * g, None),
        "momentum_step.old_velocity": lambda p, b, g, lr, mu: (p - lr * b, mu * b + g),
        "momentum_step.dampened": lambda p, b, g, lr, mu: (p - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g),
        "momentum_step.momentum_on_gradient": lambda p, b, g, lr, mu: (p - lr * (b + mu * g), b + mu * g),
        "momentum_step.lr_in_velocity": lambda p, b, g, lr, mu: (p + mu * b - lr * g, mu * b - lr * g),
        "momentum_step.velocity_not_returned": lambda p, b, g, lr, mu: (p - lr * (mu * b + g), None),
    },
    success="momentum_step.ok",
    hint="momentum_step.hint",
)


@check
def check_momentum_step(momentum_step):
    """Check ``momentum_step(p, b, g, lr, momentum) -> (p_new, b_new)`` against torch.optim.SGD(momentum=...)."""
    return MOMENTUM_STEP(momentum_step)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: one Nesterov step in the form frameworks use.

NESTEROV_STEP = FunctionCheck(
    names=("p_new", "b_new"),
    cases=_cases_momentum,
    # torch.optim.SGD(nesterov=True): b_new = momentum*b + g; p_new = p - lr*(g + momentum*b_new)
    reference=lambda p, b, g, lr, mu: (p - lr * (g + mu * (mu * b + g)), mu * b + g),
    mistakes={
        "nesterov_step.no_step": lambda p, b, g, lr, mu: (p, None),
        "nesterov_step.sign": lambda p, b, g, lr, mu: (p + lr * (g + mu * (mu * b + g)), mu * b + g),
        "nesterov_step.plain_momentum": lambda p, b, g, lr, mu: (p - lr * (mu * b + g), mu * b + g),
        "nesterov_step.no_gradient_term": lambda p, b, g, lr, mu: (p - lr * mu * (mu * b + g), mu * b + g),
        "nesterov_step.dlfs_form": lambda p, b, g, lr, mu: (p - lr * mu * mu * (mu * b + g) - (1 + mu) * lr * g, None),
        "nesterov_step.velocity_not_returned": lambda p, b, g, lr, mu: (p - lr * (g + mu * (mu * b + g)), None),
    },
    success="nesterov_step.ok",
    hint="nesterov_step.hint",
)


@check
def check_nesterov_step(nesterov_step):
    """Check ``nesterov_step(p, b, g, lr, momentum) -> (p_new, b_new)``, g the gradient at p, against
    torch.optim.SGD(nesterov=True)."""
    return NESTEROV_STEP(nesterov_step)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the learning rate of the lecture note's `decay`.

# The first case tells the variants apart; t = 1 then checks that the first update uses lr0 itself.
DECAYED_LR = FunctionCheck(
    names=("lr",),
    cases=[(0.5, 0.1, 11), (0.2, 0.5, 4), (0.1, 0.01, 1), (0.1, 0.01, 2)],
    # Keras' old SGD `decay`: lr_t = lr0 / (1 + decay * (t - 1)); the first update uses lr0
    reference=lambda lr0, decay, t: lr0 / (1 + decay * (t - 1)),
    mistakes={
        "decayed_lr.constant": lambda lr0, decay, t: lr0,
        "decayed_lr.off_by_one": lambda lr0, decay, t: lr0 / (1 + decay * t),
        "decayed_lr.off_by_one_other_way": lambda lr0, decay, t: lr0 / (1 + decay * (t - 2)),
        "decayed_lr.exponential": lambda lr0, decay, t: lr0 * (1 - decay) ** (t - 1),
        "decayed_lr.compounded": lambda lr0, decay, t: lr0 / (1 + decay) ** (t - 1),
        "decayed_lr.linear": lambda lr0, decay, t: lr0 * (1 - decay * (t - 1)),
    },
    success="decayed_lr.ok",
    hint="decayed_lr.hint",
)


@check
def check_decayed_lr(decayed_lr):
    """Check ``decayed_lr(lr0, decay, t) -> lr`` for update number t = 1, 2, ... (Keras' old ``decay``)."""
    return DECAYED_LR(decayed_lr)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one SGD step with weight_decay (the L2 penalty), for contrast.


def _cases_weight_decay():
    rng = np.random.default_rng(_RNG_SEED + 1)
    return [(rng.normal(size=3), rng.normal(size=3), 0.1, 0.01), (rng.normal(size=2), rng.normal(size=2), 0.5, 0.2)]


WEIGHT_DECAY_STEP = FunctionCheck(
    names=("p_new",),
    cases=_cases_weight_decay,
    # torch.optim.SGD(weight_decay=...), no momentum: p_new = p - lr * (g + weight_decay * p)
    reference=lambda p, g, lr, wd: p - lr * (g + wd * p),
    mistakes={
        "weight_decay_step.no_decay": lambda p, g, lr, wd: p - lr * g,
        "weight_decay_step.no_step": lambda p, g, lr, wd: p,
        "weight_decay_step.sign": lambda p, g, lr, wd: p - lr * (g - wd * p),
        "weight_decay_step.lr_schedule": lambda p, g, lr, wd: p - lr / (1 + wd) * g,
        "weight_decay_step.decay_without_lr": lambda p, g, lr, wd: p - lr * g - wd * p,
        "weight_decay_step.penalty_not_gradient": lambda p, g, lr, wd: p - lr * (g + wd / 2 * p**2),
    },
    success="weight_decay_step.ok",
    hint="weight_decay_step.hint",
)


@check
def check_weight_decay_step(weight_decay_step):
    """Check ``weight_decay_step(p, g, lr, weight_decay) -> p_new`` against torch.optim.SGD(weight_decay=...)."""
    return WEIGHT_DECAY_STEP(weight_decay_step)
