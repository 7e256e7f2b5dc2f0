"""Lesson 02's experiment: the anisotropic bowl f(x, y) = x^2/20 + y^2 as a data set of samples.

Stochastic gradient descent needs a loss that is an average over samples. Here every sample i has its own
small bowl l_i(x, y) = (x - a_i)^2 / 20 + (y - b_i)^2 around a centre (a_i, b_i); with the centres averaging
to 0, the mean loss is the bowl itself (plus a constant). A minibatch gradient is then a noisy estimate of
the bowl's gradient, and its noise can be computed exactly.
"""

import numpy as np

from .. import optim, schedules
from ..data import minibatches


def bowl_dataset(n=256, *, seed=0, spread=(2.0, 0.5)):
    """n sample "centres" c_i = (a_i, b_i) that turn the bowl x^2/20 + y^2 into an average over samples.

    Sample i has the loss l_i(x, y) = (x - a_i)^2 / 20 + (y - b_i)^2. The centres are drawn from
    N(0, spread^2) per coordinate and shifted to have mean exactly 0, so the average loss is
    x^2/20 + y^2 + const: the same bowl, with its minimum at (0, 0). Returns an array of shape (n, 2).
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n, 2)) * np.asarray(spread, dtype=float)
    return centres - centres.mean(axis=0)


def bowl_minibatch_grad(p, centres):
    """The gradient of the mean of l_i over the given centres, at p = (x, y): ((x - mean a)/10, 2 (y - mean b))."""
    a, b = centres.mean(axis=0)
    return np.array([(p[0] - a) / 10, 2 * (p[1] - b)])


def sgd_on_bowl(centres, batch_size, lr, steps, *, rng, start=(-7.0, 2.0), decay=None):
    """Minibatch SGD on the bowl data set: returns the path, shape (steps + 1, 2).

    Each step draws the next minibatch of ``batch_size`` centres (a fresh random order every epoch, from
    ``data.minibatches``), takes the gradient of their mean loss, and calls ``optim.SGD.step``. With
    ``decay``, a ``schedules.TimeDecay`` shrinks the learning rate after every step. ``batch_size >= n``
    is full-batch gradient descent on the bowl itself.
    """
    p = np.array(start, dtype=float)
    optimizer = optim.SGD([p], lr=lr)
    schedule = schedules.TimeDecay(optimizer, decay) if decay is not None else None
    n = len(centres)
    path = np.empty((steps + 1, 2))
    path[0] = p
    epoch = iter(())
    for k in range(1, steps + 1):
        batch = next(epoch, None)
        if batch is None:  # the epoch is used up: a new random order
            epoch = minibatches(n, min(batch_size, n), rng=rng)
            batch = next(epoch)
        optimizer.step([bowl_minibatch_grad(p, centres[batch])])
        if schedule is not None:
            schedule.step()
        path[k] = p
    return path
