"""Lesson 03's self-check messages (English). Keys: exercise.mistake; ``.hint`` is shown for a stub."""

MESSAGES = {
    # Exercise 1: momentum_step(p, v, g, lr, momentum) -> (p_new, v_new), the textbook velocity form
    "momentum_step.hint": "here the velocity v is the step itself (parameter units): first make the new velocity "
                          "from the old one and the gradient, then move p by it",
    "momentum_step.ok": "your momentum step is the textbook heavy ball; with v = -lr * b it is PyTorch's "
                        "SGD(momentum=...) step for step.",
    "momentum_step.no_step": "p did not change: move it by the new velocity, p_new = p + v_new",
    "momentum_step.sign": "wrong sign: the velocity gains -lr * g (downhill), v_new = momentum * v - lr * g",
    "momentum_step.plain_sgd": "the velocity is ignored: you took a plain SGD step p - lr * g; move by "
                               "v_new = momentum * v - lr * g",
    "momentum_step.old_velocity": "you moved p by the old velocity v; update it first (v_new = momentum * v - lr * g), "
                                  "then p_new = p + v_new",
    "momentum_step.dampened": "the gradient is scaled by (1 - momentum): that is an average (PyTorch's dampening); "
                              "the heavy ball adds the full -lr * g to momentum * v",
    "momentum_step.momentum_on_gradient": "momentum multiplies the gradient instead of the old velocity: "
                                          "v_new = momentum * v - lr * g",
    "momentum_step.torch_buffer": "that is PyTorch's buffer form (b = momentum * b + g, p - lr * b), which keeps the "
                                  "velocity in gradient units; here v is in parameter units: v_new = momentum * v "
                                  "- lr * g, p_new = p + v_new",
    "momentum_step.velocity_not_returned": "the step is right but the returned velocity is not: return "
                                           "v_new = momentum * v - lr * g",
    # Exercise 2: nesterov_step(p, v, g, lr, momentum) -> (p_new, v_new), g the gradient at p
    "nesterov_step.hint": "the velocity is updated as in plain momentum; then p moves to the next look-ahead "
                          "point, which is not p + v_new (section 4's substitution)",
    "nesterov_step.ok": "your Nesterov step is the look-ahead method written at the look-ahead point: with "
                        "v = -lr * b it is PyTorch's SGD(nesterov=True).",
    "nesterov_step.no_step": "p did not change: apply p_new = p + momentum * v_new - lr * g",
    "nesterov_step.sign": "wrong sign: the velocity gains -lr * g, and the extra gradient term is -lr * g too",
    "nesterov_step.plain_momentum": "that is plain momentum, p + v_new (which is also what the look-ahead with the "
                                    "old velocity, p + momentum * v - lr * g, gives); Nesterov moves to "
                                    "p + momentum * v_new - lr * g",
    "nesterov_step.no_gradient_term": "the gradient term is missing: p_new = p + momentum * v_new - lr * g, not "
                                      "p + momentum * v_new",
    "nesterov_step.dlfs_form": "that is the Nesterov class of Deep Learning from Scratch (momentum**2 times the new "
                               "velocity minus (1 + momentum) * lr * g): it is not the rule PyTorch and Keras use; "
                               "move by momentum * v_new - lr * g",
    "nesterov_step.torch_buffer": "that is PyTorch's buffer form (gradient units); here v is in parameter units: "
                                  "v_new = momentum * v - lr * g, p_new = p + momentum * v_new - lr * g",
    "nesterov_step.velocity_not_returned": "the step is right but the returned velocity is not: return "
                                           "v_new = momentum * v - lr * g",
    # Exercise 3: critical_momentum(lr, L) -> (momentum, rate)
    "critical_momentum.hint": "the heavy ball on f = L/2 x^2 follows x_(t+1) = (1 + momentum - lr L) x_t - momentum "
                              "x_(t-1): find the momentum at which its characteristic equation has a double root",
    "critical_momentum.ok": "right: sqrt(momentum) = 1 - sqrt(lr L), and the distance then shrinks by 1 - sqrt(lr L) "
                            "per step, where gradient descent shrinks it by 1 - lr L.",
    "critical_momentum.swapped": "the two values are swapped: return (momentum, rate), in that order",
    "critical_momentum.rate_as_momentum": "that is sqrt(momentum), the factor per step, not the momentum itself: "
                                          "square it",
    "critical_momentum.no_sqrt": "you used lr L where the double-root condition gives sqrt(lr L): "
                                 "(1 + momentum - lr L)^2 = 4 momentum means sqrt(momentum) = 1 - sqrt(lr L)",
    "critical_momentum.gd_rate": "1 - lr L is gradient descent's factor per step; with momentum the double root is "
                                 "r = sqrt(momentum)",
    "critical_momentum.rate_is_momentum": "the factor per step is the double root r = sqrt(momentum), not the "
                                          "momentum itself",
    "critical_momentum.other_root": "sqrt(momentum) = 1 + sqrt(lr L) also makes the roots meet, but there the double "
                                    "root is larger than 1 and the ball flies off; take the root below 1",
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
    "weight_decay_step.double_penalty": "you added 2 * weight_decay * p, the gradient of weight_decay * |p|^2; "
                                        "PyTorch's penalty is weight_decay/2 * |p|^2, whose gradient is "
                                        "weight_decay * p",
}
