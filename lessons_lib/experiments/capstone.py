"""Lesson 06's experiments (the capstone): the optimizer x initializer grid on the digits, and the mystery runs.

The grid trains one small ReLU network on the digits for every pairing of an optimizer (lesson 04) and an
initializer (lesson 05), each with several seeds. Its settings live here, in one place, so the notebook and
the tests that guard the notebook's conclusions train exactly the same runs.

The digits are split three ways (``load_split``): the networks train on 1024 images, every choice (a
learning rate, a reading of the grid) is made on 323 validation images, and the 450 test images are
scored once, at the end, for the settings chosen.
"""


import numpy as np

from .. import data, nn, optim, train

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
"""Every optimizer of lesson 04 with a learning rate in its usual range (AdaDelta: its default, lr = 1).
These are starting values, not tuned ones: the lesson tunes two of them on the validation split."""


INITS = {
    "N(0, 0.01²)": ("normal", 0.01),
    "N(0, 1)": ("normal", 1.0),
    "Xavier": ("xavier_normal", None),
    "He": ("he_normal", None),
}
"""The initializers of lesson 05 in the grid: label -> (name in ``init.INITIALIZERS``, init_std). LeCun is
left out: in this network it draws the same first two weight matrices as Xavier (both layers are 64 x 64,
where sqrt(1/64) = sqrt(2/(64 + 64))) and differs only in the output layer."""


EPOCHS, BATCH_SIZE = 3, 64
"""Every run: 3 epochs of minibatches of 64 (1024 training images: 16 full steps per epoch)."""

SEEDS = (0, 1, 2)
"""Every comparison is made over these seeds: seed s draws the weights, s + 1 the minibatch order."""

N_VALIDATION = 323
"""Images taken out of the 1347 training digits to choose settings with; 1024 are left to train on."""


def load_split(seed=0):
    """The digits as a ``data.DigitsSplit``: train on 1024 images, choose on ``N_VALIDATION`` = 323, score
    once on the 450 test images (``data.load_digits_split``)."""
    return data.load_digits_split(n_validation=N_VALIDATION, seed=seed)


def network(init_label, *, seed, sizes=SIZES):
    """A fresh ReLU ``nn.MLP`` of ``sizes`` with weights from ``INITS[init_label]``, drawn from ``seed``."""
    name, std = INITS[init_label]
    return nn.MLP(sizes, activation="relu", init=name, init_std=std, rng=np.random.default_rng(seed))


def train_pairing(optimizer, init_label, digits, *, lr=None, seed=0, epochs=EPOCHS, sizes=SIZES,
                  return_network=False):
    """Train ``network(init_label, seed=seed, sizes=sizes)`` with ``OPTIMIZERS[optimizer]`` on
    ``digits.X_train``; returns the ``train.History`` (and the trained network with ``return_network=True``).

    ``lr`` (optional) replaces the optimizer's learning rate. The validation split is scored after every
    epoch: it goes in ``train.fit``'s ``X_test`` slot, so ``history.test_acc`` holds the *validation*
    accuracy. The minibatch order comes from ``seed + 1``, so runs with the same seed see the same data
    in the same order and differ only in their pairing.
    """
    optimizer_cls, hyper = OPTIMIZERS[optimizer]
    hyper = dict(hyper, lr=hyper["lr"] if lr is None else lr)
    net = network(init_label, seed=seed, sizes=sizes)
    history = train.fit(net, optimizer_cls(net.params, **hyper), digits.X_train, digits.y_train, epochs=epochs,
                        batch_size=BATCH_SIZE, rng=np.random.default_rng(seed + 1), X_test=digits.X_val,
                        y_test=digits.y_val)
    return (history, net) if return_network else history


# ---------------------------------------------------------------------------------------------------------
# The learning-rate sweep, and the deeper network
# ---------------------------------------------------------------------------------------------------------

SWEPT = ("Momentum", "Adam")
"""The optimizers whose learning rate the lesson sweeps (with He init)."""

LR_FACTORS = (0.1, 0.3, 1, 3, 10, 30)
"""The sweep: each optimizer's grid learning rate times these factors (about 3 apart, on a log scale)."""


