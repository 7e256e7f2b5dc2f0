"""Lesson 07's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: steepest_lr(lrs, smoothed) -> lr
    "steepest_lr.hint": "the slope is the change of the loss per decade of learning rate; look for the most "
                        "negative one, and only on the falling side of the curve",
    "steepest_lr.ok": "your rule reads the steepest descent of every test curve, as the lesson's rule does.",
    "steepest_lr.minimum": "you returned the rate at the lowest loss: that is where training is about to blow "
                           "up, not where the loss falls fastest; look at the slope, not the loss itself",
    "steepest_lr.minimum_over_10": "that is the other rule, minimum / 10; this exercise asks for the rate where "
                                   "the curve falls most steeply",
    "steepest_lr.linear_scale": "you took the slope per unit of learning rate (np.gradient(smoothed, lrs)); the "
                                "rates are spaced geometrically, so measure the slope per decade: "
                                "np.gradient(smoothed, np.log10(lrs))",
    "steepest_lr.forward_difference": "you took the slope between each point and the next (np.diff) and read it "
                                      "at the left point; the lesson's rule uses central differences, "
                                      "np.gradient, which read the slope at the point itself",
    "steepest_lr.steepest_rise": "you found where the loss rises fastest (the explosion); the suggestion is "
                                 "where it falls fastest: the most negative slope, before the minimum",
    "steepest_lr.index": "you returned the position of the point in the arrays; return the learning rate "
                         "there, lrs[i]",
    "steepest_lr.whole_curve": "you searched the whole curve: after exploding, a loss can fall steeply again "
                               "(seed 2 in section 1 does), and that fall is past the minimum, no suggestion; "
                               "look only at the points up to the lowest loss",
    # Exercise 2: nearly_dead_share(a, threshold) -> share
    "nearly_dead_share.hint": "first find, for each unit (each column), on what share of the samples it fires "
                              "(outputs more than 0); then count the units below the threshold",
    "nearly_dead_share.ok": "your function finds the nearly dead units of every test layer.",
    "steepest_lr.slope": "you returned the steepest slope itself (a loss per decade); return the learning rate "
                         "at which it occurs",
    "nearly_dead_share.values": "you compared output values with `threshold`; `threshold` is a share of the "
                                "samples: find on what share of the samples each unit outputs more than 0, "
                                "then compare that share with `threshold`",
    "nearly_dead_share.at_least_zero": "a ReLU output is never negative, so a >= 0 holds everywhere and every unit "
                                       "looks alive; a unit fires where it outputs more than 0: a > 0",
    "nearly_dead_share.entries": "you returned the share of zero entries of the whole array; the question is "
                                 "about units (columns): a unit is nearly dead when it fires on fewer than "
                                 "`threshold` of the samples",
    "nearly_dead_share.samples_axis": "you averaged over the units of each sample (axis=1); a unit's firing "
                                      "share is the mean over the samples, down its column (axis=0)",
    "nearly_dead_share.count": "you returned how many units are nearly dead; return their share of the layer "
                               "(divide by the number of units)",
    "nearly_dead_share.fully_dead": "you counted only units that never fire; a unit that fires on a few "
                                    "samples, fewer than `threshold` of them, is nearly dead too",
    "nearly_dead_share.at_most": "a unit that fires on exactly `threshold` of the samples is not nearly dead: "
                                 "use <, not <=",
    "nearly_dead_share.alive": "you returned the share of units that are alive; return the share of the "
                               "nearly dead ones (firing on fewer than `threshold` of the samples)",
    # Exercise 3: eos_threshold(lr, momentum) -> sharpness
    "eos_threshold.hint": "write one step of momentum on f(x) = a x^2 / 2 as a recurrence for x; it is stable "
                          "while both roots of its characteristic polynomial have magnitude below 1",
    "eos_threshold.ok": "right: with momentum the plateau sits at 2 (1 + momentum) / lr, (1 + momentum) times "
                        "higher than plain gradient descent's 2 / lr.",
    "eos_threshold.no_momentum": "that is plain gradient descent's bound 2 / lr; momentum moves it: with "
                                 "momentum 0.9 the bound is 1.9 times higher",
    "eos_threshold.effective_lr": "momentum makes the *steady* step lr / (1 - momentum) on a slope, but "
                                  "stability is decided by the oscillating mode, where momentum helps: the bound "
                                  "grows with momentum instead of shrinking",
    "eos_threshold.missing_two": "you are a factor of 2 off: for momentum 0 the answer must be lesson 01's "
                                 "2 / lr",
    "eos_threshold.inverted": "upside down: a sharpness is a curvature, and the bound grows as lr shrinks: "
                              "(something) / lr",
    "eos_threshold.momentum_added": "close, but the root at -1 gives 2 + 2 momentum, not 2 + momentum: "
                                    "put x_t = (-1)^t into the recurrence",
    "eos_threshold.momentum_divides": "momentum raises the bound, it does not lower it: for momentum 0.9 the "
                                      "bound is 1.9 times 2 / lr",
    # Exercise 4: normalize_layer(W, b, A) -> (W_new, b_new)
    "normalize_layer.hint": "compute the layer's output z = A @ W + b once; its mean and std (one number each, "
                            "over all entries) tell you how to change W and b",
    "normalize_layer.ok": "A @ W_new + b_new has mean 0 and std 1 on every test batch: one exact LSUV step, "
                          "with the mean taken out as fast.ai's version does.",
    "normalize_layer.variance": "you divided by the variance; dividing z by s (its std) gives std 1, dividing "
                                "by s**2 gives std 1 / s",
    "normalize_layer.bias_not_scaled": "the new output is A @ W / s + b_new, so the bias must be scaled too: "
                                       "b_new = (b - mean) / s (fast.ai subtracts the mean without scaling and "
                                       "repeats until it converges; here we ask for the exact step)",
    "normalize_layer.no_centring": "the std is right but the mean is not 0: subtract the mean of z from the bias "
                                   "before scaling, b_new = (b - mean) / s",
    "normalize_layer.bias_unchanged": "you scaled W but left b alone: then the output is A @ W / s + b, whose "
                                      "mean and std are not 0 and 1; b_new = (b - mean) / s",
    "normalize_layer.per_unit": "you normalized each unit (column) on its own: that is what batch "
                                "normalization's statistics do; LSUV scales the whole layer by one number, so "
                                "take the mean and std over all entries of z",
    "normalize_layer.sample_std": "you took the sample std (ddof=1, dividing by n - 1); the layer's output must "
                                  "have std 1 as numpy's default z.std() measures it, dividing by n",
    "normalize_layer.output_statistics": "your A @ W_new + b_new has mean {mean} and std {std}, not 0 and 1; "
                                         "write out A @ W_new + b_new with your W_new and b_new and compare it "
                                         "with (z - mean) / std",
    "normalize_layer.input_statistics": "you used the mean and std of the input A; what must have mean 0 and std "
                                        "1 is the layer's output z = A @ W + b",
}
