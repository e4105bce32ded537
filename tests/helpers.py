"""What the tests share: the backend, the paths, the real-data guard and
the checks of the contract every keras_aegan model keeps. Fixtures live
in `conftest.py`."""

import os
from pathlib import Path

import keras
import numpy as np
import pytest

BACKEND = keras.backend.backend()
REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("KERAS_AEGAN_DATA_DIR") or REPO.parent / "shared" / "data"
)
# Tests that need the real data sets skip when they are missing, unless
# KERAS_AEGAN_REQUIRE_DATA=1 (`.ci/run` sets it): then they fail, so that a
# CI without the data cannot pass with them skipped.
REQUIRE_DATA = os.environ.get("KERAS_AEGAN_REQUIRE_DATA") == "1"


def skip_without_data(*relative_paths):
    """Skips the calling test (fails it under KERAS_AEGAN_REQUIRE_DATA=1)
    when any of `relative_paths` is missing from SHARED_DATA."""
    missing = [
        str(SHARED_DATA / p)
        for p in relative_paths
        if not (SHARED_DATA / p).exists()
    ]
    if not missing:
        return
    message = (
        f"real data not found: {missing} (set KERAS_AEGAN_DATA_DIR to the "
        "shared data folder)"
    )
    if REQUIRE_DATA:
        pytest.fail(f"{message}; KERAS_AEGAN_REQUIRE_DATA=1 requires it")
    pytest.skip(message)


def to_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def assert_config_round_trip(model):
    config = model.get_config()
    clone = type(model).from_config(config)
    assert clone.get_config() == config
    assert len(clone.weights) == len(model.weights)
    return clone


def optimizer_state(model):
    return [to_numpy(v) for v in model.optimizer.variables]


def assert_save_round_trip(
    model, tmp_path, inputs, fit_data, batch_size, check_loaded=None
):
    """Saves to .keras, reloads, compares outputs and optimizer state, and
    checks that training goes on from the restored state.

    `check_loaded(model, loaded)`, if given, runs the caller's own checks
    of the loaded model before it trains on."""
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(model)
    if check_loaded is not None:
        check_loaded(model, loaded)
    np.testing.assert_allclose(
        to_numpy(loaded(inputs)), to_numpy(model(inputs)), atol=1e-6
    )
    before = optimizer_state(model)
    after = optimizer_state(loaded)
    assert len(before) == len(after) > 0
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)
    # Training continues: every optimizer's step counter moves on from the
    # restored value.
    counts = {
        n: int(to_numpy(loaded.optimizer[n].iterations))
        for n in loaded.optimizer.names
    }
    assert all(c > 0 for c in counts.values())
    loaded.fit(
        fit_data, epochs=1, batch_size=batch_size, shuffle=False, verbose=0
    )
    for name, count in counts.items():
        assert int(to_numpy(loaded.optimizer[name].iterations)) > count
    return loaded


def assert_seeded_sampling(model, num=4):
    a = to_numpy(model.generate(num, seed=7))
    b = to_numpy(model.generate(num, seed=7))
    c = to_numpy(model.generate(num, seed=8))
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 1e-3
    return a


def _step_counts(model):
    return {
        name: int(to_numpy(model.optimizer[name].iterations))
        for name in model.optimizer.names
    }


def run_generative_model_test(
    model,
    data,
    inputs,
    tmp_path,
    batch_size=64,
    updates_per_step=None,
    sample_shape=None,
    sample_gap=1e-3,
    check_loaded=None,
):
    """The whole contract of a keras_aegan model, in one call.

    After keras-hub's `run_backbone_test`. With a compiled `model`, trained
    already or not:
    - `fit()` on arrays logs `model.log_names`, all finite;
    - each optimizer takes `updates_per_step[name]` steps per batch (1 by
      default);
    - `fit()` on a `tf.data` pipeline of the same arrays trains on, with
      the same step counts;
    - seeded sampling, for a model that samples: the same seed gives the
      same images of `sample_shape`, another seed others (by more than
      `sample_gap`);
    - `get_config()` survives JSON and `from_config()`;
    - the `.keras` round trip keeps the outputs on `inputs` and every
      optimizer's state, and the loaded model trains on.

    Args:
        model: a compiled model.
        data: array, or tuple of arrays passed as `fit(*data)` (images and
            labels, or the two domains of a translation model). Their
            length is a multiple of `batch_size`.
        inputs: what `model(inputs)` takes, for the round trip.
        tmp_path: a folder for the `.keras` file.
        batch_size: int. Defaults to 64.
        updates_per_step: dict or None. Optimizer name to its updates per
            batch. Defaults to 1 for each.
        sample_shape: tuple or None. The shape of one sample; defaults to
            `model.image_shape`.
        sample_gap: float. The least difference between samples of two
            seeds. Defaults to 1e-3.
        check_loaded: callable or None. `check_loaded(model, loaded)`: the
            caller's own checks of the freshly loaded model, before it
            trains on. Defaults to None.

    Returns:
        The model loaded from `.keras`.
    """
    import json

    import tensorflow as tf

    data = data if isinstance(data, tuple) else (data,)
    steps = len(data[0]) // batch_size
    assert steps * batch_size == len(data[0]), "a whole number of batches"
    per_step = {name: 1 for name in model.optimizer.names}
    per_step.update(updates_per_step or {})
    start = _step_counts(model)
    history = model.fit(*data, batch_size=batch_size, epochs=1, verbose=0)
    assert set(history.history) == set(model.log_names)
    assert all(np.isfinite(v[0]) for v in history.history.values())
    counts = _step_counts(model)
    taken = {n: counts[n] - start[n] for n in counts}
    assert taken == {n: steps * per_step[n] for n in per_step}, taken
    pipeline = tf.data.Dataset.from_tensor_slices(
        data if len(data) > 1 else data[0]
    ).batch(batch_size)
    history = model.fit(pipeline, epochs=1, shuffle=False, verbose=0)
    assert all(np.isfinite(v[0]) for v in history.history.values())
    again = _step_counts(model)
    assert {n: again[n] - counts[n] for n in again} == taken
    if model.samples:
        kwargs = {}
        if model.conditional:
            kwargs["labels"] = np.arange(4) % model.num_classes
        a = to_numpy(model.generate(4, seed=7, **kwargs))
        b = to_numpy(model.generate(4, seed=7, **kwargs))
        c = to_numpy(model.generate(4, seed=8, **kwargs))
        np.testing.assert_array_equal(a, b)
        assert np.abs(a - c).max() > sample_gap
        assert a.shape == (4, *(sample_shape or model.image_shape))
    config = json.loads(json.dumps(model.get_config()))
    clone = type(model).from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    assert len(clone.weights) == len(model.weights)
    return assert_save_round_trip(
        model,
        tmp_path,
        inputs,
        pipeline,
        batch_size=None,
        check_loaded=check_loaded,
    )


