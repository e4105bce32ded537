"""
Title: Scale: mixed precision and distributed training
Author: keras_aegan developers
Date created: 2026/12/06
Last modified: 2026/12/07
Description: Train a DCGAN in float16 and bfloat16, then on two devices with tf.distribute or JAX.
Accelerator: None
"""

"""
## Introduction

At the end of this tutorial you will have trained the same DCGAN in
float32, `mixed_bfloat16` and `mixed_float16`, and again on two devices
(`tf.distribute.MirroredStrategy` on TensorFlow, `keras.distribution` on
JAX), and checked that the distributed run gives the one-device model.

Two things make generative models expensive: many steps, and big
batches of big images. Mixed precision computes in 16-bit floats, which
halves memory traffic and runs on the tensor cores of GPUs and the
matrix units of TPUs (Micikevicius et al., "Mixed Precision Training",
ICLR 2018). Data parallelism splits each global batch over several
devices, each with a copy of the weights, and averages their gradients.
Both must leave the training maths unchanged, and a GAN, with an
optimizer per network, is where a naive implementation gets that wrong.

## Setup: two devices on one CPU

The backend is set before Keras is imported; `"tensorflow"` or `"torch"`
work the same. Devices are fixed when a backend starts, so this first cell
also splits the CPU in two, as `tests/training/distributed_equivalence.py`
(run by `test_distribute.py`) does: JAX reads `XLA_FLAGS` when it is
imported, and TensorFlow takes a logical device configuration before
anything initializes it. On a machine with two GPUs neither is needed.
This is the only setup that depends on the backend, apart from the
strategy section itself.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

if os.environ["KERAS_BACKEND"] == "jax":
    flags = os.environ.get("XLA_FLAGS", "")
    os.environ["XLA_FLAGS"] = (
        flags + " --xla_force_host_platform_device_count=2"
    )
elif os.environ["KERAS_BACKEND"] == "tensorflow":
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    two = [tf.config.LogicalDeviceConfiguration()] * 2
    tf.config.set_logical_device_configuration(cpu, two)

import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from keras_aegan import datasets
from keras_aegan import training
from keras_aegan.models import DCGAN
from keras_aegan.visualization import image_grid

BACKEND = keras.backend.backend()
print("Keras backend:", BACKEND)

"""
CI sets `KERAS_AEGAN_TUTORIAL_SMOKE=1` to run the tutorial in seconds, with
three steps per run; at that size the curves and timings are meaningless.
"""

SMOKE = os.environ.get("KERAS_AEGAN_TUTORIAL_SMOKE") == "1"
BATCH = 16 if SMOKE else 64  # global batch: 2 devices x 8 or 32 rows
STEPS = 3 if SMOKE else 120  # training steps of each run
EARLY = 2  # the step after which each run's samples are kept

"""
## The data and one training run

All runs see the same batches of real digits, from the MNIST sample that
ships with the package, in [-1, 1]. Each run is `STEPS` epochs of one
step, so that `history` holds every step's losses. A callback keeps the
samples for fixed noise (`generate(16, seed=1)`) after step `EARLY`, and
notes the time after each step; the images per second are counted from
there on, after the step has been compiled.
"""

images, _ = datasets.load_arrays("mnist_sample")
x = images[: BATCH * STEPS].astype("float32") / 127.5 - 1.0
batches = tf.data.Dataset.from_tensor_slices(x).batch(BATCH).repeat()


def train(gan):
    """Fits `gan` for `STEPS` steps; returns its logs, early samples and
    images per second."""
    times, early = [], []

    def after_step(epoch, logs):
        if epoch + 1 == EARLY:
            early.append(gan.generate(16, seed=1))
        times.append(time.perf_counter())

    history = gan.fit(
        batches,
        epochs=STEPS,
        steps_per_epoch=1,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=after_step)],
    )
    speed = BATCH * (STEPS - EARLY) / (times[-1] - times[EARLY - 1])
    return {
        "gan": gan,
        "logs": history.history,
        "early": early[0],
        "speed": speed,
    }


"""
## Mixed precision

A dtype policy tells every layer built after it in which type to compute
and in which to keep its variables. `mixed_float16` and `mixed_bfloat16`
compute in 16 bits and keep float32 variables, so that small updates are
not rounded away. The two 16-bit types differ where it matters for
gradients: bfloat16 keeps float32's 8 exponent bits (and 8 significant
bits), float16 has 5 exponent bits (11 significant) and flushes anything
below 6e-8 to zero, where many gradients of a deep network lie.

