"""Lesson 07's experiments (diagnosing training), each defined once for the notebook and its tests.

Five experiments, all on the handwritten digits, all repeated over ``SEEDS``:

1. the learning-rate range test against a sweep of short trainings (``range_test_run``, ``sweep``);
2. activation statistics of a deep ReLU net at a good and a too-high learning rate (``monitored_run``);
3. LSUV, He and Xavier in a net of 11 weight layers, at init and in training (``deep_net``, ``train_deep``);
4. orthogonal against Gaussian weights in a stack of 50 linear layers (``linear_stack_norms``);
5. the sharpness during full-batch gradient descent: the edge of stability (``eos_run``, ``eos_summary``),
   on a subset of 250 digits and a small net, so each run takes a fraction of a second.

The digits are split three ways (``load_split``): networks train on 1024 images, every choice (a learning
rate) is made on 323 validation images, and the 450 test images are not used for any choice.
"""

import numpy as np

from .. import init, lr_finder, monitor, nn, optim, sharpness, train
from . import capstone

SEEDS = (0, 1, 2)
"""Every finding is checked over these seeds: seed s draws the weights, s + 100 the minibatch order."""


def load_split():
    """The digits split as lesson 06 splits them (``capstone.load_split()``): 1024 images to train on, 323
    to choose settings with, the 450 test images left alone."""
    return capstone.load_split()


def make_optimizer(name, params, lr):
    """``"momentum"``: SGD with momentum 0.9 (torch's form); ``"adam"``: Adam with torch's defaults."""
    if name == "momentum":
        return optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    raise ValueError(f"Invalid optimizer: {name!r} (choose 'momentum' or 'adam')")


# ---------------------------------------------------------------------------------------------------------
# 1. The range test and the sweep it replaces
# ---------------------------------------------------------------------------------------------------------

NET = [64, 64, 64, 10]
"""The network of the range test: 64 pixels -> 64 -> 64 ReLU units -> 10 classes, He normal init."""

RANGE_TEST = {"batch_size": 16, "optimizer": "momentum", "lr_min": 1e-4, "lr_max": 10.0, "beta": 0.9}
"""The test: one epoch of 64 minibatches of 16, lr from 1e-4 to 10 (a factor of about 1.2 per step),
momentum SGD, fast.ai's stopping rule (4 x the lowest smoothed loss). The smoothing averages over about
the last 10 steps (beta = 0.9): fast.ai's beta = 0.98, made for tests of 100 steps and more, would average
over most of this short test."""

RULE = "minimum / 10"
"""The rule whose suggestion the lesson compares with the sweep (``lr_finder.RULES``)."""

SWEEP_LRS = tuple(float(10.0**e) for e in np.arange(-2.5, -0.49, 0.25))
"""The sweep: 9 learning rates from 10**-2.5 to 10**-0.5, a factor of 10**0.25 (about 1.8) apart."""

SWEEP_EPOCHS = 1
"""Each run of the sweep trains one epoch (64 steps, the range test's budget) and is scored by its
validation loss."""

VARIANTS = {
    "the test above": {},
    "batch 64": {"batch_size": 64},
    "beta 0.98": {"beta": 0.98},
    "Adam": {"optimizer": "adam"},
}
"""Changes to ``RANGE_TEST`` that move the suggestion: batch size (one epoch is then 16 steps), the
smoothing (fast.ai's beta), and the optimizer."""


def network(seed, sizes=NET, init_name="he_normal"):
    """A fresh ReLU ``nn.MLP`` of ``sizes``, weights drawn from ``seed``."""
    return nn.MLP(list(sizes), activation="relu", init=init_name, rng=np.random.default_rng(seed))


def range_test_run(digits, seed, **changes):
    """The range test of ``RANGE_TEST`` (with ``changes``) on a fresh ``network(seed)``: a RangeTestResult."""
    settings = RANGE_TEST | changes
    model = network(seed)
    opt = make_optimizer(settings["optimizer"], model.params, settings["lr_min"])
    return lr_finder.range_test(model, opt, digits.X_train, digits.y_train, batch_size=settings["batch_size"],
                                rng=np.random.default_rng(seed + 100), lr_min=settings["lr_min"],
                                lr_max=settings["lr_max"], beta=settings["beta"])


