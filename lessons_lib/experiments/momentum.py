"""Lesson 03's experiments: momentum's speed-up on quadratics, the momentum sweep and the note's settings on digits.

Each experiment's settings are defined here once, so the notebook and the tests that guard its claims run
exactly the same experiment.

- ``steps_to_settle``: when a path enters a tolerance around the minimum for good.
- ``best_gd_steps`` / ``best_momentum_steps``: on f = (x^2 / kappa + y^2) / 2, the fewest steps to settle that
  gradient descent reaches with its best learning rate, and momentum with its best (lr, momentum), both
  found by running every setting of a grid (the rules of ``lessons_lib.rules``, all settings at once).
- ``momentum_sweep``: the digits network trained for every momentum at the same *effective* learning rates
  lr / (1 - momentum), scored on a validation split (never on the test set), for several seeds.
- ``note_settings_run``: the lecture note's ``SGD(lr=0.1, momentum=0.95, nesterov=True)`` with its ``decay``.
"""

import math

import numpy as np

from .. import data, nn, optim, rules, schedules, train

# ---------------------------------------------------------------------------------------------------------
# Settling
# ---------------------------------------------------------------------------------------------------------


def steps_to_settle(distance, tol):
    """The first step after which ``distance`` (one value per step, entry 0 = the start) stays <= ``tol``.

    0 if it never exceeds ``tol``; None if it is still above ``tol`` at the last step recorded.
    """
    distance = np.asarray(distance, dtype=float)
    outside = np.flatnonzero(~(distance <= tol))  # NaN (a diverged run) counts as outside
    if outside.size == 0:
        return 0
    return None if outside[-1] == len(distance) - 1 else int(outside[-1]) + 1


# ---------------------------------------------------------------------------------------------------------
# Why momentum accelerates: steps to settle against the condition number
# ---------------------------------------------------------------------------------------------------------

KAPPAS = (10, 30, 100, 300, 1000)
"""Condition numbers of the quadratics f = (x^2 / kappa + y^2) / 2 (curvatures 1/kappa and L = 1)."""

TOL = 1e-3
"""Settled: the distance to the minimum stays within TOL times the starting distance."""

GD_LRS = np.linspace(0.02, 2.0, 100)
"""Gradient descent's learning-rate grid (L = 1, so the stability bound lr < 2/L is the grid's end)."""

MOMENTUM_LRS = np.geomspace(0.5, 4.0, 41)
"""Momentum's learning-rate grid: up to 4 = 2 (1 + momentum) / L at momentum 1, its largest stable lr."""

MOMENTA_GRID = 1.0 - np.geomspace(0.01, 1.0, 41)
"""Momentum's grid: from 0 to 0.99, denser near 1."""

START = (1.0, 1.0)


def _curvatures(kappa):
    return np.array([1.0 / kappa, 1.0])


def _settle_all(step, p, state, tol, horizon):
    """Run ``step`` on every row of ``p`` (one setting per row) for ``horizon`` steps; return each row's
    steps to settle within ``tol`` times its starting distance (inf if it has not settled by the end)."""
    d0 = np.hypot(p[:, 0], p[:, 1])
    last_outside = np.zeros(len(p), dtype=int)  # the start (step 0) is outside
    for t in range(1, horizon + 1):
        p, state = step(p, state)
        outside = ~(np.hypot(p[:, 0], p[:, 1]) <= tol * d0)
        last_outside[outside] = t
    steps = last_outside + 1.0  # as steps_to_settle counts: the first step after which it stays within
    steps[last_outside == horizon] = np.inf
    return steps


def best_gd_steps(kappa, tol=TOL, lrs=GD_LRS):
    """Gradient descent on f = (x^2 / kappa + y^2) / 2 from (1, 1), every lr of the grid at once.

    Returns ``(steps, lr)``: the fewest steps to settle and the learning rate that took them. The horizon
    (1.5 times what theory predicts for the best lr) only bounds the run time.
    """
    h = _curvatures(kappa)
    lr = np.asarray(lrs, dtype=float)[:, None]
    horizon = int(1.5 * kappa / 2 * math.log(1 / tol)) + 50

    def step(p, state):
        return rules.gd(p, h * p, lr), state

    steps = _settle_all(step, np.tile(START, (len(lr), 1)), None, tol, horizon)
    i = int(np.argmin(steps))
    return float(steps[i]), float(lr[i, 0])


def best_momentum_steps(kappa, tol=TOL, lrs=MOMENTUM_LRS, momenta=MOMENTA_GRID):
    """Heavy-ball momentum on the same quadratic, every (lr, momentum) of the grid at once.

    Returns ``(steps, lr, momentum)`` of the setting that settles first. The horizon is 3 times the
    theory's prediction for the best setting (it only bounds the run time).
    """
    h = _curvatures(kappa)
    LR, MU = np.meshgrid(np.asarray(lrs, dtype=float), np.asarray(momenta, dtype=float), indexing="ij")
    lr, mu = LR.reshape(-1, 1), MU.reshape(-1, 1)
    horizon = int(3 * math.sqrt(kappa) / 2 * math.log(1 / tol)) + 100

    def step(p, b):
        return rules.sgd_momentum(p, h * p, b, lr, mu)

    steps = _settle_all(step, np.tile(START, (len(lr), 1)), None, tol, horizon)
    i = int(np.argmin(steps))
    return float(steps[i]), float(lr[i, 0]), float(mu[i, 0])