class BatchLogs(keras.callbacks.Callback):
    """Records the logs after every batch."""

    def __init__(self):
        super().__init__()
        self.logs = []

    def on_train_batch_end(self, batch, logs=None):
        self.logs.append({k: float(v) for k, v in (logs or {}).items()})


def per_batch(running_means):
    """Per-batch values from the running means Keras logs after a batch."""
    m = np.asarray(running_means)
    i = np.arange(1, len(m) + 1)
    return i * m - np.concatenate([[0.0], (i * m)[:-1]])


def run_layer_test(
    layer_cls, init_kwargs, inputs, expected_output_shape, stateful=False
):
    """The contract of a custom layer, after Keras's `run_layer_test`.

    Builds `layer_cls(**init_kwargs)` on `inputs` and checks: the output
    shape (the first output's, for layers that return several); that
    `get_config` round-trips through `from_config` and through Keras's
    serialization by registered name; that a copy given the same weights
    gives the same outputs in inference mode; and that a functional model
    around the layer saves to `.keras` and loads with the same weights and,
    unless `stateful` (a call that changes the layer's state), the same
    outputs. Returns the layer and its outputs.
    """
    layer = layer_cls(**init_kwargs)
    outputs = layer(inputs)
    first = outputs[0] if isinstance(outputs, (tuple, list)) else outputs
    assert tuple(first.shape) == tuple(expected_output_shape)
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    rebuilt = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer)
    )
    assert type(rebuilt) is layer_cls and rebuilt.get_config() == config
    clone(inputs)
    assert len(clone.weights) == len(layer.weights)
    clone.set_weights(layer.get_weights())
    if not stateful:
        for a, b in zip(
            keras.tree.flatten(clone(inputs)),
            keras.tree.flatten(layer(inputs)),
            strict=True,
        ):
            np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-6)
    # A .keras round trip inside a functional model.
    import tempfile
    from pathlib import Path

    fresh = layer_cls.from_config(config)
    symbolic = keras.tree.map_structure(
        lambda t: keras.Input(tuple(t.shape[1:]), dtype=t.dtype), inputs
    )
    model = keras.Model(symbolic, fresh(symbolic))
    model(inputs)
    expected = None if stateful else model.predict(inputs, verbose=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layer.keras"
        model.save(path)
        loaded = keras.saving.load_model(path)
    for a, b in zip(loaded.weights, model.weights, strict=True):
        np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    if not stateful:
        got = loaded.predict(inputs, verbose=0)
        for a, b in zip(
            keras.tree.flatten(got), keras.tree.flatten(expected), strict=True
        ):
            np.testing.assert_allclose(a, b, atol=1e-6)
    return layer, outputs


def sample_run_arguments(out, batch_size, max_examples, grid_size=4, **flags):
    """The `keras-aegan train` arguments of a short, quiet run on the
    embedded MNIST sample into `out`; `flags` add options by name
    (`latent_dim=2` gives `--latent-dim 2`)."""
    argv = [
        "--dataset", "mnist_sample", "--batch-size", str(batch_size),
        "--max-examples", str(max_examples), "--out", str(out),
        "--verbose", "0", "--grid-size", str(grid_size),
    ]  # fmt: skip
    for name, value in flags.items():
        argv += [f"--{name.replace('_', '-')}", str(value)]
    return argv


def free_ports(count):
    """`count` free TCP ports on 127.0.0.1, picked by the system now."""
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_for_processes(processes, timeout=600):
    """Waits for every `subprocess.Popen` (text mode) of a multi-process
    run, at most `timeout` seconds each; kills them all and fails the test
    when one hangs. Returns `(returncode, stdout, stderr)` of each."""
    import subprocess

    import pytest

    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            for p in processes:
                p.communicate()
            pytest.fail(f"a process still ran after {timeout} s: it hung")
        results.append((process.returncode, out, err))
    return results


def finish_processes(processes, timeout=600):
    """`wait_for_processes`, then asserts that each exited with 0; returns
    their stdouts."""
    results = wait_for_processes(processes, timeout)
    errors = [err[-3000:] for code, _, err in results if code != 0]
    assert not errors, "\n".join(errors)
    return [out for _, out, _ in results]
