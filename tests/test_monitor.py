"""lessons_lib.monitor.ActivationStats: the statistics it records, as a train.fit callback, and its pictures."""

import numpy as np
import pytest

from lessons_lib import data, monitor, nn, optim, train


@pytest.fixture(scope="module")
def digits():
    X_train, _, y_train, _ = data.load_digits(seed=0)
    return X_train[:256], y_train[:256]


def hand_forward(model, X):
    """The hidden layers of an nn.MLP written out: relu(a @ W + b), layer by layer."""
    a, outs = X, []
    for i in range(model.n_layers - 1):
        W, b = model.params[2 * i], model.params[2 * i + 1]
        a = np.maximum(a @ W + b, 0.0)
        outs.append(a)
    return outs


def test_recorded_statistics_equal_the_written_out_ones(digits):
    X, _ = digits
    model = nn.MLP([64, 20, 20, 10], rng=np.random.default_rng(0))
    model.params[1][:5] = -100.0            # units 0..4 of layer 1 can never fire: dead
    stats = monitor.ActivationStats(X[:100])
    stats.record(0, model)
    outs = hand_forward(model, X[:100])
    np.testing.assert_allclose(stats.mean[0], [a.mean() for a in outs], rtol=1e-12)
    np.testing.assert_allclose(stats.std[0], [a.std() for a in outs], rtol=1e-12)
    dead_units = [np.flatnonzero((a == 0).all(axis=0)) for a in outs]
    assert set(range(5)) <= set(dead_units[0])
    np.testing.assert_allclose(stats.dead[0], [len(d) / 20 for d in dead_units], rtol=0)
    assert stats.dead_units[0][0].tolist() == [(i in dead_units[0]) for i in range(20)]
    for layer, a in enumerate(outs):
        np.testing.assert_array_equal(stats.hist[0, layer], np.histogram(a, bins=stats.edges)[0])
        assert stats.beyond[0, layer] == pytest.approx(np.mean(a > stats.edges[-1]))


def test_histogram_matches_numpy_for_uniform_and_other_bins():
    rng = np.random.default_rng(1)
    values = np.concatenate([np.zeros(500), np.abs(rng.normal(0, 2, 5000)), [4.0, 4.0, -1.0, 7.0]])
    uniform = monitor.ActivationStats(np.zeros((2, 3)))
    np.testing.assert_array_equal(uniform._histogram(values), np.histogram(values, bins=uniform.edges)[0])
    edges = [0.0, 0.1, 0.5, 2.0, 4.0]
    other = monitor.ActivationStats(np.zeros((2, 3)), edges=edges)
    np.testing.assert_array_equal(other._histogram(values), np.histogram(values, bins=edges)[0])


def test_as_a_callback_it_records_every_k_steps_without_stopping_training(digits):
    X, y = digits
    model = nn.MLP([64, 16, 16, 10], rng=np.random.default_rng(0))
    stats = monitor.ActivationStats(X[:64], every=3)
    stats.record(0, model)
    history = train.fit(model, optim.SGD(model.params, lr=0.05), X, y, epochs=2, batch_size=32,
                        rng=np.random.default_rng(0), callbacks=[stats])
    assert not history.stopped and len(history.step_loss) == 16
    assert stats.steps.tolist() == [0, 3, 6, 9, 12, 15]
    assert stats.mean.shape == stats.std.shape == stats.dead.shape == (6, 2)
    assert stats.hist.shape == (6, 2, 40)
    stats.record(16, model)  # after training: the trained model's own statistics
    np.testing.assert_allclose(stats.std[-1], [a.std() for a in hand_forward(model, X[:64])], rtol=1e-12)


def test_revived_counts_units_that_came_back():
    stats = monitor.ActivationStats(np.zeros((2, 3)))
    masks = [[False, True, True], [True, True, False], [True, True, True], [False, True, True]]
    for step, m in enumerate(masks):
        stats._steps.append(step)
        stats._units.append([np.array(m)])
    # unit 0 died at step 1 and came back at step 3; unit 2 died at 0, came back at 1; unit 1 never came back
    assert stats.revived(0) == 2


