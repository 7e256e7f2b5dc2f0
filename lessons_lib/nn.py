"""A small numpy multilayer perceptron: forward pass, backward pass, and a gradient check.

Read it like micrograd: every piece's forward computation sits right next to its backward one.

- activations:  ``f(z)`` and its slope ``f'(z)``, written with the output ``a = f(z)``
- dense layer:  ``z = a @ W + b``  and  ``dW = a.T @ dz, db = sum(dz), da = dz @ W.T``
- loss:         mean softmax cross-entropy and its gradient ``(softmax - onehot) / N``

Weights have shape ``(fan_in, fan_out)`` (``x @ W``; see ``lessons_lib.init``). Everything is float64 and
vectorized over the samples of a batch.
"""

from collections import namedtuple

import numpy as np

from . import _validate
from . import init as initializers

# ---------------------------------------------------------------------------------------------------------
# Activation functions, each beside its derivative (written with the output a = f(z))
# ---------------------------------------------------------------------------------------------------------


def relu(z):
    return np.maximum(z, 0.0)


def relu_slope(a):
    return (a > 0.0).astype(a.dtype)  # 1 where the unit is on, 0 where it is off


def sigmoid(z):
    """1 / (1 + exp(-z)). For z < -709, exp(-z) overflows to inf and the result is 1/inf = 0, the right
    limit, so numpy's overflow warning is switched off here."""
    with np.errstate(over="ignore"):
        a = np.exp(-z)
    a += 1.0
    return np.reciprocal(a, out=a)


def sigmoid_slope(a):
    return a * (1.0 - a)  # at most 0.25 (at a = 0.5), near 0 when a is near 0 or 1


def tanh(z):
    return np.tanh(z)


def tanh_slope(a):
    return 1.0 - a * a


Activation = namedtuple("Activation", ["f", "slope"])

ACTIVATIONS = {
    "relu": Activation(relu, relu_slope),
    "sigmoid": Activation(sigmoid, sigmoid_slope),
    "tanh": Activation(tanh, tanh_slope),
}

# ---------------------------------------------------------------------------------------------------------
# A dense layer and the loss, forward beside backward
# ---------------------------------------------------------------------------------------------------------


def dense_forward(a, W, b):
    """z = a @ W + b   (a: (N, fan_in), W: (fan_in, fan_out), b: (fan_out,))."""
    return a @ W + b


def dense_backward(dz, a, W, input_grad=True):
    """Given dL/dz, return (dL/dW, dL/db, dL/da). With ``input_grad=False`` dL/da is skipped (None):
    the first layer's input is the data, which needs no gradient."""
    return a.T @ dz, dz.sum(axis=0), (dz @ W.T if input_grad else None)


def log_softmax(logits):
    """log softmax(z) = z - max(z) - log(sum(exp(z - max(z)))), computed stably row by row."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of integer labels ``y`` under softmax(logits), and its gradient.

    L = -(1/N) sum_n log softmax(z_n)[y_n];   dL/dz = (softmax(z) - onehot(y)) / N.
    """
    n = logits.shape[0]
    log_p = log_softmax(logits)
    rows = np.arange(n)
    loss = -log_p[rows, y].mean()
    dlogits = np.exp(log_p)
    dlogits[rows, y] -= 1.0
    dlogits /= n
    return float(loss), dlogits


# ---------------------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------------------


