"""Self-checks for lesson 03 (momentum, Nesterov, and the SGD settings ``decay`` and ``weight_decay``).

Each ``check_*`` function calls the learner's function on a few fixed cases, compares the result with a
reference computed here from the equation, and, when they differ, tries the usual mistakes one by one so
the message can say *which* mistake it is (wrong sign, old velocity, off by one, ...).

The learner's functions return new arrays; they are called positionally, so any argument names work.
"""

import numpy as np

from . import failed, passed

# ---------------------------------------------------------------------------------------------------------
# A small engine shared by the checks of lessons 03 and 04.


def _fmt(value):
    """Numbers for a message: rounded, never a numpy repr; a large array is named by its shape."""
    arr = np.asarray(value, dtype=float)
    if arr.size > 8:
        return f"(an array of shape {arr.shape})"
    text = ", ".join(f"{float(x):.4g}" for x in arr.ravel())
    return text if arr.ndim == 0 else f"[{text}]"


def _as_outputs(result, n_outputs, names):
    """Turn what the learner returned into a tuple of float arrays, or return an error message."""
    if n_outputs == 1:
        result = (result,)
    elif not isinstance(result, (tuple, list)) or len(result) != n_outputs:
        return None, f"return {n_outputs} values ({', '.join(names)}), in that order"
    outputs = []
    for name, value in zip(names, result):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return None, f"{name} should be a number or an array of numbers, got {type(value).__name__}"
        outputs.append(arr)
    return tuple(outputs), None


def _close(got, want):
    return all(g.shape == np.shape(w) and np.allclose(g, w, rtol=1e-9, atol=1e-12) for g, w in zip(got, want))


def _run_check(fn, cases, reference, mistakes, names, success):
    """Run ``fn(*case)`` on each case; name the first known mistake that explains a wrong answer.

    ``reference(*case)`` and each mistake's ``wrong(*case)`` return a tuple of arrays in the order ``names``.
    A mistake may leave an output as ``None``: that output is then not compared.
    """
    if not callable(fn):
        return failed(f"pass your function itself (without calling it), got {type(fn).__name__}")
    for case in cases:
        args = [np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in case]
        try:
            result = fn(*args)
        except Exception as exc:  # the learner's code may raise anything; report it plainly
            return failed(f"your function raised {type(exc).__name__}: {exc}")
        got, problem = _as_outputs(result, len(names), names)
        if problem:
            return failed(problem)
        want = tuple(np.asarray(w, dtype=float) for w in reference(*case))
        if _close(got, want):
            continue
        for message, wrong in mistakes:
            expected_wrong = wrong(*case)
            pairs = [(g, w) for g, w in zip(got, expected_wrong) if w is not None]
            if pairs and _close([g for g, _ in pairs], [np.asarray(w, dtype=float) for _, w in pairs]):
                return failed(message)
        for name, g, w in zip(names, got, want):
            if g.shape != w.shape:
                return failed(f"{name} has shape {g.shape}, expected {w.shape}")
        bad = next(i for i, (g, w) in enumerate(zip(got, want)) if not _close([g], [w]))
        shown = ", ".join(_fmt(a) for a in case)
        return failed(
            f"for the inputs ({shown}) {names[bad]} should be {_fmt(want[bad])} but is {_fmt(got[bad])}; "
            "compare your code with the equation term by term"
        )
    return passed(success)


# ---------------------------------------------------------------------------------------------------------
# Exercise 1: one momentum step in PyTorch's form.

_RNG_SEED = 3


def _cases_momentum():
    rng = np.random.default_rng(_RNG_SEED)
    return [
        (rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9),
        (rng.normal(size=2), rng.normal(size=2), rng.normal(size=2), 0.05, 0.5),
    ]


