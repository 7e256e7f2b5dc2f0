"""Tests of lessons_lib.schedules.TimeDecay, against torch's SGD + LambdaLR and torch's Adagrad lr_decay.

The reference trajectories are those of tests/test_optim.py (tests/fixtures/optim_trajectories.npz,
written by scripts/make_torch_fixtures.py with torch 2.13 in float64).
"""

import json
import pathlib

import numpy as np
import pytest

from lessons_lib import optim
from lessons_lib.schedules import TimeDecay

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "optim_trajectories.npz"

with np.load(FIXTURES) as _data:
    ARRAYS = {key: _data[key] for key in _data.files}
META = json.loads(str(ARRAYS.pop("meta")))
PROBLEM = META["problem"]
H, K = np.array(PROBLEM["H"]), np.array(PROBLEM["K"])
W_STAR, C_STAR = np.array(PROBLEM["W_star"]), np.array(PROBLEM["c_star"])

SCHEDULE_CASES = [name for name, case in META["cases"].items() if case["time_decay"] is not None]
ADAGRAD_DECAY_CASES = [
    name for name, case in META["cases"].items()
    if case["class"] == "Adagrad" and case["hyperparameters"].get("lr_decay", 0) > 0
]


def problem_grads(W, c):
    """The fixture problem's gradient, written out by hand (as in test_optim.py)."""
    r, e = W - W_STAR, c - C_STAR
    return [r @ H + PROBLEM["gamma"] * r**3 + PROBLEM["kappa"] * e, K @ e + PROBLEM["kappa"] * r.sum(axis=0)]


def replay_with_schedule(cls_name, hyper, decay, case_name):
    """Run lessons_lib's optimizer + TimeDecay from the case's start; return both trajectories."""
    ref_W, ref_c = ARRAYS[f"{case_name}__p0"], ARRAYS[f"{case_name}__p1"]
    W, c = ref_W[0].copy(), ref_c[0].copy()
    opt = getattr(optim, cls_name)([W, c], **hyper)
    schedule = TimeDecay(opt, decay=decay)
    traj_W, traj_c = [W.copy()], [c.copy()]
    for _ in range(len(ref_W) - 1):
        opt.step(problem_grads(W, c))
        schedule.step()
        traj_W.append(W.copy())
        traj_c.append(c.copy())
    return np.array(traj_W), np.array(traj_c)


