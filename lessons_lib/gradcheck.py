"""A gradient check: backpropagation's gradients against central differences of the loss.

A backward pass written by hand is easy to get subtly wrong; a numerical gradient is slow but hard to get
wrong. Agreement to about 1e-7 (float64) is strong evidence that ``nn.MLP``'s backward pass is right.
"""

import numpy as np

from . import _validate


def numerical_gradient(model, X, y, eps=1e-6):
    """dL/dp for every parameter by central differences: (L(p + eps) - L(p - eps)) / (2 eps).

    Two loss evaluations per number, so only for small networks. Each parameter is restored exactly.
    """
    eps = _validate.positive("eps", eps)
    model.loss(X, y)  # checks X and y before anything is touched
    grads = []
    for p in model.params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            saved = p[idx]
            p[idx] = saved + eps
            loss_plus = model.loss(X, y)
            p[idx] = saved - eps
            loss_minus = model.loss(X, y)
            p[idx] = saved
            g[idx] = (loss_plus - loss_minus) / (2.0 * eps)
        grads.append(g)
    return grads


def gradient_check(model, X, y, eps=1e-6):
    """Largest relative error between backprop and numerical gradients, over the parameter arrays.

    For each parameter array: ``||g - g_num|| / (||g|| + ||g_num||)`` (0 when both are 0). In float64 a
    correct backward pass gives 1e-7 or less (usually about 1e-9); a wrong one gives something
    near 1.
    """
    _, grads = model.loss_and_grads(X, y)
    worst = 0.0
    for g, g_num in zip(grads, numerical_gradient(model, X, y, eps)):
        scale = np.linalg.norm(g) + np.linalg.norm(g_num)
        if scale > 0.0:
            worst = max(worst, float(np.linalg.norm(g - g_num) / scale))
    return worst
