"""Lesson 07's claims (C31-C37), asserted over the lesson's own seeds with its own settings
(``lessons_lib.experiments.diagnostics``), so the notebook and these tests run the same experiments.

Where the lesson prints a number, the test recomputes what it rests on independently where it can (a forward
pass written out, a Hessian from second differences of the loss, a Rayleigh quotient from finite
differences of the gradient) and checks the statement the lesson draws from it.
"""

import math

import numpy as np
import pytest

from lessons_lib import init, lr_finder, nn, optim, sharpness, train
from lessons_lib.experiments import diagnostics as E

LN10 = math.log(10)


@pytest.fixture(scope="module")
def digits():
    return E.load_split()


@pytest.fixture(scope="module")
def tests(digits):
    return [E.range_test_run(digits, seed) for seed in E.SEEDS]


@pytest.fixture(scope="module")
def runs(digits):
    return E.sweep(digits)


# ----- C31: the range test against the sweep ----------------------------------------------------------------


def test_c31_the_curve_falls_bottoms_out_and_explodes_within_one_epoch(tests, digits):
    per_epoch = len(digits.y_train) // E.RANGE_TEST["batch_size"]
    for t in tests:
        s = t.smoothed
        low = int(np.argmin(s))
        assert t.gradients <= per_epoch
        assert 0 < low < len(s) - 1
        assert s[low] < 0.8 * s[0]                 # it fell
        assert s[low:].max() > 2 * s[low]          # and exploded after the minimum
        np.testing.assert_allclose(t.lrs, lr_finder.geometric_lrs(1e-4, 10.0, per_epoch)[: len(t.lrs)], rtol=1e-12)


def test_c31_the_suggestion_is_within_3x_of_the_sweeps_best_for_a_fraction_of_its_cost(tests, runs):
    """The sweep's best is recomputed here from the validation losses; the rule's suggestion from the curve."""
    mean_val = {lr: np.mean([h.test_loss[-1] for h in hs]) for lr, hs in runs.items()}
    best = min(mean_val, key=mean_val.get)
    assert best == E.sweep_best(runs)
    # the best is an interior point of the sweep, not an edge: the sweep brackets it
    assert min(runs) < best < max(runs)
    suggested = np.exp(np.mean([np.log(lr_finder.suggest(t.lrs, t.smoothed)[E.RULE].lr) for t in tests]))
    assert 1 / 3 <= suggested / best <= 3
    test_cost = sum(t.gradients for t in tests)
    sweep_cost = sum(len(h.step_loss) for hs in runs.values() for h in hs)
    assert sweep_cost == len(E.SWEEP_LRS) * len(E.SEEDS) * 64      # 64 steps per one-epoch training
    assert test_cost <= 0.15 * sweep_cost                             # "about a tenth"


# ----- C32: a heuristic -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def variants(digits, tests):
    found = {"the test above": tests}
    found |= {name: [E.range_test_run(digits, seed, **change) for seed in E.SEEDS]
              for name, change in E.VARIANTS.items() if change}
    return found


def gmean(results, rule):
    return E.geometric_mean([r.suggestions[rule].lr for r in results])


def test_c32_the_suggestion_moves_with_batch_size_smoothing_and_optimizer(variants):
    base = variants["the test above"]
    assert gmean(variants["batch 64"], "minimum / 10") > 2 * gmean(base, "minimum / 10")   # climbs with the batch
    assert gmean(variants["Adam"], "minimum / 10") < gmean(base, "minimum / 10") / 2        # falls for Adam
    smoothed_more = [r.suggestions["steepest"].lr for r in variants["beta 0.98"]]
    assert smoothed_more != [r.suggestions["steepest"].lr for r in base]                   # moves with smoothing
    assert min(smoothed_more) < 1e-3                     # on one seed: the very start of the curve (prose)


def test_c32_the_rules_disagree_3x_and_minimum_over_10_trains_better(digits, tests):
    for t in tests:
        a, b = t.suggestions["minimum / 10"].lr, t.suggestions["steepest"].lr
        assert max(a / b, b / a) >= 3
    for t, seed in zip(tests, E.SEEDS):
        val = {rule: E.final_val_loss(E.short_training(digits, t.suggestions[rule].lr, seed)) for rule in lr_finder.RULES}
        assert val["minimum / 10"] < val["steepest"]