def short_training(digits, lr, seed, *, optimizer="momentum", epochs=SWEEP_EPOCHS):
    """``epochs`` epochs of ``network(seed)`` at a fixed ``lr`` (batches of 16), scored on the validation
    split after each epoch: a ``train.History`` (its ``test_*`` entries are the validation scores)."""
    model = network(seed)
    return train.fit(model, make_optimizer(optimizer, model.params, lr), digits.X_train, digits.y_train,
                     epochs=epochs, batch_size=RANGE_TEST["batch_size"], rng=np.random.default_rng(seed + 100),
                     X_test=digits.X_val, y_test=digits.y_val)


def final_val_loss(history):
    """The validation loss at the end of a short training (inf if it diverged)."""
    return float(history.test_loss[-1]) if not history.diverged else float("inf")


def sweep(digits, lrs=SWEEP_LRS, seeds=SEEDS):
    """A short training at every rate of ``lrs`` for every seed: ``{lr: [History, ...]}``."""
    return {lr: [short_training(digits, lr, seed) for seed in seeds] for lr in lrs}


def sweep_best(runs):
    """The rate of the sweep with the lowest validation loss, averaged over the seeds."""
    return min(runs, key=lambda lr: np.mean([final_val_loss(h) for h in runs[lr]]))


def gradients_of(runs):
    """How many minibatch gradients a set of trainings computed (one per optimizer step)."""
    return sum(len(h.step_loss) for histories in runs.values() for h in histories)


def geometric_mean(values):
    return float(np.exp(np.mean(np.log(values))))


# ---------------------------------------------------------------------------------------------------------
# 2. Activation statistics during training
# ---------------------------------------------------------------------------------------------------------

DEEP = [64] + [64] * 6 + [10]
"""The monitored network: 6 hidden ReLU layers of 64 units (7 weight layers), He normal init."""

MONITOR = {"epochs": 3, "batch_size": 32, "probe": 128, "edges": tuple(np.linspace(0.0, 4.0, 41)), "hist_layer": 5}
"""3 epochs of 32 steps (batches of 32, momentum SGD); statistics after every step on a fixed probe of the
first 128 training images; histograms (40 bins over [0, 4]) of the last hidden layer (0-based index 5)."""

MONITOR_LRS = {"good": 0.03, "too high": 0.2}
"""A good rate (about the range test's suggestion) and a too-high one (near the bottom of its curve)."""


def monitored_run(digits, lr, seed):
    """Train ``DEEP`` at ``lr`` while ``monitor.ActivationStats`` records every step (and step 0).
    Returns ``(history, stats, model)``."""
    model = network(seed, DEEP)
    stats = monitor.ActivationStats(digits.X_train[: MONITOR["probe"]], edges=MONITOR["edges"],
                                    hist_layers=[MONITOR["hist_layer"]])
    stats.record(0, model)
    history = train.fit(model, make_optimizer("momentum", model.params, lr), digits.X_train, digits.y_train,
                        epochs=MONITOR["epochs"], batch_size=MONITOR["batch_size"],
                        rng=np.random.default_rng(seed + 100), callbacks=[stats])
    return history, stats, model


def dead_share(model, X):
    """The share of dead units (output 0 for every row of X) in each hidden layer of ``model``."""
    with np.errstate(over="ignore", invalid="ignore"):
        return [float(np.all(a == 0.0, axis=0).mean()) for a in model.hidden_activations(X)]


