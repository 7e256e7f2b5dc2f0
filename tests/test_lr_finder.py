"""lessons_lib.lr_finder: the geometric sweep, the smoothing, the two rules, the callback and its stopping rule."""

import math

import numpy as np
import pytest

from lessons_lib import data, lr_finder, nn, optim, train


def test_geometric_lrs_run_from_min_to_max_by_a_constant_factor():
    lrs = lr_finder.geometric_lrs(1e-4, 10.0, 51)
    assert lrs[0] == pytest.approx(1e-4, rel=1e-12) and lrs[-1] == pytest.approx(10.0, rel=1e-12)
    ratios = lrs[1:] / lrs[:-1]
    np.testing.assert_allclose(ratios, 10 ** 0.1, rtol=1e-12)  # 5 decades in 50 steps


def test_smoothing_is_a_debiased_moving_average():
    """Written out: the average of the losses so far with weights beta**(k-i), normalized to sum to 1."""
    rng = np.random.default_rng(0)
    losses = rng.uniform(1, 3, size=30)
    beta = 0.9
    got = lr_finder.smooth(losses, beta)
    for k in range(1, 31):
        w = beta ** np.arange(k - 1, -1, -1)
        assert got[k - 1] == pytest.approx(np.sum(w * losses[:k]) / np.sum(w), rel=1e-12)
    np.testing.assert_allclose(lr_finder.smooth(np.full(10, 2.5), 0.98), 2.5, rtol=1e-12)  # no bias towards 0


def test_the_two_rules_on_curves_whose_answers_are_known():
    lrs = lr_finder.geometric_lrs(1e-4, 10.0, 101)        # 20 points per decade
    x = np.log10(lrs)
    # a parabola in log10(lr) with its minimum at lr = 10**-0.5: minimum / 10 is 10**-1.5
    bowl = 1.0 + (x + 0.5) ** 2
    assert lr_finder.suggest(lrs, bowl)["minimum / 10"].lr == pytest.approx(10**-1.5, rel=1e-9)
    # a logistic fall centred at 10**-2 (its steepest point), then a rise after 10**0
    fall = 2.0 - 1.5 / (1 + np.exp(-4 * (x + 2))) + np.maximum(x, 0) ** 2
    steep = lr_finder.suggest(lrs, fall)["steepest"]
    assert steep.lr == pytest.approx(1e-2, rel=1e-9) and steep.rule == "steepest"
    assert "steepest" in str(steep) and "0.01" in str(steep)


def test_the_steepest_rule_ignores_the_start_and_the_part_after_the_minimum():
    lrs = lr_finder.geometric_lrs(1e-3, 1.0, 40)
    losses = np.concatenate([[5.0, 3.0], np.linspace(2.0, 1.0, 30), np.linspace(1.1, 9.0, 8)])
    s = lr_finder.suggest(lrs, losses)          # the first 10 % (4 points, with the big drop) are skipped
    assert 4 <= s["steepest"].index <= 31
    assert s["minimum / 10"].index == 31
    assert lr_finder.suggest(lrs, losses, skip_start=0.0)["steepest"].index <= 1  # without the skip: the start


