"""Lesson 05's experiments: a deep stack of equal layers, and the initializers the lesson compares.

The classic experiment of *Deep Learning from Scratch* ch. 6: 1000 inputs of 100 N(0, 1) features go through
5 layers of 100 units with no biases and no output layer, and we look at each layer's activations (their
histograms and spread) and at how much gradient reaches each layer's weights. ``stack_activations`` and
``stack_grad_norms`` run it for any depth, width, activation and initializer.
"""

import numpy as np

from .. import _validate, nn
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


def _check_stack(X, n_layers, width, activation, init, rng, init_std):
    _validate.finite_array("X", X)
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be 2-D (n_samples, n_features) and not empty, got shape {X.shape}")
    _validate.positive_int("n_layers", n_layers)
    _validate.positive_int("width", width)
    _validate.one_of("activation", activation, tuple(nn.ACTIVATIONS))
    init_module.check_choice(init, init_std)
    _validate.generator("rng", rng)


def _stack_forward(X, n_layers, width, activation, init, rng, init_std):
    f = nn.ACTIVATIONS[activation].f
    weights, activations = [], [X]
    for _ in range(n_layers):
        W = init_module.draw(init, (activations[-1].shape[1], width), rng=rng, init_std=init_std)
        weights.append(W)
        activations.append(f(activations[-1] @ W))
    return weights, activations


def stack_activations(X, n_layers, width, activation, init, *, rng, init_std=None):
    """Send X through ``n_layers`` layers of ``width`` units (no biases, no output layer).

    Returns the ``n_layers`` activation arrays, first hidden layer first (X itself is not included).
    Weights are drawn layer by layer from ``init`` as in ``MLP``. The classic experiment:
    ``stack_activations(rng.normal(size=(1000, 100)), 5, 100, 'sigmoid', 'normal', init_std=1.0, rng=rng)``.
    """
    _check_stack(X, n_layers, width, activation, init, rng, init_std)
    return _stack_forward(X, n_layers, width, activation, init, rng, init_std)[1][1:]


def stack_grad_norms(X, n_layers, width, activation, init, *, rng, init_std=None):
    """Norm of dL/dW for each layer of the same stack as ``stack_activations``, first layer first.

    With no output layer there is no real loss, so we send back the gradient of
    L = (1/N) * sum of the last layer's activations (a gradient of 1/N at every top unit) and measure how
    much of it reaches each layer's weights. Given a generator in the same state, the weights are the same
    as in ``stack_activations``.
    """
    _check_stack(X, n_layers, width, activation, init, rng, init_std)
    slope = nn.ACTIVATIONS[activation].slope
    weights, activations = _stack_forward(X, n_layers, width, activation, init, rng, init_std)
    da = np.full_like(activations[-1], 1.0 / X.shape[0])
    norms = []
    for i in reversed(range(n_layers)):
        dz = da * slope(activations[i + 1])
        norms.append(float(np.linalg.norm(activations[i].T @ dz)))
        da = dz @ weights[i].T
    return norms[::-1]
