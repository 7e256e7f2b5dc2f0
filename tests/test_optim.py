"""Tests of lessons_lib.optim against torch.optim reference trajectories, plus bad input and in-place rules.

The reference numbers come from tests/fixtures/optim_trajectories.npz, written by
scripts/make_torch_fixtures.py with torch 2.13 in float64 (torch is not needed here). Every case is
replayed with lessons_lib and compared step by step at a relative tolerance of 1e-10. The fixture's
gradient came from torch's autograd; here it is the hand-written formula in ``problem_grads``.
"""

import copy
import functools
import inspect
import json
import pathlib
import tracemalloc

import numpy as np
import pytest

from lessons_lib import optim

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "optim_trajectories.npz"
CLASS_NAMES = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam"]


def load_fixtures():
    with np.load(FIXTURES) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    return meta, arrays


META, ARRAYS = load_fixtures()
PROBLEM = META["problem"]
H, K = np.array(PROBLEM["H"]), np.array(PROBLEM["K"])
W_STAR, C_STAR = np.array(PROBLEM["W_star"]), np.array(PROBLEM["c_star"])
GAMMA, KAPPA = PROBLEM["gamma"], PROBLEM["kappa"]

# Cases with a learning-rate schedule are replayed in test_schedules.py.
OPTIMIZER_CASES = [name for name, case in META["cases"].items() if case["time_decay"] is None]


def problem_grads(W, c):
    """Gradient of 1/2 sum((r@H)*r) + 1/2 e@K@e + gamma/4 sum(r^4) + kappa sum(r, axis=0)@e, r=W-W*, e=c-c*."""
    r, e = W - W_STAR, c - C_STAR
    grad_W = r @ H + GAMMA * r**3 + KAPPA * e  # kappa * e is added to every row of W's gradient
    grad_c = K @ e + KAPPA * r.sum(axis=0)
    return [grad_W, grad_c]


def make_optimizer(case_name, params):
    case = META["cases"][case_name]
    hyper = dict(case["hyperparameters"])
    if "betas" in hyper:
        hyper["betas"] = tuple(hyper["betas"])
    return getattr(optim, case["class"])(params, **hyper)


@functools.lru_cache(maxsize=None)
def replay(case_name):
    """Run lessons_lib on a fixture case; return (W trajectory, c trajectory, optimizer)."""
    ref_W, ref_c = ARRAYS[f"{case_name}__p0"], ARRAYS[f"{case_name}__p1"]
    W, c = ref_W[0].copy(), ref_c[0].copy()
    opt = make_optimizer(case_name, [W, c])
    traj_W, traj_c = [W.copy()], [c.copy()]
    for _ in range(len(ref_W) - 1):
        opt.step(problem_grads(W, c))
        traj_W.append(W.copy())
        traj_c.append(c.copy())
    return np.array(traj_W), np.array(traj_c), opt


# ---------------------------------------------------------------------------------------------------------
# Against torch
# ---------------------------------------------------------------------------------------------------------


def test_fixture_covers_every_class_and_option():
    cases = META["cases"].values()
    for name in CLASS_NAMES:
        assert sum(case["class"] == name for case in cases) >= 2, name
    used = {key for case in cases for key in case["hyperparameters"]}
    for option in ["momentum", "dampening", "nesterov", "weight_decay", "lr_decay", "initial_accumulator_value",
                   "centered", "amsgrad", "momentum_decay", "alpha", "rho", "betas", "eps"]:
        assert option in used, option
    assert all(case["steps"] >= 200 for case in cases)