@pytest.mark.parametrize("case_name", SCHEDULE_CASES)
def test_time_decay_matches_torch_lambda_lr(case_name):
    case = META["cases"][case_name]
    assert case["class"] == "SGD"
    traj_W, traj_c = replay_with_schedule("SGD", case["hyperparameters"], case["time_decay"], case_name)
    # every coordinate stays above 0.1 in size (checked by the fixture script): a relative tolerance alone
    np.testing.assert_allclose(traj_W, ARRAYS[f"{case_name}__p0"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(traj_c, ARRAYS[f"{case_name}__p1"], rtol=1e-10, atol=0)


def test_fixture_has_a_momentum_schedule_case():
    assert any(META["cases"][name]["hyperparameters"].get("momentum", 0) > 0 for name in SCHEDULE_CASES)
    assert ADAGRAD_DECAY_CASES


@pytest.mark.parametrize("case_name", ADAGRAD_DECAY_CASES)
def test_time_decay_equals_torch_adagrad_lr_decay(case_name):
    # torch's Adagrad(lr_decay=d) against lessons_lib's Adagrad(lr_decay=0) driven by TimeDecay(decay=d)
    hyper = dict(META["cases"][case_name]["hyperparameters"])
    decay = hyper.pop("lr_decay")
    traj_W, traj_c = replay_with_schedule("Adagrad", hyper, decay, case_name)
    np.testing.assert_allclose(traj_W, ARRAYS[f"{case_name}__p0"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(traj_c, ARRAYS[f"{case_name}__p1"], rtol=1e-10, atol=0)


def test_lr_during_step_k_is_lr0_over_one_plus_decay_k():
    opt = optim.Adam([np.ones(3)], lr=0.5)
    schedule = TimeDecay(opt, decay=0.25)
    seen = []
    for _ in range(6):
        seen.append(opt.lr)
        assert schedule.lr == opt.lr
        opt.step([np.ones(3)])
        schedule.step()
    assert seen == [0.5, 0.4, 0.5 / 1.5, 0.5 / 1.75, 0.25, 0.5 / 2.25]
    assert schedule.k == 6


def test_get_lr_is_pure():
    opt = optim.SGD([np.ones(3)], lr=0.1)
    schedule = TimeDecay(opt, decay=0.1)
    assert schedule.get_lr(10) == pytest.approx(0.05, rel=1e-15)
    assert schedule.get_lr(np.int64(0)) == 0.1
    assert opt.lr == 0.1 and schedule.k == 0


def test_zero_decay_keeps_lr_constant():
    opt = optim.SGD([np.ones(3)], lr=0.1)
    schedule = TimeDecay(opt, decay=0)
    for _ in range(5):
        opt.step([np.ones(3)])
        schedule.step()
    assert opt.lr == 0.1


def test_time_decay_is_not_weight_decay():
    # With a zero gradient, weight decay still pulls the parameters to 0; a decaying lr moves nothing.
    p_time, p_weight = np.ones(3), np.ones(3)
    opt_time = optim.SGD([p_time], lr=0.1)
    schedule = TimeDecay(opt_time, decay=0.5)
    opt_weight = optim.SGD([p_weight], lr=0.1, weight_decay=0.5)
    for _ in range(3):
        opt_time.step([np.zeros(3)])
        schedule.step()
        opt_weight.step([np.zeros(3)])
    np.testing.assert_array_equal(p_time, np.ones(3))
    np.testing.assert_allclose(p_weight, np.full(3, 0.95**3), rtol=1e-15)


def _sgd():
    return optim.SGD([np.ones(3)], lr=0.1)


BAD_INPUTS = [
    ("decay negative", lambda: TimeDecay(_sgd(), decay=-0.1), ValueError, ["decay", "-0.1"]),
    ("decay nan", lambda: TimeDecay(_sgd(), decay=float("nan")), ValueError, ["decay", "nan"]),
    ("decay inf", lambda: TimeDecay(_sgd(), decay=float("inf")), ValueError, ["decay", "inf"]),
    ("decay bool", lambda: TimeDecay(_sgd(), decay=True), TypeError, ["decay", "True"]),
    ("decay string", lambda: TimeDecay(_sgd(), decay="0.1"), TypeError, ["decay", "'0.1'"]),
    ("optimizer a list", lambda: TimeDecay([np.ones(3)], decay=0.1), TypeError, ["optimizer", "list"]),
    ("optimizer None", lambda: TimeDecay(None, decay=0.1), TypeError, ["optimizer", "NoneType"]),
    ("get_lr negative", lambda: TimeDecay(_sgd(), decay=0.1).get_lr(-1), ValueError, ["k", "-1"]),
    ("get_lr float", lambda: TimeDecay(_sgd(), decay=0.1).get_lr(1.5), TypeError, ["k", "1.5"]),
    ("get_lr bool", lambda: TimeDecay(_sgd(), decay=0.1).get_lr(True), TypeError, ["k", "True"]),
]


@pytest.mark.parametrize("call, exception, parts", [row[1:] for row in BAD_INPUTS],
                         ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_is_rejected_with_a_clear_message(call, exception, parts):
    with pytest.raises(exception) as info:
        call()
    for part in parts:
        assert part in str(info.value), (part, str(info.value))


def test_rejected_schedule_leaves_the_optimizer_alone():
    opt = _sgd()
    with pytest.raises(ValueError):
        TimeDecay(opt, decay=-1.0)
    assert opt.lr == 0.1
