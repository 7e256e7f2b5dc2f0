"""Write tests/fixtures/optim_trajectories.npz: reference trajectories of torch.optim in float64.

Needs torch (the course does not): run it with the reference environment,

    /tmp/torchenv/bin/python scripts/make_torch_fixtures.py

It imports nothing from lessons_lib. For each case it runs one torch optimizer (and, for two cases, the
LambdaLR time-decay schedule) for STEPS steps on a small deterministic problem, whose gradient the tests
recompute with an explicit numpy formula, and stores:

    <case>__p0, <case>__p1      every step's parameters, shape (STEPS + 1, *param shape), row 0 = initial
    <case>__state__<i>__<name>  torch's final state of parameter i, under the lessons_lib equation name
    meta                        JSON: the problem's constants, each case's class, hyperparameters,
                                schedule, final step count and mu_product, and every class's defaults
                                read from torch's signatures

The problem: W (2x3) and c (3), r = W - W_star, e = c - c_star,

    loss = 1/2 sum((r @ H) * r) + 1/2 e @ K @ e + gamma/4 sum(r^4) + kappa * sum(r, axis=0) @ e

a convex bowl with a mild quartic term and a cross term. Its gradient here comes from torch's autograd;
the tests use the hand-written formula, so a match also checks that formula. Every parameter starts at
0.3 * its target value and moves away from zero, so no coordinate crosses zero and a purely relative
tolerance works. Each case is also run from a start perturbed by 1e-10 (relative): the largest growth
of that perturbation is printed and must stay small, so rounding differences cannot blow up (a chaotic
case would make a 1e-10 comparison meaningless). Centered RMSprop is the sensitive one: near the minimum
its variance estimate v - gbar^2 shrinks with the gradient, so a small eps (1e-8, lr 0.01) grows a 1e-10
perturbation 10^8 times in 200 steps; its cases use eps >= 1e-5 and small steps. Adadelta with lr=2, eps=1e-5 is chaotic in the same way.
"""

import inspect
import json
import pathlib

import numpy as np
import torch

STEPS = 250
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "optim_trajectories.npz"

PROBLEM = {
    "H": [[2.0, 0.3, 0.0], [0.3, 1.0, 0.2], [0.0, 0.2, 0.5]],
    "K": [[1.5, -0.2, 0.1], [-0.2, 0.8, 0.0], [0.1, 0.0, 0.6]],
    "gamma": 0.1,
    "kappa": 0.1,
    "W_star": [[1.5, -2.0, 2.5], [-1.0, 2.0, -1.5]],
    "c_star": [2.0, -1.5, 1.0],
    "start_fraction": 0.3,
}