@pytest.mark.parametrize("case_name", OPTIMIZER_CASES)
def test_trajectory_matches_torch(case_name):
    traj_W, traj_c, opt = replay(case_name)
    # Every stored coordinate stays above 0.1 in size (the fixture script checks it), so a purely relative
    # tolerance is meaningful for the parameters: no atol.
    np.testing.assert_allclose(traj_W, ARRAYS[f"{case_name}__p0"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(traj_c, ARRAYS[f"{case_name}__p1"], rtol=1e-10, atol=0)
    assert opt.t == META["cases"][case_name]["steps"]


@pytest.mark.parametrize("case_name", OPTIMIZER_CASES)
def test_final_state_matches_torch(case_name):
    case = META["cases"][case_name]
    _, _, opt = replay(case_name)
    for i in range(2):
        prefix = f"{case_name}__state__{i}__"
        expected = {key[len(prefix):]: value for key, value in ARRAYS.items() if key.startswith(prefix)}
        assert set(opt.state[i]) == set(expected)
        for name, value in expected.items():
            # b, m and gbar are averages of gradients, which shrink to ~1e-8 near the minimum. A gradient is
            # computed from r = W - W_star with |W| ~ 2.5, so it carries an absolute rounding error of about
            # 1e-15 however small it is: these three get atol=1e-14 on top of rtol. The squared averages
            # (s, v, vmax, u) agree to rtol 1e-10 alone.
            atol = 1e-14 if name in ("b", "m", "gbar") else 0.0
            np.testing.assert_allclose(opt.state[i][name], value, rtol=1e-10, atol=atol, err_msg=name)
    if case["final_t"] is not None:
        assert opt.t == case["final_t"]
    if case["mu_product"] is not None:
        assert opt.mu_product == pytest.approx(case["mu_product"], rel=1e-12)


# torch-only switches the course leaves out: engineering flags (foreach, fused, capturable, differentiable),
# maximize (use -grad), and Adam/NAdam's decoupled_weight_decay (the course's decoupled form is AdamW).
TORCH_ONLY = {"foreach", "fused", "capturable", "differentiable", "maximize", "decoupled_weight_decay"}


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_defaults_match_torch(name):
    torch_defaults = {k: v for k, v in META["torch_defaults"][name].items() if k not in TORCH_ONLY}
    cls = getattr(optim, name)
    ours = {k: p.default for k, p in inspect.signature(cls).parameters.items() if k != "params"}
    assert set(ours) == set(torch_defaults)
    opt = cls([np.zeros(3)])
    for key, value in torch_defaults.items():
        if key == "betas":
            assert tuple(ours[key]) == tuple(value) == opt.betas
        else:
            assert ours[key] == value and type(ours[key] == 0) is type(value == 0), key
            assert getattr(opt, key) == value, key
    assert opt.t == 0 and opt.state == [{}]


# ---------------------------------------------------------------------------------------------------------
# In place, gradients untouched, rejected steps change nothing
# ---------------------------------------------------------------------------------------------------------

# One configuration per path through the code (weight decay everywhere, so its scratch buffer is used).
CONFIGS = {
    "sgd": ("SGD", dict(lr=0.05, weight_decay=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.1)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    "adagrad": ("Adagrad", dict(lr=0.1, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.5)),
    "rmsprop": ("RMSprop", dict(lr=0.01, weight_decay=0.1)),
    "rmsprop_centered_momentum": ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    "adadelta": ("Adadelta", dict(weight_decay=0.1)),
    "adam_amsgrad": ("Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    "adamw": ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    "nadam": ("NAdam", dict(lr=0.01, weight_decay=0.1)),
}


def make_config(config, params):
    cls_name, hyper = CONFIGS[config]
    return getattr(optim, cls_name)(params, **hyper)


def start():
    return [0.3 * W_STAR, 0.3 * C_STAR]


def snapshot(opt):
    return copy.deepcopy(
        ([p.copy() for p in opt.params], opt.state, opt.t, opt.lr, getattr(opt, "mu_product", None))
    )


def assert_same(a, b):
    """Bitwise equality of two snapshots."""
    (params_a, state_a, *scalars_a), (params_b, state_b, *scalars_b) = a, b
    assert scalars_a == scalars_b
    for p, q in zip(params_a, params_b):
        assert np.array_equal(p, q)
    for sa, sb in zip(state_a, state_b):
        assert sa.keys() == sb.keys()
        for key in sa:
            assert np.array_equal(sa[key], sb[key]), key


@pytest.mark.parametrize("config", CONFIGS)
def test_params_updated_in_place(config):
    W, c = start()
    W_before, c_before = W.copy(), c.copy()
    opt = make_config(config, [W, c])
    opt.step(problem_grads(W, c))
    assert opt.params[0] is W and opt.params[1] is c
    assert not np.array_equal(W, W_before) and not np.array_equal(c, c_before)


def test_view_params_update_their_base_array():
    # A parameter may be a view, e.g. one column of a bigger array: the update reaches the base array.
    base = np.ones((4, 3))
    column = base[:, 1]
    opt = optim.SGD([column], lr=0.5)
    opt.step([np.full(4, 2.0)])
    np.testing.assert_array_equal(base, [[1.0, 0.0, 1.0]] * 4)


@pytest.mark.parametrize("config", CONFIGS)
def test_float32_params_and_state_stay_float32(config):
    p = np.linspace(1.0, 2.0, 5, dtype=np.float32)
    opt = make_config(config, [p])
    for _ in range(2):
        opt.step([np.linspace(-1.0, 1.0, 5)])  # a float64 gradient
    assert p.dtype == np.float32 and np.all(np.isfinite(p))
    assert all(value.dtype == np.float32 for value in opt.state[0].values())


@pytest.mark.parametrize("config", CONFIGS)
def test_gradients_are_never_modified(config):
    W, c = start()
    opt = make_config(config, [W, c])
    for _ in range(5):
        grads = problem_grads(W, c)
        kept = [g.copy() for g in grads]
        opt.step(grads)
        for g, g0 in zip(grads, kept):
            assert np.array_equal(g, g0)


def bad_grads(W, c):
    """Bad gradient lists; in each, the first gradient is fine, so a partial update would show."""
    gW, gc = problem_grads(W, c)
    nan_c, inf_c = gc.copy(), gc.copy()
    nan_c[1], inf_c[2] = np.nan, -np.inf
    return [
        [gW],
        [gW, gc, gc],
        [gW, gc[:2]],
        [gW, gc.reshape(1, 3)],
        [gW, gc.astype(int)],
        [gW, list(gc)],
        [gW, nan_c],
        [gW, inf_c],
        [gW, c],
        (gW, None),
        np.stack([gc, gc]),
    ]


@pytest.mark.parametrize("config", CONFIGS)
def test_rejected_step_leaves_params_and_state_unchanged(config):
    W, c = start()
    opt = make_config(config, [W, c])
    twin = make_config(config, list(start()))  # the same run, without the rejected steps
    for k in range(6):
        before = snapshot(opt)
        for bad in bad_grads(W, c):
            with pytest.raises((ValueError, TypeError)):
                opt.step(bad)
            assert_same(snapshot(opt), before)
        with pytest.raises(ValueError, match="lr"):
            opt.lr = -1.0
        assert_same(snapshot(opt), before)
        opt.step(problem_grads(W, c))
        twin.step(problem_grads(*twin.params))
        assert_same(snapshot(opt), snapshot(twin))


# ---------------------------------------------------------------------------------------------------------
# Learning rate, state names, effective learning rates
# ---------------------------------------------------------------------------------------------------------


def test_lr_can_change_between_steps():
    W, c = start()
    opt = optim.SGD([W, c], lr=0.1)
    opt.lr = 0.0
    W0 = W.copy()
    opt.step(problem_grads(W, c))
    assert np.array_equal(W, W0)
    opt.lr = 0.1
    grads = problem_grads(W, c)
    opt.step(grads)
    np.testing.assert_allclose(W, W0 - 0.1 * grads[0], rtol=1e-15)


def test_sgd_without_momentum_keeps_no_buffer():
    W, c = start()
    opt = optim.SGD([W, c], lr=0.1)
    opt.step(problem_grads(W, c))
    assert opt.state == [{}, {}]


def test_adagrad_effective_lr_is_the_per_coordinate_step():
    W, c = start()
    opt = optim.Adagrad([W, c], lr=0.3, lr_decay=0.1, initial_accumulator_value=0.2)
    with pytest.raises(RuntimeError):
        opt.effective_lr()
    for t in range(1, 4):
        before = [W.copy(), c.copy()]
        grads = problem_grads(W, c)
        opt.step(grads)
        for p, p0, g, rate in zip([W, c], before, grads, opt.effective_lr()):
            assert rate.shape == p.shape
            np.testing.assert_allclose(p0 - p, rate * g, rtol=1e-12)


def test_adagrad_effective_lr_formula():
    # s after three steps of a constant gradient g: 0.2 + 3 g^2; clr of step 3 = 0.3 / (1 + 2 * 0.1)
    p = np.array([1.0, -2.0, 3.0])
    g = np.array([0.5, -1.0, 2.0])
    opt = optim.Adagrad([p], lr=0.3, lr_decay=0.1, initial_accumulator_value=0.2, eps=1e-10)
    for _ in range(3):
        opt.step([g])
    expected = 0.3 / 1.2 / (np.sqrt(0.2 + 3 * g**2) + 1e-10)
    np.testing.assert_allclose(opt.effective_lr()[0], expected, rtol=1e-14)


def test_rmsprop_and_adam_effective_lr_match_the_step():
    W, c = start()
    rms = optim.RMSprop([W, c], lr=0.01, centered=True)
    V, d = start()
    adam = optim.Adam([V, d], lr=0.01, amsgrad=True)
    for _ in range(3):
        before_rms, before_adam = [W.copy(), c.copy()], [V.copy(), d.copy()]
        grads = problem_grads(W, c)
        rms.step(grads)
        adam.step(problem_grads(V, d))
        for p, p0, g, rate in zip([W, c], before_rms, grads, rms.effective_lr()):
            np.testing.assert_allclose(p0 - p, rate * g, rtol=1e-12)
        for i, (p, p0, rate) in enumerate(zip([V, d], before_adam, adam.effective_lr())):
            np.testing.assert_allclose(p0 - p, rate * adam.state[i]["m"], rtol=1e-12)


def test_repr_lists_the_hyperparameters():
    text = repr(optim.Adam([np.zeros(2)], lr=0.01))
    assert text == "Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False)"


# ---------------------------------------------------------------------------------------------------------
# Bad input: the exception type, and a message naming the argument and the value
# ---------------------------------------------------------------------------------------------------------


def _w():
    return np.ones((2, 3))


def _read_only():
    w = np.ones(3)
    w.flags.writeable = False
    return w


def _with_nan():
    w = np.ones(3)
    w[0] = np.nan
    return w


def _twice():
    w = np.ones(3)
    return [w, w]


def _view_of_other():
    w = np.ones((2, 3))
    return [w, w[0]]


def _step(grads, make=lambda params: optim.Adam(params)):
    params = [np.ones((2, 3)), np.ones(3)]
    make(params).step(grads)


BAD_INPUTS = [
    # (id, call, exception, substrings the message must contain)
    ("lr negative", lambda: optim.SGD([_w()], lr=-0.1), ValueError, ["lr", "-0.1"]),
    ("lr nan", lambda: optim.Adam([_w()], lr=float("nan")), ValueError, ["lr", "nan"]),
    ("lr inf", lambda: optim.RMSprop([_w()], lr=float("inf")), ValueError, ["lr", "inf"]),
    ("lr bool", lambda: optim.SGD([_w()], lr=True), TypeError, ["lr", "True"]),
    ("lr string", lambda: optim.Adagrad([_w()], lr="0.1"), TypeError, ["lr", "'0.1'"]),
    ("momentum negative", lambda: optim.SGD([_w()], momentum=-0.5), ValueError, ["momentum", "-0.5"]),
    ("momentum inf", lambda: optim.RMSprop([_w()], momentum=float("inf")), ValueError, ["momentum", "inf"]),
    ("dampening nan", lambda: optim.SGD([_w()], momentum=0.9, dampening=float("nan")), ValueError,
     ["dampening", "nan"]),
    ("weight_decay negative", lambda: optim.SGD([_w()], weight_decay=-1e-4), ValueError,
     ["weight_decay", "-0.0001"]),
    ("AdamW weight_decay negative", lambda: optim.AdamW([_w()], weight_decay=-0.01), ValueError,
     ["weight_decay", "-0.01"]),
    ("nesterov without momentum", lambda: optim.SGD([_w()], nesterov=True), ValueError,
     ["nesterov", "momentum=0.0"]),
    ("nesterov with dampening", lambda: optim.SGD([_w()], momentum=0.9, dampening=0.1, nesterov=True),
     ValueError, ["nesterov", "dampening=0.1"]),
    ("nesterov not a bool", lambda: optim.SGD([_w()], momentum=0.9, nesterov=1), TypeError, ["nesterov", "1"]),
    ("lr_decay negative", lambda: optim.Adagrad([_w()], lr_decay=-0.1), ValueError, ["lr_decay", "-0.1"]),
    ("initial_accumulator_value negative", lambda: optim.Adagrad([_w()], initial_accumulator_value=-1),
     ValueError, ["initial_accumulator_value", "-1"]),
    ("eps negative", lambda: optim.Adagrad([_w()], eps=-1e-10), ValueError, ["eps", "-1e-10"]),
    ("eps inf", lambda: optim.NAdam([_w()], eps=float("inf")), ValueError, ["eps", "inf"]),
    ("alpha negative", lambda: optim.RMSprop([_w()], alpha=-0.1), ValueError, ["alpha", "-0.1"]),
    ("centered not a bool", lambda: optim.RMSprop([_w()], centered="yes"), TypeError, ["centered", "'yes'"]),
    ("rho above 1", lambda: optim.Adadelta([_w()], rho=1.5), ValueError, ["rho", "1.5"]),
    ("rho negative", lambda: optim.Adadelta([_w()], rho=-0.1), ValueError, ["rho", "-0.1"]),
    ("beta1 = 1", lambda: optim.Adam([_w()], betas=(1.0, 0.999)), ValueError, ["betas[0]", "1.0"]),
    ("beta2 negative", lambda: optim.NAdam([_w()], betas=(0.9, -0.1)), ValueError, ["betas[1]", "-0.1"]),
    ("betas not a pair", lambda: optim.Adam([_w()], betas=0.9), TypeError, ["betas", "0.9"]),
    ("betas of three", lambda: optim.AdamW([_w()], betas=(0.9, 0.99, 0.999)), ValueError,
     ["betas", "(0.9, 0.99, 0.999)"]),
    ("amsgrad None", lambda: optim.Adam([_w()], amsgrad=None), TypeError, ["amsgrad", "None"]),
    ("momentum_decay negative", lambda: optim.NAdam([_w()], momentum_decay=-1.0), ValueError,
     ["momentum_decay", "-1.0"]),
    ("params empty", lambda: optim.SGD([]), ValueError, ["params", "[]"]),
    ("params a bare array", lambda: optim.SGD(np.ones(3)), TypeError, ["params", "ndarray"]),
    ("params a list of lists", lambda: optim.Adam([[1.0, 2.0]]), TypeError, ["params[0]", "list"]),
    ("params of ints", lambda: optim.SGD([np.ones(3, dtype=int)]), TypeError, ["params[0]", "int64"]),
    ("params twice the same array", lambda: optim.SGD(_twice()), ValueError, ["params[1]", "params[0]"]),
    ("params a view of another", lambda: optim.SGD(_view_of_other()), ValueError, ["params[1]", "params[0]"]),
    ("params read-only", lambda: optim.SGD([_read_only()]), ValueError, ["params[0]", "read-only"]),
    ("params with NaN", lambda: optim.SGD([_with_nan()]), ValueError, ["params[0]", "non-finite"]),
    ("lr set negative later", lambda: setattr(optim.SGD([_w()]), "lr", -2.0), ValueError, ["lr", "-2.0"]),
    ("step: too few grads", lambda: _step([np.ones((2, 3))]), ValueError, ["grads", "1", "2"]),
    ("step: wrong shape", lambda: _step([np.ones((2, 3)), np.ones(4)]), ValueError,
     ["grads[1]", "(4,)", "(3,)"]),
    ("step: int grads", lambda: _step([np.ones((2, 3)), np.ones(3, dtype=np.int32)]), TypeError,
     ["grads[1]", "int32"]),
    ("step: NaN", lambda: _step([np.ones((2, 3)), np.array([0.0, np.nan, 0.0])]), ValueError,
     ["grads[1]", "NaN"]),
    ("step: inf", lambda: _step([np.full((2, 3), np.inf), np.ones(3)]), ValueError, ["grads[0]", "inf"]),
    ("step: grads a bare array", lambda: _step(np.ones(3)), TypeError, ["grads", "ndarray"]),
    ("step: grads None", lambda: _step(None), TypeError, ["grads", "NoneType"]),
    ("step: a grad that is a list", lambda: _step([np.ones((2, 3)), [1.0, 2.0, 3.0]]), TypeError,
     ["grads[1]", "list"]),
]


@pytest.mark.parametrize("call, exception, parts", [row[1:] for row in BAD_INPUTS],
                         ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_is_rejected_with_a_clear_message(call, exception, parts):
    with pytest.raises(exception) as info:
        call()
    message = str(info.value)
    for part in parts:
        assert part in message, (part, message)


def test_grad_that_is_the_param_itself_is_rejected():
    w = np.ones(3)
    with pytest.raises(ValueError, match=r"grads\[0\] shares memory with params\[0\]"):
        optim.SGD([w]).step([w])


def test_torch_allows_rho_one_and_alpha_above_one():
    # torch's checks, followed exactly: Adadelta's rho may be 1, RMSprop's alpha is only bounded below
    assert optim.Adadelta([_w()], rho=1.0).rho == 1.0
    assert optim.RMSprop([_w()], alpha=1.5).alpha == 1.5
    assert optim.SGD([_w()], lr=0).lr == 0.0


# ---------------------------------------------------------------------------------------------------------
# No full-size allocation per step
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS)
def test_step_allocates_no_full_size_array(config):
    n = 200_000  # 1.6 MB per array
    rng = np.random.default_rng(0)
    p, g = rng.standard_normal(n), rng.standard_normal(n)
    opt = make_config(config, [p])
    opt.step([g])  # the first step creates the state and the scratch arrays
    tracemalloc.start()
    try:
        opt.step([g])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < p.nbytes / 20, peak


def test_adam_step_on_a_million_parameters_allocates_no_full_size_array():
    rng = np.random.default_rng(1)
    p, g = rng.standard_normal(10**6), rng.standard_normal(10**6)
    opt = optim.Adam([p])
    opt.step([g])
    tracemalloc.start()
    try:
        opt.step([g])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000, peak  # an 8 MB array would show as a peak of 8,000,000 bytes
