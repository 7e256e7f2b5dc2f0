"""One training loop that every lesson shares: minibatch SGD-style training of an ``nn.MLP``.

    for each epoch:
        for each minibatch (indices from data.minibatches, drawn from rng):
            loss, grads = model.loss_and_grads(X[batch], y[batch])
            optimizer.step(grads)            # updates model.params in place
            schedule.step()                  # if a learning-rate schedule is given
            callback.after_step(...)         # for each callback: watch, record, or stop training

The loop records what the lessons plot, and stops cleanly (``history.diverged = True``) when the loss or
a gradient stops being a finite number, so a lesson can show a learning rate that is too large.

Callbacks let a lesson watch training without copying this loop (lesson 07 records activation statistics
and runs the learning-rate range test with them). A callback is any object with one or both methods

    after_step(step, loss, model, X_batch, y_batch)   # after every optimizer step (step counts from 1)
    after_epoch(epoch, history, model)                # after every epoch's record (epoch counts from 1)

``loss`` is the minibatch loss measured just before the step. A method that returns True stops training
there (``history.stopped = True``).
"""

from dataclasses import dataclass, field
import time

import numpy as np

from . import _validate
from .data import LAST_BATCH, minibatches


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
    - ``stopped``: True if a callback stopped training early.
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
    stopped: bool = False
    diverged: bool = False

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(self.epoch_loss) - 1


def _all_finite(loss, grads):
    return np.isfinite(loss) and all(np.isfinite(g).all() for g in grads)


def _check_callbacks(callbacks):
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list of objects, got {type(callbacks).__name__}")
    for i, callback in enumerate(callbacks):
        if not any(callable(getattr(callback, m, None)) for m in ("after_step", "after_epoch")):
            raise TypeError(
                f"callbacks[{i}] has neither an after_step nor an after_epoch method: {type(callback).__name__}"
            )
    return list(callbacks)


def fit(model, optimizer, X, y, *, epochs, batch_size, rng, X_test=None, y_test=None, schedule=None,
        last_batch="drop", callbacks=()):
    """Train ``model`` with ``optimizer`` for ``epochs`` passes over ``(X, y)``; returns a ``History``.

    ``optimizer`` must have been built on ``model.params`` (e.g. ``optim.SGD(model.params, lr=0.1)``).
    ``batch_size=None`` (or any value >= len(X)) trains full-batch: one step per epoch. The minibatch order
    comes from ``rng``, so the same seeds give the same history. ``last_batch`` says what to do with the
    ``len(X) % batch_size`` samples left over in each epoch (see ``data.minibatches``): ``"drop"`` (the
    default) leaves them out of that epoch, so every step averages ``batch_size`` samples; ``"keep"`` takes
    one extra, smaller and noisier step on them; ``"fold"`` adds them to the epoch's last batch.
    ``schedule``, if given, has ``.step()`` called after every optimizer step. ``callbacks``: see the
    module's docstring. ``X_test`` and ``y_test`` (both or neither) are evaluated after every epoch, and
    before the first.
    """
    for name in ("params", "loss_and_grads", "loss_and_accuracy"):
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
    _validate.one_of("last_batch", last_batch, LAST_BATCH)
    callbacks = _check_callbacks(callbacks)
    if (X_test is None) != (y_test is None):
        raise ValueError("give both X_test and y_test, or neither")
    after_step = [cb.after_step for cb in callbacks if callable(getattr(cb, "after_step", None))]
    after_epoch = [cb.after_epoch for cb in callbacks if callable(getattr(cb, "after_epoch", None))]

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
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            for batch in minibatches(n, size, rng=rng, last_batch=last_batch):
                X_batch, y_batch = X[batch], y[batch]
                loss, grads = model.loss_and_grads(X_batch, y_batch)
                if not _all_finite(loss, grads):
                    history.diverged = True
                    return history
                history.step_loss.append(loss)
                optimizer.step(grads)
                if schedule is not None:
                    schedule.step()
                step = len(history.step_loss)
                if any([bool(f(step, loss, model, X_batch, y_batch)) for f in after_step]):
                    history.stopped = True
                    return history
            elapsed += time.perf_counter() - start
            record(elapsed)
            if not np.isfinite(history.epoch_loss[-1]):
                history.diverged = True
                return history
            if any([bool(f(epoch, history, model)) for f in after_epoch]):
                history.stopped = True
                return history
    return history