# name: (torch class, hyperparameters, time-decay factor for LambdaLR or None)
CASES = {
    "sgd_plain": ("SGD", {"lr": 0.05}, None),
    "sgd_momentum": ("SGD", {"lr": 0.02, "momentum": 0.9}, None),
    "sgd_momentum_dampening_wd": ("SGD", {"lr": 0.03, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}, None),
    "sgd_nesterov_wd": ("SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, None),
    "adagrad_plain": ("Adagrad", {"lr": 0.1}, None),
    "adagrad_lr_decay": ("Adagrad", {"lr": 0.3, "lr_decay": 0.02}, None),
    "adagrad_lr_decay_wd_init": (
        "Adagrad",
        {"lr": 0.2, "lr_decay": 0.01, "weight_decay": 0.02, "initial_accumulator_value": 0.1, "eps": 1e-6},
        None,
    ),
    "rmsprop_plain": ("RMSprop", {"lr": 0.01}, None),
    "rmsprop_momentum": ("RMSprop", {"lr": 0.002, "momentum": 0.9}, None),
    "rmsprop_centered": ("RMSprop", {"lr": 0.005, "alpha": 0.99, "eps": 1e-4, "centered": True}, None),
    "rmsprop_centered_momentum_wd": (
        "RMSprop",
        {"lr": 0.0015, "alpha": 0.97, "momentum": 0.6, "centered": True, "weight_decay": 0.01, "eps": 1e-5},
        None,
    ),
    "adadelta_plain": ("Adadelta", {"lr": 1.0}, None),
    "adadelta_rho_eps_wd": ("Adadelta", {"lr": 1.0, "rho": 0.95, "eps": 1e-4, "weight_decay": 0.01}, None),
    "adam_plain": ("Adam", {"lr": 0.01}, None),
    "adam_amsgrad_wd": (
        "Adam",
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05, "amsgrad": True},
        None,
    ),
    "adamw_default_wd": ("AdamW", {"lr": 0.01}, None),
    "adamw_amsgrad": ("AdamW", {"lr": 0.01, "betas": (0.85, 0.98), "weight_decay": 0.1, "amsgrad": True}, None),
    "nadam_plain": ("NAdam", {"lr": 0.01}, None),
    "nadam_keras_wd": ("NAdam", {"lr": 0.01, "betas": (0.95, 0.99), "momentum_decay": 1.0, "weight_decay": 0.01}, None),
    "sgd_momentum_time_decay": ("SGD", {"lr": 0.05, "momentum": 0.9}, 0.02),
    "sgd_plain_time_decay": ("SGD", {"lr": 0.1}, 0.05),
}

# torch's state names -> the lessons_lib equation names
STATE_NAMES = {
    "momentum_buffer": "b",
    "sum": "s",
    "square_avg": "v",
    "grad_avg": "gbar",
    "acc_delta": "u",
    "exp_avg": "m",
    "exp_avg_sq": "v",
    "max_exp_avg_sq": "vmax",
}
# The Adadelta square average of gradients is v and of updates is u; RMSprop's square_avg is v too.

CLASSES = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam"]


def start_params(problem):
    W = problem["start_fraction"] * torch.tensor(problem["W_star"])
    c = problem["start_fraction"] * torch.tensor(problem["c_star"])
    return W, c


def loss_fn(W, c, problem):
    H, K = torch.tensor(problem["H"]), torch.tensor(problem["K"])
    r = W - torch.tensor(problem["W_star"])
    e = c - torch.tensor(problem["c_star"])
    return (
        0.5 * torch.sum((r @ H) * r)
        + 0.5 * e @ (K @ e)
        + problem["gamma"] / 4 * torch.sum(r**4)
        + problem["kappa"] * r.sum(dim=0) @ e
    )


def run(cls_name, hyper, decay, W0, c0, problem):
    """Run torch's optimizer for STEPS steps; return the trajectories and the optimizer."""
    W = W0.clone().requires_grad_(True)
    c = c0.clone().requires_grad_(True)
    kwargs = dict(hyper)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    opt = getattr(torch.optim, cls_name)([W, c], foreach=False, **kwargs)
    schedule = None
    if decay is not None:
        schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: 1 / (1 + decay * k))
    traj_W, traj_c = [W.detach().clone()], [c.detach().clone()]
    for _ in range(STEPS):
        opt.zero_grad()
        loss_fn(W, c, problem).backward()
        opt.step()
        if schedule is not None:
            schedule.step()
        traj_W.append(W.detach().clone())
        traj_c.append(c.detach().clone())
    return torch.stack(traj_W).numpy(), torch.stack(traj_c).numpy(), opt, (W, c)


def torch_defaults():
    """Every class's constructor defaults, read from torch's own signatures."""
    out = {}
    for name in CLASSES:
        params = inspect.signature(getattr(torch.optim, name)).parameters
        out[name] = {
            key: (list(p.default) if isinstance(p.default, tuple) else p.default)
            for key, p in params.items()
            if key != "params" and p.default is not inspect.Parameter.empty
        }
    return out


