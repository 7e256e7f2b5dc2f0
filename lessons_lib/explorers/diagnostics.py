"""Lesson 07's explorer: a learning rate on the range test's curve, next to the training it predicts."""

import numpy as np

from .. import lr_finder, plots, widgets

_SMOOTH = 0.8  # smoothing of the minibatch losses drawn on the right (the raw ones are too noisy to read)


def _nearest(lrs, value):
    """The index of the rate of ``lrs`` nearest to ``value`` on a log scale."""
    return int(np.argmin(np.abs(np.log(np.asarray(lrs)) - np.log(value))))


def range_test_explorer(tests, runs, *, rule="minimum / 10", dpi=80):
    """An ``Explorer`` with one slider, the learning rate, moving over the rates of a sweep.

    Left: the range test's smoothed loss against the learning rate (one line per seed, from ``tests``, a list
    of ``lr_finder.RangeTestResult``), the sweep's validation loss at each rate (mean over seeds, from
    ``runs``, ``{lr: [train.History, ...]}``), the suggestions of ``rule``, and a marker at the chosen rate.
    Right: the minibatch loss of the sweep's trainings at that rate, one line per seed (smoothed), with the
    trainings at the sweep's best rate in grey for comparison. Only the marker, the lines on the right and
    the title are redrawn.
    """
    lrs = sorted(runs)
    val = {lr: np.mean([h.test_loss[-1] if not h.diverged else np.nan for h in runs[lr]]) for lr in lrs}
    best = min(lrs, key=lambda lr: np.inf if np.isnan(val[lr]) else val[lr])
    n_seeds = len(runs[lrs[0]])
    steps_per_decade = round(1 / np.log10(lrs[1] / lrs[0]))
    start = lrs[_nearest(lrs, np.exp(np.mean([np.log(t.suggestions[rule].lr) for t in tests])))]
    controls = [widgets.log_slider("lr", lrs[0], lrs[-1], start, steps_per_decade=steps_per_decade)]
    colours = [plots.OKABE_ITO[c] for c in ("blue", "vermillion", "bluish green", "orange", "reddish purple")]

    def curve(history):
        return lr_finder.smooth(history.step_loss, _SMOOTH)

    def setup(figure):
        ax_l, ax_r = figure.subplots(1, 2, width_ratios=[1.15, 1])
        for k, test in enumerate(tests):
            ax_l.plot(test.lrs, test.smoothed, color=plots.OKABE_ITO["sky blue"], linewidth=1.2,
                      label="range test (one line per seed)" if k == 0 else None)
        ax_l.plot(lrs, [val[lr] for lr in lrs], linestyle="none", marker="o", color=plots.DARK_GREY,
                  label="sweep: validation loss after 1 epoch")
        for k, test in enumerate(tests):
            ax_l.axvline(test.suggestions[rule].lr, color=plots.OKABE_ITO["bluish green"], linestyle="--",
                         linewidth=1, label=f"suggestion ({rule})" if k == 0 else None)
        (marker,) = ax_l.plot([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                              markeredgecolor=plots.OKABE_ITO["vermillion"], markeredgewidth=2, animated=True)
        ax_l.set(xscale="log", yscale="log", ylim=(0.1, 12), xlabel="learning rate", ylabel="loss (cross-entropy)",
                 title="Range test and sweep")
        ax_l.legend(loc="upper left", fontsize=7)
        for k in range(n_seeds):
            ax_r.plot(curve(runs[best][k]), color=plots.GREY, linewidth=1,
                      label=f"best rate of the sweep, {best:.2g}" if k == 0 else None)
        lines = [ax_r.plot([], [], color=colours[k % len(colours)], linewidth=1.5, label=f"seed {k}",
                           animated=True)[0] for k in range(n_seeds)]
        n_steps = max(len(h.step_loss) for hs in runs.values() for h in hs)
        ax_r.set(yscale="log", ylim=(0.05, 12), xlim=(0, n_steps), xlabel="step (minibatch of 16)",
                 ylabel="minibatch loss (smoothed)")
        ax_r.legend(loc="lower left", fontsize=7)
        title = ax_r.set_title("", animated=True)
        return {"marker": marker, "lines": lines, "title": title}

    def update(state, lr):
        chosen = lrs[_nearest(lrs, lr)]
        state["marker"].set_data([chosen], [val[chosen]])
        for line, history in zip(state["lines"], runs[chosen]):
            y = curve(history)
            line.set_data(np.arange(len(y)), np.clip(y, 1e-3, 1e3))
        state["title"].set_text(f"Training at lr = {chosen:.2g}: validation loss {val[chosen]:.2f}")

    return widgets.Explorer(controls, update, setup, figsize=(10.0, 4.0), dpi=dpi)
