"""Run by test_multiprocess.py, one process per call:

    python tests/training/multiprocess_equivalence.py BACKEND single OUT.npz
    python tests/training/multiprocess_equivalence.py BACKEND worker OUT.npz \
        RANK WORLD PORTS [BROKEN]

`single` trains each model in one process on the global batches. `worker`
is one of WORLD processes on 127.0.0.1 that train the same model from the
same seed, each on its share of every global batch (rows
`rank * b : (rank + 1) * b` of each, as `tf.distribute` splits a batch):
on `torch`, processes joined in a `gloo` process group (PORTS: one port);
on `tensorflow`, the workers of a `MultiWorkerMirroredStrategy` (PORTS:
one port per worker, comma-separated, in `TF_CONFIG`); on `jax`,
processes joined by `keras.distribution.initialize` under `DataParallel`
(PORTS: the coordinator's port), whose CPU collectives use gloo. Each
writes the trained weights.

BROKEN breaks, on purpose, one mechanism that makes the processes agree,
to show that the test's bound discriminates: `local_gradients` (each
process applies its own gradient; PyTorch), `unscaled_replica_loss` (the
replicas' gradients summed, not averaged; TensorFlow) or `shared_noise`
(every process draws the first process's latent and augmentation noise)
or `same_rows` (every process feeds the first process's rows; JAX, whose
step sees the global batch that the processes' rows make up).

Float32, and SGD with momentum rather than Adam (which normalizes
gradients and would hide a wrongly averaged one), as in
`distributed_equivalence.py`.
"""

import datetime
import json
import os
import sys