def check_gradient_formula(problem):
    """The hand-written gradient (the one the tests use) equals autograd's at the start point."""
    W0, c0 = start_params(problem)
    W, c = W0.clone().requires_grad_(True), c0.clone().requires_grad_(True)
    loss_fn(W, c, problem).backward()
    H, K = torch.tensor(problem["H"]), torch.tensor(problem["K"])
    r, e = W0 - torch.tensor(problem["W_star"]), c0 - torch.tensor(problem["c_star"])
    gW = r @ H + problem["gamma"] * r**3 + problem["kappa"] * e
    gc = K @ e + problem["kappa"] * r.sum(dim=0)
    assert torch.allclose(W.grad, gW, rtol=1e-14, atol=0), (W.grad, gW)
    assert torch.allclose(c.grad, gc, rtol=1e-14, atol=0), (c.grad, gc)


def main():
    torch.set_default_dtype(torch.float64)  # also makes NAdam's mu_product and step counters float64
    check_gradient_formula(PROBLEM)
    W0, c0 = start_params(PROBLEM)
    # a fixed perturbation pattern of relative size 1e-10 for the sensitivity check
    pattern_W = 1e-10 * torch.tensor([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]])
    pattern_c = 1e-10 * torch.tensor([1.0, -1.0, 1.0])
    arrays, cases = {}, {}
    for case, (cls_name, hyper, decay) in CASES.items():
        traj_W, traj_c, opt, (W, c) = run(cls_name, hyper, decay, W0, c0, PROBLEM)
        pert_W, pert_c, _, _ = run(cls_name, hyper, decay, W0 * (1 + pattern_W), c0 * (1 + pattern_c), PROBLEM)
        # growth of a relative 1e-10 perturbation over the run (1 = no growth)
        rel = np.maximum(
            np.abs(pert_W - traj_W).max(axis=(1, 2)) / np.abs(traj_W).max(axis=(1, 2)),
            np.abs(pert_c - traj_c).max(axis=1) / np.abs(traj_c).max(axis=1),
        )
        growth = float(rel.max() / 1e-10)
        min_abs = float(min(np.abs(traj_W).min(), np.abs(traj_c).min()))
        moved = float(max(np.abs(traj_W[-1] - traj_W[0]).max(), np.abs(traj_c[-1] - traj_c[0]).max()))
        print(f"{case:32s} growth {growth:7.2f}  min|p| {min_abs:.3f}  moved {moved:.3f}")
        assert growth < 100, f"{case}: perturbations grow {growth:.0f}x, too sensitive for a 1e-10 fixture"
        assert min_abs > 0.1, f"{case}: a coordinate comes near zero ({min_abs})"

        arrays[f"{case}__p0"] = traj_W
        arrays[f"{case}__p1"] = traj_c
        state_names = []
        for i, p in enumerate((W, c)):
            for key, value in opt.state[p].items():
                if key in STATE_NAMES and value is not None:
                    arrays[f"{case}__state__{i}__{STATE_NAMES[key]}"] = value.detach().numpy().copy()
                    state_names.append(STATE_NAMES[key])
        first_state = opt.state[W]
        cases[case] = {
            "class": cls_name,
            "hyperparameters": {k: (list(v) if isinstance(v, tuple) else v) for k, v in hyper.items()},
            "time_decay": decay,
            "steps": STEPS,
            "final_t": float(first_state["step"]) if "step" in first_state else None,  # SGD keeps no count
            "mu_product": float(first_state["mu_product"]) if "mu_product" in first_state else None,
            "state_names": sorted(set(state_names)),
            "perturbation_growth": growth,
            "min_abs_param": min_abs,
        }
    meta = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "problem": PROBLEM,
        "cases": cases,
        "torch_defaults": torch_defaults(),
    }
    arrays["meta"] = np.array(json.dumps(meta, indent=1, sort_keys=True))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB, {len(cases)} cases of {STEPS} steps)")


if __name__ == "__main__":
    main()