def test_c32_the_steepest_rule_scatters_more_than_minimum_over_10(variants):
    def spread(results, rule):
        lrs = [r.suggestions[rule].lr for r in results]
        return max(lrs) / min(lrs)

    wider = sum(spread(v, "steepest") > spread(v, "minimum / 10") for v in variants.values())
    assert wider >= 3


# ----- C33: activation statistics ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def monitored(digits):
    return {name: [E.monitored_run(digits, lr, seed) for seed in E.SEEDS] for name, lr in E.MONITOR_LRS.items()}


def dead_by_hand(model, X):
    """Share of units with relu(a W + b) == 0 for every row of X, per hidden layer, written out."""
    a, shares = X, []
    for i in range(model.n_layers - 1):
        with np.errstate(over="ignore", invalid="ignore"):
            a = np.maximum(a @ model.params[2 * i] + model.params[2 * i + 1], 0.0)
        shares.append(float(np.mean(np.all(a == 0, axis=0))))
    return shares


def test_c33_a_good_rate_keeps_the_statistics_steady(monitored, digits):
    for history, stats, model in monitored["good"]:
        summary = E.monitor_summary(history, stats, model, digits)
        assert summary["dead_end"] == pytest.approx(dead_by_hand(model, digits.X_train))
        assert max(summary["dead_end"]) <= 0.10
        assert max(summary["std_peak_over_end"]) <= 2
        assert summary["final_loss"] < 0.8
        assert len(stats.steps) == len(history.step_loss) + 1            # every step, and step 0


def test_c33_a_too_high_rate_spikes_and_kills_most_units(monitored, digits):
    for history, stats, model in monitored["too high"]:
        summary = E.monitor_summary(history, stats, model, digits)
        dead = dead_by_hand(model, digits.X_train)
        assert summary["dead_end"] == pytest.approx(dead)
        assert np.mean(dead) > 0.5
        assert summary["dead_low_last_epoch"] > 0.5                      # they stayed dead
        assert summary["std_peak_over_end"][-1] >= 10                    # spike, then collapse
        assert abs(summary["final_loss"] - LN10) < 0.02
        # while the layers below still move, some units dead on the probe fire again later (the prose says so)
        assert sum(stats.revived(layer) for layer in range(len(dead))) > 0
        # why: one whole hidden layer is dead, so every layer above it sees the same input for every image
        assert max(dead) == 1.0
        logits = model.logits(digits.X_train)
        assert np.ptp(logits, axis=0).max() < 1e-9 * max(1.0, np.abs(logits).max())


def test_c33_exercise_2_solution_text_layer_4_of_seed_0_is_all_dead_and_layer_1_keeps_the_most(monitored, digits):
    model = monitored["too high"][0][2]
    nearly = [float(np.mean(np.mean(a > 0, axis=0) < 0.01)) for a in model.hidden_activations(digits.X_train)]
    assert nearly[3] == 1.0 and int(np.argmin(nearly)) == 0 and min(nearly) > 0.5


# ----- C34: LSUV --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deep_stds(digits):
    return {label: np.array([E.layer_stds(E.deep_net(label, seed, digits), digits.X_train) for seed in E.SEEDS])
            for label in E.DEEP_INITS}


def test_c34_lsuv_puts_every_layer_at_std_1_on_data_it_never_saw(deep_stds, digits):
    assert deep_stds["LSUV"].shape == (3, 11)                                  # >= 10 layers
    assert np.all(np.abs(deep_stds["LSUV"] - 1) <= 0.1)
    # LSUV saw only its batch: on that batch every layer is at variance 1 within its tolerance
    model = E.deep_net("LSUV", 0, digits)
    _, pre = model.forward(digits.X_train[: E.LSUV_BATCH], return_pre=True)
    assert all(abs(z.var() - 1) <= 0.01 for z in pre)


def test_c34_xavier_shrinks_and_he_drifts(deep_stds):
    assert not np.any(np.all(np.abs(deep_stds["He"] - 1) <= 0.1, axis=1))
    assert not np.any(np.all(np.abs(deep_stds["Xavier"] - 1) <= 0.1, axis=1))
    ratio = deep_stds["Xavier"][:, -1] / deep_stds["Xavier"][:, 0]
    assert np.all(ratio < 0.1)                                                 # about (1/sqrt 2)^10 = 0.03


