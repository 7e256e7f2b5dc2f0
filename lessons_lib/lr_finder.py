"""The learning-rate range test (Smith, "Cyclical learning rates for training neural networks", WACV 2017;
in the form of fast.ai's ``lr_find``).

Smith's "LR range test" raised the rate linearly over a few epochs and watched the accuracy; fast.ai's
version, the one here, raises it geometrically at every minibatch and watches the smoothed loss. Train for at
most one epoch while the learning rate grows geometrically at every minibatch, from tiny to
huge, and watch the loss: at first it barely moves (lr too small), then it falls faster and faster, bottoms
out, and finally explodes (lr too large). The good rates lie on the falling part. One short run, a few dozen
minibatches, instead of a whole sweep of trainings.

    lr_k = lr_min * (lr_max / lr_min) ** (k / (steps - 1))           k = 0, 1, ..., steps - 1

The minibatch loss is noisy, so it is smoothed with an exponential moving average, corrected for its start
at 0 (as Adam corrects its moments, lesson 04):

    avg_k = beta * avg_{k-1} + (1 - beta) * loss_k,      smoothed_k = avg_k / (1 - beta ** k)

The test stops early once the smoothed loss exceeds ``stop_factor`` times the lowest one seen (fast.ai: 4),
or when the loss is no longer a finite number.

Reading the curve needs a rule; two are common, and they do not always agree (``suggest``):

- ``"minimum / 10"``: the rate at the lowest smoothed loss, divided by 10 (at the minimum itself the loss is
  about to explode, so step back one decade);
- ``"steepest"``: the rate where the smoothed loss falls fastest per decade of learning rate.

``RangeTest`` is a callback for ``train.fit`` (the training loop is not copied); ``range_test`` runs it.
"""

from dataclasses import dataclass, field
import math

import numpy as np

from . import _validate
from .data import minibatches
from .train import fit

RULES = {
    "minimum / 10": "the rate at the lowest smoothed loss, divided by 10",
    "steepest": "the rate where the smoothed loss falls fastest per decade of learning rate",
}


def geometric_lrs(lr_min, lr_max, steps):
    """The ``steps`` learning rates of the test: from ``lr_min`` to ``lr_max``, each a constant factor above
    the one before."""
    lr_min, lr_max = _validate.positive("lr_min", lr_min), _validate.positive("lr_max", lr_max)
    if not lr_min < lr_max:
        raise ValueError(f"Invalid lr_max: {lr_max} (must be > lr_min = {lr_min})")
    steps = _validate.positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"Invalid steps: {steps} (the sweep needs at least 2 steps)")
    return lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))


def smooth(losses, beta):
    """The exponential moving average of ``losses``, corrected for its start at 0 (see the module)."""
    beta = _validate.in_unit_interval("beta", beta)
    try:
        losses = np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"losses must be a sequence of numbers, got {type(losses).__name__}") from None
    if losses.ndim != 1:
        raise ValueError(f"losses must be 1-D (one loss per step), got shape {losses.shape}")
    out, avg = [], 0.0
    for k, loss in enumerate(losses, start=1):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta**k))
    return np.array(out)


@dataclass
class Suggestion:
    """A suggested learning rate, the ``rule`` that chose it (a key of ``RULES``) and the ``index`` of the
    point of the curve it was read at."""

    lr: float
    rule: str
    index: int

    def __str__(self):
        return f"{self.lr:.2g} ({self.rule}: {RULES[self.rule]})"


def suggest(lrs, smoothed, *, skip_start=0.1):
    """The suggestions of both rules for a range-test curve: ``{rule: Suggestion}``.

    ``lrs`` and ``smoothed`` are the test's learning rates and smoothed losses. The first ``skip_start``
    share of the points is left out (the average is still warming up there). The steepest descent is taken
    from the slope d smoothed / d log10(lr) (``numpy.gradient``, central differences), searched between the
    start and the minimum.
    """
    try:
        lrs, smoothed = np.asarray(lrs, dtype=float), np.asarray(smoothed, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("lrs and smoothed must be sequences of numbers") from None
    if lrs.ndim != 1 or lrs.shape != smoothed.shape:
        raise ValueError(f"lrs and smoothed must be 1-D of the same length, got {lrs.shape} and {smoothed.shape}")
    if not np.all(np.isfinite(lrs) & (lrs > 0)):
        raise ValueError("Invalid lrs: every learning rate must be a finite number > 0 (the slope is taken "
                         "against log10(lr))")
    skip_start = _validate.real_number("skip_start", skip_start)
    if not 0.0 <= skip_start < 1.0:
        raise ValueError(f"Invalid skip_start: {skip_start} (must be in [0, 1))")
    first = int(skip_start * len(lrs))
    if len(lrs) - first < 3:
        raise ValueError(f"the curve has {len(lrs)} points: too few to read (the test stopped at once?)")
    finite = np.isfinite(smoothed)
    last = first + int(np.argmax(~finite[first:])) if not finite[first:].all() else len(lrs)
    if last - first < 3:
        raise ValueError(f"smoothed has only {last - first} finite points after the first {first} skipped: "
                         "too few to read")
    low = first + int(np.argmin(smoothed[first:last]))
    slope = np.gradient(smoothed[first:last], np.log10(lrs[first:last]))
    steep = first + int(np.argmin(slope[: low - first + 1]))
    return {
        "minimum / 10": Suggestion(float(lrs[low] / 10), "minimum / 10", low),
        "steepest": Suggestion(float(lrs[steep]), "steepest", steep),
    }


class RangeTest:
    """A ``train.fit`` callback that runs the range test on ``optimizer`` (see the module's docstring).

    It sets ``optimizer.lr = lr_min`` now, and after each step records the step's learning rate and its
    minibatch loss, then sets the next rate. It stops training (returns True) after ``steps`` steps, or as
    soon as the smoothed loss exceeds ``stop_factor`` times its lowest value. Afterwards: ``lrs``,
    ``losses``, ``smoothed`` (one entry per step taken) and ``stop_reason``.
    """

    def __init__(self, optimizer, *, lr_min, lr_max, steps, beta=0.98, stop_factor=4.0):
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"optimizer must have an lr to set, got {type(optimizer).__name__}")
        self.schedule = geometric_lrs(lr_min, lr_max, steps)
        self.beta = _validate.in_unit_interval("beta", beta)
        self.stop_factor = _validate.positive("stop_factor", stop_factor)
        if self.stop_factor <= 1:
            raise ValueError(f"Invalid stop_factor: {stop_factor} (must be > 1)")
        self.optimizer = optimizer
        self.lrs, self.losses, self.smoothed = [], [], []
        self.stop_reason = None
        self._avg, self._best = 0.0, math.inf
        optimizer.lr = float(self.schedule[0])

    def after_step(self, step, loss, model, X_batch, y_batch):
        self.lrs.append(float(self.schedule[step - 1]))
        self.losses.append(float(loss))
        self._avg = self.beta * self._avg + (1 - self.beta) * loss
        smoothed = self._avg / (1 - self.beta**step)
        self.smoothed.append(float(smoothed))
        self._best = min(self._best, smoothed)
        if smoothed > self.stop_factor * self._best:
            self.stop_reason = f"the smoothed loss passed {self.stop_factor:g} x its minimum"
            return True
        if step == len(self.schedule):
            self.stop_reason = "the sweep reached lr_max"
            return True
        self.optimizer.lr = float(self.schedule[step])
        return False


