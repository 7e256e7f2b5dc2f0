"""Watching a network's activations while it trains: a callback for ``train.fit`` (fast.ai's ActivationStats).

After every ``every``-th optimizer step, ``ActivationStats`` sends a fixed probe batch through the network
and records, for each hidden layer:

- the **mean** and the **std** of the layer's outputs (all probe samples and units together);
- the share of **dead units**: units whose output is 0 for every probe sample. A dead ReLU unit passes no
  gradient to its incoming weights (ReLU's slope is 0 wherever its output is 0), so once it is dead on all
  the data, nothing in its own weights can bring it back;
- a **histogram** of the outputs over fixed bins, so the whole distribution can be drawn over time
  (fast.ai's "colorful dimension" plot: one column per record, brighter where more values fall).

A fixed probe makes the curves comparable from step to step (the current minibatch would add its own
noise). The statistics are taken with the network's own ``forward``: nothing of the training loop is copied.
"""

import math

import numpy as np

from . import _validate


class ActivationStats:
    """A ``train.fit`` callback recording per-layer activation statistics on the probe batch ``X``.

    ``every``: record after every ``every``-th step. ``edges``: the histogram's bin edges (default: 40 bins
    over [0, 4], for ReLU outputs; a value beyond the last edge is counted in ``beyond``). ``hist_layers``:
    the hidden layers (0-based) whose histograms are recorded (default: all; the histograms are the costly
    part of a record).
    Call ``record(0, model)`` before ``fit`` to include the state at initialization.

    After training, as arrays with one row per record: ``steps``; ``mean``, ``std``, ``dead`` (shape
    (records, layers)); ``hist`` (records, layers, bins; zeros for a layer not in ``hist_layers``);
    ``beyond`` (records, layers); and
    ``dead_units[layer]`` (records, units of that layer): which units were dead at each record.
    """

    def __init__(self, X, *, every=1, edges=None, hist_layers=None):
        self.X = _validate.finite_array("X", X)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"X must be a probe batch of shape (n_samples, n_features), got {X.shape}")
        self.every = _validate.positive_int("every", every)
        edges = np.linspace(0.0, 4.0, 41) if edges is None else np.asarray(edges, dtype=float)
        if edges.ndim != 1 or len(edges) < 2 or not np.all(np.diff(edges) > 0):
            raise ValueError("edges must be an increasing 1-D sequence of at least 2 bin edges")
        self.edges = edges
        if hist_layers is not None:
            if not isinstance(hist_layers, (list, tuple)) or not all(
                isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in hist_layers
            ):
                raise TypeError(f"hist_layers must be a list of layer indices (ints >= 0), got {hist_layers!r}")
        self.hist_layers = None if hist_layers is None else tuple(hist_layers)
        self._bins = len(edges) - 1
        self._uniform = bool(np.allclose(np.diff(edges), (edges[-1] - edges[0]) / self._bins, rtol=1e-9, atol=0.0))
        self._steps, self._mean, self._std, self._dead, self._hist, self._beyond, self._units = ([] for _ in range(7))

    def record(self, step, model):
        """Record the statistics of ``model`` on the probe batch, labelled with ``step``."""
        if not callable(getattr(model, "hidden_activations", None)):
            raise TypeError(f"model must have a method hidden_activations(X) returning one array (samples x units) "
                            f"per hidden layer, like nn.MLP; got {type(model).__name__}")
        with np.errstate(over="ignore", invalid="ignore"):
            acts = model.hidden_activations(self.X)
        self._steps.append(int(step))
        self._mean.append([float(a.mean()) for a in acts])
        self._std.append([float(a.std()) for a in acts])
        dead = [np.all(a == 0.0, axis=0) for a in acts]  # a unit is dead if it outputs 0 for every sample
        self._units.append(dead)
        self._dead.append([float(d.mean()) for d in dead])
        self._hist.append(self._histograms(acts))
        self._beyond.append([float(np.mean(a > self.edges[-1])) for a in acts])

    def _histograms(self, acts):
        """One histogram per hidden layer (zeros for a layer not in ``hist_layers``)."""
        if self.hist_layers is not None and max(self.hist_layers, default=-1) >= len(acts):
            raise ValueError(f"hist_layers {list(self.hist_layers)}: the network has {len(acts)} hidden layers")
        return [self._histogram(a) if self.hist_layers is None or k in self.hist_layers
                else np.zeros(self._bins, dtype=np.intp) for k, a in enumerate(acts)]

    def _histogram(self, a):
        """The counts of ``a`` in the bins of ``edges`` (the last bin includes its right edge), as
        ``np.histogram`` gives them. For equal-width bins (the default) each value's bin is computed
        directly, which is several times faster; a value within rounding of an inner bin edge may then be
        counted in the neighbouring bin."""
        if not self._uniform:
            return np.histogram(a, bins=self.edges)[0]
        lo, hi, bins = self.edges[0], self.edges[-1], self._bins
        inside = a[(a >= lo) & (a <= hi)]
        index = ((inside - lo) * (bins / (hi - lo))).astype(np.intp)
        np.minimum(index, bins - 1, out=index)  # a value equal to hi belongs to the last bin
        return np.bincount(index, minlength=bins)

    def _values_per_record(self, layer):
        """How many outputs one record of ``layer`` holds: probe samples x the layer's units."""
        return len(self.X) * len(self._units[0][layer])

    def after_step(self, step, loss, model, X_batch, y_batch):
        if step % self.every == 0:
            self.record(step, model)

    @property
    def steps(self):
        return np.array(self._steps)

    @property
    def mean(self):
        return np.array(self._mean)

    @property
    def std(self):
        return np.array(self._std)

    @property
    def dead(self):
        return np.array(self._dead)

    @property
    def hist(self):
        return np.array(self._hist)

    @property
    def beyond(self):
        return np.array(self._beyond)

    @property
    def dead_units(self):
        """One boolean array per hidden layer, shape (records, units): True where the unit was dead."""
        if not self._units:
            return []
        return [np.array([rec[layer] for rec in self._units]) for layer in range(len(self._units[0]))]

    def revived(self, layer):
        """How many units of ``layer`` (0-based) were dead at some record and alive at a later one."""
        units = self.dead_units
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(units):
            raise ValueError(f"Invalid layer: {layer!r} (the network has {len(units)} hidden layers, 0-based)")
        dead = units[layer]
        died_before = np.logical_or.accumulate(dead, axis=0)
        return int(np.any(died_before[:-1] & ~dead[1:], axis=0).sum())

    # --- pictures --------------------------------------------------------------------------------------------

    def plot(self, axes=None, title=None):
        """Two panels: each hidden layer's activation std (log scale) and its share of dead units, against the
        step. ``axes``: two Axes to draw into (default: a new figure). Returns the two Axes.

        A std of exactly 0 (every unit of the layer dead on the probe) has no place on a log scale; if one
        occurs, the std axis is linear below 0.001 (matplotlib's "symlog"), so 0 is drawn at its bottom instead
        of the line silently leaving the picture."""
        import matplotlib.pyplot as plt

        from . import plots

        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(11, 3.4), layout="constrained")
        std, dead, steps = self.std, self.dead, self.steps
        for layer in range(std.shape[1]):
            style = plots.style_for(f"layer {layer + 1}", layer)
            for ax, values in zip(axes, (std, dead)):
                ax.plot(steps, values[:, layer], color=style["color"], linestyle=style["linestyle"],
                        label=f"layer {layer + 1}")
        with np.errstate(divide="ignore"):
            positive = std[np.isfinite(std) & (std > 0)]
        if positive.size:
            from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

            if np.any(std == 0):
                axes[0].set_yscale("symlog", linthresh=1e-3, linscale=0.3)
                top = positive.max()
                ticks = [0.0] + [v for k in range(-3, math.ceil(math.log10(top)) + 1) for v in (10.0**k, 3 * 10.0**k)
                                 if v <= 1.2 * top]
                axes[0].set_yticks(ticks)
                axes[0].set_ylim(-2e-4, None)
            else:
                axes[0].set_yscale("log")
                axes[0].yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0)))
            axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            axes[0].yaxis.set_minor_locator(NullLocator())
        axes[0].set(xlabel="step", ylabel="activation std", title="Spread of each layer")
        axes[1].set(xlabel="step", ylabel="share of dead units", ylim=(-0.03, 1.03), title="Dead units")
        axes[1].legend(fontsize=8, ncols=2)
        if title:
            axes[0].figure.suptitle(title)
        return axes

    def plot_histograms(self, layer, ax=None, title=None, colorbar=False):
        """fast.ai's "colorful dimension" picture of one hidden ``layer`` (0-based): a column per record, a
        row per histogram bin, brighter where more outputs fall (colour on a log scale of the counts, from 1 to
        all the outputs of a record, probe samples x units, so pictures of two runs share one scale; an empty
        bin takes the darkest colour). Values beyond the last edge are not drawn (see ``beyond``).
        ``colorbar=True`` adds the colour scale. Returns the Axes."""
        from . import plots

        hist = self.hist
        if not 0 <= layer < hist.shape[1]:
            raise ValueError(f"Invalid layer: {layer} (the network has {hist.shape[1]} hidden layers, 0-based)")
        if self.hist_layers is not None and layer not in self.hist_layers:
            raise ValueError(f"layer {layer}'s histograms were not recorded (hist_layers={list(self.hist_layers)})")
        ax = plots._new_axes(ax)
        steps = self.steps
        import matplotlib
        from matplotlib.colors import LogNorm

        counts = hist[:, layer, :].T
        viridis = matplotlib.colormaps["viridis"]
        cmap = viridis.with_extremes(bad=viridis(0.0))   # an empty bin: the darkest colour
        image = ax.imshow(np.ma.masked_equal(counts, 0), origin="lower", aspect="auto", cmap=cmap,
                          norm=LogNorm(vmin=1, vmax=max(self._values_per_record(layer), 2)),
                          extent=(steps[0] - 0.5, steps[-1] + 0.5, self.edges[0], self.edges[-1]))
        if colorbar:
            ax.figure.colorbar(image, ax=ax, label="outputs in the bin")
        ax.set(xlabel="step", ylabel="activation value",
               title=title if title is not None else f"Layer {layer + 1}: histogram at every step")
        ax.grid(False)
        return ax