BACKEND, MODE = sys.argv[1], sys.argv[2]
os.environ["KERAS_BACKEND"] = BACKEND
if BACKEND == "tensorflow" and MODE == "worker":
    rank, ports = int(sys.argv[4]), sys.argv[6].split(",")
    os.environ["TF_CONFIG"] = json.dumps(
        {
            "cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
            "task": {"type": "worker", "index": rank},
        }
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_aegan import augment  # noqa: E402
from keras_aegan import datasets  # noqa: E402
from keras_aegan import models  # noqa: E402

GLOBAL_BATCH = 8
# WGAN-GP's critic updates each take interleaved rows of a step's batch:
# with 5 rows per process (n_critic = 5), the processes' rows of each
# critic update make up the single process's.
GLOBAL_BATCHES = {"wgan_gp": 10}
SAME_ROWS = False  # set by break_on_purpose("same_rows")
STEPS = 2
# Per backend: WGAN-GP's double backpropagation on every backend, and
# CycleGAN's four optimizers and gathered image pools on PyTorch (whose
# core does its own synchronization).
MODELS = {
    "torch": ("vae", "dcgan", "wgan_gp", "cyclegan"),
    "tensorflow": ("vae", "dcgan", "wgan_gp"),
    "jax": ("vae", "dcgan", "wgan_gp"),
}[BACKEND]


def build(name):
    """The model, compiled, and its training images (unbatched)."""
    images, _ = datasets.load_arrays("mnist_sample", split="train")
    count = GLOBAL_BATCHES.get(name, GLOBAL_BATCH) * STEPS
    signed = images[:count, 6:22, 6:22].astype("float32") / 127.5 - 1.0
    rate = 0.05
    if name == "vae":
        model = models.VAE(image_shape=(16, 16, 1), seed=1)
        data = (signed + 1.0) / 2.0
    elif name == "dcgan":
        # With DiffAugment: the processes' augmentation noise is checked
        # along with their latent noise and synchronized batch norm.
        model = models.DCGAN(
            image_shape=(16, 16, 1),
            augment=augment.DiffAugment(seed=2),
            seed=1,
        )
        data = signed
    elif name == "wgan_gp":
        model = models.WGANGP(image_shape=(16, 16, 1), seed=1)
        data = signed
        # The critic's unbounded scores diverge in float32 at 0.05.
        rate = 0.005
    else:
        model = models.CycleGAN(
            image_shape=(16, 16, 1),
            generator_filters=8,
            num_residual_blocks=1,
            discriminator_filters=8,
            seed=1,
        )
        # A full pool of random images, so that the steps exercise the
        # pool's random swaps, not only its filling.
        rng = np.random.default_rng(5)
        for pool in (model.pool_a, model.pool_b):
            pool.images.assign(rng.uniform(-1, 1, pool.images.shape))
            pool.count.assign(pool.capacity)
        data = (signed, signed[::-1].copy())
    model.compile(
        **{
            n: keras.optimizers.SGD(rate, momentum=0.5)
            for n in model.default_optimizers()
        }
    )
    return model, data


def break_on_purpose(broken):
    from keras_aegan import training

    if broken == "local_gradients":
        from keras_aegan.training import torch_core

        torch_core._average_over_processes = lambda grads: grads
    elif broken == "same_rows":
        # Every process feeds the first process's rows: the global batch
        # is not the one a single process trains on.
        global SAME_ROWS
        SAME_ROWS = True
    elif broken == "unscaled_replica_loss":
        # Each replica's loss not divided by the number of replicas: the
        # summed gradient is twice the global batch's.
        from keras_aegan.training import tensorflow_core

        tensorflow_core._replica_scale = lambda loss: loss
    elif broken == "shared_noise":

        def first_process_noise(sampler, shape, seed):
            world = training.replica_context()[1]
            noise = sampler((shape[0] * world, *shape[1:]), seed=seed)
            return keras.ops.slice(noise, [0] * len(shape), shape)

        training.replica_random = first_process_noise
    else:
        raise ValueError(f"Unknown mechanism to break: {broken!r}.")


def shares(data, batch, rank, world):
    """This process's rows of every global batch, in order."""
    if isinstance(data, tuple):
        return tuple(shares(d, batch, rank, world)[0] for d in data), (
            batch // world
        )
    share = batch // world
    rows = [data[s * batch + rank * share :][:share] for s in range(STEPS)]
    return np.concatenate(rows), share


def train(name, mode, rank, world, strategy):
    keras.utils.set_random_seed(0)
    batch = GLOBAL_BATCHES.get(name, GLOBAL_BATCH)
    if strategy is None:
        model, data = build(name)
        if mode == "worker":
            data, batch = shares(data, batch, 0 if SAME_ROWS else rank, world)
        x, y = data if isinstance(data, tuple) else (data, None)
        model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
        return model
    import tensorflow as tf

    with strategy.scope():
        model, data = build(name)
    mine, share = shares(data, batch, 0 if SAME_ROWS else rank, world)
    # Each worker feeds its own rows: its share of each global batch.
    inputs = strategy.distribute_datasets_from_function(
        lambda context: tf.data.Dataset.from_tensor_slices(mine).batch(share)
    )
    model.fit(inputs, epochs=1, steps_per_epoch=STEPS, verbose=0)
    return model


def main(mode, out, rank=0, world=1, ports="", broken=None):
    strategy = None
    if mode == "worker" and BACKEND == "torch":
        import torch

        torch.distributed.init_process_group(
            "gloo",
            init_method=f"tcp://127.0.0.1:{ports}",
            rank=rank,
            world_size=world,
            timeout=datetime.timedelta(seconds=120),
        )
    elif mode == "worker" and BACKEND == "jax":
        import jax

        # Collectives between CPU processes.
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        keras.distribution.initialize(
            job_addresses=f"127.0.0.1:{ports}",
            num_processes=world,
            process_id=rank,
        )
        distribution = keras.distribution.DataParallel(
            devices=keras.distribution.list_devices()
        )
        # Each process feeds its own share of every global batch.
        distribution.auto_shard_dataset = False
        keras.distribution.set_distribution(distribution)
    elif mode == "worker":
        import tensorflow as tf

        strategy = tf.distribute.MultiWorkerMirroredStrategy()
    if broken:
        break_on_purpose(broken)
    weights = {}
    # A broken run is compared on DCGAN only (each model is seeded on its
    # own, so it trains as in the full run); the others would only cost.
    for name in ("dcgan",) if broken else MODELS:
        model = train(name, mode, rank, world, strategy)
        for i, w in enumerate(model.get_weights()):
            weights[f"{name}/{i}"] = w
        if hasattr(model, "generate"):
            # Sampling after training is each process's own: the same
            # seed gives every process the single process's samples.
            weights[f"{name}/generated"] = keras.ops.convert_to_numpy(
                model.generate(4, seed=0)
            )
        steps = {
            n: int(keras.ops.convert_to_numpy(model.optimizer[n].iterations))
            for n in model.optimizer.names
        }
        # n_critic discriminator updates per step for WGAN-GP.
        expected = {
            n: STEPS
            * (
                getattr(model, "discriminator_steps", 1)
                if "discriminator" in n
                else 1
            )
            for n in steps
        }
        assert steps == expected, steps
    np.savez(out, **weights)
    if mode == "worker" and BACKEND == "torch":
        import torch

        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    out, *rest = sys.argv[3:]
    if rest:
        rank, world, ports, *broken = rest
        main(MODE, out, int(rank), int(world), ports, *broken)
    else:
        main(MODE, out)
