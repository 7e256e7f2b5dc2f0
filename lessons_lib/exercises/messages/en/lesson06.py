"""Lesson 06's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: diagnose the five mystery runs, {"A": ..., ..., "E": ...}
    "diagnosis.ok": "all five diagnoses are right: the start tells a bad init, the curve after it a bad "
                    "learning rate.",
    "diagnosis.not_answered": "not answered yet: replace each None with one of {choices}. Hint: look at every "
                              "run before its first step, where the learning rate has not acted yet, and only "
                              "then at its curve",
    "diagnosis.not_a_dict": "give a dict with one diagnosis per run, like {{'A': 'fine', 'B': ...}}, not a {got}",
    "diagnosis.missing": "diagnose every run: {runs} still missing",
    "diagnosis.unknown": "run {run}: {said} is not one of {choices}",
    "diagnosis.unknown_runs": "there is no run {keys}: the runs are {runs} (capital letters, as in the table)",
    "diagnosis.lr_for_init": "{wrong} of {total} diagnoses are off. Run {run}: you blamed the learning rate, but "
                             "this run is already sick before its first step, where the learning rate has not "
                             "acted yet: compare its loss at step 0 and its layers' statistics with run C's",
    "diagnosis.init_for_lr": "{wrong} of {total} diagnoses are off. Run {run}: you blamed the init, but this run "
                             "starts exactly like run C (the same loss, activation stds and gradient at step 0), "
                             "so its trouble comes from how it steps",
    "diagnosis.init_direction": "{wrong} of {total} diagnoses are off. Run {run}: the init is the culprit, but the "
                                "other way round: is its loss at step 0 far above ln 10, or stuck on it with "
                                "activations that fade from layer to layer?",
    "diagnosis.lr_direction": "{wrong} of {total} diagnoses are off. Run {run}: the learning rate is the culprit, "
                              "but the other way round: is its update / weight ratio at step 1 far below run C's "
                              "(about 1e-3) or far above it, and does its loss creep or jump?",
    "diagnosis.not_fine": "{wrong} of {total} diagnoses are off. Run {run} is not fine: compare its row of the "
                          "table and its loss curve with run C's",
    "diagnosis.is_fine": "{wrong} of {total} diagnoses are off. Run {run} is healthy: loss near ln 10 at step 0, "
                         "steady activation stds, an update ratio of about 1e-3 and a loss that falls steadily",
    # Exercise 2: constant_guess_loss(class_counts) -> loss
    "constant_guess_loss.hint": "group the images by class: what does one image of class k lose, and what share "
                                "of all the images is of class k?",
    "constant_guess_loss.ok": "-sum_k p_k ln p_k, with p_k = n_k / N: the entropy of the labels. With K balanced "
                              "classes it is ln K, the loss to compare step 0 with.",
    "constant_guess_loss.uniform": "that is ln K, the loss of a guess that gives every class 1/K; this guess gives "
                                   "each class its share of the images, n_k / N",
    "constant_guess_loss.sign": "wrong sign: ln p_k is negative, and the loss -ln p_k of each image is positive",
    "constant_guess_loss.log2": "you used log base 2 (bits): our cross-entropy uses the natural log "
                                "(np.log or math.log)",
    "constant_guess_loss.log10": "you used log base 10: cross-entropy uses the natural log (np.log or math.log)",
    "constant_guess_loss.unweighted": "you averaged -ln p_k over the classes; the loss is a mean over the images, "
                                      "so each class counts as often as it has images: weight by p_k",
    "constant_guess_loss.unweighted_sum": "you added -ln p_k once per class; the loss is a mean over the images, "
                                          "so each class counts with its share of the images: weight by p_k",
    "constant_guess_loss.mean_over_classes": "you divided by the number of classes K (np.mean over the terms "
                                             "p_k ln p_k); the weights p_k already make it a mean over the "
                                             "images, so add the terms up",
    "constant_guess_loss.total": "that is the total loss of all N images; the loss is their mean: divide by N "
                                 "(or weight by p_k = n_k / N instead of n_k)",
    "constant_guess_loss.counts_in_log": "inside the log goes the probability p_k = n_k / N, not the count n_k",
    "constant_guess_loss.zero_class": "a class with no images gives 0 * ln 0 (nan in numpy, an error in math.log); "
                                      "it has no images to lose on, so it adds 0: leave it out",
    # Exercise 3: update_ratio(before, after) -> one ratio per array
    "update_ratio.hint": "for each pair of arrays, measure the change and the weights before it with "
                         "np.linalg.norm, and relate the two: one number per array",
    "update_ratio.ok": "your ratios are ||after - before|| / ||before|| per array. Rule of thumb: about 1e-3 per "
                       "step is healthy; 1e-5 or less points to a learning rate that is too small, 1e-2 and more "
                       "to one that is too large (after checking that the init is sane).",
    "update_ratio.not_relative": "you returned the size of the update, ||after - before||, without dividing by "
                                 "||before||: the ratio must be relative, so layers of different size and scale "
                                 "can be compared",
    "update_ratio.upside_down": "the ratio is upside down: divide the update's norm by the weights' norm, "
                                "||after - before|| / ||before||",
    "update_ratio.after_norm": "you divided by the norm *after* the step; use the weights before it, ||before||",
    "update_ratio.norm_difference": "the difference of the norms, ||after|| - ||before||, is not the norm of the "
                                    "difference: a step can turn the weights a lot without changing their "
                                    "length; use ||after - before||",
    "update_ratio.elementwise": "that is the mean of element-wise ratios |after - before| / |before|, which tiny "
                                "weights blow up; use the norms of whole arrays",
    "update_ratio.wrong_values": "the ratios should be {want}, got {got}: compare your code with "
                                 "||after - before|| / ||before||, array by array",
    "update_ratio.one_for_all": "you returned one ratio for all arrays together: return one per array, since "
                                "each layer learns at its own pace",
}
