"""Lesson 05's experiments: a deep stack of equal layers, and the digits training that tests the rule of thumb.

The classic experiment of *Deep Learning from Scratch* ch. 6: 1000 inputs of 100 N(0, 1) features go through
5 layers of 100 units with no biases and no output layer, and we look at each layer's activations (their
histograms and spread) and at how much gradient reaches each layer's weights. ``stack_activations`` and
``stack_grad_norms`` run it for any depth, width, activation and initializer.

The training experiment (``TRAINING``, ``train_pairing``, ``train_pairings``) trains one network on the
digits for each pairing of an activation and an initializer, over several seeds, so the notebook and the
tests that guard its conclusions run exactly the same runs.
"""

import functools
from dataclasses import dataclass

import numpy as np

from .. import _validate, data, nn, optim, train
from .. import init as init_module

INITS = {
    "N(0, 1)": ("normal", 1.0),
    "N(0, 0.01²)": ("normal", 0.01),
    "LeCun normal": ("lecun_normal", None),
    "Xavier normal": ("xavier_normal", None),
    "He normal": ("he_normal", None),
}
"""The initializers the lesson compares: label -> (name in ``init.INITIALIZERS``, init_std)."""

HISTOGRAM_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0)}
"""The x range of the histograms for each activation (for ReLU only the values > 0 are drawn)."""

CLASSIC = {"samples": 1000, "features": 100, "layers": 5, "width": 100}
"""The classic experiment's sizes: 1000 x 100 N(0, 1) inputs, 5 layers of 100 units."""


# ---------------------------------------------------------------------------------------------------------
# The symmetry trap: a small network started from constant weights
# ---------------------------------------------------------------------------------------------------------

SYMMETRY = {"sizes": [64, 16, 10], "activation": "sigmoid", "lr": 0.5, "batch_size": 32, "epochs": 5}
"""The symmetry experiment: a 64-16-10 network trained on the digits with plain SGD."""


def constant_init(shape, rng):
    """Every weight 0.1 (a normal with std 0 and mean 0.1): a constant init."""
    return init_module.normal(shape, std=0.0, mean=0.1, rng=rng)


def train_small(init, digits, seed=0, *, activation=None, epochs=None):
    """Train ``SYMMETRY``'s network with weights from ``init``; returns the trained ``nn.MLP``.

    The weights come from ``seed``, the minibatch order from ``seed + 1``; ``activation`` and ``epochs``
    (optional) replace ``SYMMETRY``'s.
    """
    X_train, _, y_train, _ = digits
    net = nn.MLP(SYMMETRY["sizes"], activation=activation or SYMMETRY["activation"], init=init,
                 rng=np.random.default_rng(seed))
    train.fit(net, optim.SGD(net.params, lr=SYMMETRY["lr"]), X_train, y_train,
              epochs=epochs or SYMMETRY["epochs"], batch_size=SYMMETRY["batch_size"],
              rng=np.random.default_rng(seed + 1))
    return net


# ---------------------------------------------------------------------------------------------------------
# The deep stack
# ---------------------------------------------------------------------------------------------------------


def _check_stack(X, n_layers, width, activation, init, rng, init_std):
    _validate.finite_array("X", X)
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be 2-D (n_samples, n_features) and not empty, got shape {X.shape}")
    _validate.positive_int("n_layers", n_layers)
    _validate.positive_int("width", width)
    _validate.one_of("activation", activation, tuple(nn.ACTIVATIONS))
    init_module.check_choice(init, init_std)
    _validate.generator("rng", rng)


def stack_activations(X, n_layers, width, activation, init, *, rng, init_std=None):
    """Send X through ``n_layers`` layers of ``width`` units (no biases, no output layer).

    Returns the ``n_layers`` activation arrays, first hidden layer first (X itself is not included).
    Weights are drawn layer by layer from ``init`` as in ``MLP``. The classic experiment:
    ``stack_activations(rng.normal(size=(1000, 100)), 5, 100, 'sigmoid', 'normal', init_std=1.0, rng=rng)``.
    """
    _check_stack(X, n_layers, width, activation, init, rng, init_std)
    f = nn.ACTIVATIONS[activation].f
    a, activations = X, []
    for _ in range(n_layers):
        W = init_module.draw(init, (a.shape[1], width), rng=rng, init_std=init_std)  # shape (fan_in, width)
        a = f(a @ W)                                                                  # no bias
        activations.append(a)
    return activations


def stack_grad_norms(X, n_layers, width, activation, init, *, rng, init_std=None):
    """Norm of dL/dW for each layer of the same stack as ``stack_activations``, first layer first.

    With no output layer there is no real loss, so we send back the gradient of
    L = (1/N) * sum of the last layer's activations (a gradient of 1/N at every top unit) and measure how
    much of it reaches each layer's weights. Given a generator in the same state, the weights are the same
    as in ``stack_activations``.
    """
    _check_stack(X, n_layers, width, activation, init, rng, init_std)
    f, slope = nn.ACTIVATIONS[activation]
    weights, inputs, a = [], [], X
    for _ in range(n_layers):  # the forward pass of stack_activations, keeping each layer's W and input
        W = init_module.draw(init, (a.shape[1], width), rng=rng, init_std=init_std)
        weights.append(W)
        inputs.append(a)
        a = f(a @ W)
    da = np.full_like(a, 1.0 / X.shape[0])  # dL/da at the top
    norms = []
    for W, a_in in zip(reversed(weights), reversed(inputs)):
        dz = da * slope(a)               # through the activation (slope written with its output a)
        norms.append(float(np.linalg.norm(a_in.T @ dz)))
        da, a = dz @ W.T, a_in           # down to the layer below
    return norms[::-1]


