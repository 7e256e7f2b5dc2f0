"""Messages every lesson's checks share (English)."""

MESSAGES = {
    "label.correct": "Correct",
    "label.not_yet": "Not yet",
    "common.not_written": "not written yet: the function still returns None (or raises NotImplementedError). "
                          "Hint: {hint}",
    "common.not_callable": "pass your function itself, without calling it: check(my_function), "
                           "not check(my_function()). You passed a {got}",
    "common.raised": "your function raised {error}",
    "common.return_n_values": "return {n} values ({names}), in that order",
    "common.not_numbers": "{name} should be a number or an array of numbers, got {got}",
    "common.one_number": "return one number ({what}), not {got}",
    "common.wrong_shape": "{name} has shape {got}, expected {want}",
    "common.wrong_value": "for the inputs ({inputs}) {name} should be {want} but is {got}; compare your code "
                          "with the equation term by term",
}
