"""The update rules of the course, written to follow torch.optim (PyTorch 2.13) step for step.

An optimizer holds a list of float numpy arrays, the parameters. Each call ``opt.step(grads)`` takes a
matching list of gradients and updates every parameter **in place** (the same array objects), so a model
that holds those arrays sees the new values at once. The gradients are never written to.

    opt = Adam([W, b], lr=1e-3)
    for _ in range(100):
        loss, grads = model.loss_and_grads(X, y)
        opt.step(grads)

Conventions shared by every rule (the same as torch.optim's, so they carry over to PyTorch):

- Class names, argument names and defaults are torch's. Hyperparameters are keyword arguments and can be
  read back as attributes (``opt.lr``, ``opt.momentum``, ``opt.betas``, ...). ``opt.lr`` may be changed
  between steps; that is how a learning-rate schedule works (see ``lessons_lib.schedules``).
- ``opt.t`` counts the steps taken: 0 before the first step; in the equations t starts at 1.
- Weight decay (L2) is folded into the gradient first, g <- g + weight_decay * p, except in AdamW, which
  shrinks the parameter directly ("decoupled" weight decay).
- ``opt.state[i]`` is a dict holding the running quantities of parameter i under the names used in the
  equations (``'b'``, ``'s'``, ``'v'``, ``'m'``, ...). It is filled on the first step.

How the code is written: every equation sits in a comment above the lines that compute it. The lines
themselves work in place (``m *= beta1``, ``np.sqrt(v, out=tmp)``) with a scratch array ``tmp`` made once,
on the first step, so a step creates no new array the size of the parameters. Read the comment for the
math and the lines below it for how numpy does it without allocating.
"""

import math

import numpy as np

from ._validate import (
    betas as _betas,
    flag as _flag,
    grad_list,
    in_closed_unit_interval,
    non_negative,
    param_list,
    real_number,
)

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam"]


# ---------------------------------------------------------------------------------------------------------
# The common base class
# ---------------------------------------------------------------------------------------------------------


class Optimizer:
    """What every update rule shares: the parameters, ``lr``, the step counter ``t`` and the state.

    A rule subclasses this and writes ``_update(i, p, g)``, the update of one parameter ``p`` given its
    gradient ``g``. ``step`` checks the whole list of gradients before touching anything, so a rejected
    step leaves the parameters, the state and ``t`` exactly as they were.
    """

    # The constructor's hyperparameters, in torch's order (used by repr).
    _hyperparameter_names = ("lr",)

    def __init__(self, params, lr, weight_decay=0):
        self.params = param_list(params)
        self.lr = lr
        self.weight_decay = non_negative("weight_decay", weight_decay)
        self.t = 0
        self.state = [{} for _ in self.params]
        self._scratch = [{} for _ in self.params]

    @property
    def lr(self):
        """The learning rate used by the next step (a schedule may change it between steps)."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = non_negative("lr", value)

    def step(self, grads):
        """Update every parameter in place from ``grads``, a list of arrays matching ``params``."""
        grads = grad_list(grads, self.params)
        self.t += 1
        self._start_step()
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self._update(i, p, g)

    def _start_step(self):
        """Per-step scalars shared by all parameters (NAdam's mu_t); most rules need none."""

    def _update(self, i, p, g):
        raise NotImplementedError

    def _tmp(self, i, name="tmp"):
        """A scratch array shaped like parameter i, made on first use and reused at every step."""
        buffers = self._scratch[i]
        if name not in buffers:
            buffers[name] = np.empty_like(self.params[i])
        return buffers[name]

    def _decayed_grad(self, i, p, g):
        """g + weight_decay * p, written into a scratch array: the caller's gradient is left alone."""
        if self.weight_decay == 0:
            return g
        g_wd = self._tmp(i, "g_wd")
        # g = g + weight_decay * p
        np.multiply(p, self.weight_decay, out=g_wd)
        g_wd += g
        return g_wd

    def __repr__(self):
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._hyperparameter_names)
        return f"{type(self).__name__}({args})"


# ---------------------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------------------


