"""Lesson 01's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: gd_run(grad, x0, lr, steps) -> path, an array of shape (steps + 1, d)
    "gd_run.hint": "keep every point, one row each: the start x0 first, then the point after each step "
                   "(so a run of `steps` steps has steps + 1 rows)",
    "gd_run.ok": "your path is gradient descent's, point for point, from x_0 to x_steps.",
    "gd_run.only_end": "you returned only the last point; return the whole path, x_0 to x_steps, one row per "
                       "point",
    "gd_run.no_start": "the start x_0 is missing: the path begins with x0 itself, then one row per step",
    "gd_run.one_step_short": "one step short: steps steps give steps + 1 points, x_0 to x_steps; your path "
                             "stops at x_(steps - 1)",
    "gd_run.aliased": "every row of your path is the last point: you appended the same array again and again "
                      "and changed it in place (x -= ...). Append a new array for each point, e.g. "
                      "x = x - lr * grad(x), or append x.copy()",
    "gd_run.sign": "wrong sign: your path climbs uphill (x + lr * grad); gradient descent subtracts the "
                   "gradient",
    "gd_run.no_lr": "the learning rate is missing: each step moved by the whole gradient; scale it by lr",
    "gd_run.stale_gradient": "every step used the gradient at the start x0; take the gradient at the current "
                             "point, grad(x_k), at every step",
    "gd_run.wrong_start": "row 0 of your path should be the start x0 = {want} itself, but is {got}: put x0 "
                          "first, unchanged, then one row per step",
    "gd_run.wrong_point": "your path leaves gradient descent's at point {k}: x_{k} should be {want} but is "
                          "{got}; check the step x_(k+1) = x_k - lr * grad(x_k)",
    # Exercise 2: step_sizes(a, b) -> (lr_max, lr_best, rate) for f(x, y) = a x^2 + b y^2
    "step_sizes.hint": "find the curvature (second derivative) along each axis first; then use the section on "
                       "the stability bound for lr_max, and the section on the best fixed step for lr_best "
                       "and rate",
    "step_sizes.ok": "the steepest curvature L sets the bound 2/L, both curvatures set the best step "
                     "2/(L + m), and the condition number sets its rate (kappa - 1)/(kappa + 1).",
    "step_sizes.max_coefficient": "lr_max: you used the coefficient as the curvature; the second derivative "
                                  "of a x^2 is 2a, so L = 2 max(a, b)",
    "step_sizes.max_one_over_L": "lr_max: you gave 1/L, the step that reaches the bottom of the steepest "
                                 "direction in one jump; gradient descent stays stable up to twice that",
    "step_sizes.max_flattest": "lr_max: you used the flattest direction; the steepest curvature (the larger "
                               "of 2a and 2b) decides stability",
    "step_sizes.max_is_best": "lr_max: that is 2/(L + m), the step that balances both directions (lr_best); "
                              "the stability bound comes from the steepest curvature alone",
    "step_sizes.max_is_L": "lr_max: you gave the curvature L itself; the bound is a learning rate, 2/L",
    "step_sizes.best_coefficient": "lr_best: you used the coefficients a and b as the curvatures; they are "
                                   "2a and 2b, so m and L are twice the smaller and the larger coefficient",
    "step_sizes.best_one_over_L": "lr_best: 1/L finishes the steep direction in one step but leaves the flat "
                                  "one crawling at 1 - m/L per step; a longer step helps the flat direction "
                                  "until the steep one starts to bounce as much: balance the two",
    "step_sizes.best_flattest": "lr_best: 1/m would be perfect for the flat direction, but it is beyond the "
                                "stability bound 2/L, so the steep direction would blow up",
    "step_sizes.rate_of_one_over_L": "rate: 1 - 1/kappa is the rate of the step 1/L; at the best step both "
                                     "directions shrink by (kappa - 1)/(kappa + 1)",
    "step_sizes.rate_inverted": "rate: your number is above 1, which would mean divergence; turn the fraction "
                                "over",
    "step_sizes.rate_of_f": "rate: that is how fast f falls (the distance squared); the distance to the "
                            "minimum shrinks by (kappa - 1)/(kappa + 1) per step",
    "step_sizes.rate_is_kappa": "rate: you gave the condition number kappa = L/m itself; the rate is the "
                                "factor by which the distance to the minimum shrinks per step, a number below 1",
    # Exercise 3: which_minimum(x0) -> the x of the minimum reached, on f(x) = x^4/4 + 0.1x^3 - 1.4x^2 + 1.2x
    "which_minimum.hint": "differentiate f: the three zeros of f' are two minima and a hill top (np.roots finds "
                          "a polynomial's zeros from its coefficients); gradient descent with a small step "
                          "only goes downhill",
    "which_minimum.ok": "the hill top between the minima, where f' = 0 and f curves down, divides the basins; "
                        "gradient descent with a small step never climbs over it.",
    "which_minimum.not_a_number": "return the x of a minimum as a number, not a {got}",
    "which_minimum.not_a_minimum": "from x0 = {x0} you returned {got}, where f' = {slope}: not a minimum. "
                                   "The minima are two of the zeros of f'",
    "which_minimum.hill_top": "from x0 = {x0} you returned the hill top: f' is zero there, but f curves down "
                              "(f'' < 0), so gradient descent rolls away from it. Return the minimum it rolls to "
                              "(np.roots gives the zeros in no particular order: sort them first)",
    "which_minimum.always_global": "you always answered the global minimum; gradient descent only goes "
                                   "downhill, so a start on the other side of the hill top ends in the local "
                                   "minimum",
    "which_minimum.swapped": "the basins are swapped: gradient descent rolls downhill away from the hill top, "
                             "not over it",
    "which_minimum.nearest": "you sent each start to the nearest minimum (the basins would then meet halfway, "
                             "at x = {halfway}); gradient descent follows the slope, and the basins meet at "
                             "the hill top, where f' = 0 between the minima",
    "which_minimum.wrong_split": "your answers split the line between x = {lo} and x = {hi}, so the start(s) "
                                 "{starts} end in the wrong minimum; the basins meet where f' = 0 between the "
                                 "two minima",
    "which_minimum.wrong_basin": "wrong basin for the start(s) {starts}; find the hill top between the minima "
                                 "(f' = 0) and ask on which side of it each start lies",
    # Exercise 4: classify(H) -> 'minimum' | 'maximum' | 'saddle'
    "classify.hint": "np.linalg.eigvalsh(H) gives the curvatures along H's principal directions; think about "
                     "which way f bends along each",
    "classify.ok": "the signs of the Hessian's eigenvalues decide: all positive, a minimum; all negative, a "
                   "maximum; both signs, a saddle.",
    "classify.not_a_label": "return one of 'minimum', 'maximum', 'saddle'; you returned {got}",
    "classify.swapped": "minimum and maximum swapped for H = {H}: all eigenvalues > 0 means f curves up in "
                        "every direction, a minimum",
    "classify.diagonal_only": "for H = {H} you read only the diagonal; the eigenvalues ({eigenvalues}) decide, "
                              "and mixed signs make a saddle",
    "classify.determinant": "H = {H} has determinant > 0 but two negative eigenvalues and one positive: a "
                            "saddle. The determinant test only works in 2-D; count the signs of the "
                            "eigenvalues",
    "classify.wrong": "H = {H} is a {expected}, you said {got}: look at the signs of its eigenvalues",
}
