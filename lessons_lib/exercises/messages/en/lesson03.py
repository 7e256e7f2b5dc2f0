"""Lesson 03's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: momentum_step(p, b, g, lr, momentum) -> (p_new, b_new)
    "momentum_step.hint": "first update the buffer b from the gradient, then move p with it (lesson section 1)",
    "momentum_step.ok": "your momentum step matches PyTorch's SGD(momentum=...) on every test case.",
    "momentum_step.no_step": "p did not change: apply the step p - lr * b_new",
    "momentum_step.sign": "wrong sign: the step goes against the gradient, p_new = p - lr * b_new (you added it)",
    "momentum_step.plain_sgd": "the velocity is ignored: you took a plain SGD step p - lr * g; step with "
                               "b_new = momentum * b + g",
    "momentum_step.old_velocity": "you stepped with the old velocity b; update it first (b_new = momentum * b + g), "
                                  "then step with b_new",
    "momentum_step.dampened": "the gradient is scaled by (1 - momentum): that is an average (dampening), PyTorch's "
                              "buffer adds the full gradient, b_new = momentum * b + g",
    "momentum_step.momentum_on_gradient": "momentum multiplies the gradient instead of the old velocity: "
                                          "b_new = momentum * b + g",
    "momentum_step.lr_in_velocity": "you kept lr inside the velocity (the textbook v = momentum*v - lr*g); here b is "
                                    "PyTorch's buffer, which holds gradients: b_new = momentum * b + g, then "
                                    "p - lr * b_new",
    "momentum_step.velocity_not_returned": "the step is right but the returned velocity is not: return "
                                           "b_new = momentum * b + g",
    # Exercise 2: nesterov_step(p, b, g, lr, momentum) -> (p_new, b_new)
    "nesterov_step.hint": "the buffer is updated as in momentum; the step adds a look-ahead term to the gradient",
    "nesterov_step.ok": "your Nesterov step matches PyTorch's SGD(nesterov=True) on every test case.",
    "nesterov_step.no_step": "p did not change: apply the step p - lr * (g + momentum * b_new)",
    "nesterov_step.sign": "wrong sign: subtract the step, p_new = p - lr * (g + momentum * b_new)",
    "nesterov_step.plain_momentum": "that is plain momentum: p - lr * b_new, which is also what a look-ahead with the "
                                    "old velocity, g + momentum * b, gives; Nesterov steps with g + momentum * b_new "
                                    "(the updated velocity)",
    "nesterov_step.no_gradient_term": "the gradient term is missing: the step is lr * (g + momentum * b_new), not "
                                      "lr * momentum * b_new",
    "nesterov_step.dlfs_form": "that is the Nesterov class of Deep Learning from Scratch (momentum**2 times the new "
                               "velocity plus (1 + momentum) * lr * g): it is not the rule PyTorch and Keras use; "
                               "step with g + momentum * b_new",
    "nesterov_step.velocity_not_returned": "the step is right but the returned velocity is not: return "
                                           "b_new = momentum * b + g",
    # Exercise 3: decayed_lr(lr0, decay, t) -> lr
    "decayed_lr.hint": "the first update (t = 1) uses lr0 itself; later ones divide it by a number that grows "
                       "by decay at every update",
    "decayed_lr.ok": "your schedule gives lr0 / (1 + decay * (t - 1)) for every update t.",
    "decayed_lr.constant": "the learning rate did not change: `decay` is a schedule that lowers lr at every update "
                           "(it is not weight_decay, which leaves lr alone)",
    "decayed_lr.off_by_one": "off by one: the first update (t = 1) must use lr0 itself, so divide by "
                             "1 + decay * (t - 1)",
    "decayed_lr.off_by_one_other_way": "off by one the other way: divide by 1 + decay * (t - 1)",
    "decayed_lr.exponential": "that is exponential decay lr0 * (1 - decay)**(t - 1); the note's decay is "
                              "time-based, lr0 / (1 + decay * (t - 1))",
    "decayed_lr.compounded": "that compounds the decay, lr0 / (1 + decay)**(t - 1); the note's decay divides once "
                             "by 1 + decay * (t - 1)",
    "decayed_lr.linear": "that is linear decay lr0 * (1 - decay * (t - 1)), which reaches zero and goes negative; "
                         "divide instead",
    # Exercise 4: weight_decay_step(p, g, lr, weight_decay) -> p_new
    "weight_decay_step.hint": "weight decay is the gradient of a penalty on |p|^2: it adds a term to g before the "
                              "usual step",
    "weight_decay_step.ok": "your step matches PyTorch's SGD(weight_decay=...) on every test case.",
    "weight_decay_step.no_decay": "weight_decay had no effect: add weight_decay * p to the gradient before the step",
    "weight_decay_step.no_step": "p did not change: take the step p - lr * (g + weight_decay * p)",
    "weight_decay_step.sign": "wrong sign on the decay term: it pulls p towards 0, so the gradient gains "
                              "+ weight_decay * p",
    "weight_decay_step.lr_schedule": "you lowered the learning rate instead: that is the note's `decay` (a "
                                     "schedule); weight_decay adds weight_decay * p to the gradient",
    "weight_decay_step.decay_without_lr": "the decay term is missing the learning rate: p - lr * g - weight_decay * p "
                                          "shrinks p by weight_decay itself; the whole gradient g + weight_decay * p "
                                          "is multiplied by lr",
    "weight_decay_step.penalty_not_gradient": "you added the penalty weight_decay/2 * p**2 itself; add its "
                                              "gradient, weight_decay * p",
}