def sweep_lrs(optimizer):
    """The learning rates swept for ``optimizer``: its grid rate times each of ``LR_FACTORS``."""
    base = OPTIMIZERS[optimizer][1]["lr"]
    return [base * f for f in LR_FACTORS]


def choose_lr(lrs, losses):
    """The learning rate whose runs have the lowest mean validation loss; ``losses`` has one row per rate
    and one column per seed. The loss, not the accuracy: on 323 validation images the accuracy moves in
    steps of one image and two rates can tie on it exactly; the loss is continuous and tells them apart."""
    means = np.asarray(losses, dtype=float).mean(axis=1)
    return lrs[int(np.argmin(means))]


DEEP_SIZES = [64] + [64] * 8 + [10]
"""The deeper network: eight hidden ReLU layers of 64 units (nine weight layers)."""

DEEP_OPTIMIZER = "Adam"
"""He against Xavier in the deeper network: trained with Adam at its grid settings (lr = 2e-3)."""

DEEP_RETUNED_LR = 6e-3
"""The deeper network again at three times Adam's grid rate (section 4 found Adam's best rates above 2e-3):
does a larger learning rate close Xavier's gap?"""


# ---------------------------------------------------------------------------------------------------------
# The mystery runs (exercise 1)
# ---------------------------------------------------------------------------------------------------------

DIAGNOSES = ("fine", "lr too high", "lr too low", "init too small", "init too large")


MYSTERY = {
    "A": ("N(0, 1)", 0.02),
    "B": ("He", 1e-4),
    "C": ("He", 0.02),
    "D": ("He", 0.8),
    "E": ("N(0, 0.01²)", 0.02),
}
"""Each mystery run: (init label, learning rate) for SGD with momentum 0.9 on the grid's network."""

MYSTERY_EPOCHS = 4


def mystery_start(key, *, seed=0):
    """The network of mystery run ``key`` before training (to inspect its health)."""
    return network(MYSTERY[key][0], seed=seed)


def mystery_optimizer(key, net):
    """The optimizer of mystery run ``key``, built on ``net.params``: SGD with momentum 0.9."""
    return optim.SGD(net.params, lr=MYSTERY[key][1], momentum=0.9)


def mystery_runs(digits, *, seed=0, epochs=MYSTERY_EPOCHS):
    """Train the five ``MYSTERY`` runs; returns a dict letter -> ``History`` (validation scored as in
    ``train_pairing``)."""
    runs = {}
    for key in MYSTERY:
        net = mystery_start(key, seed=seed)
        runs[key] = train.fit(net, mystery_optimizer(key, net), digits.X_train, digits.y_train, epochs=epochs,
                              batch_size=BATCH_SIZE, rng=np.random.default_rng(seed + 1), X_test=digits.X_val,
                              y_test=digits.y_val)
    return runs


def health(key, digits, *, seed=0):
    """What mystery run ``key``'s network looks like before training and after its first step.

    Returns a dict: ``loss`` (on the training images, before any step), ``stds`` (each hidden layer's
    activation std), ``grad_norm`` (the norm of the loss's gradient for W1, the first layer's weights),
    and ``update_ratio``, ||W1 after - W1 before|| / ||W1 before|| for the run's first optimizer step: the
    step ``mystery_runs`` takes, on the same first minibatch (drawn from ``seed + 1`` as in ``train.fit``).
    """
    net = mystery_start(key, seed=seed)
    X, y = digits.X_train, digits.y_train
    loss, grads = net.loss_and_grads(X, y)
    stds = [float(a.std()) for a in net.hidden_activations(X)]
    W1_before = net.params[0].copy()
    batches = data.minibatches(len(y), BATCH_SIZE, rng=np.random.default_rng(seed + 1), last_batch="drop")
    first = next(iter(batches))
    _, batch_grads = net.loss_and_grads(X[first], y[first])
    mystery_optimizer(key, net).step(batch_grads)
    ratio = np.linalg.norm(net.params[0] - W1_before) / np.linalg.norm(W1_before)
    return {"loss": float(loss), "stds": stds, "grad_norm": float(np.linalg.norm(grads[0])),
            "update_ratio": float(ratio)}
