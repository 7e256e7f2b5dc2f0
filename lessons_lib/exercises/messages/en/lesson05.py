"""Lesson 05's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: he_normal(fan_in, fan_out, rng) -> W of shape (fan_in, fan_out)
    "he_normal.hint": "He's rule fixes the variance of the weights from the number of inputs a unit sums; draw "
                      "every number from the rng you are given",
    "he_normal.ok": "std {std} matches sqrt(2 / fan_in) = {want} for fan_in = {fan_in}, the shape is "
                    "(fan_in, fan_out), and the same rng gives the same weights.",
    "he_normal.not_array": "return a numpy array of weights, got a {got}",
    "he_normal.torch_layout": "the shape is (fan_out, fan_in) = {shape}: that is torch's Linear layout; our layers "
                              "compute x @ W, so W has one row per input: shape (fan_in, fan_out) = {want_shape}",
    "he_normal.wrong_shape": "the shape should be (fan_in, fan_out) = {want_shape}, got {shape}",
    "he_normal.not_finite": "some weights are NaN or infinite",
    "he_normal.not_reproducible": "the same rng state gave different weights: draw every number from the rng you "
                                  "are given (rng.normal(...)), not from np.random or a generator you make inside "
                                  "the function",
    "he_normal.constant": "every weight is the same number: a constant init keeps all units of a layer identical "
                          "(the symmetry problem); draw the weights at random",
    "he_normal.not_centred": "the weights are not centred at 0 (their mean is {mean}): draw from N(0, std^2)",
    "he_normal.uniform": "your weights are spread evenly over an interval (a uniform draw, flat with no tails): "
                         "he_normal draws from a normal distribution, rng.normal(0.0, std, size=...); the uniform "
                         "variant is he_uniform",
    "he_normal.fan_out": "std is {std}: you used fan_out; He's forward rule keeps the variance of the *outputs*, "
                         "which sums over the fan_in inputs, so std = sqrt(2 / fan_in)",
    "he_normal.lecun": "std is {std}: that is LeCun's std, sqrt(1 / fan_in); ReLU zeroes half its inputs, so He "
                       "doubles the variance, std = sqrt(2 / fan_in)",
    "he_normal.xavier": "std is {std}: that is Xavier's std, sqrt(2 / (fan_in + fan_out)); He's uses fan_in only: "
                        "sqrt(2 / fan_in)",
    "he_normal.variance_as_std": "std is {std}: you used the variance 2 / fan_in as the standard deviation; take "
                                 "its square root",
    "he_normal.bound_as_std": "std is {std}: you used the uniform bound sqrt(6 / fan_in) as the std, sqrt(3) times "
                              "too wide for the normal variant",
    "he_normal.unscaled": "std is {std}: the weights are unscaled N(0, 1); multiply by sqrt(2 / fan_in)",
    "he_normal.divided_by_fan_in": "std is {std}: you divided by fan_in instead of sqrt(fan_in); std = "
                                   "sqrt(2 / fan_in)",
    "he_normal.wrong_std": "std is {std}, but He normal's is sqrt(2 / fan_in) = {want} for fan_in = {fan_in}",
    # Exercise 2: xavier_uniform_bound(shape, gain) -> a, shape in torch's layout (out, in, *kernel)
    "xavier_uniform_bound.hint": "count the inputs each output value sums (fan_in) and the outputs each input value "
                                 "feeds (fan_out), the kernel included; then find the a for which U(-a, a) has the "
                                 "variance Glorot's rule asks for; the gain scales the spread",
    "xavier_uniform_bound.ok": "your bound is gain * sqrt(6 / (fan_in + fan_out)) for Linear weights and "
                               "convolution kernels alike, as torch's xavier_uniform_ computes it.",
    "xavier_uniform_bound.normal_std": "that is Xavier's *normal* std, gain * sqrt(2 / (fan_in + fan_out)); "
                                       "U(-a, a) has std a / sqrt(3), so the bound is sqrt(3) times the std: "
                                       "gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.lecun_std": "sqrt(1 / n) is the lecture note's (and Deep Learning from Scratch's) "
                                      "'Xavier', which is really LeCun's normal std; Glorot's uniform bound averages "
                                      "both fans: gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.lecun_bound": "that is LeCun's uniform bound, sqrt(3 / fan_in), which uses fan_in only; "
                                        "Xavier's uses both fans: gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.fan_in_only": "you used fan_in only (sqrt(6 / fan_in) is He uniform's bound); Xavier "
                                        "averages the forward and backward rules: gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.fan_out_only": "you used fan_out only; Xavier averages the forward and backward rules: "
                                         "gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.no_sqrt": "you forgot the square root: the bound is gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.three": "the variance of Xavier's weights is 2 / (fan_in + fan_out), and U(-a, a) has "
                                  "variance a^2 / 3, so a^2 = 6 / (fan_in + fan_out), not 3 / (fan_in + fan_out)",
    "xavier_uniform_bound.no_gain": "the gain is ignored: multiply the bound by gain (5/3 for tanh, as torch's "
                                    "calculate_gain says)",
    "xavier_uniform_bound.gain_inside": "the gain is inside the square root: gain scales the std (and the bound), "
                                        "so the variance grows by gain^2; use gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.gain_squared": "the gain is squared: it multiplies the bound once, "
                                         "gain * sqrt(6 / (fan_in + fan_out))",
    "xavier_uniform_bound.no_kernel": "right for a Linear weight, but a convolution kernel (out, in, kh, kw) sums "
                                      "in * kh * kw inputs per output value, and each input value feeds out * kh * kw "
                                      "outputs: multiply both fans by the kernel's size kh * kw",
    "xavier_uniform_bound.kernel_in_fan_in_only": "the kernel's size belongs in fan_out too: each input value feeds "
                                                  "out * kh * kw output values, so fan_out = out * kh * kw",
    "xavier_uniform_bound.sum_of_shape": "right for a Linear weight, but for a kernel fan_in + fan_out is not the sum "
                                         "of the shape's numbers: each fan is a product, fan_in = in * kh * kw and "
                                         "fan_out = out * kh * kw",
    # Exercise 3: predictions = {"A": shape, ..., "E": shape}
    "histogram_predictions.ok": "all five predictions match the simulated histograms.",
    "histogram_predictions.not_dict": "give a dict like {{'A': 'ends', 'B': ...}}, got a {got}",
    "histogram_predictions.missing": "predict every setting: {missing} missing",
    "histogram_predictions.not_answered": "not answered yet: replace None by one of 'ends', 'middle', 'shrinks', "
                                          "'steady' for {which}. Hint: for each setting, estimate the std of a "
                                          "unit's input sum (100 inputs times the weights' variance) and ask where "
                                          "the activation sends such values",
    "histogram_predictions.unknown_shape": "setting {setting}: {got} is not one of {shapes}",
    "histogram_predictions.wrong_A": "{n_wrong} of 5 predictions are off. A (sigmoid, weights of std 1): you said "
                                     "{said}, but its activations pile up at the 'ends': even its least piled-up layer "
                                     "has {ends} of them within 0.05 of 0 or 1. Weights of std 1 give each unit an input sum "
                                     "of std about 10 (100 inputs of variance ~1), deep in the flat tails of "
                                     "sigmoid, so its output is nearly 0 or 1",
    "histogram_predictions.wrong_B": "{n_wrong} of 5 predictions are off. B (sigmoid, weights of std 0.01): you "
                                     "said {said}, but its activations crowd in the 'middle': even its least crowded "
                                     "layer has {middle} of them within 0.1 of 0.5 (std {first} in layer 1, {last} "
                                     "in layer 5). Weights of std 0.01 give input sums of std about 0.1 or less, where "
                                     "sigmoid(z) ~ 0.5 + z/4: every unit outputs nearly 0.5 and says the same thing",
    "histogram_predictions.wrong_C": "{n_wrong} of 5 predictions are off. C (ReLU, LeCun normal): you said {said}, "
                                     "but its spread 'shrinks': the std falls from {first} in layer 1 to {last} in "
                                     "layer 5. In these square layers LeCun's variance, 1 / n_in, is Xavier's: it keeps "
                                     "the variance for an activation that passes its input through, and ReLU zeroes "
                                     "half of it, so each layer about halves the variance",
    "histogram_predictions.wrong_D": "{n_wrong} of 5 predictions are off. D (tanh, weights of std 1): you said "
                                     "{said}, but its activations pile up at the 'ends': even its least piled-up layer "
                                     "has {ends} of them within 0.05 of -1 or 1. tanh saturates like sigmoid, at -1 and 1 "
                                     "instead of 0 and 1, and the input sums have std about 10",
    "histogram_predictions.wrong_E": "{n_wrong} of 5 predictions are off. E (ReLU, He uniform): you said {said}, "
                                     "but its spread is 'steady': the std stays between {low} and {high} over the 5 "
                                     "layers. He's uniform bound is sqrt(3) times He's std, so the weights have He's "
                                     "variance, and the variance is what carries the signal: the factor 2 gives back "
                                     "the half that ReLU removes",
    # Exercise 4: leaky_relu_gain(a) -> gain
    "leaky_relu_gain.hint": "write the variance of the next layer's input when std = gain / sqrt(n_in), using "
                            "E[f(z)^2] = (1 + a^2)/2 E[z^2], and ask for it to equal Var(z); a gain multiplies a "
                            "standard deviation, not a variance",
    "leaky_relu_gain.ok": "your gain is sqrt(2 / (1 + a^2)) for every slope a: sqrt(2) at a = 0, 1 at a = 1.",
    "leaky_relu_gain.no_sqrt": "you forgot the square root: the gain multiplies the std, and 2 / (1 + a^2) is a "
                               "variance factor",
    "leaky_relu_gain.one_plus_a": "the negative half passes a*z, whose square is a^2 z^2: the factor is 1 + a^2, "
                                  "not 1 + a",
    "leaky_relu_gain.ignores_slope": "your gain ignores the slope a: sqrt(2) is plain ReLU's (a = 0); with a > 0 "
                                     "less variance is lost",
    "leaky_relu_gain.upside_down": "your gain is upside down: leaky ReLU loses variance, so the gain must be >= 1: "
                                   "sqrt(2 / (1 + a^2))",
    "leaky_relu_gain.linear": "a gain of 1 keeps the variance only for a linear unit (a = 1); leaky ReLU needs "
                              "sqrt(2 / (1 + a^2))",
}
