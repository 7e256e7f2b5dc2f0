"""Lesson 02's experiments: batch sizes on the digits, and the anisotropic bowl as a data set of samples.

1. **Batch sizes on the digits.** Softmax regression trained with full-batch GD and minibatch SGD of several
   batch sizes, each for the same number of epochs (``EPOCHS``) and with its own learning rate (``LR``),
   chosen on a validation split of the training digits by ``tune_learning_rates``; several seeds of the
   minibatch order (``SEEDS``), so that what the lesson states holds on each.
2. **The bowl as a data set.** Stochastic gradient descent needs a loss that is an average over samples.
   Here every sample i has its own small bowl l_i(x, y) = (x - a_i)^2 / 20 + (y - b_i)^2 around a centre
   (a_i, b_i); with the centres averaging to 0, the mean loss is the bowl f(x, y) = x^2/20 + y^2 itself
   (plus a constant). A minibatch gradient is then a noisy estimate of the bowl's gradient, and its noise
   can be computed exactly. ``DECAY_RUNS``: constant learning rates against time-based decay on it.
"""

import time

import numpy as np

from .. import data, nn, optim, schedules, train
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


#: Section 5: single-sample SGD on ``bowl_dataset()`` for ``DECAY_STEPS`` steps from (-7, 2), every seed of
#: ``DECAY_SEEDS``; label -> (learning rate, decay). The rates avoid 0.5 = 1/L_y, at which a step of one
#: sample's bowl puts y exactly on that sample's centre b_i (y - 0.5 * 2 (y - b_i) = b_i). The last run decays
#: so fast (its rate halves after one step) that the steps shrink before the path arrives: in 300 steps x
#: shrinks, on average, by prod_k (1 - 0.04 / (1 + k)) = 0.78 only.
DECAY_RUNS = {
    "constant η = 0.4": (0.4, None),
    "constant η = 0.04": (0.04, None),
    "decay: η = 0.4 / (1 + 0.02 k)": (0.4, 0.02),
    "decay too fast: η = 0.4 / (1 + k)": (0.4, 1.0),
}
DECAY_STEPS = 300
DECAY_SEEDS = tuple(range(8))


def bowl_decay_runs(centres, lr, decay, *, batch_size=1, steps=DECAY_STEPS, seeds=DECAY_SEEDS):
    """``sgd_on_bowl`` once per seed: returns the paths, an array of shape (len(seeds), steps + 1, 2)."""
    return np.array([sgd_on_bowl(centres, batch_size, lr, steps, rng=np.random.default_rng(seed), decay=decay)
                     for seed in seeds])


def bowl_minibatch_grad(p, centres):
    """The gradient of the mean of l_i over the given centres, at p = (x, y): ((x - mean a)/10, 2 (y - mean b))."""
    a, b = centres.sum(axis=0) / len(centres)   # the mean (sum / len: the same numbers, faster per call)
    return np.array([(p[0] - a) / 10, 2 * (p[1] - b)])