class MLP:
    """A fully connected network: hidden layers with one activation, then a linear output layer (logits).

    ``MLP([64, 128, 128, 10], activation='relu', init='he_normal', rng=rng)`` has two hidden layers of
    128 units and 10 outputs. Weights are drawn from ``init`` -- a name in ``lessons_lib.init.INITIALIZERS``
    (``'normal'`` needs ``init_std``) or a callable ``init(shape, rng=rng)`` -- for every layer, in order;
    biases start at 0 (``bias=False`` leaves them out).

    ``params`` is ``[W1, b1, W2, b2, ...]`` (float64; ``W`` has shape ``(fan_in, fan_out)``), or
    ``[W1, W2, ...]`` without biases. An optimizer updates these arrays in place.
    """

    def __init__(self, sizes, activation="relu", init="he_normal", *, rng, init_std=None, bias=True):
        sizes = _validate.layer_sizes(sizes)
        _validate.one_of("activation", activation, tuple(ACTIVATIONS))
        initializers.check_choice(init, init_std)
        _validate.generator("rng", rng)
        _validate.flag("bias", bias)

        self.sizes = sizes
        self.activation = activation
        self.bias = bias
        self.params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            self.params.append(initializers.draw(init, (fan_in, fan_out), rng=rng, init_std=init_std))
            if bias:
                self.params.append(np.zeros(fan_out))

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, activation={self.activation!r}, bias={self.bias})"

    @property
    def n_layers(self):
        """Number of weight layers (hidden layers + the output layer)."""
        return len(self.sizes) - 1

    @property
    def weights(self):
        """[W1, W2, ...]: the weight matrices (the same arrays as in ``params``)."""
        return self.params[:: 2 if self.bias else 1]

    def _layer(self, i):
        """(W, b) of layer i (counting from 0); b is None without biases."""
        if self.bias:
            return self.params[2 * i], self.params[2 * i + 1]
        return self.params[i], None

    def _check_X(self, X):
        _validate.samples("X", X, self.sizes[0])

    def _check_y(self, X, y):
        _validate.labels("y", y, len(X), self.sizes[-1])

    # --- forward ------------------------------------------------------------------------------------------

    def forward(self, X, return_pre=False):
        """Run the network on X (shape (N, sizes[0])).

        Returns ``activations``, a list of ``n_layers + 1`` arrays: ``activations[0]`` is the input X,
        ``activations[1:-1]`` are the hidden layers' outputs (what lesson 05 draws as histograms) and
        ``activations[-1]`` the logits. With ``return_pre=True`` returns ``(activations, pre)`` where
        ``pre[i] = activations[i] @ W_{i+1} + b_{i+1}`` (``n_layers`` arrays) and
        ``activations[i+1] = f(pre[i])`` (f is the identity for the output layer).
        """
        self._check_X(X)
        activations, pre = self._forward(X)
        return (activations, pre) if return_pre else activations

    def _forward(self, X):
        f = ACTIVATIONS[self.activation].f
        activations, pre = [X], []
        for i in range(self.n_layers):
            W, b = self._layer(i)
            z = activations[-1] @ W if b is None else dense_forward(activations[-1], W, b)
            pre.append(z)
            activations.append(z if i == self.n_layers - 1 else f(z))
        return activations, pre

    def hidden_activations(self, X):
        """The outputs of the hidden layers only (``forward(X)[1:-1]``)."""
        return self.forward(X)[1:-1]

    def logits(self, X):
        self._check_X(X)
        return self._forward(X)[0][-1]

    def predict(self, X):
        """The most likely class of each row of X."""
        return self.logits(X).argmax(axis=1)

    def accuracy(self, X, y):
        """Fraction of rows of X whose predicted class equals y (a float in [0, 1])."""
        return self.loss_and_accuracy(X, y)[1]

    def loss(self, X, y):
        """Mean softmax cross-entropy of labels y (no gradients)."""
        return self.loss_and_accuracy(X, y)[0]

    def loss_and_accuracy(self, X, y):
        """``(loss(X, y), accuracy(X, y))`` from one forward pass (the training loop records both)."""
        self._check_X(X)
        self._check_y(X, y)
        logits = self._forward(X)[0][-1]
        loss = float(-log_softmax(logits)[np.arange(len(y)), y].mean())
        return loss, float(np.mean(logits.argmax(axis=1) == y))

    # --- backward -----------------------------------------------------------------------------------------

    def loss_and_grads(self, X, y):
        """Mean softmax cross-entropy of labels y and its gradient for every parameter.

        Returns ``(loss, grads)`` with ``grads`` in the order of ``params``. Backpropagation, layer by layer
        from the top: ``dz`` of the output layer comes from the loss; for each layer ``dense_backward``
        gives dW, db and the gradient at its input ``da``, and ``dz = da * f'(z)`` for the layer below.
        """
        self._check_X(X)
        self._check_y(X, y)
        return self._loss_and_grads(X, y)

    def _loss_and_grads(self, X, y):
        slope = ACTIVATIONS[self.activation].slope
        activations, _ = self._forward(X)
        loss, dz = softmax_cross_entropy(activations[-1], y)
        grads = [None] * len(self.params)
        for i in reversed(range(self.n_layers)):
            W, _ = self._layer(i)
            dW, db, da = dense_backward(dz, activations[i], W, input_grad=i > 0)
            if self.bias:
                grads[2 * i], grads[2 * i + 1] = dW, db
            else:
                grads[i] = dW
            if i > 0:
                dz = da * slope(activations[i])  # activations[i] = f(z) of layer i-1
        return loss, grads

    def layer_grad_norms(self, X, y):
        """Frobenius norm of dL/dW for each layer, input side first: shows vanishing gradients."""
        _, grads = self.loss_and_grads(X, y)
        step = 2 if self.bias else 1
        return [float(np.linalg.norm(g)) for g in grads[::step]]