class SpySGD(optim.SGD):
    """SGD that records the learning rate of every step it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.used = []

    def step(self, grads):
        self.used.append(self.lr)
        return super().step(grads)


@pytest.fixture(scope="module")
def digits():
    X_train, _, y_train, _ = data.load_digits(seed=0)
    return X_train[:512], y_train[:512]


def test_every_step_runs_at_its_rate_and_the_test_stops_at_lr_max(digits):
    X, y = digits
    model = nn.MLP([64, 16, 10], rng=np.random.default_rng(0))
    opt = SpySGD(model.params, lr=1.0)
    finder = lr_finder.RangeTest(opt, lr_min=1e-5, lr_max=1e-3, steps=20)   # too small to explode
    history = train.fit(model, opt, X, y, epochs=1, batch_size=16, rng=np.random.default_rng(0), callbacks=[finder])
    assert history.stopped and len(history.step_loss) == 20
    np.testing.assert_allclose(opt.used, lr_finder.geometric_lrs(1e-5, 1e-3, 20), rtol=1e-12)
    np.testing.assert_allclose(finder.lrs, opt.used, rtol=1e-12)
    np.testing.assert_allclose(finder.losses, history.step_loss, rtol=0)
    np.testing.assert_allclose(finder.smoothed, lr_finder.smooth(history.step_loss, 0.98), rtol=1e-12)
    assert finder.stop_reason == "the sweep reached lr_max"


def test_the_test_stops_when_the_smoothed_loss_passes_four_times_its_minimum(digits):
    X, y = digits
    model = nn.MLP([64, 32, 10], rng=np.random.default_rng(1))
    opt = optim.SGD(model.params, lr=1.0, momentum=0.9)
    result = lr_finder.range_test(model, opt, X, y, batch_size=16, rng=np.random.default_rng(0), lr_min=1e-4,
                                  lr_max=100.0, beta=0.9)
    s = result.smoothed
    if result.stop_reason.startswith("the smoothed loss"):
        assert s[-1] > 4 * s.min() and np.all(s[:-1] <= 4 * np.minimum.accumulate(s)[:-1])
    else:
        assert result.stop_reason == "the loss stopped being a finite number"
    assert result.gradients <= 512 // 16
    # the curve falls first, then rises: its lowest point lies strictly inside
    assert 0 < int(np.argmin(s)) < len(s) - 1 and s.min() < s[0]
    assert set(result.suggestions) == set(lr_finder.RULES)


def test_range_test_runs_at_most_one_epoch(digits):
    X, y = digits
    model = nn.MLP([64, 16, 10], rng=np.random.default_rng(0))
    opt = optim.SGD(model.params, lr=0.1)
    with pytest.raises(ValueError, match="at most one epoch"):
        lr_finder.range_test(model, opt, X, y, batch_size=16, rng=np.random.default_rng(0), steps=33)
    result = lr_finder.range_test(model, opt, X, y, batch_size=16, rng=np.random.default_rng(0), lr_max=1e-2)
    assert result.gradients == 32 == len(result.lrs)


def test_plot_draws_one_curve_per_test_and_the_suggestions(digits):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = digits
    results = []
    for seed in (0, 1):
        model = nn.MLP([64, 16, 10], rng=np.random.default_rng(seed))
        results.append(lr_finder.range_test(model, optim.SGD(model.params, lr=0.1), X, y, batch_size=16,
                                            rng=np.random.default_rng(seed)))
    fig, ax = plt.subplots()
    lr_finder.plot(results, ax=ax, rule="minimum / 10")
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "learning rate"
    assert len(ax.get_legend().get_texts()) == 2
    vertical = [line for line in ax.lines if len(set(line.get_xdata())) == 1]
    assert len(vertical) == 2
    plt.close(fig)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: lr_finder.geometric_lrs(1.0, 0.1, 10), ValueError, "lr_max"),
        (lambda: lr_finder.geometric_lrs(0.0, 1.0, 10), ValueError, "lr_min"),
        (lambda: lr_finder.geometric_lrs(1e-3, 1.0, 1), ValueError, "steps"),
        (lambda: lr_finder.smooth([1.0], 1.0), ValueError, "beta"),
        (lambda: lr_finder.suggest([1.0, 2.0], [1.0]), ValueError, "same length"),
        (lambda: lr_finder.suggest([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], skip_start=0.5), ValueError, "too few"),
        (lambda: lr_finder.RangeTest(object(), lr_min=1e-3, lr_max=1.0, steps=5), TypeError, "lr"),
        (lambda: lr_finder.RangeTest(optim.SGD([np.zeros(1)], lr=0.1), lr_min=1e-3, lr_max=1.0, steps=5,
                                     stop_factor=1.0), ValueError, "stop_factor"),
        (lambda: lr_finder.plot([]), TypeError, "RangeTestResult"),
        (lambda: lr_finder.smooth("abc", 0.9), TypeError, "losses"),
        (lambda: lr_finder.suggest([0.0, 0.1, 0.2, 0.3], [2.0, 1.5, 1.0, 3.0]), ValueError, "lrs"),
        (lambda: lr_finder.suggest(np.geomspace(1e-3, 1.0, 20), np.r_[2.0, 1.0, [np.nan] * 18], skip_start=0.0),
         ValueError, "finite points"),
        (lambda: lr_finder.range_test(nn.MLP([4, 3], rng=np.random.default_rng(0)), optim.SGD([np.zeros(1)], lr=0.1),
                                      [[0.0] * 4] * 8, np.zeros(8, dtype=int), batch_size=2,
                                      rng=np.random.default_rng(0)), TypeError, "X must be a numpy array"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_rules_are_named_and_described():
    assert set(lr_finder.RULES) == {"minimum / 10", "steepest"}
    assert all(isinstance(text, str) and text for text in lr_finder.RULES.values())
    assert math.isclose(lr_finder.geometric_lrs(1, 100, 3)[1], 10.0)