def check_momentum_step(momentum_step):
    """Check ``momentum_step(p, b, g, lr, momentum) -> (p_new, b_new)``.

    Reference (torch.optim.SGD with momentum, dampening 0): b_new = momentum*b + g; p_new = p - lr*b_new.
    """

    def ref(p, b, g, lr, mu):
        b_new = mu * b + g
        return p - lr * b_new, b_new

    mistakes = [
        ("p did not change: apply the step p - lr * b_new", lambda p, b, g, lr, mu: (p, None)),
        ("wrong sign: the step goes against the gradient, p_new = p - lr * b_new (you added it)",
         lambda p, b, g, lr, mu: (p + lr * (mu * b + g), mu * b + g)),
        ("the velocity is ignored: you took a plain SGD step p - lr * g; step with b_new = momentum * b + g",
         lambda p, b, g, lr, mu: (p - lr * g, None)),
        ("you stepped with the old velocity b; update it first (b_new = momentum * b + g), then step with b_new",
         lambda p, b, g, lr, mu: (p - lr * b, mu * b + g)),
        ("the gradient is scaled by (1 - momentum): that is an average (dampening), PyTorch's buffer adds the "
         "full gradient, b_new = momentum * b + g",
         lambda p, b, g, lr, mu: (p - lr * (mu * b + (1 - mu) * g), mu * b + (1 - mu) * g)),
        ("momentum multiplies the gradient instead of the old velocity: b_new = momentum * b + g",
         lambda p, b, g, lr, mu: (p - lr * (b + mu * g), b + mu * g)),
        ("you kept lr inside the velocity (the textbook v = momentum*v - lr*g); here b is PyTorch's buffer, "
         "which holds gradients: b_new = momentum * b + g, then p - lr * b_new",
         lambda p, b, g, lr, mu: (p + mu * b - lr * g, mu * b - lr * g)),
        ("the step is right but the returned velocity is not: return b_new = momentum * b + g",
         lambda p, b, g, lr, mu: (p - lr * (mu * b + g), None)),
    ]
    return _run_check(momentum_step, _cases_momentum(), ref, mistakes, ("p_new", "b_new"),
                      "your momentum step matches PyTorch's SGD(momentum=...) on every test case.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 2: one Nesterov step in the form frameworks use.


def check_nesterov_step(nesterov_step):
    """Check ``nesterov_step(p, b, g, lr, momentum) -> (p_new, b_new)``, with g the gradient at p.

    Reference (torch.optim.SGD(nesterov=True)): b_new = momentum*b + g; p_new = p - lr*(g + momentum*b_new).
    """

    def ref(p, b, g, lr, mu):
        b_new = mu * b + g
        return p - lr * (g + mu * b_new), b_new

    mistakes = [
        ("p did not change: apply the step p - lr * (g + momentum * b_new)", lambda p, b, g, lr, mu: (p, None)),
        ("wrong sign: subtract the step, p_new = p - lr * (g + momentum * b_new)",
         lambda p, b, g, lr, mu: (p + lr * (g + mu * (mu * b + g)), mu * b + g)),
        ("that is plain momentum: p - lr * b_new, which is also what a look-ahead with the old velocity, "
         "g + momentum * b, gives; Nesterov steps with g + momentum * b_new (the updated velocity)",
         lambda p, b, g, lr, mu: (p - lr * (mu * b + g), mu * b + g)),
        ("the gradient term is missing: the step is lr * (g + momentum * b_new), not lr * momentum * b_new",
         lambda p, b, g, lr, mu: (p - lr * mu * (mu * b + g), mu * b + g)),
        ("that is the Nesterov class of Deep Learning from Scratch (momentum**2 times the new velocity plus "
         "(1 + momentum) * lr * g): it is not the rule PyTorch and Keras use; step with g + momentum * b_new",
         lambda p, b, g, lr, mu: (p - lr * mu * mu * (mu * b + g) - (1 + mu) * lr * g, None)),
        ("the step is right but the returned velocity is not: return b_new = momentum * b + g",
         lambda p, b, g, lr, mu: (p - lr * (g + mu * (mu * b + g)), None)),
    ]
    return _run_check(nesterov_step, _cases_momentum(), ref, mistakes, ("p_new", "b_new"),
                      "your Nesterov step matches PyTorch's SGD(nesterov=True) on every test case.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 3: the learning rate of the lecture note's `decay`.

# The first case tells the variants apart; t = 1 then checks that the first update uses lr0 itself.
_DECAY_CASES = [(0.5, 0.1, 11), (0.2, 0.5, 4), (0.1, 0.01, 1), (0.1, 0.01, 2)]


def check_decayed_lr(decayed_lr):
    """Check ``decayed_lr(lr0, decay, t) -> lr`` for update number t = 1, 2, ...

    Reference (Keras' old SGD ``decay``): lr_t = lr0 / (1 + decay * (t - 1)); the first update uses lr0.
    """

    def ref(lr0, decay, t):
        return (lr0 / (1 + decay * (t - 1)),)

    mistakes = [
        ("the learning rate did not change: `decay` is a schedule that lowers lr at every update "
         "(it is not weight_decay, which leaves lr alone)", lambda lr0, decay, t: (lr0,)),
        ("off by one: the first update (t = 1) must use lr0 itself, so divide by 1 + decay * (t - 1)",
         lambda lr0, decay, t: (lr0 / (1 + decay * t),)),
        ("off by one the other way: divide by 1 + decay * (t - 1)",
         lambda lr0, decay, t: (lr0 / (1 + decay * (t - 2)),)),
        ("that is exponential decay lr0 * (1 - decay)**(t - 1); the note's decay is time-based, "
         "lr0 / (1 + decay * (t - 1))", lambda lr0, decay, t: (lr0 * (1 - decay) ** (t - 1),)),
        ("that compounds the decay, lr0 / (1 + decay)**(t - 1); the note's decay divides once by "
         "1 + decay * (t - 1)", lambda lr0, decay, t: (lr0 / (1 + decay) ** (t - 1),)),
        ("that is linear decay lr0 * (1 - decay * (t - 1)), which reaches zero and goes negative; divide instead",
         lambda lr0, decay, t: (lr0 * (1 - decay * (t - 1)),)),
    ]
    return _run_check(decayed_lr, _DECAY_CASES, ref, mistakes, ("lr",),
                      "your schedule gives lr0 / (1 + decay * (t - 1)) for every update t.")


# ---------------------------------------------------------------------------------------------------------
# Exercise 4: one SGD step with weight_decay (the L2 penalty), for contrast.


def _cases_weight_decay():
    rng = np.random.default_rng(_RNG_SEED + 1)
    return [(rng.normal(size=3), rng.normal(size=3), 0.1, 0.01), (rng.normal(size=2), rng.normal(size=2), 0.5, 0.2)]


def check_weight_decay_step(weight_decay_step):
    """Check ``weight_decay_step(p, g, lr, weight_decay) -> p_new``.

    Reference (torch.optim.SGD(weight_decay=...), no momentum): p_new = p - lr * (g + weight_decay * p),
    the gradient of loss + weight_decay/2 * |p|^2.
    """

    def ref(p, g, lr, wd):
        return (p - lr * (g + wd * p),)

    mistakes = [
        ("weight_decay had no effect: add weight_decay * p to the gradient before the step",
         lambda p, g, lr, wd: (p - lr * g,)),
        ("p did not change: take the step p - lr * (g + weight_decay * p)", lambda p, g, lr, wd: (p,)),
        ("wrong sign on the decay term: it pulls p towards 0, so the gradient gains + weight_decay * p",
         lambda p, g, lr, wd: (p - lr * (g - wd * p),)),
        ("you lowered the learning rate instead: that is the note's `decay` (a schedule); weight_decay adds "
         "weight_decay * p to the gradient", lambda p, g, lr, wd: (p - lr / (1 + wd) * g,)),
        ("the decay term is missing the learning rate: p - lr * g - weight_decay * p shrinks p by weight_decay "
         "itself; the whole gradient g + weight_decay * p is multiplied by lr",
         lambda p, g, lr, wd: (p - lr * g - wd * p,)),
        ("you added the penalty weight_decay/2 * p**2 itself; add its gradient, weight_decay * p",
         lambda p, g, lr, wd: (p - lr * (g + wd / 2 * p**2),)),
    ]
    return _run_check(weight_decay_step, _cases_weight_decay(), ref, mistakes, ("p_new",),
                      "your step matches PyTorch's SGD(weight_decay=...) on every test case.")
