"""Sharpness: the largest eigenvalue of the loss's Hessian, from Hessian-vector products.

The Hessian ``H`` of the loss holds every second derivative, d^2 L / dw_i dw_j: for a network with P
parameters it is P x P (about 13 000 x 13 000 for a 64-96-64-10 net: too big to build). Its largest
eigenvalue, the **sharpness**, is the curvature along the steepest direction of the bowl. Lesson 01 showed
that on a quadratic with curvature L, gradient descent is stable only for lr < 2 / L; a network's loss is not
a quadratic, but near any point it looks like one with ``H`` as its curvature.

We never build ``H``. Power iteration needs only products ``H @ v``:

    v <- H v / |H v|,   repeated;   lambda = v . H v   (the Rayleigh quotient)

converges to the eigenvalue of largest *magnitude* (``top_eigenvalue`` handles a negative one, which a
Hessian away from a minimum can have, with a shift). ``hvp`` computes ``H @ v`` **exactly** (to rounding), with
Pearlmutter's R-operator ("Fast exact multiplication by the Hessian", Neural Computation 1994): the forward
and backward passes of ``nn.MLP`` are differentiated once more in the direction ``v``, at about twice the cost
of one gradient. No finite differences, so no step size to choose. (The tests check it against a Hessian
built independently, from second differences of the loss.)

- ``hvp(model, X, y, v)``                    H @ v at the model's current parameters
- ``top_eigenvalue(matvec, v0)``             power iteration (with a shift if the top is negative)
- ``sharpness(model, X, y, rng=...)``        the two together: the largest eigenvalue of H
- ``hessian(model, X, y)``                   the full Hessian, column by column from ``hvp`` (tiny nets only)
- ``SharpnessTracker``                       a callback for ``train.fit``: sharpness every few steps

``hvp`` knows the layers of ``nn.MLP`` only. For a model of your own, hand ``top_eigenvalue`` any function
``matvec(v) = H @ v``; the simplest is a central difference of your gradient along v,
``(grad(w + h v) - grad(w - h v)) / (2 h)`` with ``|v| = 1``, accurate to O(h^2) where the loss is smooth.
With ReLU, keep h small enough (1e-7 or less) that no pre-activation changes sign between w - h v and
w + h v: across a kink the gradient jumps, and the difference reports a huge, false curvature.
"""

from dataclasses import dataclass

import numpy as np

from . import _validate
from .nn import ACTIVATIONS, log_softmax

# ---------------------------------------------------------------------------------------------------------
# Flat vectors <-> parameter lists
# ---------------------------------------------------------------------------------------------------------


def flatten(arrays):
    """One flat float64 vector holding every array of ``arrays`` in order (a copy)."""
    return np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64)


def unflatten(vector, like):
    """Split a flat ``vector`` into arrays shaped like the arrays of ``like`` (views of ``vector``)."""
    sizes = [a.size for a in like]
    if vector.shape != (sum(sizes),):
        raise ValueError(f"vector must have shape ({sum(sizes)},) to match the parameters, got {vector.shape}")
    pieces, start = [], 0
    for a, size in zip(like, sizes):
        pieces.append(vector[start:start + size].reshape(a.shape))
        start += size
    return pieces


# ---------------------------------------------------------------------------------------------------------
# The exact Hessian-vector product of an nn.MLP (Pearlmutter's R-operator)
# ---------------------------------------------------------------------------------------------------------

# The second derivative f''(z) of each activation, written with the output a = f(z), like nn's slopes.
CURVATURES = {
    "relu": lambda a: np.zeros_like(a),            # ReLU is piecewise linear: f'' = 0 (except at the kink)
    "sigmoid": lambda a: a * (1.0 - a) * (1.0 - 2.0 * a),
    "tanh": lambda a: -2.0 * a * (1.0 - a * a),
}


def _check_model(model):
    for name in ("params", "sizes", "activation", "bias", "loss_and_grads"):
        if not hasattr(model, name):
            raise TypeError(f"model must be an nn.MLP, got {type(model).__name__}")


def _layers(params, model):
    """[(W, b or None), ...] for every layer of ``model``, taken from the list ``params``."""
    if model.bias:
        return [(params[2 * i], params[2 * i + 1]) for i in range(model.n_layers)]
    return [(W, None) for W in params]


