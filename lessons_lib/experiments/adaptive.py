"""Lesson 04's experiments (adaptive methods): the settings of every comparison, defined once.

The lesson notebook and ``tests/test_lesson04_claims.py`` import these tables and runners, so the figure a
learner sees and the test that guards its conclusion come from exactly the same runs:

- ``START``, ``y_turns``: the bowl's start of *Deep Learning from Scratch* and the zigzag count;
- ``sparse_comparison``: why AdaGrad was made, rare but informative features (a linear model);
- ``adam_partly_corrected`` and ``constant_gradient_steps``: Adam with one or both bias corrections off;
- ``RACE_SURFACES``, ``racers``, ``run_race``, ``reach_and_settle``: eight optimizers on four surfaces;
- ``DIGITS_*``, ``digits_split``, ``train_digits``, ``choose_learning_rates``, ``digits_comparison``: the
  optimizers on a real network, learning rates chosen on a validation split, over several seeds.

Every run uses the plain rules of ``lessons_lib.rules`` (the ones the lesson shows) or the library's
optimizer classes, which equal them step for step (``tests/test_rules.py``).
"""

import numpy as np

from .. import data, nn, optim, rules, surfaces, train

START = (-7.0, 2.0)
"""The start on the bowl f = x^2/20 + y^2 used by *Deep Learning from Scratch*, ch. 6."""


def y_turns(path):
    """How many times a path reverses its direction in y (one per zig of a zigzag)."""
    dy = np.diff(np.asarray(path, dtype=float)[:, 1])
    return int(np.count_nonzero(np.sign(dy[1:]) != np.sign(dy[:-1])))


# ---------------------------------------------------------------------------------------------------------
# Why AdaGrad: rare, informative features
# ---------------------------------------------------------------------------------------------------------

SPARSE = {
    "frequent": 10,      # features present in every sample
    "rare": 10,          # features present in a sample with probability p_rare
    "p_rare": 0.01,
    "noise": 0.1,        # std of the noise on the targets
    "batch_size": 10,
    "steps": 300,        # one pass over the 3000 training samples
    "n_train": 3000,
    "n_validation": 3000,
}
"""The sparse-feature problem: a linear model y = x . w* + noise; every feature's weight w*_j ~ N(0, 1)
matters as much as any other, but the rare features appear in only 1% of the samples (as a word that
is rare in a text, but tells much when it appears)."""

SPARSE_RULES = {
    "SGD": (rules.gd, (0.03, 0.1, 0.3, 1.0)),
    "AdaGrad": (rules.adagrad, (0.1, 0.3, 1.0, 3.0)),
}
"""Each method of the sparse comparison with the learning rates it may choose from (on the validation set)."""

SEEDS = (0, 1, 2)
"""The seeds every comparison of the lesson is repeated over."""


def sparse_problem(seed):
    """``(X_train, y_train, X_validation, y_validation, w_true)`` of the sparse-feature problem.

    Columns 0..frequent-1 are the frequent features (N(0, 1) in every sample), the others the rare ones
    (N(0, 1) where present, else 0).
    """
    s = SPARSE
    rng = np.random.default_rng(seed)
    n, d = s["n_train"] + s["n_validation"], s["frequent"] + s["rare"]
    present = np.ones((n, d), dtype=bool)
    present[:, s["frequent"]:] = rng.random((n, s["rare"])) < s["p_rare"]
    X = rng.normal(size=(n, d)) * present
    w_true = rng.normal(size=d)
    y = X @ w_true + s["noise"] * rng.normal(size=n)
    cut = s["n_train"]
    return X[:cut], y[:cut], X[cut:], y[cut:], w_true