Hence loss scaling (Micikevicius et al., section 3.2): multiply the loss by
a large factor `S` before differentiating, and divide the gradients by `S`
before applying them. Keras's `LossScaleOptimizer` does the dividing with a
dynamic `S`: it starts at 2^15, halves when the gradients overflow (the
step is skipped) and doubles after 2,000 good steps. A GAN has one
optimizer per network, so under `mixed_float16` the library's `compile()`
wraps each of them in its own `LossScaleOptimizer`, and its training core
scales each update's loss by that update's own optimizer
(`keras_aegan/training/updates.py`). When one loss moves two networks
(CycleGAN's generators), it is scaled by the smaller of their scales and
each share of the gradient is brought back to its own; a gradient penalty
computed inside the loss (WGAN-GP) is scaled alike. A non-finite gradient
skips only its own optimizer's step. `tests/training/test_mixed_precision.py`
checks that one mixed step equals the float32 step to 5 % of the update,
and that leaving the loss unscaled fails that check. bfloat16 needs none
of this, and the optimizers stay plain.
"""

runs = {}
for policy in ("float32", "mixed_bfloat16", "mixed_float16"):
    keras.mixed_precision.set_global_policy(policy)
    gan = DCGAN(latent_dim=32, seed=0)
    if policy == "float32":  # kept for the distributed run
        initial_weights = gan.get_weights()
    gan.compile()  # Adam(2e-4, beta_1=0.5) for G and for D
    runs[policy] = train(gan)
    speed = runs[policy]["speed"]
    layer = gan.generator.layers[-1]
    optimizer = gan.optimizer["generator_optimizer"]
    print(
        f"{policy}: {speed:.0f} images/s; computes in {layer.compute_dtype},"
        f" keeps {layer.variable_dtype}; G's optimizer is "
        f"{type(optimizer).__name__}"
    )
keras.mixed_precision.set_global_policy("float32")

"""
Under `mixed_float16`, each optimizer's dynamic scale after the run, and
how many of its steps it skipped (its `iterations` count only the applied
steps):
"""

for name in ("discriminator_optimizer", "generator_optimizer"):
    optimizer = runs["mixed_float16"]["gan"].optimizer[name]
    scale = float(keras.ops.convert_to_numpy(optimizer.dynamic_scale))
    applied = int(keras.ops.convert_to_numpy(optimizer.iterations))
    print(f"{name}: scale 2^{np.log2(scale):.0f}, skipped {STEPS - applied}")

"""
On this 2-core CPU the timings above say little (at smoke size nothing).
Mixed precision pays on GPUs, whose tensor cores multiply 16-bit
matrices, and on TPUs, where bfloat16 is native. On CPUs it depends on the
kernels: on a 2-core x86 CPU with bfloat16 instructions,
`bench/README.md` measured `mixed_bfloat16` 1.0-1.6 times as fast as
float32 on TensorFlow, 1.3-1.6 on PyTorch and 0.77-0.94 on JAX. The
samples below come from each run's generator for the same noise
(`generate(16, seed=1)`). On the rendered (smoke) page each run has had
3 steps and its samples are still near-black. The tests check float16
one step at a time (above) and that a bfloat16 DCGAN trains on real
digits with float32 variables and plain optimizers
(`test_mixed_bfloat16_dcgan_learns_on_real_digits`); no test compares
whole runs, so whether the full-size grids look alike is for you to see.
"""

fig, axes = plt.subplots(3, 1, figsize=(8, 6.6))
for ax, (policy, run) in zip(axes, runs.items(), strict=True):
    samples = run["gan"].generate(16, seed=1)
    ax.imshow(
        image_grid(samples, columns=8).squeeze(), cmap="gray", vmin=0, vmax=255
    )
    ax.set_title(f"{policy}, {STEPS} steps")
    ax.axis("off")
plt.show()

"""
## Data parallelism on two devices

`training.distribute(kind)` starts the engine of the backend and returns
the scope to build and compile the model under: `"mirrored"`
(`tf.distribute.MirroredStrategy` over the local devices) on TensorFlow,
`"data_parallel"` (`keras.distribution.DataParallel`, set for the whole
process) on JAX. Each step splits the global batch of `BATCH` images over
the replicas. Three mechanisms keep the distributed step equal to one
device's step on the whole batch: each replica's loss is divided by the
number of replicas before the gradients are summed (on TensorFlow; on JAX
the step sees the global batch as one sharded array, whose mean is already
the global one), batch normalization computes the statistics of the global
batch (`networks.SyncBatchNormalization`), and the latent noise is
drawn for the global batch and sliced per replica
(`training.replica_random`), rather than drawn alike on every replica.

We start from the float32 run's initial weights and feed the same batches,
so the distributed run should follow the float32 run. PyTorch has no
in-process data parallelism in the library (it distributes across
processes, next section), so the cell skips on it. With the setup cell,
this is the only code that branches on the backend. (`MirroredStrategy`
takes the GPUs when it is given no devices, so we name the two CPU ones.)
"""

if BACKEND in ("tensorflow", "jax"):
    if BACKEND == "tensorflow":
        kind, options = "mirrored", {"devices": ["/cpu:0", "/cpu:1"]}
    else:
        kind, options = "data_parallel", {}
    distributed = training.distribute(kind, **options)
    with distributed.scope:
        gan = DCGAN(latent_dim=32, seed=0)
        gan.set_weights(initial_weights)
        gan.compile()
    run = runs[f"float32 on 2 devices ({kind})"] = train(gan)
    print(
        f"{kind}: {distributed.replicas} replicas, {run['speed']:.0f} images/s"
    )
    # Compared as in tests/test_cli_distribute.py, on images for fixed
    # noise: Adam moves a weight whose gradient is about 0 by a full step
    # of either sign, so raw weights differ by Adam's rate, not rounding.
    gap = np.abs(run["early"] - runs["float32"]["early"]).max()
    print(f"after {EARLY} steps, largest pixel gap to one device: {gap:.1e}")
    if BACKEND == "jax":
        keras.distribution.set_distribution(None)  # back to one device
else:
    print("Skipped on torch: PyTorch runs data parallelism across processes.")

"""
Both devices are cores of the same CPU here, so the distributed run is not
faster; on several GPUs each replica computes its share at the same time.
After `EARLY` steps the two runs differ by float32 rounding, because the
replicas sum their gradients in another order. The library's tests bound
the gap of two steps by 1e-10 on TensorFlow (in float64) and 1e-4 on JAX
for VAE, DCGAN, WGAN-GP and CycleGAN
(`tests/training/test_distribute.py`), where JAX's
`keras.distribution.ModelParallel` layouts are checked too.

## Several processes and machines

Across processes, every process runs the same script and feeds its share;
`training.distribute` joins the run:

- PyTorch: `"torch"`, a `torch.distributed` process group (`gloo` on CPU,
  `nccl` on GPU) from `torchrun`'s environment. The command line launches
  it for you: `keras-aegan train dcgan --dataset mnist_sample --epochs 5
  --batch-size 64 --out runs/ddp --distribute torch --nproc 2`.
- TensorFlow: `"multi_worker"`, `MultiWorkerMirroredStrategy` over the
  workers of `TF_CONFIG`: start `keras-aegan train ... --distribute
  multi_worker` once per worker, each with its own `TF_CONFIG`.
- JAX: `"data_parallel"` with `coordinator="host:port"`, `processes` and
  `process_id`: `keras-aegan train ... --distribute data_parallel
  --coordinator HOST:PORT --num-processes 2 --process-id I`.

`distributed.shard(dataset)` keeps the process's rows of each global batch,
and only the chief (`distributed.chief`) writes files. On one machine with
two processes each of these trains the model a single process trains, to
1e-5 (`tests/test_cli_distribute.py`, `tests/training/test_multiprocess.py`).
`--mixed-precision bfloat16` (or `float16`) adds the dtype policy to any
`keras-aegan train` run.

## The losses, run by run

Last, the discriminator's loss of every run, step by step, and for how
many steps each run stays within 0.01 of the float32 run. GAN training is
chaotic: a difference of rounding (bfloat16's 2^-8, float16's 2^-11) or
of summation order grows step after step until the runs part ways, after
which they wander alike but no longer together. Look for the parting in
a full-size run (120 steps); on the rendered (smoke) page 3 steps are too
few for it: every run stays within 0.01 for all 3, and the four curves
lie on top of one another.
"""


def steps_together(logs, tolerance=0.01):
    gap = np.abs(np.subtract(logs["d_loss"], runs["float32"]["logs"]["d_loss"]))
    return int(np.argmax(gap > tolerance)) if (gap > tolerance).any() else STEPS


plt.figure(figsize=(8, 4.5))
for label, run in runs.items():
    together = steps_together(run["logs"])
    print(f"{label}: within 0.01 of float32 for {together} of {STEPS} steps")
    plt.plot(run["logs"]["d_loss"], label=label, alpha=0.8)
plt.xlabel("training step")
plt.ylabel("discriminator loss")
plt.title(f"DCGAN on MNIST digits, batch {BATCH}, {BACKEND} backend")
plt.legend()
plt.show()
