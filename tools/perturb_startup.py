"""IPython start-up file for `course.py test-portable`: nudge every input of the lessons by a relative 1e-12.

Another CPU or BLAS changes a result in its last bit or two (a relative 1e-16 to 1e-15). A number a lesson
prints and nbval compares must not move under a nudge ten thousand times larger than that, or it will
move on some learner's machine. This file is copied into a temporary IPython profile's startup folder, so
every kernel nbval starts runs it before the notebook's first cell. It changes three things:

1. every optimizer step uses its learning rate times 1 + 1e-12 (``opt.lr`` itself reads as set);
2. every random draw from a generator made by ``np.random.default_rng`` is multiplied by 1 + 1e-12
   (initial weights, synthetic data, noise);
3. the digits' pixels are multiplied by 1 + 1e-12.

Nothing here is used outside that test.
"""

import numpy as np

NUDGE = 1.0 + 1e-12


# 1. learning rates, as a step uses them
from lessons_lib import data as _data, optim as _optim  # noqa: E402

_step = _optim.Optimizer.step


def _nudged_step(self, grads):
    lr = self._lr
    self._lr = lr * NUDGE
    try:
        return _step(self, grads)
    finally:
        self._lr = lr


_optim.Optimizer.step = _nudged_step


# 2. random draws
class _NudgedGenerator(np.random.Generator):
    def normal(self, *args, **kwargs):
        return super().normal(*args, **kwargs) * NUDGE

    def standard_normal(self, *args, **kwargs):
        return super().standard_normal(*args, **kwargs) * NUDGE

    def uniform(self, *args, **kwargs):
        return super().uniform(*args, **kwargs) * NUDGE


_default_rng = np.random.default_rng


def _nudged_default_rng(seed=None):
    if isinstance(seed, np.random.Generator):
        return seed
    return _NudgedGenerator(_default_rng(seed).bit_generator)


np.random.default_rng = _nudged_default_rng

# 3. the digits
_load_digits_raw = _data.load_digits_raw


def _nudged_load_digits_raw(path=None):
    X, y = _load_digits_raw(path)
    return X * NUDGE, y


_data.load_digits_raw = _nudged_load_digits_raw