def sparse_fit(rule, X, y, lr):
    """One pass of minibatch training of the linear model from w = 0 with ``rule`` (``rules.gd`` or
    ``rules.adagrad``) on the mean squared error / 2. Returns ``(weights, s)``: the weights after every
    step, shape (steps + 1, d), and AdaGrad's sum of squared gradients at the end (None for SGD)."""
    s = SPARSE
    d = X.shape[1]
    w = np.zeros(d)
    sums = np.zeros(d) if rule is rules.adagrad else None
    path = [w]
    for k in range(s["steps"]):
        batch = slice(k * s["batch_size"], (k + 1) * s["batch_size"])
        g = X[batch].T @ (X[batch] @ w - y[batch]) / s["batch_size"]  # gradient of the mean of (x.w - y)^2 / 2
        if sums is None:
            w = rule(w, g, lr=lr)
        else:
            w, sums = rule(w, g, sums, lr=lr)
        path.append(w)
    return np.array(path), sums


def sparse_comparison(seeds=SEEDS):
    """SGD and AdaGrad on the sparse problem, each with the learning rate of ``SPARSE_RULES`` that gives
    the lowest validation loss, for every seed.

    Returns ``{name: [run per seed]}``, each run a dict with ``lr``, ``weights`` (per step),
    ``w_true``, ``validation_loss`` and, for AdaGrad, ``rates`` (the final effective learning rates
    lr / (sqrt(s) + eps) per feature).
    """
    results = {name: [] for name in SPARSE_RULES}
    for seed in seeds:
        X, y, X_val, y_val, w_true = sparse_problem(seed)
        for name, (rule, grid) in SPARSE_RULES.items():
            best = None
            for lr in grid:
                path, sums = sparse_fit(rule, X, y, lr)
                with np.errstate(over="ignore", invalid="ignore"):
                    loss = float(np.mean((X_val @ path[-1] - y_val) ** 2) / 2)
                if np.isfinite(loss) and (best is None or loss < best["validation_loss"]):
                    best = {"lr": lr, "weights": path, "w_true": w_true, "validation_loss": loss}
                    if sums is not None:
                        best["rates"] = lr / (np.sqrt(sums) + 1e-10)
            results[name].append(best)
    return results


def weight_errors(run):
    """Mean |w - w*| over the frequent and over the rare features, after every step: two arrays."""
    error = np.abs(run["weights"] - run["w_true"])
    k = SPARSE["frequent"]
    return error[:, :k].mean(axis=1), error[:, k:].mean(axis=1)


# ---------------------------------------------------------------------------------------------------------
# Bias correction: Adam with one or both corrections switched off
# ---------------------------------------------------------------------------------------------------------


def adam_partly_corrected(p, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, correct_m=True, correct_v=True):
    """``rules.adam`` with each bias correction switched on or off (both on: Adam itself)."""
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t) if correct_m else m
    v_hat = v / (1 - beta2**t) if correct_v else v
    p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p, m, v


def run_partly_corrected(grad, start, steps, lr, **switches):
    """Every point of ``steps`` steps of ``adam_partly_corrected`` from ``start``."""
    p = np.array(start, dtype=float)
    m, v = np.zeros_like(p), np.zeros_like(p)
    path = [p]
    for t in range(1, steps + 1):
        p, m, v = adam_partly_corrected(p, grad(p), m, v, t, lr, **switches)
        path.append(p)
    return np.array(path)


def constant_gradient_steps(steps, lr=0.01, **switches):
    """Step length / lr of each of ``steps`` steps on a constant gradient g = 1 (one coordinate)."""
    path = run_partly_corrected(lambda p: np.ones(1), (0.0,), steps, lr, **switches)
    return -np.diff(path[:, 0]) / lr


# ---------------------------------------------------------------------------------------------------------
# The race: eight optimizers on four surfaces
# ---------------------------------------------------------------------------------------------------------

RACE_SURFACES = {
    "bowl": (surfaces.BOWL, 300, 0.1),
    "Rosenbrock": (surfaces.ROSENBROCK, 1500, 5e-4),
    "saddle": (surfaces.SADDLE, 300, 0.1),
    "two basins": (surfaces.TWO_BASIN, 300, 0.1),
}
"""Each race: (surface, number of steps, learning rate of the SGD family). Every run starts at the
surface's own start."""

