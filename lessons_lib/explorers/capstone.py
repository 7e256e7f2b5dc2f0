"""Lesson 06's explorer: pick a pairing of the grid and watch it train, step by step."""

import math

import numpy as np

from .. import plots, widgets
from ..experiments.capstone import INITS, OPTIMIZERS


def training_explorer(histories, dpi=80):
    """An ``Explorer`` over the grid's runs: choose an optimizer and an init, then move (or play) the step.

    ``histories``: a dict ``(optimizer, init_label) -> History`` (one seed of the grid). Left: the minibatch
    loss up to the chosen step, with Adam + He in grey for reference; right: the validation accuracy after
    each epoch reached so far (``train_pairing`` scores the validation split in ``History.test_acc``).
    The runs are already trained, so a redraw only moves lines (blitting). ``explorer.widget`` holds a Play
    button that steps through training in a live notebook.
    """
    import ipywidgets

    optimizers = sorted({o for o, _ in histories}, key=list(OPTIMIZERS).index)
    inits = sorted({i for _, i in histories}, key=list(INITS).index)
    reference = histories.get(("Adam", "He"))
    n_steps = max(len(h.step_loss) for h in histories.values())
    steps_per_epoch = max(1, n_steps // max(h.epochs for h in histories.values()))
    step = widgets.slider("step", 0, n_steps, 1, n_steps)
    controls = [widgets.dropdown("optimizer", optimizers, "Adam" if "Adam" in optimizers else optimizers[0]),
                widgets.dropdown("init", inits, "He" if "He" in inits else inits[0]), step]

    def setup(figure):
        figure.set_layout_engine(None)
        ax_loss, ax_acc = figure.subplots(1, 2, width_ratios=[1.5, 1],
                                          gridspec_kw=dict(left=0.08, right=0.98, bottom=0.14, top=0.88, wspace=0.28))
        ax_loss.set(yscale="log", xlim=(0, n_steps), ylim=(0.01, 1e3), xlabel="step (minibatch of 64)",
                    ylabel="minibatch loss")
        ax_loss.axhline(math.log(10), color=plots.GREY, linestyle=":", linewidth=1, label="ln 10 (uniform guess)")
        if reference is not None:
            ax_loss.plot(reference.step_loss, color=plots.GREY, alpha=0.6, linewidth=1, label="Adam + He")
        n_epochs = n_steps // steps_per_epoch
        ax_acc.set(xlim=(-0.15, n_epochs + 0.15), xticks=range(n_epochs + 1), ylim=(0.0, 1.0), xlabel="epoch",
                   ylabel="validation accuracy", title="Validation accuracy")
        state = {"axes": (ax_loss, ax_acc)}
        (state["loss"],) = ax_loss.plot([], [], color=plots.OKABE_ITO["blue"], linewidth=1.2, label="chosen pairing",
                                        animated=True)
        ax_loss.legend(loc="upper right", fontsize=8)
        (state["acc"],) = ax_acc.plot([], [], marker="o", color=plots.OKABE_ITO["vermillion"], animated=True)
        state["title"] = ax_loss.set_title("", animated=True)
        state["note"] = ax_acc.text(0.05, 0.05, "", transform=ax_acc.transAxes, fontsize=9, animated=True)
        return state

    def update(state, optimizer, init, step):
        h = histories[optimizer, init]
        shown = h.step_loss[:step]
        state["loss"].set_data(np.arange(len(shown)), np.clip(shown, 0.01, 1e3))
        epochs_done = min(step // steps_per_epoch, h.epochs)
        state["acc"].set_data(np.arange(epochs_done + 1), h.test_acc[: epochs_done + 1])
        state["title"].set_text(f"{optimizer} + {init}: minibatch loss")
        state["note"].set_text(f"after {epochs_done} epoch(s): {h.test_acc[epochs_done]:.1%}"
                               + ("  (diverged)" if h.diverged and step >= len(h.step_loss) else ""))

    explorer = widgets.Explorer(controls, update, setup, figsize=(9.0, 4.0), dpi=dpi)
    play = ipywidgets.Play(min=0, max=n_steps, step=2, interval=60, value=n_steps, description="play")
    ipywidgets.jslink((play, "value"), (step, "value"))
    explorer.play = play
    explorer.widget = ipywidgets.VBox([play, explorer.widget])
    return explorer