# ---------------------------------------------------------------------------------------------------------
# How much momentum? The sweep on the digits at equal effective learning rates
# ---------------------------------------------------------------------------------------------------------

SIZES = [64, 32, 10]
"""The network: 64 pixels -> 32 ReLU units -> 10 classes."""

MOMENTA = (0.5, 0.9, 0.95, 0.99)
"""The lecture note's order: start at 0.5, then 0.9, 0.95, 0.99."""

EFFECTIVE_LRS = (0.3, 1.0, 3.0, 10.0)
"""Effective learning rates lr / (1 - momentum): every momentum gets the same ones (lr = eff * (1 - mu)).
Each momentum's best lies inside this grid (checked in tests/test_lesson03_claims.py)."""

SEEDS = (0, 1, 2)
EPOCHS, BATCH_SIZE = 2, 32
VALIDATION_SIZE = 337
"""Digits held out of the 1347 training digits to choose settings on (a quarter); the test set stays unused."""


def digits_validation_split():
    """The training digits split into a fitting part and a validation part: ``(X_fit, X_val, y_fit, y_val)``.

    1347 training digits (``data.load_digits(seed=0)``): a fixed random quarter, ``VALIDATION_SIZE`` digits,
    is held out for validation; the other 1010 train the network. The test set is not touched.
    """
    X_train, _, y_train, _ = data.load_digits(seed=0)
    return data.hold_out(X_train, y_train, VALIDATION_SIZE, seed=100)


def sweep_run(split, momentum, effective_lr, seed, epochs=EPOCHS):
    """Train the network once with lr = effective_lr * (1 - momentum); return its validation loss after
    ``epochs`` epochs (inf if training diverged). ``seed`` fixes the initial weights and the batch order.

    The loop is ``train.fit``'s (same batches from the same ``rng``, the remainder dropped, the same steps),
    without its per-epoch scoring of the whole training set: only the final validation loss is needed, and
    the sweep runs 48 times (tests/test_lesson03_claims.py checks it equals ``train.fit``'s result).
    """
    X_fit, X_val, y_fit, y_val = split
    model = nn.MLP(SIZES, activation="relu", init="he_normal", rng=np.random.default_rng(seed))
    opt = optim.SGD(model.params, lr=effective_lr * (1 - momentum), momentum=momentum)
    rng = np.random.default_rng(1000 + seed)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(epochs):
            for batch in data.minibatches(len(y_fit), BATCH_SIZE, rng=rng, last_batch="drop"):
                loss, grads = model.loss_and_grads(X_fit[batch], y_fit[batch])
                if not (np.isfinite(loss) and all(np.isfinite(g).all() for g in grads)):
                    return math.inf  # diverged
                opt.step(grads)
        loss, _ = model.loss_and_accuracy(X_val, y_val)
    return float(loss) if np.isfinite(loss) else math.inf


def momentum_sweep(split=None, momenta=MOMENTA, effective_lrs=EFFECTIVE_LRS, seeds=SEEDS):
    """Validation loss of every (effective lr, momentum, seed): an array of shape
    ``(len(effective_lrs), len(momenta), len(seeds))``."""
    split = digits_validation_split() if split is None else split
    loss = np.empty((len(effective_lrs), len(momenta), len(seeds)))
    for i, eff in enumerate(effective_lrs):
        for j, mu in enumerate(momenta):
            for k, seed in enumerate(seeds):
                loss[i, j, k] = sweep_run(split, mu, eff, seed)
    return loss


# ---------------------------------------------------------------------------------------------------------
# The lecture note's settings
# ---------------------------------------------------------------------------------------------------------

NOTE_SETTINGS = {"lr": 0.1, "momentum": 0.95, "nesterov": True}
"""``torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.95, nesterov=True)``, the note's line."""

NOTE_DECAY = 1e-3
NOTE_EPOCHS = 3


def note_settings_run(seed, digits=None):
    """Train the network on all 1347 training digits with the note's settings and ``TimeDecay(decay=1e-3)``.

    Returns ``(history, optimizer, schedule)``; the history holds the test accuracy after every epoch.
    """
    X_train, X_test, y_train, y_test = data.load_digits(seed=0) if digits is None else digits
    model = nn.MLP(SIZES, activation="relu", init="he_normal", rng=np.random.default_rng(seed))
    opt = optim.SGD(model.params, **NOTE_SETTINGS)
    schedule = schedules.TimeDecay(opt, decay=NOTE_DECAY)
    history = train.fit(model, opt, X_train, y_train, epochs=NOTE_EPOCHS, batch_size=BATCH_SIZE,
                        rng=np.random.default_rng(1000 + seed), X_test=X_test, y_test=y_test, schedule=schedule)
    return history, opt, schedule
