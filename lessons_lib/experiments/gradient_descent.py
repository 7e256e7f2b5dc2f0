"""Lesson 01's experiments: the settings of each one (the code itself stands in the lesson, where it is
short enough to read).

The notebook and ``tests/test_lesson01_claims.py`` import these settings, so they run the same experiment.
"""

import numpy as np

# ---------------------------------------------------------------------------------------------------------
# Drawback 1: the cost of one full-batch step, on the digits and on larger synthetic sets of the same shape
TIMING_SIZES_DIGITS = (100, 1000, 1797)
TIMING_SIZES_SYNTHETIC = (3000, 10000, 30000)

# ---------------------------------------------------------------------------------------------------------
# Drawback 2: the stability bound on f(x) = L/2 x^2, and the learning rate on f = 0.1 x^2 + 2 y^2
STABILITY_L = 4.0
STABILITY_LRS = np.round(np.arange(0.01, 0.705, 0.01), 2)
STABILITY_STEPS = 50
KNIFE_EDGE = 1e-9  # a shrink factor within this of 1 "bounces": exactly at lr = 2/L, rounding decides the rest


def regime(factor, tol=KNIFE_EDGE):
    """What a shrink factor per step means: "converges" (< 1), "bounces" (1, to ``tol``) or "diverges" (> 1).

    At lr = 2/L the factor is exactly 1 in exact arithmetic; in floating point it lands a few units of
    rounding either side, so it is classified with a tolerance, not by its last bit.
    """
    if factor < 1 - tol:
        return "converges"
    if factor > 1 + tol:
        return "diverges"
    return "bounces"


ILL_START = (-5.0, -2.0)  # Dive into Deep Learning's start on its f = 0.1 x^2 + 2 y^2
ILL_LRS = {"too small": 0.02, "good": 0.4, "near the bound": 0.49, "too large": 0.55}
ILL_STEPS = 50

# The best fixed step: curvatures of f = 0.1 x^2 + 2 y^2 are m = 0.2 (along x) and L = 4 (along y).
RATE_LRS = np.round(np.arange(0.04, 0.5, 0.04), 2)
RATE_STEPS = 100


def rate_per_step(path, minimum=(0.0, 0.0)):
    """The mean factor by which the distance to the minimum shrank per step: (|p_k - p*| / |p_0 - p*|)^(1/k)."""
    path = np.asarray(path, dtype=float)
    distance = np.linalg.norm(path - np.asarray(minimum, dtype=float), axis=1)
    return float((distance[-1] / distance[0]) ** (1 / (len(path) - 1)))


# ---------------------------------------------------------------------------------------------------------
# Drawback 3: basins, random Hessians, saddles
BASIN_STARTS_1D = (-1.8, 0.0, 0.4, 2.0)
BASIN_STARTS_2D = ((-1.8, 1.5), (0.1, -1.5), (0.5, 1.5), (2.0, -1.0))
BASIN_LR = 0.1
BASIN_STEPS = 100

HESSIAN_DIMS = (1, 2, 3, 4, 5, 6)
HESSIAN_SAMPLES = 10_000
HESSIAN_SEEDS = (0, 1, 2)

SADDLE_START_X = -1.5
SADDLE_Y0S = (1e-1, 1e-3, 1e-6)
SADDLE_LR = 0.1
SADDLE_STEPS = 120
SADDLE_NEAR = 0.1  # "near the saddle": within this distance of (0, 0)

NOISE_STD = 1e-3
NOISE_SEEDS = (0, 1, 2)
