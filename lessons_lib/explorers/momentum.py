"""Lesson 03's explorer: SGD and momentum (or Nesterov) side by side on the course's surfaces."""

from .. import optim, surfaces, widgets

SURFACES = {
    "bowl": surfaces.BOWL,
    "ill-conditioned": surfaces.ILL_CONDITIONED,
    "Rosenbrock": surfaces.ROSENBROCK,
    "saddle": surfaces.SADDLE,
    "two basins": surfaces.TWO_BASIN,
}


def momentum_explorer(steps=100):
    """Paths of SGD and of momentum with one shared ``lr`` slider, a ``momentum`` slider and a ``nesterov``
    switch, on a surface picked from a menu (the bowl first). Starts at lr 0.1, momentum 0.9."""
    lr = widgets.log_slider("lr", 1e-3, 1.0, 0.1)
    momentum = widgets.slider("momentum", 0.0, 0.99, 0.01, 0.9)
    nesterov = widgets.checkbox("nesterov", False)
    return widgets.surface_explorer(
        SURFACES,
        {"SGD": (optim.SGD, {"lr": lr}),
         "Momentum": (optim.SGD, {"lr": lr, "momentum": momentum, "nesterov": nesterov})},
        steps=steps,
    )
