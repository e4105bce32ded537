"""`keras-aegan train --distribute`: the command line starts each backend's
engine across two processes on 127.0.0.1 and trains to the model and the
logs of the same run in one process.

One engine per backend pass, so that each runs once in CI: PyTorch with
`--nproc 2` (torchrun on a free port), TensorFlow `multi_worker` (two
commands, `TF_CONFIG` on free ports), JAX `data_parallel` across two
processes (`--coordinator` on a free port). DCGAN, 2 steps of a global
batch of 16 real digits, float32, the command line's Adam.

Compared: the trained generator's images for fixed noise, within 1e-5
(measured 2.3e-8 on PyTorch, 2.2e-8 on TensorFlow, 1.5e-8 on JAX), and
the logged epoch means, within 1e-4. Not the raw weights: Adam moves a
weight whose gradient cancels to rounding by a full step of either sign,
so a few weights differ by 5e-5 between any two summation orders, one
process included (measured between 1 and 2 threads on PyTorch). The same
command on one process's rows alone (a global batch of 8) lands more than
1e-3 away (measured 0.012 to 0.019). Before the PyTorch core averaged the
logs over the processes, the chief logged its own rows' means
(`d_accuracy` 0.75 against 0.59), which the log check catches.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from keras_aegan import cli
from tests.helpers import BACKEND
from tests.helpers import REPO
from tests.helpers import finish_processes
from tests.helpers import free_ports

KIND = {
    "tensorflow": "multi_worker",
    "jax": "data_parallel",
    "torch": "torch",
}[BACKEND]
RUN = [
    "train",
    "dcgan",
    "--dataset",
    "mnist_sample",
    "--max-examples",
    "32",
    "--epochs",
    "1",
    "--seed",
    "3",
    "--grid-size",
    "4",
    "--verbose",
    "0",
    "--backend",
    BACKEND,
]
BOUND = 1e-5
TIMEOUT = 300


def _start(argv, env=None):
    env = {**os.environ, "KERAS_BACKEND": BACKEND, **(env or {})}
    for name in ("RANK", "WORLD_SIZE", "TF_CONFIG"):
        if name not in (env or {}):
            env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "keras_aegan", *argv],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _distributed(out):
    argv = [*RUN, "--batch-size", "16", "--out", str(out)]
    if KIND == "torch":
        return _run([_start([*argv, "--distribute", "torch", "--nproc", "2"])])
    if KIND == "multi_worker":
        import json

        workers = [f"127.0.0.1:{p}" for p in free_ports(2)]
        return _run(
            [
                _start(
                    [*argv, "--distribute", "multi_worker"],
                    env={
                        "TF_CONFIG": json.dumps(
                            {
                                "cluster": {"worker": workers},
                                "task": {"type": "worker", "index": rank},
                            }
                        )
                    },
                )
                for rank in range(2)
            ]
        )
    (port,) = free_ports(1)
    return _run(
        [
            _start(
                [
                    *argv,
                    "--distribute",
                    "data_parallel",
                    "--coordinator",
                    f"127.0.0.1:{port}",
                    "--num-processes",
                    "2",
                    "--process-id",
                    str(rank),
                ]
            )
            for rank in range(2)
        ]
    )


def _run(processes):
    return finish_processes(processes, TIMEOUT)


def _images(run):
    import keras

    model = keras.saving.load_model(run / "model.keras")
    z = np.random.default_rng(0).normal(size=(16, model.latent_dim))
    return keras.ops.convert_to_numpy(
        model.generator(z.astype("float32"), training=False)
    )


def _logs(run):
    import csv

    with open(run / "log.csv") as f:
        (row,) = list(csv.DictReader(f))
    # Keras's CSVLogger writes NA in the validation columns of a run that
    # has no validation data.
    return {k: float(v) for k, v in row.items() if k != "epoch" and v != "NA"}


def test_two_processes_train_to_the_one_process_model(tmp_path):
    outputs = _distributed(tmp_path / "distributed")
    assert "2 process(es), 2 replica(s), global batch 16" in "".join(outputs)
    single = tmp_path / "single"
    _run([_start([*RUN, "--batch-size", "16", "--out", str(single)])])

    reference = _images(single)
    distributed = tmp_path / "distributed"
    assert np.abs(reference - _images(distributed)).max() < BOUND
    logs = _logs(single)
    assert set(_logs(distributed)) == set(logs)
    for name, value in _logs(distributed).items():
        assert abs(value - logs[name]) < 1e-4, (name, value, logs[name])
    # Only the chief writes the run, and it writes all of it.
    assert sorted(p.name for p in distributed.iterdir()) == sorted(
        p.name for p in single.iterdir()
    )
    # One process's rows alone train to another model: the bound
    # discriminates.
    alone = tmp_path / "alone"
    _run([_start([*RUN, "--batch-size", "8", "--out", str(alone)])])
    assert np.abs(reference - _images(alone)).max() > 1e-3


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--nproc", "2"], "Expected --nproc only with --distribute torch"),
        (
            ["--distribute", "torch", "--coordinator", "h:1"],
            "Expected --coordinator only with --distribute data_parallel",
        ),
        (
            ["--distribute", "data_parallel", "--num-processes", "2"],
            "Expected --coordinator HOST:PORT and --process-id",
        ),
        (
            [
                "--distribute",
                "data_parallel",
                "--num-processes",
                "2",
                "--coordinator",
                "h:1",
                "--process-id",
                "2",
            ],
            "Expected --process-id below --num-processes 2",
        ),
        (
            ["--distribute", {"torch": "mirrored"}.get(BACKEND, "torch")],
            f"on the {BACKEND} backend",
        ),
    ],
)
def test_flags_it_cannot_run_give_one_line(extra, message, tmp_path, capsys):
    code = cli.main(["train", "dcgan", "--out", str(tmp_path / "x"), *extra])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert not (tmp_path / "x").exists()
