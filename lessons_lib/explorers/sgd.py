"""Lesson 02's explorer: batch size, learning rate and seed, on the bowl data set and on the digits."""

import numpy as np

from .. import data, nn, optim, surfaces, widgets
from ..experiments.sgd import bowl_dataset, sgd_on_bowl
from ..plots import OKABE_ITO, draw_contours, plain_log_ticks, style_for


BATCH_SIZES = [("1", 1), ("4", 4), ("16", 16), ("64", 64), ("full batch", 0)]  # 0 stands for "all of N"


def sgd_explorer(bowl_steps=40, digits_steps=50, digits_n=300):
    """Batch size, learning rate and seed: SGD's path on the bowl data set, and its loss on the digits.

    Left: minibatch SGD on ``bowl_dataset()`` (256 samples) from (-7, 2). Right: softmax regression on the
    first ``digits_n`` training digits, trained ``digits_steps`` steps with the same batch size, learning
    rate and seed; the line is the loss on those digits after every step.
    """
    centres = bowl_dataset()
    X_train, _, y_train, _ = data.load_digits()
    X, y = X_train[:digits_n], y_train[:digits_n]
    controls = [
        widgets.dropdown("batch_size", BATCH_SIZES, 1),
        widgets.log_slider("lr", 0.01, 1.0, 0.3),
        widgets.slider("seed", 0, 9, 1, 0),
    ]

    def setup(figure):
        bowl_ax, loss_ax = figure.subplots(1, 2, width_ratios=[1.3, 1])
        draw_contours(surfaces.BOWL, bowl_ax)
        bowl_ax.set_title("SGD on the bowl data set (256 samples)", fontsize=11)
        style = style_for("SGD")
        (path_line,) = bowl_ax.plot([], [], color=style["color"], marker="o", markersize=3, lw=1,
                                    label="SGD path")
        bowl_ax.plot(-7, 2, marker="o", markersize=10, color="none", markeredgecolor="black",
                     linestyle="none", label="start")
        bowl_ax.legend(loc="upper right", fontsize=8)
        (loss_line,) = loss_ax.plot([], [], color=OKABE_ITO["blue"], lw=1.2)
        loss_ax.set(yscale="log", xlim=(0, digits_steps), ylim=(0.05, 20), xlabel="step",
                    ylabel="training loss (cross-entropy)", title=f"Softmax regression, {digits_n} digits")
        plain_log_ticks(loss_ax)
        note = loss_ax.text(0.97, 0.97, "", transform=loss_ax.transAxes, ha="right", va="top", fontsize=9)
        for artist in (path_line, loss_line, note):
            artist.set_animated(True)
        return {"path": path_line, "loss": loss_line, "note": note}

    def update(state, batch_size, lr, seed):
        bowl_b = batch_size or len(centres)
        path = sgd_on_bowl(centres, bowl_b, lr, bowl_steps, rng=np.random.default_rng(seed))
        state["path"].set_data(path[:, 0], path[:, 1])

        digits_b = batch_size or digits_n
        model = nn.MLP([64, 10], init="zeros", rng=np.random.default_rng(seed))
        optimizer = optim.SGD(model.params, lr=lr)
        rng = np.random.default_rng(seed)
        losses = [model.loss(X, y)]
        epoch = iter(())
        for _ in range(digits_steps):
            batch = next(epoch, None)
            if batch is None:
                epoch = data.minibatches(digits_n, digits_b, rng=rng, last_batch="drop")  # as train.fit
                batch = next(epoch)
            _, grads = model.loss_and_grads(X[batch], y[batch])
            optimizer.step(grads)
            losses.append(model.loss(X, y))
        state["loss"].set_data(np.arange(len(losses)), losses)
        state["note"].set_text(f"{digits_steps} steps = {digits_steps / (digits_n // digits_b):.3g} epochs\n"
                               f"final loss {losses[-1]:.3f}")

    return widgets.Explorer(controls, update, setup, figsize=(9.0, 3.6))
