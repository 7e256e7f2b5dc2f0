"""Lesson 04's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: adagrad_effective_lr(grads, lr, eps) -> rates
    "adagrad_effective_lr.hint": "AdaGrad's running sum s is built from every row of grads; each column "
                                 "(coordinate) gets its own rate from its own sum (lesson section 1)",
    "adagrad_effective_lr.ok": "right: coordinates with large past gradients get the smallest rates, and every "
                               "rate only falls as the sum grows.",
    "adagrad_effective_lr.wrong_axis": "you summed over the coordinates (axis 1); sum over the steps (axis 0), "
                                       "one rate per coordinate",
    "adagrad_effective_lr.mean": "you used the mean of g**2 (an average, like RMSProp); AdaGrad sums the whole "
                                 "history, so its rate keeps falling",
    "adagrad_effective_lr.last_only": "only the last gradient counts in your rate; AdaGrad divides by the root of "
                                      "the sum over every step",
    "adagrad_effective_lr.no_sqrt": "the square root is missing: lr / (sqrt(sum of g**2) + eps), so that the rate "
                                    "times a gradient has the units of the parameter",
    "adagrad_effective_lr.summed_g": "you summed g, not g**2: positive and negative gradients cancel; square "
                                     "them first",
    "adagrad_effective_lr.upside_down": "upside down: the rate is lr divided by sqrt(sum of g**2), not "
                                        "multiplied by it",
    # Exercise 2: corrected_averages(values, beta) -> averages
    "corrected_averages.hint": "keep a moving average m that starts at 0, and correct it at every step "
                               "t = 1, 2, ... the way Adam does (lesson section 7)",
    "corrected_averages.ok": "right: the corrected average of a constant stream is that constant from the very "
                             "first value on, which is exactly what the correction is for.",
    "corrected_averages.uncorrected": "these are the plain moving averages m_t, biased towards 0 at the start; "
                                      "divide each by 1 - beta**t",
    "corrected_averages.stored_correction": "you stored the corrected value back into m, so the correction "
                                            "compounds; keep m plain and correct only what you output",
    "corrected_averages.off_by_one": "off by one: the first value is step t = 1, so its average is divided by "
                                     "1 - beta**1 (you used t + 1)",
    "corrected_averages.weights_swapped": "the weights are swapped: m = beta * m + (1 - beta) * x keeps most of "
                                          "the old average and adds a little of the new value",
    "corrected_averages.plain_mean": "that is the plain mean of all values so far; an exponential moving average "
                                     "weights recent values more (m = beta * m + (1 - beta) * x)",
    # Exercise 3: amsgrad_step(p, m, v, v_max, g, t, lr, beta1, beta2, eps) -> (p_new, m_new, v_new, v_max_new)
    "amsgrad_step.hint": "start from Adam's step (rules.adam); AMSGrad changes only what the step divides by, "
                         "and keeps one more array",
    "amsgrad_step.ok": "your AMSGrad step matches torch.optim.Adam(amsgrad=True) on every test case.",
    "amsgrad_step.no_step": "p did not change: take Adam's step, dividing by the root of the corrected maximum",
    "amsgrad_step.sign": "wrong sign: the step goes against the first moment (subtract it)",
    "amsgrad_step.plain_adam": "that is plain Adam: the step must divide by the largest v seen so far, "
                               "v_max_new = maximum(v_max, v_new), not by today's v",
    "amsgrad_step.max_of_old_v": "the maximum must include this step's v: update v first, then "
                                 "v_max_new = maximum(v_max, v_new)",
    "amsgrad_step.max_of_corrected": "you kept the maximum of the corrected v_hat; PyTorch keeps the maximum of the "
                                     "plain v and corrects it in the step, sqrt(v_max_new / (1 - beta2**t))",
    "amsgrad_step.no_correction": "that is AMSGrad as first published, without bias correction; "
                                  "torch.optim.Adam(amsgrad=True) keeps Adam's two corrections",
    "amsgrad_step.state_not_returned": "the step is right but the returned state is not: return m_new and v_new "
                                       "as Adam stores them, and v_max_new = maximum(v_max, v_new)",
    # Exercise 4: adamw_step(p, m, v, g, t, lr, beta1, beta2, eps, weight_decay) -> (p_new, m_new, v_new)
    "adamw_step.hint": "AdamW does two things to p, one after the other: a decay that does not touch the "
                       "gradient, then Adam's usual step (lesson section 9)",
    "adamw_step.ok": "your AdamW step matches torch.optim.AdamW on every test case.",
    "adamw_step.no_decay": "weight_decay had no effect: that is a plain Adam step; shrink p by the factor "
                           "(1 - lr * weight_decay) first",
    "adamw_step.l2_in_gradient": "you added weight_decay * p to the gradient: that is Adam's L2 penalty "
                                 "(Adam(weight_decay=...)), which the division by sqrt(v) rescales; AdamW shrinks "
                                 "p directly and leaves the gradient alone",
    "adamw_step.decay_without_lr": "the decay factor is missing the learning rate: AdamW multiplies p by "
                                   "1 - lr * weight_decay, not 1 - weight_decay",
    "adamw_step.decay_after_step": "the decay comes first in PyTorch's AdamW: shrink p, then take the Adam step "
                                   "(you shrank the result of the step)",
    "adamw_step.sign": "wrong sign on the decay: it shrinks p, multiply by 1 - lr * weight_decay",
    "adamw_step.moments_not_returned": "the step is right but the returned moments are not: return m_new and "
                                       "v_new (before bias correction), as Adam stores them",
}