def hvp(model, X, y, v):
    """The Hessian of ``model.loss(X, y)`` times ``v``, exactly (Pearlmutter's R-operator).

    ``v`` is a list of arrays shaped like ``model.params`` (a direction in parameter space). Returns
    ``(loss, grads, Hv)``: the loss, its gradient and H @ v, each gradient-like list in the order of
    ``params``. Every line of the forward and backward pass of ``nn.MLP`` gets a twin ``R{...}``, its
    derivative in the direction v:

        forward:   z = a W + b            R{z} = R{a} W + a V + R{b}
                   a' = f(z)              R{a'} = f'(z) R{z}
        loss:      dz_L = (p - onehot)/N  R{dz_L} = (p * (R{z_L} - sum(p R{z_L}))) / N
        backward:  dW = a^T dz            R{dW} = R{a}^T dz + a^T R{dz}        (= (H v) for W)
                   da = dz W^T            R{da} = R{dz} W^T + dz V^T
                   dz = da f'(z)          R{dz} = R{da} f'(z) + da f''(z) R{z}

    where V, R{b} are the parts of v for W and b. ReLU's f'' is 0 (its Hessian is defined wherever no
    pre-activation sits exactly at 0).
    """
    _check_model(model)
    _validate.samples("X", X, model.sizes[0])
    _validate.labels("y", y, len(X), model.sizes[-1])
    if not isinstance(v, (list, tuple)) or len(v) != len(model.params):
        raise ValueError(f"v must be a list of {len(model.params)} arrays shaped like model.params")
    for i, (vi, p) in enumerate(zip(v, model.params)):
        _validate.finite_array(f"v[{i}]", vi)
        if vi.shape != p.shape:
            raise ValueError(f"v[{i}] has shape {vi.shape} but params[{i}] has shape {p.shape}")
    return _hvp(model, X, y, v)


def _hvp(model, X, y, v):
    f, slope = ACTIVATIONS[model.activation]
    curvature = None if model.activation == "relu" else CURVATURES[model.activation]  # ReLU: f'' = 0
    layers, directions = _layers(model.params, model), _layers(v, model)
    n_layers = model.n_layers

    # forward, with its R-twin (R{a} of the input X is 0: the data does not depend on the weights)
    a, Ra, Rz, slopes = [X], [None], [], []
    for i, ((W, b), (V, Vb)) in enumerate(zip(layers, directions)):
        z = a[-1] @ W if b is None else a[-1] @ W + b
        r = a[-1] @ V if i == 0 else Ra[-1] @ W + a[-1] @ V
        Rz.append(r if Vb is None else r + Vb)
        if i == n_layers - 1:
            a.append(z)                       # the logits: no activation
            Ra.append(Rz[-1])
        else:
            out = f(z)
            slopes.append(slope(out))
            a.append(out)
            Ra.append(slopes[-1] * Rz[-1])

    # the loss (mean softmax cross-entropy) and its R-twin
    n = len(y)
    rows = np.arange(n)
    log_p = log_softmax(a[-1])
    loss = float(-log_p[rows, y].mean())
    p = np.exp(log_p)
    dz = p.copy()
    dz[rows, y] -= 1.0
    dz /= n
    Rlogits = Ra[-1]
    Rdz = p * (Rlogits - (p * Rlogits).sum(axis=1, keepdims=True)) / n

    # backward, with its R-twin
    grads, Hv = [None] * len(model.params), [None] * len(model.params)
    for i in reversed(range(n_layers)):
        (W, _), (V, _) = layers[i], directions[i]
        dW = a[i].T @ dz
        RdW = a[i].T @ Rdz if i == 0 else Ra[i].T @ dz + a[i].T @ Rdz
        k = 2 * i if model.bias else i
        grads[k], Hv[k] = dW, RdW
        if model.bias:
            grads[k + 1], Hv[k + 1] = dz.sum(axis=0), Rdz.sum(axis=0)
        if i > 0:
            da, Rda = dz @ W.T, Rdz @ W.T + dz @ V.T
            s = slopes[i - 1]                              # f'(z) of layer i - 1
            dz, Rdz = da * s, Rda * s
            if curvature is not None:                      # + da f''(z) R{z}
                Rdz += da * curvature(a[i]) * Rz[i - 1]
    return loss, grads, Hv


def hessian(model, X, y):
    """The full P x P Hessian of ``model.loss(X, y)``, one column ``H @ e_j`` per parameter (tiny nets only)."""
    _check_model(model)
    n = sum(p.size for p in model.params)
    if n > 5000:
        raise ValueError(f"the model has {n} parameters: a {n} x {n} Hessian is too big; use sharpness()")
    H = np.empty((n, n))
    e = np.zeros(n)
    for j in range(n):
        e[j] = 1.0
        H[:, j] = flatten(hvp(model, X, y, unflatten(e, model.params))[2])
        e[j] = 0.0
    return H


# ---------------------------------------------------------------------------------------------------------
# Power iteration
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Eigen:
    """The result of ``top_eigenvalue``: the ``value``, its unit ``vector``, how many products it took
    (``products``) and whether the tolerance was met (``converged``)."""

    value: float
    vector: np.ndarray
    products: int
    converged: bool