def test_pictures_have_titles_and_labels(digits):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = digits
    model = nn.MLP([64, 16, 16, 10], rng=np.random.default_rng(0))
    stats = monitor.ActivationStats(X[:64])
    stats.record(0, model)
    train.fit(model, optim.SGD(model.params, lr=0.05), X, y, epochs=1, batch_size=32, rng=np.random.default_rng(0),
              callbacks=[stats])
    axes = stats.plot()
    assert axes[0].get_ylabel() == "activation std" and axes[1].get_ylabel() == "share of dead units"
    assert all(ax.get_title() and ax.get_xlabel() == "step" for ax in axes)
    ax = stats.plot_histograms(1, colorbar=True)
    assert ax.get_title().startswith("Layer 2") and ax.get_ylabel() == "activation value"
    assert ax.images[0].colorbar.ax.get_ylabel() == "outputs in the bin"
    # one scale for every run: log of the count, from 1 to all 64 x 16 outputs of a record (all in one bin: the
    # colour map's top); brighter (viridis: higher) where more outputs fall; an empty bin gets the bottom colour
    image = ax.images[0]
    assert (image.norm.vmin, image.norm.vmax) == (1, 64 * 16)
    counts = stats.hist[:, 1, :].T
    rgba, cmap = image.to_rgba(image.get_array()), image.get_cmap()
    full = np.unravel_index(np.argmax(counts), counts.shape)
    np.testing.assert_allclose(rgba[full], cmap(np.log(counts[full]) / np.log(64 * 16)))
    empty = np.argwhere(counts == 0)
    assert len(empty)
    np.testing.assert_allclose(rgba[tuple(empty[0])], cmap(0.0))
    with pytest.raises(ValueError, match="layer"):
        stats.plot_histograms(2)
    plt.close("all")


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: monitor.ActivationStats(np.zeros(5)), ValueError, "probe batch"),
        (lambda: monitor.ActivationStats([[1.0]]), TypeError, "numpy array"),
        (lambda: monitor.ActivationStats(np.zeros((2, 2)), every=0), ValueError, "every"),
        (lambda: monitor.ActivationStats(np.zeros((2, 2)), edges=[1.0, 0.5]), ValueError, "increasing"),
        (lambda: monitor.ActivationStats(np.full((2, 2), np.nan)), ValueError, "non-finite"),
        (lambda: monitor.ActivationStats(np.zeros((2, 2))).record(0, object()), TypeError, "hidden_activations"),
        (lambda: monitor.ActivationStats(np.zeros((2, 2))).revived(0), ValueError, "layer"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_histograms_of_chosen_layers_only(digits):
    X, _ = digits
    model = nn.MLP([64, 16, 16, 16, 10], rng=np.random.default_rng(0))
    stats = monitor.ActivationStats(X[:64], hist_layers=[2])
    stats.record(0, model)
    a = hand_forward(model, X[:64])[2]
    np.testing.assert_array_equal(stats.hist[0, 2], np.histogram(a, bins=stats.edges)[0])
    assert not stats.hist[0, :2].any()
    stats.plot_histograms(2)
    with pytest.raises(ValueError, match="not recorded"):
        stats.plot_histograms(0)
    with pytest.raises(ValueError, match="hidden layers"):
        monitor.ActivationStats(X[:64], hist_layers=[3]).record(0, model)
    with pytest.raises(TypeError, match="hist_layers"):
        monitor.ActivationStats(X[:64], hist_layers=2)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_layer_whose_std_reaches_0_stays_in_the_picture():
    """On a log axis a std of 0 would vanish; the std panel switches to symlog and draws it at 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model = nn.MLP([3, 4, 4, 2], rng=np.random.default_rng(0))
    stats = monitor.ActivationStats(np.random.default_rng(1).normal(size=(20, 3)))
    stats.record(0, model)
    model.params[3][:] = -100.0                     # every unit of layer 2 dead: its std is 0
    stats.record(1, model)
    axes = stats.plot()
    assert stats.std[1, 1] == 0.0
    assert axes[0].get_yscale() == "symlog"
    assert axes[0].get_ylim()[0] < 0.0 < axes[0].get_ylim()[1]      # 0 is inside the axis
    assert 0.0 in axes[0].get_yticks()
    plt.close("all")
    healthy = monitor.ActivationStats(stats.X)
    healthy.record(0, nn.MLP([3, 4, 4, 2], rng=np.random.default_rng(0)))
    assert healthy.plot()[0].get_yscale() == "log"
    plt.close("all")