def sgd_on_bowl(centres, batch_size, lr, steps, *, rng, start=(-7.0, 2.0), decay=None, last_batch="drop"):
    """Minibatch SGD on the bowl data set: returns the path, shape (steps + 1, 2).

    Each step draws the next minibatch of ``batch_size`` centres (a fresh random order every epoch, from
    ``data.minibatches``; ``last_batch`` as there, and as in ``train.fit``: the few centres left over when
    ``batch_size`` does not divide n are dropped by default), takes the gradient of their mean loss, and
    calls ``optim.SGD.step``. With ``decay``, a ``schedules.TimeDecay`` shrinks the learning rate after
    every step. ``batch_size >= n`` is full-batch gradient descent on the bowl itself.
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
            epoch = minibatches(n, min(batch_size, n), rng=rng, last_batch=last_batch)
            batch = next(epoch)
        optimizer.step([bowl_minibatch_grad(p, centres[batch])])
        if schedule is not None:
            schedule.step()
        path[k] = p
    return path


# ---------------------------------------------------------------------------------------------------------
# Batch sizes on the digits: softmax regression, every batch size with a learning rate tuned for it
# ---------------------------------------------------------------------------------------------------------

FULL = None  # the batch size that means "all the training samples": full-batch gradient descent

#: The batch sizes lesson 02 compares on the digits (``FULL`` is full-batch GD).
BATCH_SIZES = (FULL, 128, 32, 8, 1)

#: The budget: every batch size gets the same number of passes over the training digits.
EPOCHS = 2

#: Full batch's budget of 2 epochs is only 2 steps; for the per-second picture it also runs on for this many
#: epochs (one step each), so that it has a line to compare with the minibatch runs ...
FULL_RUN_ON_EPOCHS = 30

#: ... with its own learning rate for that longer budget, chosen the same way on the validation split:
#: ``tune_learning_rates(X_train, y_train, (FULL,), grid=FULL_RUN_ON_GRID, epochs=FULL_RUN_ON_EPOCHS)``.
#: A longer budget takes a larger rate (8, where 2 epochs took 4), so the grid reaches further up.
FULL_RUN_ON_GRID = tuple(2.0**k for k in range(-4, 6))
FULL_RUN_ON_LR = 8.0

#: The seeds of the minibatch order: every finding the lesson states holds on each of them.
SEEDS = (0, 1, 2)

#: The learning rates tried for each batch size: powers of 2 from 1/16 to 8.
LR_GRID = tuple(2.0**k for k in range(-4, 4))

#: The share of the training digits held out to choose the learning rates (never the test set).
VALIDATION_FRACTION = 0.2

#: The learning rate of each batch size: the one of ``LR_GRID`` with the lowest validation loss after the
#: run's budget of epochs, averaged over ``SEEDS`` (``tune_learning_rates()``; tests/test_lesson02_claims.py
#: re-runs that search and checks it still gives this table).
LR = {FULL: 4.0, 128: 2.0, 32: 2.0, 8: 2.0, 1: 0.25}


def label(batch_size):
    """How the lesson names a batch size: "full batch" or "B = 32"."""
    return "full batch" if batch_size is FULL else f"B = {batch_size}"


def validation_split(X, y, fraction=VALIDATION_FRACTION, seed=0):
    """Hold out a random ``fraction`` of (X, y) for validation: returns ``(X_fit, X_val, y_fit, y_val)``."""
    return data.hold_out(X, y, round(fraction * len(y)), seed=seed)


class _LossRecorder:
    """A ``train.fit`` callback: the loss on (X, y) after the steps ``at`` of every epoch (counted from 1 in
    each epoch of ``steps_per_epoch`` steps), and the seconds spent in training steps until then (its own
    evaluations and fit's per-epoch records are not counted)."""

    def __init__(self, X, y, steps_per_epoch, at):
        self.X, self.y, self.steps_per_epoch, self.at = X, y, steps_per_epoch, set(at)
        self.steps, self.seconds, self.losses = [], [], []
        self.elapsed = 0.0
        self.mark = time.perf_counter()

    def after_step(self, step, loss, model, X_batch, y_batch):
        now = time.perf_counter()
        self.elapsed += now - self.mark
        if (step - 1) % self.steps_per_epoch + 1 in self.at:
            self.steps.append(step)
            self.seconds.append(self.elapsed)
            self.losses.append(model.loss(self.X, self.y))
        self.mark = time.perf_counter()

    def after_epoch(self, epoch, history, model):
        self.mark = time.perf_counter()  # fit's record of the epoch is not training time


def train_softmax(X, y, batch_size, lr, epochs, seed, *, evals_per_epoch=16):
    """Softmax regression (64 pixels -> 10 classes, zero initial weights) trained with minibatch SGD.

    ``train.fit`` with ``optim.SGD(lr)``, the minibatch order drawn from ``np.random.default_rng(seed)``
    and the remainder batch dropped (fit's default). The loss on (X, y) is recorded ``evals_per_epoch``
    times per epoch, evenly spaced and always after the epoch's last step (or after every step, if an
    epoch has fewer). Returns ``(model, run)``, where ``run``
    is a dict of arrays: ``epochs`` (how many passes over the data, fractional), ``loss`` (on X, y),
    ``seconds`` (time spent in training steps; varies from run to run: plot it, never print it), and
    ``history`` (fit's ``History``).
    """
    model = nn.MLP([64, 10], init="zeros", rng=np.random.default_rng(0))
    n = len(y)
    steps_per_epoch = 1 if batch_size is FULL or batch_size >= n else n // batch_size
    at = {max(1, round(j * steps_per_epoch / evals_per_epoch)) for j in range(1, evals_per_epoch + 1)}
    recorder = _LossRecorder(X, y, steps_per_epoch, at)
    history = train.fit(model, optim.SGD(model.params, lr=lr), X, y, epochs=epochs, batch_size=batch_size,
                        rng=np.random.default_rng(seed), callbacks=[recorder])
    run = {
        "epochs": np.concatenate([[0.0], np.array(recorder.steps) / steps_per_epoch]),
        "loss": np.concatenate([[history.epoch_loss[0]], recorder.losses]),
        "seconds": np.concatenate([[0.0], recorder.seconds]),
        "history": history,
    }
    return model, run


def validation_loss(X_fit, X_val, y_fit, y_val, batch_size, lr, epochs, seeds=SEEDS):
    """Mean validation loss over ``seeds`` after training on (X_fit, y_fit); inf if a run diverged.
    Full batch has no randomness, so it runs once."""
    if batch_size is FULL:
        seeds = seeds[:1]
    losses = []
    for seed in seeds:
        model, run = train_softmax(X_fit, y_fit, batch_size, lr, epochs, seed, evals_per_epoch=1)
        losses.append(np.inf if run["history"].diverged else model.loss(X_val, y_val))
    return float(np.mean(losses))


def tune_learning_rates(X_train, y_train, batch_sizes=BATCH_SIZES, grid=LR_GRID, first=1.0, epochs=EPOCHS):
    """For each batch size, the learning rate of ``grid`` with the lowest mean validation loss after the
    budget of ``epochs`` (``EPOCHS``, the race's), on a validation split of the training set (never the
    test set).

    The search walks the grid downhill from ``first``: it tries the neighbours of the best rate so far and
    moves to the better one, until both neighbours are worse (the validation loss here falls, then rises,
    as the rate grows). Returns ``(best, tried)``: the chosen rate per batch size, and every validation
    loss the search measured, ``tried[batch_size][lr]``.
    """
    X_fit, X_val, y_fit, y_val = validation_split(X_train, y_train)
    grid = list(grid)
    best, tried = {}, {}
    for B in batch_sizes:
        losses = tried[B] = {}

        def loss_at(i):
            if grid[i] not in losses:
                losses[grid[i]] = validation_loss(X_fit, X_val, y_fit, y_val, B, grid[i], epochs)
            return losses[grid[i]]

        i = grid.index(first)
        while True:
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(grid)]
            j = min(neighbours, key=loss_at)
            if loss_at(j) >= loss_at(i):
                break
            i = j
        best[B] = grid[i]
    return best, tried
