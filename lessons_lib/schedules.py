"""Learning-rate schedules: rules that change an optimizer's ``lr`` between steps.

A schedule is used like torch's LR schedulers: call ``schedule.step()`` after each ``optimizer.step(...)``.

    opt = SGD(params, lr=0.1, momentum=0.9)
    schedule = TimeDecay(opt, decay=0.01)
    for k in range(100):
        opt.step(grads)        # step k runs with lr = 0.1 / (1 + 0.01 * k)
        schedule.step()
"""

import numbers

from ._validate import non_negative
from .optim import Optimizer

__all__ = ["TimeDecay"]


def _step_index(name, value):
    """An integer >= 0 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value < 0:
        raise ValueError(f"Invalid {name}: {value} (must be >= 0)")
    return int(value)


class TimeDecay:
    """Time-based decay, the lecture note's (and old Keras SGD's) ``decay``: lr_k = lr0 / (1 + decay * k).

    Step k = 0, 1, 2, ... of the optimizer runs with lr_k, where lr0 is the optimizer's lr when the
    schedule is made. The same schedule is torch's SGD + LambdaLR(lambda k: 1 / (1 + decay * k)), and
    torch's Adagrad builds it in as ``lr_decay``.

    This ``decay`` is NOT ``weight_decay``: weight decay (L2) pulls the parameters towards zero, while
    this decay only shrinks the learning rate as training goes on.

    Attributes: ``optimizer``, ``decay``, ``lr0``, ``k`` (the index of the optimizer's next step, i.e.
    how many times ``step()`` was called) and ``lr`` (the learning rate of step k).
    """

    def __init__(self, optimizer, decay):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"optimizer must be a lessons_lib.optim optimizer (SGD, Adam, ...), got {type(optimizer).__name__}"
            )
        self.decay = non_negative("decay", decay)
        self.optimizer = optimizer
        self.lr0 = optimizer.lr
        self.k = 0

    def get_lr(self, k):
        """The learning rate of step k: lr0 / (1 + decay * k). Pure: nothing changes."""
        k = _step_index("k", k)
        return self.lr0 / (1 + self.decay * k)

    @property
    def lr(self):
        """The learning rate of the optimizer's next step."""
        return self.get_lr(self.k)

    def step(self):
        """Move to the next step: k = k + 1, and set the optimizer's lr to lr0 / (1 + decay * k)."""
        self.k += 1
        self.optimizer.lr = self.get_lr(self.k)

    def __repr__(self):
        return f"TimeDecay(lr0={self.lr0!r}, decay={self.decay!r}, k={self.k})"