def _moving_average(avg, new, decay, tmp):
    """avg = decay * avg + (1 - decay) * new, in place (``tmp``: a scratch array shaped like ``avg``;
    ``new`` may be ``tmp`` itself). Every running average of the adaptive rules is one of these."""
    avg *= decay
    np.multiply(new, 1 - decay, out=tmp)
    avg += tmp


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (heavy-ball or Nesterov) momentum.

    Follows torch.optim.SGD, PyTorch 2.13. Defaults: lr=1e-3, momentum=0, dampening=0, weight_decay=0,
    nesterov=False. With g = grad + weight_decay * p:

        without momentum:  p = p - lr * g
        with momentum:     b = g                                  (first step)
                           b = momentum * b + (1 - dampening) * g  (later steps)
                           d = g + momentum * b  if nesterov  else  b
                           p = p - lr * d

    State: ``state[i]['b']``, the momentum buffer (absent before the first step and when momentum == 0).
    With a constant lr this is the textbook velocity form v = momentum * v - lr * g, p = p + v, with
    v = -lr * b. Torch's rule, followed here: lr, momentum and weight_decay >= 0; nesterov=True needs
    momentum > 0 and dampening == 0.
    """

    _hyperparameter_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov")

    def __init__(self, params, *, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        self.momentum = non_negative("momentum", momentum)
        self.dampening = real_number("dampening", dampening)
        self.nesterov = _flag("nesterov", nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "Invalid nesterov: True needs momentum > 0 and dampening == 0 "
                f"(got momentum={self.momentum}, dampening={self.dampening})"
            )
        super().__init__(params, lr, weight_decay)

    def _update(self, i, p, g):
        lr, momentum, dampening = self.lr, self.momentum, self.dampening
        g = self._decayed_grad(i, p, g)
        tmp = self._tmp(i)
        if momentum == 0:
            # p = p - lr * g
            np.multiply(g, lr, out=tmp)
            p -= tmp
            return
        state = self.state[i]
        if "b" not in state:
            # b = g   (first step)
            state["b"] = b = np.empty_like(p)
            np.copyto(b, g)
        else:
            b = state["b"]
            # b = momentum * b + (1 - dampening) * g
            b *= momentum
            np.multiply(g, 1 - dampening, out=tmp)
            b += tmp
        if self.nesterov:
            # d = g + momentum * b
            np.multiply(b, momentum, out=tmp)
            tmp += g
            d = tmp
        else:
            d = b
        # p = p - lr * d
        np.multiply(d, lr, out=tmp)
        p -= tmp


class Adagrad(Optimizer):
    """AdaGrad: each coordinate's step shrinks with the sum of its squared gradients.

    Follows torch.optim.Adagrad, PyTorch 2.13. Defaults: lr=1e-2, lr_decay=0, weight_decay=0,
    initial_accumulator_value=0, eps=1e-10. With g = grad + weight_decay * p, at step t = 1, 2, ...:

        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g^2                     (s starts at initial_accumulator_value)
        p = p - clr * g / (sqrt(s) + eps)

    State: ``state[i]['s']``, the sum of squared gradients. ``effective_lr()`` gives the per-coordinate
    learning rate clr / (sqrt(s) + eps). lr_decay is the time-based schedule of ``schedules.TimeDecay``,
    built in. All five hyperparameters must be >= 0 (torch's rule).
    """

    _hyperparameter_names = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def __init__(self, params, *, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr_decay = non_negative("lr_decay", lr_decay)
        self.initial_accumulator_value = non_negative("initial_accumulator_value", initial_accumulator_value)
        self.eps = non_negative("eps", eps)
        super().__init__(params, lr, weight_decay)

    def _clr(self):
        return self.lr / (1 + (self.t - 1) * self.lr_decay)

    def _update(self, i, p, g):
        eps, clr = self.eps, self._clr()
        g = self._decayed_grad(i, p, g)
        state = self.state[i]
        if "s" not in state:
            state["s"] = np.full_like(p, self.initial_accumulator_value)
        s, tmp = state["s"], self._tmp(i)
        # s = s + g^2
        np.square(g, out=tmp)
        s += tmp
        # p = p - clr * g / (sqrt(s) + eps)
        np.sqrt(s, out=tmp)
        tmp += eps
        np.divide(g, tmp, out=tmp)
        tmp *= clr
        p -= tmp

    def effective_lr(self):
        """Per-coordinate learning rates clr / (sqrt(s) + eps) of the latest step, one array per parameter.

        The latest step moved each coordinate by exactly -effective_lr * g. (It uses the current ``lr``:
        read it before a schedule changes lr.) New arrays: meant for plots, not for the training loop.
        """
        if self.t == 0:
            raise RuntimeError("effective_lr() needs at least one step (the sums s start at the first step)")
        return [self._clr() / (np.sqrt(state["s"]) + self.eps) for state in self.state]


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a running root-mean-square of recent gradients.

    Follows torch.optim.RMSprop, PyTorch 2.13. Defaults: lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0,
    momentum=0, centered=False. With g = grad + weight_decay * p:

        v = alpha * v + (1 - alpha) * g^2
        centered:     gbar = alpha * gbar + (1 - alpha) * g
                      den = sqrt(v - gbar^2) + eps
        not centered: den = sqrt(v) + eps
        momentum > 0: b = momentum * b + g / den;  p = p - lr * b      (b starts at 0)
        momentum = 0: p = p - lr * g / den

    State: ``state[i]['v']`` (square average), ``'gbar'`` (gradient average, centered only), ``'b'``
    (momentum buffer, momentum > 0 only). ``effective_lr()`` gives lr / den per coordinate.
    Torch's rule, followed here: lr, eps, weight_decay, momentum >= 0, and alpha >= 0 (torch does not
    bound alpha above; alpha in [0, 1] is the meaningful range).
    """

    _hyperparameter_names = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered")

    def __init__(self, params, *, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        self.alpha = non_negative("alpha", alpha)
        self.eps = non_negative("eps", eps)
        self.momentum = non_negative("momentum", momentum)
        self.centered = _flag("centered", centered)
        super().__init__(params, lr, weight_decay)

    def _denominator(self, i, out):
        """den = sqrt(v - gbar^2) + eps (centered) or sqrt(v) + eps, written into ``out``."""
        state = self.state[i]
        if self.centered:
            # den = sqrt(v - gbar^2) + eps
            np.square(state["gbar"], out=out)
            np.subtract(state["v"], out, out=out)
            np.sqrt(out, out=out)
        else:
            # den = sqrt(v) + eps
            np.sqrt(state["v"], out=out)
        out += self.eps
        return out

    def _update(self, i, p, g):
        lr, alpha, momentum = self.lr, self.alpha, self.momentum
        g = self._decayed_grad(i, p, g)
        state = self.state[i]
        if "v" not in state:
            state["v"] = np.zeros_like(p)
            if self.centered:
                state["gbar"] = np.zeros_like(p)
            if momentum > 0:
                state["b"] = np.zeros_like(p)
        v, tmp = state["v"], self._tmp(i)
        # v = alpha * v + (1 - alpha) * g^2
        _moving_average(v, np.square(g, out=tmp), alpha, tmp)
        if self.centered:
            gbar = state["gbar"]
            # gbar = alpha * gbar + (1 - alpha) * g
            _moving_average(gbar, g, alpha, tmp)
        den = self._denominator(i, out=tmp)
        # g / den   (den is no longer needed, so tmp takes the quotient)
        np.divide(g, den, out=tmp)
        if momentum > 0:
            b = state["b"]
            # b = momentum * b + g / den
            b *= momentum
            b += tmp
            # p = p - lr * b
            np.multiply(b, lr, out=tmp)
        else:
            # p = p - lr * g / den
            tmp *= lr
        p -= tmp

    def effective_lr(self):
        """Per-coordinate learning rates lr / den (den from the current state), one array per parameter.

        Without momentum the latest step moved each coordinate by -effective_lr * g; with momentum this
        is the factor applied to g before it enters the buffer b. New arrays: meant for plots.
        """
        if self.t == 0:
            raise RuntimeError("effective_lr() needs at least one step (the averages start at the first step)")
        return [self.lr / self._denominator(i, out=np.empty_like(p)) for i, p in enumerate(self.params)]


class Adadelta(Optimizer):
    """Adadelta: a step whose size comes from running averages of past gradients and past steps.

    Follows torch.optim.Adadelta, PyTorch 2.13. Defaults: lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.
    With g = grad + weight_decay * p:

        v = rho * v + (1 - rho) * g^2
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta^2
        p = p - lr * delta

    State: ``state[i]['v']`` (square average of gradients), ``'u'`` (square average of steps).
    Torch's rule, followed here: rho in [0, 1] (1 included), lr, eps, weight_decay >= 0.
    """

    _hyperparameter_names = ("lr", "rho", "eps", "weight_decay")

    def __init__(self, params, *, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0):
        self.rho = in_closed_unit_interval("rho", rho)
        self.eps = non_negative("eps", eps)
        super().__init__(params, lr, weight_decay)

    def _update(self, i, p, g):
        lr, rho, eps = self.lr, self.rho, self.eps
        g = self._decayed_grad(i, p, g)
        state = self.state[i]
        if "v" not in state:
            state["v"] = np.zeros_like(p)
            state["u"] = np.zeros_like(p)
        v, u = state["v"], state["u"]
        tmp, delta = self._tmp(i), self._tmp(i, "delta")
        # v = rho * v + (1 - rho) * g^2
        _moving_average(v, np.square(g, out=tmp), rho, tmp)
        # delta = sqrt(u + eps) / sqrt(v + eps) * g
        np.add(u, eps, out=delta)
        np.sqrt(delta, out=delta)
        np.add(v, eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        delta /= tmp
        delta *= g
        # u = rho * u + (1 - rho) * delta^2
        _moving_average(u, np.square(delta, out=tmp), rho, tmp)
        # p = p - lr * delta
        delta *= lr
        p -= delta


class Adam(Optimizer):
    """Adam: momentum on the gradient (m) divided by a running RMS of the gradient (v), both bias-corrected.

    Follows torch.optim.Adam, PyTorch 2.13. Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=0, amsgrad=False. With g = grad + weight_decay * p, (beta1, beta2) = betas, at step t:

        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        amsgrad:  vmax = max(vmax, v), and vmax replaces v below
        den = sqrt(v) / sqrt(1 - beta2^t) + eps
        p = p - lr / (1 - beta1^t) * m / den

    eps is added after the bias correction (torch's form; the paper's "eps-hat" form differs slightly).
    State: ``state[i]['m']``, ``'v'``, and ``'vmax'`` (amsgrad only). ``effective_lr()`` gives the
    per-coordinate factor lr / (1 - beta1^t) / den that multiplies m. Torch's rule, followed here:
    betas each in [0, 1); lr, eps, weight_decay >= 0.
    """

    _hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "amsgrad")

    def __init__(self, params, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        self.betas = _betas(betas)
        self.eps = non_negative("eps", eps)
        self.amsgrad = _flag("amsgrad", amsgrad)
        super().__init__(params, lr, weight_decay)

    def _update(self, i, p, g):
        g = self._decayed_grad(i, p, g)
        self._adam_step(i, p, g)

    def _denominator(self, i, out):
        """den = sqrt(v) / sqrt(1 - beta2^t) + eps (v is vmax with amsgrad), written into ``out``."""
        state = self.state[i]
        v = state["vmax"] if self.amsgrad else state["v"]
        # den = sqrt(v) / sqrt(1 - beta2^t) + eps
        np.sqrt(v, out=out)
        out /= math.sqrt(1 - self.betas[1] ** self.t)
        out += self.eps
        return out

    def _adam_step(self, i, p, g):
        lr, (beta1, beta2), t = self.lr, self.betas, self.t
        state = self.state[i]
        if "m" not in state:
            state["m"] = np.zeros_like(p)
            state["v"] = np.zeros_like(p)
            if self.amsgrad:
                state["vmax"] = np.zeros_like(p)
        m, v, tmp = state["m"], state["v"], self._tmp(i)
        # m = beta1 * m + (1 - beta1) * g
        _moving_average(m, g, beta1, tmp)
        # v = beta2 * v + (1 - beta2) * g^2
        _moving_average(v, np.square(g, out=tmp), beta2, tmp)
        if self.amsgrad:
            # vmax = max(vmax, v)
            np.maximum(state["vmax"], v, out=state["vmax"])
        den = self._denominator(i, out=tmp)
        # p = p - lr / (1 - beta1^t) * m / den
        np.divide(m, den, out=tmp)
        tmp *= lr / (1 - beta1**t)
        p -= tmp

    def effective_lr(self):
        """Per-coordinate factors lr / (1 - beta1^t) / den of the latest step, one array per parameter.

        The latest step moved each coordinate by -effective_lr * m. New arrays: meant for plots.
        """
        if self.t == 0:
            raise RuntimeError("effective_lr() needs at least one step (m and v start at the first step)")
        step_size = self.lr / (1 - self.betas[0] ** self.t)
        return [step_size / self._denominator(i, out=np.empty_like(p)) for i, p in enumerate(self.params)]


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (the parameter shrinks; the gradient is left alone).

    Follows torch.optim.AdamW, PyTorch 2.13. Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=1e-2, amsgrad=False. At step t:

        p = p * (1 - lr * weight_decay)
        then Adam's step with the raw gradient g (see ``Adam``).

    State and checks: as ``Adam``.
    """

    def __init__(self, params, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def _update(self, i, p, g):
        # p = p * (1 - lr * weight_decay)
        p *= 1 - self.lr * self.weight_decay
        self._adam_step(i, p, g)


class NAdam(Optimizer):
    """NAdam: Adam with Nesterov momentum, and a momentum coefficient mu_t that warms up over the steps.

    Follows torch.optim.NAdam, PyTorch 2.13. Defaults: lr=2e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=0, momentum_decay=4e-3. With g = grad + weight_decay * p, (beta1, beta2) = betas, at step t:

        mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
        prod_t = prod_{t-1} * mu_t                       (prod_0 = 1)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        den = sqrt(v / (1 - beta2^t)) + eps
        p = p - lr * (1 - mu_t) / (1 - prod_t) * g / den
              - lr * mu_{t+1} / (1 - prod_t * mu_{t+1}) * m / den

    State: ``state[i]['m']``, ``'v'``, and ``opt.mu_product`` (prod_t, shared by all parameters).
    Keras 3's Nadam uses mu_t = beta1 * (1 - 0.5 * 0.96^t), i.e. momentum_decay=1.0 here.
    Torch's rule, followed here: betas each in [0, 1); lr, eps, weight_decay, momentum_decay >= 0.
    """

    _hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "momentum_decay")

    def __init__(self, params, *, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3):
        self.betas = _betas(betas)
        self.eps = non_negative("eps", eps)
        self.momentum_decay = non_negative("momentum_decay", momentum_decay)
        super().__init__(params, lr, weight_decay)
        self.mu_product = 1.0

    def _mu(self, t):
        # mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
        return self.betas[0] * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def _start_step(self):
        self._mu_t, self._mu_next = self._mu(self.t), self._mu(self.t + 1)
        # prod_t = prod_{t-1} * mu_t
        self.mu_product *= self._mu_t

    def _update(self, i, p, g):
        lr, (beta1, beta2), t = self.lr, self.betas, self.t
        mu_t, mu_next, prod_t = self._mu_t, self._mu_next, self.mu_product
        g = self._decayed_grad(i, p, g)
        state = self.state[i]
        if "m" not in state:
            state["m"] = np.zeros_like(p)
            state["v"] = np.zeros_like(p)
        m, v = state["m"], state["v"]
        tmp, den = self._tmp(i), self._tmp(i, "den")
        # m = beta1 * m + (1 - beta1) * g
        _moving_average(m, g, beta1, tmp)
        # v = beta2 * v + (1 - beta2) * g^2
        _moving_average(v, np.square(g, out=tmp), beta2, tmp)
        # den = sqrt(v / (1 - beta2^t)) + eps
        np.divide(v, 1 - beta2**t, out=den)
        np.sqrt(den, out=den)
        den += self.eps
        # p = p - lr * (1 - mu_t) / (1 - prod_t) * g / den
        np.divide(g, den, out=tmp)
        tmp *= lr * (1 - mu_t) / (1 - prod_t)
        p -= tmp
        # p = p - lr * mu_{t+1} / (1 - prod_t * mu_{t+1}) * m / den
        np.divide(m, den, out=tmp)
        tmp *= lr * mu_next / (1 - prod_t * mu_next)
        p -= tmp
