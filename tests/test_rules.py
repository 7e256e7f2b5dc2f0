"""lessons_lib.rules (the rules as the lessons show them) equal lessons_lib.optim (the in-place classes,
themselves equal to torch.optim: tests/test_optim.py) step for step."""

import inspect

import numpy as np
import pytest

from lessons_lib import optim, rules, surfaces

ROSENBROCK = surfaces.SURFACES["rosenbrock"]
BOWL = surfaces.BOWL

CASES = [
    # (rule, its hyperparameters, the class, the class's hyperparameters)
    (rules.gd, {"lr": 1e-3}, optim.SGD, {"lr": 1e-3}),
    (rules.sgd_momentum, {"lr": 1e-3, "momentum": 0.9}, optim.SGD, {"lr": 1e-3, "momentum": 0.9}),
    (rules.nesterov, {"lr": 1e-3, "momentum": 0.8}, optim.SGD, {"lr": 1e-3, "momentum": 0.8, "nesterov": True}),
    (rules.adagrad, {"lr": 0.3}, optim.Adagrad, {"lr": 0.3}),
    (rules.rmsprop, {"lr": 0.01, "alpha": 0.9}, optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
    (rules.adadelta, {"lr": 1.0, "rho": 0.95}, optim.Adadelta, {"lr": 1.0, "rho": 0.95}),
    (rules.adam, {"lr": 0.02, "beta1": 0.8, "beta2": 0.99}, optim.Adam, {"lr": 0.02, "betas": (0.8, 0.99)}),
    (rules.nadam, {"lr": 0.02}, optim.NAdam, {"lr": 0.02}),
    (rules.nadam, {"lr": 0.02, "momentum_decay": 1.0}, optim.NAdam, {"lr": 0.02, "momentum_decay": 1.0}),
]


@pytest.mark.parametrize("rule, hyper, cls, cls_hyper", CASES, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("surface", [BOWL, ROSENBROCK], ids=["bowl", "rosenbrock"])
def test_rule_equals_the_library_class_step_for_step(rule, hyper, cls, cls_hyper, surface):
    start = np.array([-1.5, 1.2]) if surface is ROSENBROCK else np.array(surface.start)
    steps = 100
    by_rule = rules.run(rule, start, surface.grad, steps, **hyper)
    by_class = surfaces.trace(surface, cls, start, steps, **cls_hyper)
    assert by_rule.shape == by_class.shape == (steps + 1, 2)
    np.testing.assert_allclose(by_rule, by_class, rtol=1e-10, atol=1e-12)


def test_every_rule_is_tested_and_short():
    tested = {case[0] for case in CASES}
    for name in rules.__all__:
        rule = getattr(rules, name)
        assert rule in tested, f"rules.{name} is not compared with its class"
        body = [line for line in inspect.getsource(rule).splitlines()[1:]
                if line.strip() and not line.strip().startswith(('"""', "#")) and '"""' not in line]
        assert len(body) <= 12, f"rules.{name} has {len(body)} lines: a rule should read like its equations"


def test_the_defaults_are_torch_defaults():
    """The rules' defaults equal the classes' (which are torch's)."""
    pairs = [(rules.adagrad, optim.Adagrad, {"lr": "lr", "eps": "eps"}),
             (rules.rmsprop, optim.RMSprop, {"lr": "lr", "alpha": "alpha", "eps": "eps"}),
             (rules.adadelta, optim.Adadelta, {"lr": "lr", "rho": "rho", "eps": "eps"}),
             (rules.adam, optim.Adam, {"lr": "lr", "eps": "eps"}),
             (rules.nadam, optim.NAdam, {"lr": "lr", "eps": "eps", "momentum_decay": "momentum_decay"})]
    for rule, cls, names in pairs:
        rule_defaults = {k: v.default for k, v in inspect.signature(rule).parameters.items()}
        cls_defaults = {k: v.default for k, v in inspect.signature(cls).parameters.items()}
        for r, c in names.items():
            assert rule_defaults[r] == cls_defaults[c], (rule.__name__, r)
    for rule in (rules.adam, rules.nadam):
        d = {k: v.default for k, v in inspect.signature(rule).parameters.items()}
        assert (d["beta1"], d["beta2"]) == inspect.signature(optim.Adam).parameters["betas"].default
