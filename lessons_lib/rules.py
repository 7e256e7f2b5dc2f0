"""Every update rule of the course as the equations write it: one line of numpy per equation.

These are the rules the lessons show. Each function takes the parameters ``p``, the gradient ``g`` and the
rule's running quantities, and returns the new ones; nothing is changed in place, and every symbol is the
equation's (``m``, ``v``, ``beta1``, ``t``). The step counter ``t`` starts at 1.

    p, b = sgd_momentum(p, g, b, lr=0.1, momentum=0.9)          # one step
    p, m, v = adam(p, g, m, v, t, lr=1e-3)
    path = run(adam, p0, surface.grad, steps=30, lr=0.3)        # every point of 30 steps

``lessons_lib.optim`` holds the same rules as classes that follow torch.optim (names, defaults, argument
checks, weight decay) and update the arrays in place without making a new array per step, which is what
a training loop wants. ``tests/test_rules.py`` checks that the two give the same numbers step for step, and
``tests/test_optim.py`` that the classes equal torch.optim (PyTorch 2.13) to rounding.
"""

import numpy as np

__all__ = ["gd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "nadam"]


def gd(p, g, lr):
    """Gradient descent (lessons 01-02): a step against the gradient."""
    return p - lr * g


def sgd_momentum(p, g, b, lr, momentum=0.9):
    """Heavy-ball momentum in PyTorch's form (lesson 03). ``b`` is the velocity buffer; pass ``None``
    before the first step (then b = g)."""
    b = g if b is None else momentum * b + g      # b = mu b + g
    p = p - lr * b                                # p = p - lr b
    return p, b


def nesterov(p, g, b, lr, momentum=0.9):
    """Nesterov momentum in the form frameworks use (lesson 03); ``g`` is the gradient at ``p``."""
    b = g if b is None else momentum * b + g      # b = mu b + g
    p = p - lr * (g + momentum * b)               # p = p - lr (g + mu b)
    return p, b


def adagrad(p, g, s, lr=1e-2, eps=1e-10):
    """AdaGrad (lesson 04): ``s`` sums every squared gradient so far (start it at 0)."""
    s = s + g**2                                  # s = s + g^2
    p = p - lr * g / (np.sqrt(s) + eps)           # p = p - lr g / (sqrt(s) + eps)
    return p, s


def rmsprop(p, g, v, lr=1e-2, alpha=0.99, eps=1e-8):
    """RMSProp (lesson 04): ``v`` is a moving average of squared gradients (start it at 0)."""
    v = alpha * v + (1 - alpha) * g**2            # v = alpha v + (1 - alpha) g^2
    p = p - lr * g / (np.sqrt(v) + eps)           # p = p - lr g / (sqrt(v) + eps)
    return p, v


def adadelta(p, g, v, u, lr=1.0, rho=0.9, eps=1e-6):
    """AdaDelta (lesson 04): ``v`` averages squared gradients, ``u`` squared steps (start both at 0)."""
    v = rho * v + (1 - rho) * g**2                      # v = rho v + (1 - rho) g^2
    delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g     # delta = sqrt(u + eps) / sqrt(v + eps) g
    u = rho * u + (1 - rho) * delta**2                  # u = rho u + (1 - rho) delta^2
    p = p - lr * delta                                  # p = p - lr delta
    return p, v, u


def adam(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (lesson 04), with PyTorch's placement of eps. Start ``m`` and ``v`` at 0 and ``t`` at 1."""
    m = beta1 * m + (1 - beta1) * g               # m = beta1 m + (1 - beta1) g
    v = beta2 * v + (1 - beta2) * g**2            # v = beta2 v + (1 - beta2) g^2
    m_hat = m / (1 - beta1**t)                    # m_hat = m / (1 - beta1^t)
    v_hat = v / (1 - beta2**t)                    # v_hat = v / (1 - beta2^t)
    p = p - lr * m_hat / (np.sqrt(v_hat) + eps)   # p = p - lr m_hat / (sqrt(v_hat) + eps)
    return p, m, v


def nadam_mu(t, beta1=0.9, momentum_decay=4e-3):
    """NAdam's momentum coefficient at step t: mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay))."""
    return beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))


def nadam(p, g, m, v, mu_product, t, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3):
    """NAdam (lesson 04) as PyTorch writes it. ``mu_product`` is mu_1 * ... * mu_{t-1} (1 before the first
    step); the function returns the new product with p, m and v."""
    mu = nadam_mu(t, beta1, momentum_decay)                      # mu_t
    mu_next = nadam_mu(t + 1, beta1, momentum_decay)             # mu_{t+1}
    mu_product = mu_product * mu                                 # prod_t = prod_{t-1} mu_t
    m = beta1 * m + (1 - beta1) * g                              # m = beta1 m + (1 - beta1) g
    v = beta2 * v + (1 - beta2) * g**2                           # v = beta2 v + (1 - beta2) g^2
    den = np.sqrt(v / (1 - beta2**t)) + eps                      # den = sqrt(v / (1 - beta2^t)) + eps
    p = (p - lr * (1 - mu) / (1 - mu_product) * g / den          # the gradient's share of the step
           - lr * mu_next / (1 - mu_product * mu_next) * m / den)  # and the look-ahead momentum's share
    return p, m, v, mu_product


def run(rule, p0, grad, steps, **hyperparameters):
    """Apply ``rule`` for ``steps`` steps from ``p0`` with ``grad(p)`` the gradient; return every point.

    The running quantities start as the equations say (None for momentum's buffer, zeros otherwise), so
    a lesson can compare a rule with the library's optimizer class in one line.
    """
    p = np.array(p0, dtype=float)
    state = _initial_state(rule, p)
    path = [p]
    for t in range(1, steps + 1):
        counter = {"t": t} if rule in (adam, nadam) else {}
        out = rule(p, grad(p), *state, **counter, **hyperparameters)
        p, state = (out[0], list(out[1:])) if isinstance(out, tuple) else (out, [])
        path.append(p)
    return np.array(path)


def _initial_state(rule, p):
    zero = np.zeros_like(p)
    return {
        gd: [],
        sgd_momentum: [None],
        nesterov: [None],
        adagrad: [zero],
        rmsprop: [zero],
        adadelta: [zero, zero],
        adam: [zero, zero],
        nadam: [zero, zero],
    }[rule] + ([1.0] if rule is nadam else [])
