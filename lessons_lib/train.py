"""One training loop that every lesson shares: minibatch SGD-style training of an ``nn.MLP``.

    for each epoch:
        for each minibatch (indices from data.minibatches, drawn from rng):
            loss, grads = model.loss_and_grads(X[batch], y[batch])
            optimizer.step(grads)            # updates model.params in place
            schedule.step()                  # if a learning-rate schedule is given

The loop records what the lessons plot, and stops cleanly (``history.diverged = True``) when the loss or
a gradient stops being a finite number, so a lesson can show a learning rate that is too large.
"""

from dataclasses import dataclass, field
import time

import numpy as np

from . import _validate
from .data import minibatches


@dataclass
class History:
    """What happened during ``fit``.

    - ``step_loss``: the minibatch loss at every optimizer step (measured just before the step).
    - ``epoch_loss``, ``train_acc``: loss and accuracy on the whole training set after each epoch;
      entry 0 is before training, so these have ``epochs + 1`` entries when training finishes.
    - ``test_loss``, ``test_acc``: the same on the test set (empty when no test set was given).
    - ``seconds``: cumulative wall-clock seconds spent in training steps at the end of each epoch
      (entry 0 is 0.0; the loss evaluations are not counted). For loss-vs-time plots only: timings
      change from run to run, so never print them in a notebook's compared outputs.
    - ``diverged``: True if training stopped because the loss or a gradient became NaN or infinite.
      A minibatch step that meets a non-finite loss or gradient is not taken or recorded, and its
      unfinished epoch adds no per-epoch entries; if the parameters blow up in an epoch's last step,
      that epoch's entries are kept (they read NaN or inf) and training stops there.
    """

    step_loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    diverged: bool = False

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(self.epoch_loss) - 1


def _all_finite(loss, grads):
    return np.isfinite(loss) and all(np.isfinite(g).all() for g in grads)


def fit(model, optimizer, X, y, *, epochs, batch_size, rng, X_test=None, y_test=None, schedule=None):
    """Train ``model`` with ``optimizer`` for ``epochs`` passes over ``(X, y)``; returns a ``History``.

    ``optimizer`` must have been built on ``model.params`` (e.g. ``optim.SGD(model.params, lr=0.1)``).
    ``batch_size=None`` (or any value >= len(X)) trains full-batch: one step per epoch. The minibatch order
    comes from ``rng``, so the same seeds give the same history. ``schedule``, if given, has ``.step()``
    called after every optimizer step. ``X_test`` and ``y_test`` (both or neither) are evaluated after
    every epoch, and before the first.
    """
    for name in ("params", "loss_and_grads", "loss", "accuracy"):
        if not hasattr(model, name):
            raise TypeError(f"model must be an nn.MLP (or have .{name}), got {type(model).__name__}")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a .step(grads) method, got {type(optimizer).__name__}")
    opt_params = getattr(optimizer, "params", None)
    if opt_params is not None and (
        len(opt_params) != len(model.params) or any(p is not q for p, q in zip(opt_params, model.params))
    ):
        raise ValueError("optimizer was not built on model.params: it would update other arrays")
    if schedule is not None and not callable(getattr(schedule, "step", None)):
        raise TypeError(f"schedule must have a .step() method, got {type(schedule).__name__}")
    epochs = _validate.positive_int("epochs", epochs)
    if batch_size is not None:
        batch_size = _validate.positive_int("batch_size", batch_size)
    _validate.generator("rng", rng)
    if (X_test is None) != (y_test is None):
        raise ValueError("give both X_test and y_test, or neither")

    history = History()

    def record(seconds):
        loss, acc = model.loss_and_accuracy(X, y)
        history.epoch_loss.append(loss)
        history.train_acc.append(acc)
        if X_test is not None:
            loss, acc = model.loss_and_accuracy(X_test, y_test)
            history.test_loss.append(loss)
            history.test_acc.append(acc)
        history.seconds.append(seconds)

    # Epoch 0 also checks X, y, X_test and y_test against the model before any parameter changes.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        record(0.0)
        n = len(y)
        size = n if batch_size is None else min(batch_size, n)
        elapsed = 0.0
        for _ in range(epochs):
            start = time.perf_counter()
            for batch in minibatches(n, size, rng=rng):
                loss, grads = model.loss_and_grads(X[batch], y[batch])
                if not _all_finite(loss, grads):
                    history.diverged = True
                    return history
                history.step_loss.append(loss)
                optimizer.step(grads)
                if schedule is not None:
                    schedule.step()
            elapsed += time.perf_counter() - start
            record(elapsed)
            if not np.isfinite(history.epoch_loss[-1]):
                history.diverged = True
                return history
    return history