# ---------------------------------------------------------------------------------------------------------
# Training on the digits: does the rule of thumb hold?
# ---------------------------------------------------------------------------------------------------------

TRAINING = {"sizes": [64, 64, 64, 64, 10], "lr": 0.05, "momentum": 0.9, "batch_size": 64, "epochs": 4}
"""One network and one optimizer for every pairing: 64 pixels -> three hidden layers of 64 -> 10 classes,
SGD with momentum, batches of 64 (the remainder batch is dropped, ``train.fit``'s default), 4 epochs.

The learning rate was chosen on ``validation_split`` (a fifth of the training images; the test set is
never used) among ``LR_GRID``: it gives the lowest validation loss (mean over ``SEEDS``) of the five for the
pairings the rule recommends for tanh (Xavier) and ReLU (He); ``tests/test_lesson05_claims.py`` checks it.
Plain Xavier with sigmoid stays at chance even with the largest of them, 0.2.
"""

SEEDS = (0, 1, 2)
"""Each run draws its weights from ``seed`` and its minibatch order from ``seed + 1``."""

xavier_gain4 = functools.partial(init_module.xavier_normal, gain=4.0)
xavier_gain4.__doc__ = "Xavier normal with gain 4 = 1 / sigmoid'(0): the Theano tutorials' advice for sigmoid."

PAIRINGS = {
    ("sigmoid", "Xavier"): ("xavier_normal", None),
    ("sigmoid", "Xavier ×4"): (xavier_gain4, None),
    ("sigmoid", "N(0, 1)"): ("normal", 1.0),
    ("tanh", "Xavier"): ("xavier_normal", None),
    ("tanh", "He"): ("he_normal", None),
    ("relu", "Xavier"): ("xavier_normal", None),
    ("relu", "He"): ("he_normal", None),
}
"""(activation, label) -> (init, init_std): what the rule of thumb recommends for each activation, and the
alternatives it is tested against. With 64-unit layers N(0, 1) is about Xavier x 8 (Xavier's std is
sqrt(2 / 128) = 0.125)."""


@dataclass(frozen=True)
class Run:
    """One training run: its ``history`` (``train.History``), and the trained network's loss and accuracy on
    the test set (or on the validation set it was given in its place)."""

    history: train.History
    test_loss: float
    test_accuracy: float

    @property
    def loss(self):
        """The training loss on the whole training set, before training (entry 0) and after each epoch."""
        return self.history.epoch_loss


def train_pairing(activation, label, digits, seed, *, lr=None, epochs=None):
    """Train ``TRAINING``'s network with ``activation`` and the start ``PAIRINGS[activation, label]``.

    ``digits`` is ``(X_train, X_test, y_train, y_test)``; ``seed`` gives the weights, ``seed + 1`` the
    minibatch order. ``lr`` and ``epochs`` (optional) replace ``TRAINING``'s. ``X_test`` and ``y_test`` may
    be a validation split instead (the learning rate was chosen that way). Returns a ``Run``; the test set
    is measured once, after training.
    """
    X_train, X_test, y_train, y_test = digits
    how, std = PAIRINGS[activation, label]
    net = nn.MLP(TRAINING["sizes"], activation=activation, init=how, init_std=std, rng=np.random.default_rng(seed))
    optimizer = optim.SGD(net.params, lr=TRAINING["lr"] if lr is None else lr, momentum=TRAINING["momentum"])
    history = train.fit(net, optimizer, X_train, y_train, epochs=TRAINING["epochs"] if epochs is None else epochs,
                        batch_size=TRAINING["batch_size"], rng=np.random.default_rng(seed + 1))
    return Run(history, *net.loss_and_accuracy(X_test, y_test))


LR_GRID = (0.01, 0.02, 0.05, 0.1, 0.2)
"""The learning rates ``TRAINING["lr"]`` was chosen from, on ``validation_split``."""


def validation_split(digits, fraction=0.2, seed=0):
    """Carve a validation set out of the digits' *training* images: ``(X_fit, X_val, y_fit, y_val)``.

    ``fraction`` of the training images (a seeded random choice) are held out; the test set is not used.
    Pass the result to ``train_pairing`` in place of ``digits`` to score a learning rate on held-out images.
    """
    X_train, _, y_train, _ = digits
    return data.hold_out(X_train, y_train, int(round(fraction * len(y_train))), seed=seed)


def train_pairings(digits, seeds=SEEDS, pairings=None):
    """``train_pairing`` for every pairing (all of ``PAIRINGS`` by default) and seed.

    Returns a dict (activation, label) -> list of ``Run``, one per seed, in the order of ``seeds``.
    """
    pairings = list(PAIRINGS) if pairings is None else list(pairings)
    return {key: [train_pairing(*key, digits, seed) for seed in seeds] for key in pairings}
