"""lessons_lib: the small library behind the course on optimizing and initializing neural networks.

Modules, named for what they teach:

- ``rules``        every update rule as its equations write it, one line of numpy per equation
- ``optim``        the same rules as fast in-place classes that follow torch.optim (SGD, momentum, Nesterov,
                   AdaGrad, RMSprop, Adadelta, Adam, AdamW, NAdam)
- ``schedules``    learning-rate schedules (the lecture note's time-based ``decay``)
- ``init``         weight initializers (zeros, normal, LeCun, Xavier/Glorot, He/Kaiming, orthogonal, LSUV)
- ``surfaces``     2-D test functions with analytic gradients, and a runner that traces an optimizer's path
- ``nn``           a small numpy MLP with softmax cross-entropy and its backward pass
- ``gradcheck``    backpropagation checked against central differences
- ``data``         the handwritten digits, small synthetic sets, seeded minibatches
- ``train``        one training loop every lesson shares, with callbacks to watch it
- ``lr_finder``    the learning-rate range test (a callback for ``train.fit``) and its suggestion rules
- ``monitor``      per-layer activation statistics recorded during training (a callback)
- ``sharpness``    exact Hessian-vector products, power iteration, the sharpness tracked during training
- ``plots``        the course's figures, in one colour-blind-safe style
- ``widgets``      the machinery of the interactive explorers, and the optimizer-path explorer
- ``experiments``  each lesson's experiment settings, defined once for the notebook and its tests
- ``explorers``    each lesson's own explorer
- ``exercises``    the self-checks of the exercises, with their messages in English and Korean
"""

__version__ = "0.1.0"


def notebook_setup(language="en"):
    """Configure a notebook the way every lesson expects.

    Inline figures are saved without matplotlib's software stamp, so a re-run stores the same PNG bytes,
    and the course's plotting style is applied. Linear algebra runs on one thread: the course's matrices
    are small, and on a busy 2-core machine several BLAS threads make each step many times slower.
    ``language`` chooses the language of the exercises' feedback: ``"en"`` or ``"ko"`` (the Korean lessons).
    """
    from IPython import get_ipython
    from threadpoolctl import threadpool_limits

    from . import exercises, plots

    exercises.set_language(language)
    ip = get_ipython()
    if ip is not None:
        ip.run_line_magic("matplotlib", "inline")
        ip.run_line_magic(
            "config",
            "InlineBackend.print_figure_kwargs = "
            "{'bbox_inches': 'tight', 'metadata': {'Software': None}}",
        )
    plots.use_course_style()
    threadpool_limits(limits=1, user_api="blas")


def show_source(obj):
    """Show the library's own source of ``obj`` in a notebook, so lesson text and code cannot drift.

    The listing is a Markdown code block: JupyterLab, Colab and the slide decks colour it, and what a
    notebook stores is the source text itself, the same whatever the highlighter's version (so nbval can
    compare it).
    """
    import inspect

    from IPython.display import Markdown

    return Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```")
