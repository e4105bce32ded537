"""Distributed training gives the single-device result."""

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import BACKEND
from tests.conftest import REPO


@pytest.mark.skipif(
    BACKEND != "tensorflow", reason="tf.distribute strategies are TF's."
)
def test_mirrored_strategy_step_equals_single_device_step(
    mnist_signed, tmp_path
):
    path = tmp_path / "images.npy"
    np.save(path, mnist_signed[:128])
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "mirrored_equivalence.py"),
            str(path),
            "2",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [s for s in done.stdout.splitlines() if s.startswith("RESULT")][-1]
    result = json.loads(line.split(" ", 1)[1])
    assert result["replicas"] == 2
    assert result["d_steps"] == 4  # 2 steps x 2 discriminator updates
    # Every weight moved, and both runs moved it to the same place.
    assert result["min_weight_change"] > 1e-6
    assert result["max_weight_diff"] < 1e-10


@pytest.mark.skipif(BACKEND != "jax", reason="keras.distribution runs on JAX.")
def test_jax_data_parallel_steps_equal_single_device_steps(
    mnist_signed, tmp_path
):
    path = tmp_path / "images.npy"
    np.save(path, mnist_signed[:64])
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "data_parallel_equivalence.py"),
            str(path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [s for s in done.stdout.splitlines() if s.startswith("RESULT")][-1]
    result = json.loads(line.split(" ", 1)[1])
    assert result["devices"] == 2
    assert result["max_weight_change"] > 1e-3
    assert result["max_weight_diff"] < 1e-5