RACE_SHOWN = {"bowl": 150, "Rosenbrock": 1500, "saddle": 150, "two basins": 150}
"""How many steps of each race the animation shows."""


def racers(sgd_lr):
    """The racers: name -> (rule, hyperparameters). The SGD family (momentum 0.9) needs ``sgd_lr`` matched
    to the surface's steepness; the adaptive methods, which divide by the gradient's scale, use one
    setting on every surface."""
    return {
        "SGD": (rules.gd, {"lr": sgd_lr}),
        "Momentum": (rules.sgd_momentum, {"lr": sgd_lr, "momentum": 0.9}),
        "Nesterov": (rules.nesterov, {"lr": sgd_lr, "momentum": 0.9}),
        "AdaGrad": (rules.adagrad, {"lr": 1.0}),
        "RMSProp": (rules.rmsprop, {"lr": 0.05}),
        "AdaDelta": (rules.adadelta, {}),
        "Adam": (rules.adam, {"lr": 0.1}),
        "NAdam": (rules.nadam, {"lr": 0.1}),
    }


RACERS = tuple(racers(0.1))
"""The racers' names, in the order of the legend and the table."""


def run_race():
    """Every racer on every surface of ``RACE_SURFACES``: ``{surface key: {racer: path}}``."""
    return {key: {name: rules.run(rule, surface.start, surface.grad, steps, **hyper)
                  for name, (rule, hyper) in racers(sgd_lr).items()}
            for key, (surface, steps, sgd_lr) in RACE_SURFACES.items()}


def race_panels(race):
    """The race as ``plots.race_gif`` panels: each surface with the first ``RACE_SHOWN`` steps of its paths."""
    return [(RACE_SURFACES[key][0], {name: path[: RACE_SHOWN[key] + 1] for name, path in paths.items()})
            for key, paths in race.items()]


def reach_and_settle(surface, path, tol=0.1):
    """``(first, settled, local)`` for a race path.

    ``first``: the first step within ``tol`` of a lowest minimum (on the saddle surface, either of its two
    equal minima), or None; ``settled``: the step from which it stays within ``tol`` to the end, or None;
    ``local``: True if the path ends nearest a minimum that is not a lowest one (another basin).
    """
    lowest = [m for m in surface.minima if np.isclose(surface.value(m), surface.min_value, rtol=0, atol=1e-9)]
    distance = np.min([np.hypot(*(path - m).T) for m in lowest], axis=0)
    inside = distance <= tol
    first = int(np.argmax(inside)) if inside.any() else None
    outside = np.flatnonzero(~inside)
    if not inside[-1]:
        settled = None
    else:
        settled = int(outside[-1]) + 1 if outside.size else 0
    nearest = min(surface.minima, key=lambda m: np.hypot(*(path[-1] - m)))
    local = bool(surface.value(nearest) > surface.min_value + 1e-9)
    return first, settled, local


# ---------------------------------------------------------------------------------------------------------
# The digits: every optimizer on a real network
# ---------------------------------------------------------------------------------------------------------

DIGITS_SIZES = [64, 32, 10]
"""The network: 64 pixels -> 32 ReLU units -> 10 classes, He-normal weights."""

DIGITS_EPOCHS, DIGITS_BATCH_SIZE = 3, 32

DIGITS_VALIDATION = 270
"""How many of the 1347 training digits are held out to choose the learning rates (about 20%)."""

DIGITS_OPTIMIZERS = {
    "SGD": (optim.SGD, {}),
    "Momentum": (optim.SGD, {"momentum": 0.9}),
    "AdaGrad": (optim.Adagrad, {}),
    "RMSProp": (optim.RMSprop, {}),
    "AdaDelta": (optim.Adadelta, {}),
    "Adam": (optim.Adam, {}),
}
"""Each optimizer of the digits comparison: (class, hyperparameters other than lr). One of each kind: the
variants Nesterov and NAdam are left out to keep the lesson's run time and its figure light (lesson 06
trains them all)."""