def test_c34_training_lsuv_and_he_train_xavier_barely(digits):
    final = {label: [E.train_deep(label, seed, digits).epoch_loss[-1] for seed in E.SEEDS] for label in E.DEEP_INITS}
    for lsuv, he, xavier in zip(final["LSUV"], final["He"], final["Xavier"]):
        assert max(lsuv, he) < 0.6 < 1 < xavier


# ----- C35: orthogonal --------------------------------------------------------------------------------------


def test_c35_orthogonal_keeps_every_norm_through_50_linear_layers_and_gaussian_does_not():
    for seed in E.SEEDS:
        np.testing.assert_allclose(E.linear_stack_norms("orthogonal", seed), 1.0, rtol=0, atol=1e-9)
    gauss = np.concatenate([E.linear_stack_norms("lecun_normal", seed)[-1] for seed in E.SEEDS])
    assert gauss.max() / gauss.min() > 3
    # singular values: all 1 for orthogonal; spread over (0, 2) for a square Gaussian (Marchenko-Pastur)
    sv_o = np.linalg.svd(init.orthogonal((100, 100), rng=np.random.default_rng(0)), compute_uv=False)
    sv_g = np.linalg.svd(init.lecun_normal((100, 100), rng=np.random.default_rng(0)), compute_uv=False)
    np.testing.assert_allclose(sv_o, 1.0, rtol=0, atol=1e-12)
    assert sv_g.min() < 0.1 and 1.8 < sv_g.max() < 2.2


# ----- C36: sharpness against the full Hessian ---------------------------------------------------------------


def tiny_loss_batch(X, y, w, sizes):
    """Loss of the tiny 16-6-10 tanh net for a batch of flat parameter vectors w (K, P), written out."""
    (d, h, k) = sizes
    i = 0
    W1 = w[:, i:i + d * h].reshape(-1, d, h); i += d * h
    b1 = w[:, i:i + h]; i += h
    W2 = w[:, i:i + h * k].reshape(-1, h, k); i += h * k
    b2 = w[:, i:i + k]
    a = np.tanh(X @ W1 + b1[:, None, :])          # (K, n, h): X broadcast over the K parameter vectors
    z = a @ W2 + b2[:, None, :]
    z = z - z.max(axis=2, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    return -log_p[:, np.arange(len(y)), y].mean(axis=1)


def hessian_second_differences(X, y, w0, sizes, h=1e-4):
    n = w0.size
    H = np.empty((n, n))
    E_ = np.eye(n) * h
    for i in range(n):
        plus, minus = w0 + E_[i], w0 - E_[i]
        batch = np.concatenate([plus + E_, plus - E_, minus + E_, minus - E_])
        f = tiny_loss_batch(X, y, batch, sizes).reshape(4, n)
        H[i] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h)
    return (H + H.T) / 2


@pytest.mark.parametrize("seed", E.SEEDS)
def test_c36_power_iteration_agrees_with_the_full_hessian_of_a_tiny_net(digits, seed):
    model, X, y = E.tiny_problem(digits, seed)
    w0 = sharpness.flatten(model.params)
    assert tiny_loss_batch(X, y, w0[None], E.TINY["sizes"])[0] == pytest.approx(model.loss(X, y), rel=1e-12)
    top = np.linalg.eigvalsh(hessian_second_differences(X, y, w0, E.TINY["sizes"]))[-1]
    power = sharpness.sharpness(model, X, y, rng=np.random.default_rng(seed), tol=1e-10, max_iter=2000)
    assert abs(power.value - top) <= 1e-6 * top
    # the notebook's full Hessian (central differences of backprop's gradient) agrees with this one too
    top_nb = np.linalg.eigvalsh(E.hessian_by_differences(model, X, y))[-1]
    assert abs(top_nb - top) <= 1e-6 * top


# ----- C37: the edge of stability ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eos(digits):
    return {lr: [E.eos_run(digits, lr, seed) for seed in E.SEEDS] for lr in E.EOS["lrs"]}


