"""Lesson 06's experiments (the capstone): the optimizer x initializer grid on the digits, and the mystery runs.

The grid trains one small ReLU network on the digits for every pairing of an optimizer (lesson 04) and an
initializer (lesson 05). Its settings live here, in one place, so the notebook and the tests that guard the
notebook's conclusions train exactly the same runs.
"""

import numpy as np

from .. import nn, optim, train

SIZES = [64, 64, 64, 10]
"""The network: 64 pixels -> 64 -> 64 ReLU units -> 10 classes (three weight layers)."""


OPTIMIZERS = {
    "SGD": (optim.SGD, {"lr": 0.1}),
    "Momentum": (optim.SGD, {"lr": 0.02, "momentum": 0.9}),
    "Nesterov": (optim.SGD, {"lr": 0.02, "momentum": 0.9, "nesterov": True}),
    "AdaGrad": (optim.Adagrad, {"lr": 0.03}),
    "RMSProp": (optim.RMSprop, {"lr": 1e-3}),
    "AdaDelta": (optim.Adadelta, {"lr": 1.0}),
    "Adam": (optim.Adam, {"lr": 2e-3}),
    "NAdam": (optim.NAdam, {"lr": 2e-3}),
}
"""Every optimizer of lesson 04 with a learning rate in its usual range (AdaDelta: its default, lr = 1)."""


INITS = {
    "N(0, 0.01²)": ("normal", 0.01),
    "N(0, 1)": ("normal", 1.0),
    "LeCun": ("lecun_normal", None),
    "Xavier": ("xavier_normal", None),
    "He": ("he_normal", None),
}
"""The initializers of lesson 05: label -> (name in ``init.INITIALIZERS``, init_std)."""


EPOCHS, BATCH_SIZE, SEED = 6, 64, 0


def train_pairing(optimizer, init_label, digits, *, lr=None, seed=SEED, epochs=EPOCHS):
    """Train ``SIZES`` with ReLU, weights from ``INITS[init_label]``, with ``OPTIMIZERS[optimizer]``.

    ``digits`` is ``(X_train, X_test, y_train, y_test)``; ``lr`` (optional) replaces the optimizer's
    learning rate. The weights come from ``seed`` and the minibatch order from ``seed + 1``, so every
    pairing sees the same data in the same order. Returns the ``train.History``.
    """
    X_train, X_test, y_train, y_test = digits
    optimizer_cls, hyper = OPTIMIZERS[optimizer]
    hyper = dict(hyper, lr=hyper["lr"] if lr is None else lr)
    name, std = INITS[init_label]
    net = nn.MLP(SIZES, activation="relu", init=name, init_std=std, rng=np.random.default_rng(seed))
    return train.fit(net, optimizer_cls(net.params, **hyper), X_train, y_train, epochs=epochs,
                     batch_size=BATCH_SIZE, rng=np.random.default_rng(seed + 1), X_test=X_test, y_test=y_test)


DIAGNOSES = ("fine", "lr too high", "lr too low", "init too small", "init too large")


MYSTERY = {
    "A": ("N(0, 1)", 0.02),
    "B": ("He", 1e-4),
    "C": ("He", 0.02),
    "D": ("He", 0.3),
    "E": ("N(0, 0.01²)", 0.02),
}
"""Each mystery run: (init label, learning rate) for SGD with momentum 0.9 on the grid's network."""


def mystery_runs(digits, epochs=4):
    """Train the five ``MYSTERY`` runs (SGD with momentum 0.9); returns a dict letter -> ``History``."""
    runs = {}
    for key, (init_label, lr) in MYSTERY.items():
        X_train, X_test, y_train, y_test = digits
        name, std = INITS[init_label]
        net = nn.MLP(SIZES, activation="relu", init=name, init_std=std, rng=np.random.default_rng(SEED))
        runs[key] = train.fit(net, optim.SGD(net.params, lr=lr, momentum=0.9), X_train, y_train, epochs=epochs,
                              batch_size=BATCH_SIZE, rng=np.random.default_rng(SEED + 1),
                              X_test=X_test, y_test=y_test)
    return runs


def mystery_start(key):
    """The network of mystery run ``key`` before training (to inspect its health)."""
    init_label, _ = MYSTERY[key]
    name, std = INITS[init_label]
    return nn.MLP(SIZES, activation="relu", init=name, init_std=std, rng=np.random.default_rng(SEED))
