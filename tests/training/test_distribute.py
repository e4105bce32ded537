"""Distributed training gives the single-device result, for every card
model with its default networks and options.

The runs happen in `distributed_equivalence.py`, in a fresh process (the
devices must be configured before the backend starts), which writes its
results to a JSON file. Bounds:

- TensorFlow `MirroredStrategy`, float64: 1e-10 on every weight and log.
  Measured 1e-16 to 5e-15. Each mechanism broken on purpose moves some
  weight by 0.02 or more (measured 0.022 to 2.0).
- JAX `DataParallel` and `ModelParallel`: 1e-4. Keras computes some float64
  ops in float32 on JAX (its `result_type` maps float64 to float32 on every
  backend but TensorFlow, and `ops.tanh` follows it), so CycleGAN's
  generator outputs are float32. Measured 5e-15 (VAE), 2e-9 (WGAN-GP),
  2e-8 (DCGAN) and 4e-5 (CycleGAN). The median weight change of the runs
  is 2.9e-3 or more, so a gradient scaled wrongly by even 10% would leave
  the bound.
"""

import json
import subprocess
import sys

import pytest

from tests.helpers import BACKEND
from tests.helpers import REPO

CARD_MODELS = ("vae", "dcgan", "wgan_gp", "cyclegan")


def _run(engine, tmp_path):
    out = tmp_path / f"{engine}.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "training" / "distributed_equivalence.py"),
            engine,
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def _optimizer_steps(name, result):
    steps = result["optimizer_steps"]
    if name == "wgan_gp":
        # n_critic = 5 critic updates per generator update, 2 steps.
        assert steps == {
            "discriminator_optimizer": 10,
            "generator_optimizer": 2,
        }
    else:
        assert set(steps.values()) == {2}


@pytest.mark.skipif(
    BACKEND != "tensorflow", reason="tf.distribute strategies are TF's."
)
def test_mirrored_strategy_steps_equal_single_device_steps(tmp_path):
    results = _run("mirrored", tmp_path)
    assert set(results) == set(CARD_MODELS)
    for name, result in results.items():
        assert result["replicas"] == 2
        _optimizer_steps(name, result)
        assert result["moved_fraction"] > 0.9, name
        assert result["max_weight_diff"] < 1e-10, (name, result)
        assert result["max_log_diff"] < 1e-10, (name, result)
    # Each mechanism that makes the replicas agree, broken on purpose,
    # lands far outside the bound.
    broken = {
        (name, label): diff
        for name, result in results.items()
        for label, diff in result["broken_weight_diff"].items()
    }
    assert set(broken) == {
        ("dcgan", "unscaled_replica_loss"),
        ("dcgan", "local_batch_norm"),
        ("dcgan", "shared_noise"),
        ("cyclegan", "local_pools"),
    }
    assert min(broken.values()) > 1e-3, broken


@pytest.mark.skipif(BACKEND != "jax", reason="keras.distribution runs on JAX.")
def test_jax_data_and_model_parallel_steps_equal_single_device_steps(
    tmp_path,
):
    results = _run("jax", tmp_path)
    assert set(results) == {*CARD_MODELS, "cyclegan_model_parallel"}
    for name, result in results.items():
        assert result["devices"] == 2
        _optimizer_steps(name.replace("_model_parallel", ""), result)
        assert result["median_weight_change"] > 1e-3, name
        assert result["max_weight_diff"] < 1e-4, (name, result)
        assert result["max_log_diff"] < 1e-4, (name, result)
        assert all(d == 2 for d in result["optimizer_shardings"].values())
    # ModelParallel: the 8 residual-block kernels of the two generators
    # are split over the model axis, and so are their optimizer slots.
    parallel = results["cyclegan_model_parallel"]
    assert parallel["sharded_kernels"] == 8
    assert "P(None, None, None, 'model')" in parallel["optimizer_shardings"]
    assert results["cyclegan"]["sharded_kernels"] == 0
