"""Every lesson's explorer with a few control changes a learner makes: what `make bench` times.

Each entry builds the explorer the way its lesson does (from the library's own functions) and lists changes
for ``widgets.measure_redraw``. A lesson whose explorer cannot be built here (being rewritten) is skipped
with a note, so the benchmark still runs.
"""

import numpy as np


def _candidates():
    from lessons_lib import optim, surfaces, widgets

    def surface_paths():
        lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
        momentum = widgets.slider("momentum", 0.0, 0.99, 0.01, 0.9)
        return widgets.surface_explorer(
            surfaces.BOWL,
            {"SGD": (optim.SGD, {"lr": lr}), "Momentum": (optim.SGD, {"lr": lr, "momentum": momentum})},
            steps=100,
        ), [{"lr": 0.05}, {"lr": 0.2}, {"momentum": 0.5}, {"x0": -3.0}]

    def gd_1d():
        from lessons_lib.explorers.gradient_descent import gd_1d_explorer

        return gd_1d_explorer(), [{"lr": 0.05}, {"lr": 0.3}, {"x0": -1.0}]

    def gd_2d():
        from lessons_lib.explorers.gradient_descent import gd_2d_explorer

        return gd_2d_explorer(), [{"lr": 0.05}, {"lr": 0.3}]

    def sgd():
        from lessons_lib.explorers.sgd import sgd_explorer

        return sgd_explorer(), [{"lr": 0.1}, {"lr": 0.5}, {"seed": 3}]

    def activations():
        from lessons_lib.explorers.initialization import activation_explorer

        return activation_explorer(), [{"depth": 8}, {"width": 50}, {"activation": "relu"}]

    def capstone():
        from lessons_lib.explorers.capstone import training_explorer

        fake = _fake_capstone_histories()
        return training_explorer(fake), [{"step": 10}, {"step": 60}]

    return [("surface explorer (lessons 03-04, 2 optimizers x 100 steps)", surface_paths),
            ("lesson 01: gradient descent in 1-D", gd_1d), ("lesson 01: gradient descent in 2-D", gd_2d),
            ("lesson 02: SGD on the bowl and the digits", sgd),
            ("lesson 05: activations per layer", activations),
            ("lesson 06: one pairing, step by step", capstone)]


def _fake_capstone_histories():
    """Trained histories for the capstone explorer: two real, short runs per pairing would cost seconds."""
    from lessons_lib import train
    from lessons_lib.experiments import capstone

    rng = np.random.default_rng(0)
    histories = {}
    for optimizer in capstone.OPTIMIZERS:
        for init_label in capstone.INITS:
            h = train.History()
            h.step_loss = list(np.exp(-np.linspace(0, 3, 120)) * 2.3 + rng.uniform(0, 0.1, 120))
            h.epoch_loss = list(np.linspace(2.3, 0.2, 7))
            h.test_acc = list(np.linspace(0.1, 0.95, 7))
            histories[optimizer, init_label] = h
    return histories


def explorers():
    for name, build in _candidates():
        try:
            explorer, changes = build()
        except Exception as error:  # a lesson being rewritten: say so, keep benchmarking the others
            print(f"{name:44s} skipped: {type(error).__name__}: {error}")
            continue
        yield name, explorer, changes
