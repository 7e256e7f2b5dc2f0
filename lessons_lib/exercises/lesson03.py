"""Self-checks for lesson 03 (momentum, Nesterov, and the SGD setting ``weight_decay``).

Each check is a ``FunctionCheck``: the learner's function runs on a few fixed cases, the right answer comes
from the equation, and a wrong answer is matched against the usual mistakes so the message can say *which*
mistake it is (wrong sign, old velocity, PyTorch's buffer instead of the velocity, ...). The words of every
message are in ``messages/en/lesson03.py``.

The lesson shows PyTorch's form of each rule (``rules.sgd_momentum``, ``rules.nesterov``: a buffer b in
gradient units); exercises 1 and 2 ask for the textbook form with the velocity v in parameter units
(v = -lr * b while lr is constant), so the answer is not a copy of the code the lesson showed.
The learner's functions return new arrays; they are called positionally, so any argument names work.
"""

import numpy as np

from . import FunctionCheck, check

# ---------------------------------------------------------------------------------------------------------
# Exercise 1: one momentum step in the textbook velocity form.

_RNG_SEED = 3


def _cases_momentum():
    rng = np.random.default_rng(_RNG_SEED)
    return [
        (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9),
        (rng.normal(size=2), rng.normal(size=2), rng.normal(size=2), 0.05, 0.5),
    ]


MOMENTUM_STEP = FunctionCheck(
    names=("p_new", "v_new"),
    cases=_cases_momentum,
    # textbook heavy ball: v_new = momentum*v - lr*g; p_new = p + v_new (torch's b is -v/lr)
    reference=lambda p, v, g, lr, mu: (p + mu * v - lr * g, mu * v - lr * g),
    mistakes={
        "momentum_step.no_step": lambda p, v, g, lr, mu: (p, None),
        "momentum_step.sign": lambda p, v, g, lr, mu: (p + mu * v + lr * g, mu * v + lr * g),
        "momentum_step.plain_sgd": lambda p, v, g, lr, mu: (p - lr * g, None),
        "momentum_step.old_velocity": lambda p, v, g, lr, mu: (p + v, mu * v - lr * g),
        "momentum_step.dampened": lambda p, v, g, lr, mu: (p + mu * v - (1 - mu) * lr * g, mu * v - (1 - mu) * lr * g),
        "momentum_step.momentum_on_gradient": lambda p, v, g, lr, mu: (p + v - mu * lr * g, v - mu * lr * g),
        "momentum_step.torch_buffer": lambda p, v, g, lr, mu: (p - lr * (mu * v + g), mu * v + g),
        "momentum_step.velocity_not_returned": lambda p, v, g, lr, mu: (p + mu * v - lr * g, None),
    },
    success="momentum_step.ok",
    hint="momentum_step.hint",
)


@check
def check_momentum_step(momentum_step):
    """Check ``momentum_step(p, v, g, lr, momentum) -> (p_new, v_new)``, the textbook velocity form."""
    return MOMENTUM_STEP(momentum_step)


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: one Nesterov step with the velocity in parameter units, from the gradient at p.


def _nesterov(p, v, g, lr, mu):
    v_new = mu * v - lr * g
    return p + mu * v_new - lr * g, v_new


NESTEROV_STEP = FunctionCheck(
    names=("p_new", "v_new"),
    cases=_cases_momentum,
    # the framework's rule with v = -lr*b: v_new = momentum*v - lr*g; p_new = p + momentum*v_new - lr*g
    reference=_nesterov,
    mistakes={
        "nesterov_step.no_step": lambda p, v, g, lr, mu: (p, None),
        "nesterov_step.sign": lambda p, v, g, lr, mu: (p + mu * (mu * v + lr * g) + lr * g, mu * v + lr * g),
        "nesterov_step.plain_momentum": lambda p, v, g, lr, mu: (p + mu * v - lr * g, mu * v - lr * g),
        "nesterov_step.no_gradient_term": lambda p, v, g, lr, mu: (p + mu * (mu * v - lr * g), mu * v - lr * g),
        "nesterov_step.dlfs_form": lambda p, v, g, lr, mu: (p + mu * mu * (mu * v - lr * g) - (1 + mu) * lr * g, None),
        "nesterov_step.torch_buffer": lambda p, v, g, lr, mu: (p - lr * (g + mu * (mu * v + g)), mu * v + g),
        "nesterov_step.velocity_not_returned": lambda p, v, g, lr, mu: (_nesterov(p, v, g, lr, mu)[0], None),
    },
    success="nesterov_step.ok",
    hint="nesterov_step.hint",
)


@check
def check_nesterov_step(nesterov_step):
    """Check ``nesterov_step(p, v, g, lr, momentum) -> (p_new, v_new)``, g the gradient at p, velocity in
    parameter units; equal to torch.optim.SGD(nesterov=True) with v = -lr * b."""
    return NESTEROV_STEP(nesterov_step)


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: predict the critically damped momentum and its contraction per step.

# lr * L = 0.01 (the bowl's gentle direction at lr 0.1), 0.1 and 0.36: sqrt(lr L) = 0.1, 0.316..., 0.6
CRITICAL_MOMENTUM = FunctionCheck(
    names=("momentum", "rate"),
    cases=[(0.1, 0.1), (0.05, 2.0), (0.36, 1.0)],
    # r^2 - (1 + mu - lr L) r + mu = 0 has a double root when (1 + mu - lr L)^2 = 4 mu, i.e.
    # sqrt(mu) = 1 - sqrt(lr L); the double root is r = sqrt(mu), the factor per step
    reference=lambda lr, L: ((1 - np.sqrt(lr * L)) ** 2, 1 - np.sqrt(lr * L)),
    mistakes={
        "critical_momentum.swapped": lambda lr, L: (1 - np.sqrt(lr * L), (1 - np.sqrt(lr * L)) ** 2),
        "critical_momentum.rate_as_momentum": lambda lr, L: (1 - np.sqrt(lr * L), None),
        "critical_momentum.no_sqrt": lambda lr, L: ((1 - lr * L) ** 2, 1 - lr * L),
        "critical_momentum.gd_rate": lambda lr, L: (None, 1 - lr * L),
        "critical_momentum.rate_is_momentum": lambda lr, L: (None, (1 - np.sqrt(lr * L)) ** 2),
        "critical_momentum.other_root": lambda lr, L: ((1 + np.sqrt(lr * L)) ** 2, None),
    },
    success="critical_momentum.ok",
    hint="critical_momentum.hint",
    rtol=1e-6,  # a numerical answer (e.g. a root finder) is accepted too
    atol=1e-9,
)


@check
def check_critical_momentum(critical_momentum):
    """Check ``critical_momentum(lr, L) -> (momentum, rate)``: the momentum at which the heavy ball is
    critically damped on f = L/2 x^2, and the factor by which it then shrinks the distance per step."""
    return CRITICAL_MOMENTUM(critical_momentum)


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one SGD step with weight_decay (the L2 penalty), for contrast with the note's `decay`.


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
        "weight_decay_step.double_penalty": lambda p, g, lr, wd: p - lr * (g + 2 * wd * p),
    },
    success="weight_decay_step.ok",
    hint="weight_decay_step.hint",
)


@check
def check_weight_decay_step(weight_decay_step):
    """Check ``weight_decay_step(p, g, lr, weight_decay) -> p_new`` against torch.optim.SGD(weight_decay=...)."""
    return WEIGHT_DECAY_STEP(weight_decay_step)
