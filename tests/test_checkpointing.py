"""Crash-safe checkpoints and exact resume after `kill -9`."""

import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
from PIL import Image

from keras_aegan import checkpointing
from keras_aegan import cli
from keras_aegan import datasets
from tests.helpers import BACKEND
from tests.helpers import REPO

# 256 digits in batches of 32: 8 steps per epoch, a checkpoint every 2.
RUN = [
    "dcgan", "--dataset", "mnist_sample", "--max-examples", "256",
    "--batch-size", "32", "--epochs", "2", "--save-every", "2",
    "--latent-dim", "8", "--grid-size", "4", "--verbose", "0", "--seed", "5",
]  # fmt: skip
# The same kernels in every run: deterministic ones on TensorFlow.
DETERMINISTIC = ["--deterministic"] if BACKEND == "tensorflow" else []


def _state(path):
    model = keras.saving.load_model(path)
    values = [*model.weights, *model.optimizer.variables]
    return {v.path: np.asarray(keras.ops.convert_to_numpy(v)) for v in values}


def _train(out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "keras_aegan", "train", *RUN, *DETERMINISTIC]
        + ["--out", str(out), *extra],
        cwd=REPO,
        env=dict(os.environ, KERAS_BACKEND=BACKEND),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_run_killed_mid_epoch_resumes_to_the_uninterrupted_weights(
    tmp_path,
):
    killed = tmp_path / "killed"
    process = _train(killed)
    # Kill it (SIGKILL, no clean-up) at its first checkpoint inside the
    # second epoch.
    deadline = time.monotonic() + 600

    def in_second_epoch(path):
        _, epoch, _, step = path.name.split("-")
        return int(epoch) == 1 and int(step) > 0

    while not any(map(in_second_epoch, checkpointing.checkpoints(killed))):
        assert process.poll() is None, process.stderr.read()[-3000:]
        assert time.monotonic() < deadline, "no checkpoint in epoch 2"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    state = checkpointing.latest_state(killed)
    assert state["epoch"] == 1 and 0 < state["step"] < 8, state
    assert not (killed / "model.keras").exists()

    # The uninterrupted run, in a process of its own, then the killed one
    # resumed: the same seed gives the same run, and a run killed at any
    # moment goes on as if nothing had happened.
    uninterrupted = tmp_path / "uninterrupted"
    for process in (_train(uninterrupted), _train(killed, "--resume")):
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
    expected = _state(uninterrupted / "model.keras")
    got = _state(killed / "model.keras")
    assert expected.keys() == got.keys()
    worst = max(np.abs(expected[k] - got[k]).max() for k in expected)
    # Measured 0.0 on all three backends (float32 on CPU).
    assert worst == 0.0, worst
    # The same number of optimizer steps, and the logs of both epochs.
    assert (killed / "log.csv").read_text().count("\n") == 3


def test_checkpoints_are_whole_and_only_the_newest_two_stay(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", *RUN, "--out", str(out)]
    assert cli.main(argv) == 0, capsys.readouterr().err
    names = [p.name for p in checkpointing.checkpoints(out)]
    assert names == ["epoch-00001-step-0000006", "epoch-00002-step-0000000"]
    assert not list((out / checkpointing.CHECKPOINTS_DIR).glob(".tmp-*"))
    state = checkpointing.latest_state(out)
    assert (state["epoch"], state["step"]) == (2, 0)
    assert state["arguments"]["batch_size"] == 32
    # A new run refuses the folder; --resume has nothing left to do.
    assert cli.main(argv) == 2
    assert "already holds a training run" in capsys.readouterr().err
    assert cli.main([*argv, "--resume"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_stream_resumed_at_any_step_goes_on_as_the_whole_one():
    kwargs = dict(batch_size=100, seed=3, epochs=3, max_examples=250)
    whole = list(datasets.load("mnist_sample", **kwargs).as_numpy_iterator())
    # 3 batches per epoch (the last one of 50), each epoch in its own order.
    assert [len(b) for b in whole] == [100, 100, 50] * 3
    assert not np.array_equal(whole[0], whole[3])
    other = datasets.load("mnist_sample", **{**kwargs, "seed": 4})
    assert not np.array_equal(next(iter(other)), whole[0])
    keras.utils.set_random_seed(11)  # the process's seed plays no part
    for epoch, step in ((0, 1), (1, 0), (1, 2), (2, 1)):
        part = datasets.load(
            "mnist_sample", initial_epoch=epoch, initial_step=step, **kwargs
        )
        rest = list(part.as_numpy_iterator())
        assert int(part.cardinality()) == len(rest) == 9 - 3 * epoch - step
        for a, b in zip(whole[3 * epoch + step :], rest, strict=True):
            np.testing.assert_array_equal(a, b)


def test_an_unpaired_stream_resumed_mid_epoch_goes_on_as_the_whole_one(
    tmp_path,
):
    # Two unpaired domains of 6 and 4 images, in the CycleGAN layout.
    rng = np.random.default_rng(0)
    for suffix, count in (("A", 6), ("B", 4)):
        folder = tmp_path / f"train{suffix}"
        folder.mkdir()
        for i in range(count):
            image = rng.integers(0, 256, (20, 20, 3), dtype=np.uint8)
            Image.fromarray(image).save(folder / f"{i}.png")
    kwargs = dict(image_size=16, load_size=18, batch_size=2, seed=5, epochs=4)
    whole = list(datasets.load_unpaired(tmp_path, **kwargs).as_numpy_iterator())
    assert len(whole) == 12  # 3 batches per epoch of the 6 A images
    rest = list(
        datasets.load_unpaired(
            tmp_path, initial_epoch=2, initial_step=1, **kwargs
        ).as_numpy_iterator()
    )
    assert len(rest) == 5
    for (a, b), (c, d) in zip(whole[7:], rest, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(epochs=0), "`epochs` to be a positive int"),
        (dict(epochs=2, initial_epoch=2), "`initial_epoch` below"),
        (dict(epochs=2, initial_step=-1), "`initial_step` to be a non-neg"),
        (dict(epochs=2, initial_step=99), "at most the 3 batches"),
        (dict(initial_epoch=1), "Expected `epochs` with"),
        (dict(epochs=2, seed=None), "an int `seed` with `epochs`"),
    ],
)
def test_bad_stream_positions_are_refused(kwargs, message):
    kwargs = {"seed": 0, **kwargs}
    with pytest.raises(ValueError, match=message):
        datasets.load(
            "mnist_sample", batch_size=100, max_examples=250, **kwargs
        )