def monitor_summary(history, stats, model, digits):
    """The numbers the lesson states about one monitored run:

    - ``loss_peak``: the highest minibatch loss, over the loss at step 1;
    - ``std_peak_over_end``: per hidden layer, its highest activation std over its std at the end;
    - ``dead_end``: per hidden layer, the share of units dead on the whole training set at the end;
    - ``dead_low_last_epoch``: the lowest share of dead units (all layers together, on the probe) over the
      last epoch's records: how many stayed dead;
    - ``final_loss``: the training loss at the end.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        std = stats.std
        peak = np.nanmax(np.where(np.isfinite(std), std, np.nan), axis=0)
        peak_over_end = peak / std[-1]  # inf where a layer ended all dead (std 0)
    steps_per_epoch = len(digits.y_train) // MONITOR["batch_size"]
    last_epoch = stats.steps > stats.steps[-1] - steps_per_epoch
    sizes = np.array([len(u[0]) for u in stats.dead_units])
    overall = stats.dead @ sizes / sizes.sum()
    return {
        "loss_peak": float(max(history.step_loss) / history.step_loss[0]),
        "std_peak_over_end": peak_over_end.tolist(),
        "dead_end": dead_share(model, digits.X_train),
        "dead_low_last_epoch": float(overall[last_epoch].min()),
        "final_loss": float(history.epoch_loss[-1]),
    }


# ---------------------------------------------------------------------------------------------------------
# 3. LSUV in a deep net, and 4. orthogonal weights in a deep linear stack
# ---------------------------------------------------------------------------------------------------------

DEEPER = [64] + [64] * 10 + [10]
"""The LSUV network: 10 hidden ReLU layers of 64 units, 11 weight layers."""

LSUV_BATCH = 128
"""LSUV measures each layer's output variance on the first 128 training images."""

DEEP_INITS = ("LSUV", "He", "Xavier")

DEEP_TRAINING = {"lr": 0.02, "epochs": 5, "batch_size": 64}
"""Training the deeper net: momentum SGD, lr 0.02, 5 epochs of 16 steps (batches of 64)."""


def deep_net(label, seed, digits):
    """``DEEPER`` with weights from ``label`` (one of ``DEEP_INITS``), drawn from ``seed``."""
    if label == "LSUV":
        model = network(seed, DEEPER)
        init.lsuv(model, digits.X_train[:LSUV_BATCH], rng=np.random.default_rng(seed))
        return model
    return network(seed, DEEPER, {"He": "he_normal", "Xavier": "xavier_normal"}[label])


def layer_stds(model, X):
    """The std of every layer's output z = a W + b (all rows of X and all units), input side first."""
    return [float(z.std()) for z in model.forward(X, return_pre=True)[1]]


def train_deep(label, seed, digits):
    """Train ``deep_net(label, seed)`` with ``DEEP_TRAINING``: a ``train.History`` (training loss per epoch)."""
    model = deep_net(label, seed, digits)
    return train.fit(model, make_optimizer("momentum", model.params, DEEP_TRAINING["lr"]), digits.X_train,
                     digits.y_train, epochs=DEEP_TRAINING["epochs"], batch_size=DEEP_TRAINING["batch_size"],
                     rng=np.random.default_rng(seed + 100))


LINEAR_STACK = {"width": 100, "depth": 50, "samples": 100}
"""50 linear layers (no activation, no bias) of 100 x 100 weights, 100 random N(0, 1) inputs."""


def linear_stack_norms(init_name, seed):
    """|x| after each of the 50 layers over |x| at the input, for 100 inputs: shape (50, 100).

    ``init_name``: ``"orthogonal"`` or ``"lecun_normal"`` (the Gaussian with the variance-keeping std
    sqrt(1/n), the right std for a linear layer)."""
    rng = np.random.default_rng(seed)
    width, depth = LINEAR_STACK["width"], LINEAR_STACK["depth"]
    x = rng.normal(size=(LINEAR_STACK["samples"], width))
    start = np.linalg.norm(x, axis=1)
    ratios = []
    for _ in range(depth):
        x = x @ init.get(init_name)((width, width), rng=rng)
        ratios.append(np.linalg.norm(x, axis=1) / start)
    return np.array(ratios)


# ---------------------------------------------------------------------------------------------------------
# 5. Sharpness: the tiny net of the check, and the edge of stability
# ---------------------------------------------------------------------------------------------------------

TINY = {"sizes": [16, 6, 10], "activation": "tanh", "samples": 60}
"""The check's tiny net: the digits shrunk to 4 x 4 pixels (each the mean of a 2 x 2 block), 16 -> 6 tanh
units -> 10 classes (172 parameters), on 60 training images. tanh, because its Hessian is smooth everywhere:
the finite differences we check against never straddle a kink."""


