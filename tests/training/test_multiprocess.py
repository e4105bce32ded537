"""Data parallelism across processes trains to the single-process
weights: PyTorch processes in a `gloo` process group, the workers of a
TensorFlow `MultiWorkerMirroredStrategy`, and JAX processes under
`keras.distribution.DataParallel`.

The runs happen in `multiprocess_equivalence.py`: one process on the
global batches, and two processes joined on 127.0.0.1 (free ports picked
at run time), each on its share of every global batch. Float32 on CPU.
Bound 1e-5 on every weight after two SGD steps: measured on PyTorch 2.4e-7
(VAE) and 6e-8 (DCGAN with synchronized batch norm and DiffAugment), on
TensorFlow 2.4e-6 and 6e-8, on JAX 4.8e-7 and 6e-8, and 0.0 between the
two processes. After training, `generate(4, seed=0)` on each process gives
the single process's samples (compared like the weights; on PyTorch,
while the group's replica context held outside the steps too, the second
process drew the second half of a global draw: 0.053 away). WGAN-GP
(n_critic 5 with the gradient penalty) runs on every backend, CycleGAN
(four optimizers, gathered image pools) on PyTorch. Each
mechanism broken on purpose moves some weight by more than 1e-3 (asserted
below). Each backend's test runs once, in that backend's pass.
"""

import subprocess
import sys

import numpy as np
import pytest

from tests.helpers import BACKEND
from tests.helpers import REPO
from tests.helpers import finish_processes
from tests.helpers import free_ports

SCRIPT = REPO / "tests" / "training" / "multiprocess_equivalence.py"
BOUND = 1e-5


def _start(*args):
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _two_processes(backend, tmp_path, label, broken=None):
    # One port per worker for TF_CONFIG; one for a torch process group or
    # the JAX coordinator.
    ports = free_ports(2 if backend == "tensorflow" else 1)
    extra = [broken] if broken else []
    outs = [tmp_path / f"{label}_{rank}.npz" for rank in range(2)]
    ports = ",".join(map(str, ports))
    return outs, [
        _start(backend, "worker", out, rank, 2, ports, *extra)
        for rank, out in enumerate(outs)
    ]


def _worst(a, b, model):
    keys = [k for k in a.files if k.startswith(model + "/")]
    assert keys and set(keys) == {k for k in b.files if k.startswith(model)}
    return max(float(np.abs(a[k] - b[k]).max()) for k in keys)


BROKEN = {
    "torch": ("local_gradients", "shared_noise"),
    "tensorflow": ("unscaled_replica_loss", "shared_noise"),
    "jax": ("same_rows",),
}


@pytest.mark.parametrize("backend", ["torch", "tensorflow", "jax"])
def test_two_processes_train_to_the_single_process_weights(backend, tmp_path):
    if BACKEND != backend:
        pytest.skip(f"Run once, in the {backend} pass: its processes.")
    single = tmp_path / "single.npz"
    outs, workers = _two_processes(backend, tmp_path, "worker")
    finish_processes([_start(backend, "single", single), *workers])
    reference = np.load(single)
    first, second = (np.load(p) for p in outs)
    models = {k.split("/")[0] for k in reference.files}
    assert {"vae", "dcgan", "wgan_gp"} <= models, models
    assert backend != "torch" or "cyclegan" in models, models
    for model in sorted(models):
        assert _worst(reference, first, model) < BOUND, model
        assert _worst(first, second, model) == 0.0, model
    # Each mechanism that makes the processes agree, broken on purpose,
    # lands far outside the bound.
    for broken in BROKEN[backend]:
        outs, workers = _two_processes(backend, tmp_path, broken, broken)
        finish_processes(workers)
        got = np.load(outs[0])
        assert _worst(reference, got, "dcgan") > 1e-3, broken
