"""Weight initializers: zeros, normal, LeCun, Xavier/Glorot, He/Kaiming, orthogonal, and LSUV.

Names, defaults and formulas follow ``torch.nn.init`` (PyTorch 2.13), so a learner can move to torch without
surprises. Every random initializer takes a keyword ``rng`` (a ``numpy.random.Generator``): the same
generator state always gives the same array.

Shape convention -- read this once
----------------------------------
Our layers compute ``x @ W``, so a dense weight has shape ``(fan_in, fan_out)``: one row per input, one
column per output. torch's ``nn.Linear`` stores its weight the other way round, ``(out, in)``, and computes
``x @ W.T``. The formulas are the same; only the axis that counts as "in" differs::

    lessons_lib:  W.shape == (fan_in, fan_out)     # e.g. (784, 100) for 784 inputs, 100 units
    torch:        W.shape == (fan_out, fan_in)     # e.g. (100, 784) for the same layer

For shapes with more than two axes (convolution kernels) we use the same "inputs before outputs" order
as Keras: ``(*kernel, in_channels, out_channels)``, and both fans are multiplied by the kernel size.

The spreads, with ``n_in = fan_in`` and ``n_out = fan_out``:

=================  ======================================  ==================================
initializer        normal: std                             uniform: U(-bound, bound)
=================  ======================================  ==================================
LeCun              sqrt(1 / n_in)                          bound = sqrt(3 / n_in)
Xavier / Glorot    gain * sqrt(2 / (n_in + n_out))         bound = gain * sqrt(6 / (n_in + n_out))
He / Kaiming       gain / sqrt(fan),  gain = sqrt(2)       bound = sqrt(3) * std
=================  ======================================  ==================================

A uniform distribution on (-bound, bound) has std ``bound / sqrt(3)``, which is why every uniform
bound is ``sqrt(3)`` times the matching normal std.

The normal variants draw from a plain normal distribution, as torch does. Keras draws its
``*_normal`` initializers from a normal truncated at two standard deviations (rescaled so the std stays
right); the spread is the same, the tails differ.
"""

import math

import numpy as np

from . import _validate

# ---------------------------------------------------------------------------------------------------------
# Shapes, fans and gains
# ---------------------------------------------------------------------------------------------------------


def compute_fans(shape):
    """Return ``(fan_in, fan_out)`` for a weight of this shape.

    A dense weight used as ``x @ W`` has shape ``(fan_in, fan_out)``, so for two axes the fans are just
    ``shape``. For more axes, ``(*kernel, in, out)``, both fans are multiplied by the kernel size.
    Like torch, fans are refused for fewer than two axes: a bias has no fan-in and fan-out.

    >>> compute_fans((300, 50))
    (300, 50)
    """
    shape = _validate.shape(shape)
    if len(shape) < 2:
        raise ValueError(
            f"Invalid shape: {shape!r} (fan_in and fan_out need at least 2 axes, like torch.nn.init)"
        )
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