def shrink_digits(X):
    """8 x 8 digits -> 4 x 4: each new pixel is the mean of a 2 x 2 block."""
    return X.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)


def tiny_problem(digits, seed=0):
    """``(model, X, y)`` of the sharpness check."""
    X = shrink_digits(digits.X_train[: TINY["samples"]])
    model = nn.MLP(TINY["sizes"], activation=TINY["activation"], init="xavier_normal",
                   rng=np.random.default_rng(seed))
    return model, X, digits.y_train[: TINY["samples"]]


def hessian_by_differences(model, X, y, h=1e-5):
    """The full Hessian, column j = (grad(w + h e_j) - grad(w - h e_j)) / 2h, from backpropagation's
    gradient alone (independent of ``sharpness.hvp``), symmetrized. The model is left as it was."""
    w0 = sharpness.flatten(model.params)
    H = np.empty((w0.size, w0.size))

    def grad_at(w):
        for p, q in zip(model.params, sharpness.unflatten(w, model.params)):
            p[...] = q
        return sharpness.flatten(model.loss_and_grads(X, y)[1])

    for j in range(w0.size):
        step = np.zeros_like(w0)
        step[j] = h
        H[:, j] = (grad_at(w0 + step) - grad_at(w0 - step)) / (2 * h)
    grad_at(w0)
    return (H + H.T) / 2


EOS = {"samples": 250, "sizes": [64, 32, 32, 32, 10], "init": "xavier_normal", "steps": 220, "every": 5,
       "tol": 1e-2, "lrs": (0.1, 0.2), "window": 100}
"""Full-batch gradient descent on the first 250 training digits, a 64-32-32-32-10 ReLU net with Xavier
weights (for ReLU they start small, so the net has to grow and its sharpness starts far below 2/lr),
220 steps at each rate of ``lrs``, the sharpness every 5 steps (power iteration warm-started from the last
estimate, stopped when it changes by less than ``tol``, relative). ``window``: the steps after the
sharpness first reaches 2/lr over which the lesson summarizes it."""


def eos_run(digits, lr, seed):
    """Full-batch GD with ``EOS`` at ``lr``: returns ``(history, tracker)`` (``sharpness.SharpnessTracker``)."""
    X, y = digits.X_train[: EOS["samples"]], digits.y_train[: EOS["samples"]]
    model = nn.MLP(EOS["sizes"], activation="relu", init=EOS["init"], rng=np.random.default_rng(seed))
    tracker = sharpness.SharpnessTracker(model, X, y, every=EOS["every"], rng=np.random.default_rng(seed + 100),
                                         tol=EOS["tol"])
    history = train.fit(model, optim.SGD(model.params, lr=lr), X, y, epochs=EOS["steps"], batch_size=None,
                        rng=np.random.default_rng(seed + 100), callbacks=[tracker])
    return history, tracker


def eos_summary(history, tracker, lr):
    """The numbers the lesson states about one edge-of-stability run (sharpness in units of 2/lr):

    - ``start``: the sharpness at step 0;
    - ``reach``: the first measured step where it is at least 0.9 (None if never);
    - ``median``: its median over the ``EOS["window"]`` steps from there;
    - ``loss_drop``: the loss at the start of that window over the loss at its end;
    - ``rises``: how many steps of the window increased the loss.
    """
    ratio = np.array(tracker.values) * lr / 2
    steps = np.array(tracker.steps)
    loss = np.array(history.epoch_loss)  # full batch: entry k is the loss after k steps
    above = np.flatnonzero(ratio >= 0.9)
    if above.size == 0:
        return {"start": float(ratio[0]), "reach": None, "median": None, "loss_drop": None, "rises": None}
    reach = int(steps[above[0]])
    end = min(reach + EOS["window"], int(steps[-1]))
    inside = (steps >= reach) & (steps <= end)
    return {
        "start": float(ratio[0]),
        "reach": reach,
        "median": float(np.median(ratio[inside])),
        "loss_drop": float(loss[reach] / loss[end]),
        "rises": int(np.sum(np.diff(loss[reach:end + 1]) > 0)),
    }
