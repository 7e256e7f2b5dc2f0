"""Lesson 02's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: my_minibatches(n, batch_size, rng, drop_last) -> index arrays for one epoch
    "my_minibatches.hint": "draw one random order of the sample indices from rng each time the function is "
                           "called, then cut it into consecutive pieces; drop_last decides about the piece "
                           "at the end",
    "my_minibatches.ok": "every sample at most once per epoch, in a fresh random order, batches of batch_size; "
                         "the short last batch kept or dropped as drop_last says, and a different few left out "
                         "each epoch.",
    "my_minibatches.not_batches": "return (or yield) batches, each a 1-D array or list of integer sample "
                                  "indices such as [4, 0, 7]; got: {got}",
    "my_minibatches.no_batch": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: the epoch has no "
                               "batch at all",
    "my_minibatches.out_of_range": "n = {n}: index {index} is out of range; sample indices run from 0 to "
                                   "n - 1 = {last} (off by one?)",
    "my_minibatches.repeated": "n = {n}, batch_size = {batch_size}: sample {sample} appears {times} times in one "
                               "epoch; independent random indices repeat some samples and skip others: cut the "
                               "batches from one random order (sampling without replacement)",
    "my_minibatches.kept_short": "n = {n}, batch_size = {batch_size}, drop_last = True: your last batch holds "
                                 "only the {remainder} sample(s) left over; drop_last = True leaves them out of "
                                 "this epoch, so every step averages batch_size samples",
    "my_minibatches.folded": "n = {n}, batch_size = {batch_size}, drop_last = True: the {remainder} sample(s) left "
                             "over joined the last batch (that is last_batch='fold'); drop_last = True leaves "
                             "them out of this epoch",
    "my_minibatches.dropped_short": "n = {n}, batch_size = {batch_size}, drop_last = False: the {remainder} "
                                    "sample(s) left over are missing; with drop_last = False they form a last, "
                                    "smaller batch, so the epoch uses every sample once",
    "my_minibatches.skipped": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: {missing} sample(s) "
                              "too few in the epoch; check where each batch starts and ends (off by one?)",
    "my_minibatches.sizes": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: batch sizes {sizes}, "
                            "expected {expected}: every batch holds batch_size samples except, with "
                            "drop_last = False, a smaller last one",
    "my_minibatches.stored_order": "the samples come in their stored order 0, 1, 2, ...: a minibatch must be a "
                                   "random sample, so shuffle the indices with the rng you are given",
    "my_minibatches.not_reproducible": "not reproducible: two generators with the same seed gave different "
                                       "orders; draw from the rng argument, not from np.random or a new generator",
    "my_minibatches.same_order_each_epoch": "two epochs with the same rng came out in the same order: draw a "
                                            "fresh order from rng at every call (do not make a new, seeded "
                                            "generator inside the function)",
    "my_minibatches.same_left_out": "with drop_last = True, sample(s) {never} were left out of all of 30 "
                                    "epochs: shuffle all n indices first and leave out the ones that end up "
                                    "last, so a different few are left out each epoch",
    # Exercise 2: batch_for_noise(sigma2, N, target) -> the smallest batch size B
    "batch_for_noise.hint": "the gradient noise of section 3 falls as B grows: find the first B where it is at "
                            "most target (a loop over B works; so does solving the inequality for B)",
    "batch_for_noise.ok": "the smallest batch whose noise is at most the target, with the finite-population "
                          "correction: without replacement the noise falls faster than 1/B.",
    "batch_for_noise.with_replacement": "you used the 1/B law of sampling with replacement; the batches are "
                                        "drawn without replacement, and the factor (N - B)/(N - 1) makes the "
                                        "noise fall faster, so a smaller batch is enough",
    "batch_for_noise.one_too_small": "one too small: at that batch size the noise is still just above the "
                                     "target. Two mistakes give this: rounding the solved B down (a batch size "
                                     "is a whole number: round up), and writing the correction as (N - B)/N "
                                     "instead of (N - B)/(N - 1)",
    "batch_for_noise.one_too_many": "one too large: the batch one smaller already reaches the target; return "
                                    "the first B whose noise is at most target (check where your loop stops, "
                                    "or how you rounded)",
    "batch_for_noise.not_rounded": "a batch size is a whole number of samples: return the smallest integer B "
                                   "that reaches the target (round up)",
    "batch_for_noise.std_target": "you asked for the standard deviation to reach target (you compared with "
                                  "target squared); target is a bound on the variance E|g_B - g|^2 itself",
    "batch_for_noise.sqrt_law": "the variance falls like 1/B; 1/sqrt(B) is how the standard deviation falls",
    # Exercise 3: lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last) -> lr
    "lr_at_epoch.hint": "section 5's schedule is a function of k, the number of optimizer steps already "
                        "taken: work out k at the first step of this epoch",
    "lr_at_epoch.ok": "you counted the steps of the earlier epochs, with or without the short batch as "
                      "drop_last says, and decayed the rate by that count.",
    "lr_at_epoch.per_epoch": "you decayed once per epoch; TimeDecay counts optimizer steps, and every epoch "
                             "takes several steps (one per batch)",
    "lr_at_epoch.kept_remainder": "with drop_last = True the short batch is not a step: an epoch takes "
                                  "n // batch_size steps, not one more",
    "lr_at_epoch.dropped_remainder": "with drop_last = False the short last batch is a step too: count it",
    "lr_at_epoch.counted_this_epoch": "you counted the steps of this epoch too; the first step of epoch e "
                                      "comes after the steps of epochs 0 .. e - 1 only",
    "lr_at_epoch.one_step_late": "one step late: k counts the steps already taken, and the first step of an "
                                 "epoch runs before any step of that epoch",
    "lr_at_epoch.samples_not_steps": "you counted samples, not steps: one step uses a whole batch",
    "lr_at_epoch.fractional_steps": "n / batch_size is not a whole number of steps: count the batches an "
                                    "epoch really has, full ones and (as drop_last says) the short one",
    "lr_at_epoch.epoch_from_one": "epochs count from 0 here: the first step of epoch 0 runs with lr0 itself, "
                                  "and before epoch e come e whole epochs of steps",
    "lr_at_epoch.short_batch_always": "when batch_size divides n there is no short batch: with drop_last = "
                                      "False an epoch has n / batch_size steps then, not one more",
    "lr_at_epoch.exponential": "that is exponential decay, lr0 (1 - decay)^k; the lesson's decay is "
                               "time-based, lr0 / (1 + decay k), which shrinks much more slowly",
    "lr_at_epoch.compounded": "that compounds the decay, lr0 / (1 + decay)^k; the lesson's decay divides once, "
                              "by 1 + decay k",
    "lr_at_epoch.grows": "the learning rate grows: divide lr0 by (1 + decay k), do not multiply",
}