_LINEAR = ("linear", "identity", "conv1d", "conv2d", "conv3d",
           "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
NONLINEARITIES = _LINEAR + ("sigmoid", "tanh", "relu", "leaky_relu", "selu")


def calculate_gain(nonlinearity, param=None):
    """The factor that scales an init's std for a given activation (``torch.nn.init.calculate_gain``).

    ========================  ============================================
    nonlinearity              gain
    ========================  ============================================
    linear, identity, conv*   1
    sigmoid                   1
    tanh                      5/3
    relu                      sqrt(2)  (ReLU zeroes half its inputs)
    leaky_relu                sqrt(2 / (1 + a^2)),  a = ``param`` or 0.01
    selu                      3/4
    ========================  ============================================

    torch's code spells the identity ``'linear'``; ``'identity'`` is accepted here as the same thing
    (torch's documentation lists "Linear / Identity"). ``param`` is only read for ``'leaky_relu'``.
    """
    _validate.one_of("nonlinearity", nonlinearity, NONLINEARITIES)
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else _validate.real_number("param (negative slope)", param)
        return math.sqrt(2.0 / (1.0 + a**2))
    return 3.0 / 4.0  # selu


def _fan(shape, mode):
    _validate.one_of("mode", mode, ("fan_in", "fan_out"))
    fan_in, fan_out = compute_fans(shape)
    return fan_in if mode == "fan_in" else fan_out


# ---------------------------------------------------------------------------------------------------------
# The initializers
# ---------------------------------------------------------------------------------------------------------


def zeros(shape, *, rng=None):
    """All zeros. Fine for biases; for weights it keeps every unit of a layer identical (symmetry).

    ``rng`` is accepted (and ignored) so that every initializer can be called the same way.
    """
    shape = _validate.shape(shape)
    if rng is not None:
        _validate.generator("rng", rng)
    return np.zeros(shape)


def normal(shape, *, std, mean=0.0, rng):
    """Draw from N(mean, std^2) with a std you choose (``torch.nn.init.normal_``).

    ``std=0`` gives a constant array equal to ``mean``: the "constant init" of lesson 05.
    """
    shape = _validate.shape(shape)
    std = _validate.non_negative("std", std)
    mean = _validate.real_number("mean", mean)
    _validate.generator("rng", rng)
    return rng.normal(mean, std, size=shape)


def lecun_normal(shape, *, rng):
    """LeCun normal: N(0, 1/fan_in), i.e. std = sqrt(1 / fan_in).

    Source: LeCun, Bottou, Orr and Mueller, "Efficient BackProp" (1998): keep the variance of each
    unit's input sum near 1 when the inputs have unit variance. *Deep Learning from Scratch* calls
    std = sqrt(1/n) "Xavier"; it is really this formula (Glorot's also uses fan_out; see ``xavier_normal``).
    torch has no function of this name: it equals ``kaiming_normal_(w, nonlinearity='linear')``.
    """
    std = math.sqrt(1.0 / _fan(shape, "fan_in"))
    return normal(shape, std=std, rng=rng)


def lecun_uniform(shape, *, rng):
    """LeCun uniform: U(-bound, bound) with bound = sqrt(3 / fan_in), so std = sqrt(1 / fan_in).

    Source: LeCun et al., "Efficient BackProp" (1998). Equals torch's
    ``kaiming_uniform_(w, nonlinearity='linear')``.
    """
    bound = math.sqrt(3.0 / _fan(shape, "fan_in"))
    return _uniform(shape, bound, rng)


def xavier_normal(shape, *, gain=1.0, rng):
    """Xavier / Glorot normal: std = gain * sqrt(2 / (fan_in + fan_out)) (``torch.nn.init.xavier_normal_``).

    Source: Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural
    networks" (AISTATS 2010). Keeping the forward variance constant asks for Var(W) = 1/fan_in, keeping
    the backward variance constant asks for 1/fan_out; Glorot's compromise is their harmonic mean,
    2 / (fan_in + fan_out). The "Xavier = sqrt(1/n)" of *Deep Learning from Scratch* is LeCun's formula.
    Suited to sigmoid and tanh (use ``gain=calculate_gain('tanh')`` for tanh, as torch suggests).
    """
    fan_in, fan_out = compute_fans(shape)
    gain = _validate.positive("gain", gain)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return normal(shape, std=std, rng=rng)


def xavier_uniform(shape, *, gain=1.0, rng):
    """Xavier / Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).

    Source: Glorot and Bengio (2010), their "normalized initialization". Same variance as
    ``xavier_normal``. (``torch.nn.init.xavier_uniform_``.)
    """
    fan_in, fan_out = compute_fans(shape)
    gain = _validate.positive("gain", gain)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _uniform(shape, bound, rng)


def he_normal(shape, *, mode="fan_in", nonlinearity="relu", a=0.0, rng):
    """He / Kaiming normal: std = gain / sqrt(fan), gain = sqrt(2) for ReLU (``torch.nn.init.kaiming_normal_``).

    Source: He, Zhang, Ren and Sun, "Delving Deep into Rectifiers" (ICCV 2015). ReLU sets about half of
    its inputs to zero, halving the variance each layer; the factor 2 in Var(W) = 2/fan_in restores it.
    ``mode='fan_in'`` keeps the forward variance, ``'fan_out'`` the backward one. ``a`` is the negative
    slope, read only when ``nonlinearity='leaky_relu'`` (torch's default ``a=0``).
    """
    std = _he_std(shape, mode, nonlinearity, a)
    return normal(shape, std=std, rng=rng)


def he_uniform(shape, *, mode="fan_in", nonlinearity="relu", a=0.0, rng):
    """He / Kaiming uniform: U(-bound, bound), bound = sqrt(3) * gain / sqrt(fan).

    Source: He et al. (2015); the uniform form is ``torch.nn.init.kaiming_uniform_``.
    """
    bound = math.sqrt(3.0) * _he_std(shape, mode, nonlinearity, a)
    return _uniform(shape, bound, rng)


def _he_std(shape, mode, nonlinearity, a):
    fan = _fan(shape, mode)
    gain = calculate_gain(nonlinearity, a)
    return gain / math.sqrt(fan)


def _uniform(shape, bound, rng):
    shape = _validate.shape(shape)
    _validate.generator("rng", rng)
    return rng.uniform(-bound, bound, size=shape)


# ---------------------------------------------------------------------------------------------------------
# Lookup by name (used by nn.MLP's ``init=`` argument)
# ---------------------------------------------------------------------------------------------------------

INITIALIZERS = {
    "zeros": zeros,
    "normal": normal,
    "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}


def get(name):
    """Return the initializer called ``name`` (one of ``INITIALIZERS``)."""
    if not isinstance(name, str):
        raise TypeError(f"initializer name must be a str, got {name!r}")
    _validate.one_of("init", name, tuple(INITIALIZERS))
    return INITIALIZERS[name]


def draw(init, shape, *, rng, init_std=None):
    """A weight of ``shape`` drawn from ``init``: a name in ``INITIALIZERS`` (``"normal"`` takes ``init_std``)
    or a callable ``init(shape, rng=rng)``. What ``nn.MLP`` calls for every layer; float64."""
    if init == "normal":
        return normal(shape, std=init_std, rng=rng)
    if isinstance(init, str):
        W = get(init)(shape, rng=rng)
    else:
        W = init(shape, rng=rng)
        if not isinstance(W, np.ndarray) or W.shape != shape:
            got = f"shape {W.shape}" if isinstance(W, np.ndarray) else type(W).__name__
            raise ValueError(f"init callable must return an array of shape {shape}, got {got}")
        _validate.finite_array("init(...) result", np.asarray(W, dtype=np.float64))
    return np.array(W, dtype=np.float64)


def check_choice(init, init_std):
    """Check an ``init`` argument (a name or a callable) and its ``init_std`` before anything is drawn."""
    if callable(init):
        return
    if not isinstance(init, str):
        raise TypeError(f"init must be an initializer name or a callable(shape, rng=), got {init!r}")
    get(init)
    if init == "normal":
        if init_std is None:
            raise ValueError("init='normal' needs init_std (the standard deviation of the weights)")
        _validate.non_negative("init_std", init_std)
    elif init_std is not None:
        raise ValueError(f"init_std={init_std!r} is only used with init='normal', not init={init!r}")


# ---------------------------------------------------------------------------------------------------------
# Orthogonal and LSUV (lesson 07)
# ---------------------------------------------------------------------------------------------------------


def orthogonal(shape, *, gain=1.0, rng):
    """A (semi-)orthogonal weight times ``gain`` (``torch.nn.init.orthogonal_``, PyTorch 2.13).

    Source: Saxe, McClelland and Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep
    linear neural networks" (ICLR 2014). Draw a matrix of N(0, 1) numbers, take Q of its QR decomposition
    and multiply each column of Q by the sign of the matching diagonal entry of R: without that sign fix,
    Q would not be uniformly distributed over the orthogonal matrices (the Haar distribution).

    Which axis is orthonormal. The vectors along the *shorter* axis are orthonormal, as in torch:

    - ``fan_in <= fan_out``: the rows are, ``W @ W.T == gain**2 * I`` (fan_in x fan_in). Then
      ``|x @ W| == gain * |x|`` for every input x: the layer keeps every signal's norm exactly.
    - ``fan_in > fan_out``: the columns are, ``W.T @ W == gain**2 * I``; the layer cannot keep every norm
      (it maps more dimensions onto fewer), it keeps those of the inputs in the span of its columns.

    torch stores a Linear weight as (out, in) and computes ``W @ x``, so its norm-keeping condition reads
    ``W.T @ W == I``; ours is the transpose, ``(in, out)`` with ``x @ W``, so the same layer reads
    ``W @ W.T == I``. Drawn with this function, our ``W`` has the distribution of torch's weight transposed.
    For more than two axes, ``(*kernel, in, out)``, the weight is flattened to (kernel * in, out) first.
    """
    shape = _validate.shape(shape)
    if len(shape) < 2:
        raise ValueError(f"Invalid shape: {shape!r} (an orthogonal matrix needs at least 2 axes, like torch.nn.init)")
    gain = _validate.positive("gain", gain)
    _validate.generator("rng", rng)
    rows, cols = math.prod(shape[:-1]), shape[-1]
    a = rng.normal(size=(max(rows, cols), min(rows, cols)))  # tall: its Q has orthonormal columns
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # the sign fix that makes Q uniformly (Haar) distributed
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


INITIALIZERS["orthogonal"] = orthogonal


def lsuv(model, X, *, rng, tol=0.01, max_iter=10):
    """Layer-sequential unit-variance init (Mishkin and Matas, "All you need is a good init", ICLR 2016).

    Re-initializes ``model`` (an ``nn.MLP``) in place, using the batch ``X``:

    1. every weight matrix from ``orthogonal`` (gain 1), every bias 0;
    2. then layer by layer, from the input to the output: while the variance of that layer's output
       ``z = a @ W + b`` over the batch (all samples and units together) is not within ``tol`` of 1, and
       at most ``max_iter`` times, divide ``W`` by the std of ``z``.

    The layers below are fixed when a layer is scaled, and with zero biases ``z`` scales with ``W``, so one
    division already gives variance 1 on ``X``; the loop matters for layers that are not linear in their
    scale. We normalize ``z``, the dense layer's own output before its activation; fast.ai's
    ``lsuv_init`` (course22p2, notebook 11) measures after the activation and also shifts the bias so the
    mean is 0. Returns one ``(divisions, variance)`` pair per layer, input side first. Raises
    ``RuntimeError`` if a layer is still outside the tolerance after ``max_iter`` divisions, or if a layer's
    output has no variance (e.g. every unit below it is dead).
    """
    for name in ("params", "weights", "forward", "n_layers"):
        if not hasattr(model, name):
            raise TypeError(f"model must be an nn.MLP, got {type(model).__name__}")
    _validate.samples("X", X, model.sizes[0])
    if X.shape[0] < 2:
        raise ValueError(f"X must hold at least 2 samples to measure a variance, got {X.shape[0]}")
    _validate.generator("rng", rng)
    tol = _validate.positive("tol", tol)
    if tol >= 1:
        raise ValueError(f"Invalid tol: {tol} (must be < 1: the variance must end within tol of 1)")
    max_iter = _validate.positive_int("max_iter", max_iter)

    for W in model.weights:
        W[...] = orthogonal(W.shape, rng=rng)
    if model.bias:
        for b in model.params[1::2]:
            b[...] = 0.0
    return [_unit_variance(model, layer, X, tol, max_iter) for layer in range(model.n_layers)]


def _unit_variance(model, layer, X, tol, max_iter):
    """LSUV's step 2 for one layer (0-based): divide its W by the std of its output z until Var(z) is 1."""
    W = model.weights[layer]
    for divisions in range(max_iter + 1):
        z = model.forward(X, return_pre=True)[1][layer]   # this layer's output a @ W + b on the batch
        variance = float(z.var())
        if abs(variance - 1.0) <= tol:
            return divisions, variance
        if divisions == max_iter or not variance > 0.0:
            break
        W /= math.sqrt(variance)                          # z / std(z) has variance 1
    raise RuntimeError(f"layer {layer + 1}: output variance {variance:.4g} is not within tol={tol} of 1 "
                       f"after {divisions} divisions (max_iter={max_iter}; a variance of 0 cannot be scaled)")