DIGITS_LR_GRID = {
    "SGD": (0.03, 0.1, 0.3, 1.0),
    "Momentum": (0.01, 0.03, 0.1, 0.3),
    "AdaGrad": (0.01, 0.03, 0.1, 0.3),
    "RMSProp": (1e-3, 3e-3, 1e-2, 3e-2),
    "AdaDelta": (1.0,),  # its default: AdaDelta is the method with no learning rate to choose
    "Adam": (3e-3, 1e-2, 3e-2, 0.1),
}
"""The learning rates each optimizer may choose from (factors of about 3)."""

DIGITS_LR = {
    "SGD": 0.3,
    "Momentum": 0.1,
    "AdaGrad": 0.1,
    "RMSProp": 0.01,
    "AdaDelta": 1.0,
    "Adam": 0.03,
}
"""The learning rate of each optimizer: the one of ``DIGITS_LR_GRID`` with the lowest mean validation loss
over ``SEEDS`` (``choose_learning_rates`` recomputes it; ``tests/test_lesson04_claims.py`` checks that it
still picks these)."""


def digits_split():
    """``(X_train, X_validation, X_test, y_train, y_validation, y_test)``: the lessons' digits split
    (``data.load_digits(seed=0)``), with ``DIGITS_VALIDATION`` of its training digits held out, at random
    (seeded), for choosing learning rates. The test set is never used to choose anything."""
    X_rest, X_test, y_rest, y_test = data.load_digits(seed=0)
    X_fit, X_val, y_fit, y_val = data.hold_out(X_rest, y_rest, DIGITS_VALIDATION, seed=4)
    return X_fit, X_val, X_test, y_fit, y_val, y_test


def train_digits(name, lr, seed, X, y, X_eval, y_eval):
    """Train ``DIGITS_SIZES`` with optimizer ``name`` at learning rate ``lr`` on ``(X, y)``; evaluate on
    ``(X_eval, y_eval)`` after every epoch. The weights come from ``seed``, the minibatch order from
    ``seed + 100``. Returns the ``train.History``."""
    cls, hyper = DIGITS_OPTIMIZERS[name]
    model = nn.MLP(DIGITS_SIZES, activation="relu", init="he_normal", rng=np.random.default_rng(seed))
    return train.fit(model, cls(model.params, lr=lr, **hyper), X, y, epochs=DIGITS_EPOCHS,
                     batch_size=DIGITS_BATCH_SIZE, rng=np.random.default_rng(seed + 100),
                     X_test=X_eval, y_test=y_eval)


def choose_learning_rates(split, seeds=SEEDS, names=None):
    """For each optimizer, the learning rate of ``DIGITS_LR_GRID`` with the lowest validation loss after
    training, averaged over ``seeds``. Returns ``(chosen, losses)`` with ``losses[name][lr]`` that mean."""
    X, X_val, _, y, y_val, _ = split
    chosen, losses = {}, {}
    for name in names or DIGITS_OPTIMIZERS:
        losses[name] = {}
        for lr in DIGITS_LR_GRID[name]:
            runs = [train_digits(name, lr, seed, X, y, X_val, y_val) for seed in seeds]
            finals = [h.test_loss[-1] if not h.diverged else np.inf for h in runs]
            losses[name][lr] = float(np.mean(finals))
        chosen[name] = min(losses[name], key=losses[name].get)
    return chosen, losses


def digits_comparison(split, seeds=SEEDS):
    """Every optimizer at its ``DIGITS_LR``, trained on the training part, evaluated on the test set, for
    every seed: ``{name: [History per seed]}``."""
    X, _, X_test, y, _, y_test = split
    return {name: [train_digits(name, DIGITS_LR[name], seed, X, y, X_test, y_test) for seed in seeds]
            for name in DIGITS_OPTIMIZERS}