@dataclass
class RangeTestResult:
    """What ``range_test`` found: the curve (``lrs``, ``losses``, ``smoothed``), why it stopped, how many
    minibatch gradients it cost (``gradients``) and the suggestions of both rules (``suggestions``)."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stop_reason: str
    gradients: int
    suggestions: dict = field(default_factory=dict)


def range_test(model, optimizer, X, y, *, batch_size, rng, lr_min=1e-4, lr_max=10.0, steps=None, beta=0.98,
               stop_factor=4.0, skip_start=0.1):
    """Run the learning-rate range test on ``model`` (changed in place: pass a fresh copy) for at most one
    epoch of ``(X, y)`` in minibatches of ``batch_size``. ``steps`` defaults to that epoch's number of
    minibatches (and may not exceed it). Returns a ``RangeTestResult``.

    If the loss stops being a finite number, the test ends there (``train.fit`` stops on its own).
    """
    _validate.float_array("X", X)
    if X.ndim != 2 or len(X) != len(y):
        raise ValueError(f"X must have shape (n_samples, n_features) with one row per label of y, got {X.shape} "
                         f"for {len(y)} labels")
    batch_size = _validate.positive_int("batch_size", batch_size)
    per_epoch = sum(1 for _ in minibatches(len(y), batch_size, shuffle=False, last_batch="drop"))
    steps = per_epoch if steps is None else _validate.positive_int("steps", steps)
    if steps > per_epoch:
        raise ValueError(f"Invalid steps: {steps} (the test runs for at most one epoch: {per_epoch} minibatches "
                         f"of {batch_size})")
    finder = RangeTest(optimizer, lr_min=lr_min, lr_max=lr_max, steps=steps, beta=beta, stop_factor=stop_factor)
    history = fit(model, optimizer, X, y, epochs=1, batch_size=batch_size, rng=rng, callbacks=[finder])
    reason = finder.stop_reason or ("the loss stopped being a finite number" if history.diverged else "")
    gradients = len(history.step_loss) + (1 if history.diverged else 0)  # the non-finite one was computed too
    lrs, losses, smoothed = (np.array(v) for v in (finder.lrs, finder.losses, finder.smoothed))
    return RangeTestResult(lrs, losses, smoothed, reason, gradients,
                           suggest(lrs, smoothed, skip_start=skip_start))


def plot(results, *, ax=None, rule=None, raw=True, title="Learning-rate range test"):
    """Draw range-test curves: ``results`` is one ``RangeTestResult`` or a list of them (one per seed).

    Each test's smoothed loss against the learning rate (log scale; the loss on a linear scale from 0 to twice
    its start, so the explosion runs off the top), its raw minibatch losses faintly behind (``raw=True``),
    and, if ``rule`` names a rule of ``RULES``, each suggestion as a dotted vertical line. Returns the Axes.
    """
    from . import plots

    results = [results] if isinstance(results, RangeTestResult) else list(results)
    if not results or not all(isinstance(r, RangeTestResult) for r in results):
        raise TypeError("results must be a RangeTestResult or a non-empty list of them")
    if rule is not None:
        _validate.one_of("rule", rule, tuple(RULES))
    ax = plots._new_axes(ax)
    for k, r in enumerate(results):
        colour = plots.FALLBACK_COLORS[k % len(plots.FALLBACK_COLORS)]
        label = f"seed {k}" if len(results) > 1 else "smoothed loss"
        if raw:
            ax.plot(r.lrs, r.losses, color=colour, linewidth=0.6, alpha=0.35)
        ax.plot(r.lrs, r.smoothed, color=colour, linestyle=plots.FALLBACK_LINESTYLES[k % 4], label=label)
        if rule is not None:
            ax.axvline(r.suggestions[rule].lr, color=colour, linestyle=":", linewidth=1.2)
    top = 2 * max(float(r.smoothed[0]) for r in results)  # room for the explosion, not all of it
    ax.set(xscale="log", ylim=(0, top), xlabel="learning rate", ylabel="training loss (cross-entropy)", title=title)
    plots._legend_if_many(ax)
    return ax