def test_c37_sharpness_rises_to_2_over_lr_and_hovers_while_the_loss_falls_unevenly(eos):
    for lr, runs_ in eos.items():
        for history, tracker in runs_:
            s = E.eos_summary(history, tracker, lr)
            assert s["start"] < 0.2
            assert s["reach"] is not None
            assert abs(s["median"] - 1) <= 0.15
            assert s["loss_drop"] >= 3 and s["rises"] >= 3
            # later the cross-entropy's curvature fades: at the end the sharpness is below the bound (prose)
            assert tracker.values[-1] < 2 / lr


def test_c37_the_tracked_sharpness_is_a_curvature_of_the_loss(digits, eos):
    """Independent of hvp: along the tracker's last direction, the Rayleigh quotient from central differences
    of backprop's gradient equals the tracked value (within the tracker's tolerance)."""
    history, tracker = eos[E.EOS["lrs"][0]][0]
    model = nn.MLP(E.EOS["sizes"], activation="relu", init=E.EOS["init"], rng=np.random.default_rng(0))
    X, y = digits.X_train[: E.EOS["samples"]], digits.y_train[: E.EOS["samples"]]
    # replay the run to its end (full-batch GD is deterministic), then measure
    train.fit(model, optim.SGD(model.params, lr=E.EOS["lrs"][0]), X, y, epochs=E.EOS["steps"], batch_size=None,
              rng=np.random.default_rng(100))
    assert model.loss(X, y) == pytest.approx(history.epoch_loss[-1], rel=1e-9)
    v = sharpness.sharpness(model, X, y, rng=np.random.default_rng(0), tol=1e-8, max_iter=2000).vector
    w0 = sharpness.flatten(model.params)

    def set_weights(w):
        for p, q in zip(model.params, sharpness.unflatten(w, model.params)):
            p[...] = q

    def grad_and_signs(w):
        set_weights(w)
        signs = np.concatenate([np.ravel(z > 0) for z in model.forward(X, return_pre=True)[1][:-1]])
        return sharpness.flatten(model.loss_and_grads(X, y)[1]), signs

    # ReLU's gradient jumps where a pre-activation crosses 0: take a step small enough that none does
    # between w - h v and w + h v (then the loss is smooth along the segment and differences are exact to h^2)
    for h in (1e-5, 1e-6, 1e-7, 1e-8):
        (g_plus, s_plus), (g_minus, s_minus) = grad_and_signs(w0 + h * v), grad_and_signs(w0 - h * v)
        if np.array_equal(s_plus, s_minus):
            break
    else:
        pytest.fail("no step keeps every ReLU on one side of its kink")
    set_weights(w0)
    quotient = v @ (g_plus - g_minus) / (2 * h)
    assert quotient == pytest.approx(tracker.values[-1], rel=2e-2)


def test_c36_power_iteration_is_slow_where_the_top_two_eigenvalues_are_close(digits):
    """The lesson's remark on seed 0: the ratio of the two largest eigenvalues decides the number of products."""
    products, gaps = [], []
    for seed in E.SEEDS:
        model, X, y = E.tiny_problem(digits, seed)
        ev = np.linalg.eigvalsh(sharpness.hessian(model, X, y))
        gaps.append(ev[-2] / ev[-1])
        products.append(sharpness.sharpness(model, X, y, rng=np.random.default_rng(seed), tol=1e-10,
                                            max_iter=2000).products)
    assert int(np.argmax(gaps)) == 0 == int(np.argmax(products))
    assert products[0] > 5 * max(products[1:])


# ----- the explorer -----------------------------------------------------------------------------------------


def test_explorer_redraws_at_every_rate_of_the_sweep_and_its_picture_changes(tests, runs):
    from lessons_lib.explorers.diagnostics import range_test_explorer

    explorer = range_test_explorer(tests, runs, rule=E.RULE)
    first = explorer.png
    assert any(abs(explorer.values["lr"] / lr - 1) < 1e-9 for lr in runs)   # it starts on a rate of the sweep
    pictures = set()
    for lr in runs:
        explorer.set(lr=lr)
        assert explorer.status.value == ""
        pictures.add(explorer.png)
    assert len(pictures) == len(runs) and first in pictures