def _power(matvec, v, tol, max_iter, shift=0.0):
    """Power iteration on (A - shift I); returns (Rayleigh quotient of A - shift I, vector, products, converged)."""
    v = v / np.linalg.norm(v)
    value = None
    for k in range(1, max_iter + 1):
        w = matvec(v) - shift * v
        new = float(v @ w)                  # Rayleigh quotient: the eigenvalue estimate
        norm = np.linalg.norm(w)
        if norm == 0.0:
            return 0.0, v, k, True
        v = w / norm
        if value is not None and abs(new - value) <= tol * abs(new):
            return new, v, k, True
        value = new
    return value, v, max_iter, False


def top_eigenvalue(matvec, v0, *, tol=1e-6, max_iter=200):
    """The largest eigenvalue of a symmetric matrix given only as ``matvec(v) = A @ v``, by power iteration.

    Start from ``v0`` (a flat vector; a warm start from the last answer saves many products). Each round
    computes ``w = A v``, the estimate ``lambda = v . w`` and ``v = w / |w|``; it stops when lambda changes by
    at most ``tol`` (relative) or after ``max_iter`` rounds. Power iteration finds the eigenvalue of largest
    *magnitude*; if that is negative, a second run on A - lambda I (whose eigenvalues are >= 0) finds the
    largest one. Returns an ``Eigen``.
    """
    if not callable(matvec):
        raise TypeError(f"matvec must be a function v -> A @ v, got {type(matvec).__name__}")
    v0 = _validate.finite_array("v0", np.asarray(v0, dtype=np.float64))
    if v0.ndim != 1 or not np.any(v0):
        raise ValueError("v0 must be a non-zero flat vector")
    tol = _validate.positive("tol", tol)
    max_iter = _validate.positive_int("max_iter", max_iter)
    value, v, products, converged = _power(matvec, v0, tol, max_iter)
    if value < 0:  # the most negative eigenvalue dominated: shift the spectrum to find the top one
        shift = value
        top, v, more, converged = _power(matvec, v0, tol, max_iter, shift=shift)
        value, products = top + shift, products + more
    return Eigen(float(value), v, products, converged)


def sharpness(model, X, y, *, rng=None, v0=None, tol=1e-6, max_iter=200):
    """The largest eigenvalue of the Hessian of ``model.loss(X, y)`` at the current parameters.

    Power iteration (``top_eigenvalue``) on exact Hessian-vector products (``hvp``), starting from ``v0``
    (a flat vector) or, without it, from a random direction drawn from ``rng``. Returns an ``Eigen``.
    """
    _check_model(model)
    if v0 is None:
        if rng is None:
            raise TypeError("sharpness() needs rng=np.random.default_rng(seed) (or a start vector v0)")
        _validate.generator("rng", rng)
        v0 = rng.normal(size=sum(p.size for p in model.params))

    _validate.samples("X", X, model.sizes[0])
    _validate.labels("y", y, len(X), model.sizes[-1])

    def matvec(v):  # X and y are checked once above; v comes from the power iteration itself
        return flatten(_hvp(model, X, y, unflatten(v, model.params))[2])

    return top_eigenvalue(matvec, v0, tol=tol, max_iter=max_iter)


# ---------------------------------------------------------------------------------------------------------
# Tracking the sharpness during training
# ---------------------------------------------------------------------------------------------------------


class SharpnessTracker:
    """A callback for ``train.fit``: the sharpness on ``(X, y)`` every ``every`` steps (and at step 0).

    What Cohen, Kaur, Li, Kolter and Talwalkar tracked in "Gradient descent on neural networks typically occurs
    at the edge of stability" (ICLR 2021): under full-batch gradient descent the sharpness rises until it
    reaches 2 / lr, then hovers there.

    Each estimate starts from the previous top eigenvector (a warm start), so a few products suffice while
    the parameters move little between estimates. Records ``steps`` (the optimizer steps done when it was
    measured), ``values`` (the sharpness there) and ``products`` (Hessian-vector products used, in total).
    Meant for full-batch gradient descent on a small set (the edge-of-stability experiment); ``(X, y)`` is
    the set the loss is measured on, usually the training set itself.
    """

    def __init__(self, model, X, y, *, every, rng, tol=1e-3, max_iter=50):
        _check_model(model)
        _validate.samples("X", X, model.sizes[0])
        _validate.labels("y", y, len(X), model.sizes[-1])
        self.every = _validate.positive_int("every", every)
        _validate.generator("rng", rng)
        self.tol = _validate.positive("tol", tol)
        self.max_iter = _validate.positive_int("max_iter", max_iter)
        self.X, self.y = X, y
        self.steps, self.values, self.products = [], [], 0
        self._v = rng.normal(size=sum(p.size for p in model.params))
        self._measure(0, model)

    def _measure(self, step, model):
        result = sharpness(model, self.X, self.y, v0=self._v, tol=self.tol, max_iter=self.max_iter)
        self._v = result.vector
        self.steps.append(step)
        self.values.append(result.value)
        self.products += result.products

    def after_step(self, step, loss, model, X_batch, y_batch):
        if step % self.every == 0:
            self._measure(step, model)
