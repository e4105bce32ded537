"""Run by test_distribute.py in a fresh process, since the logical devices
must be configured before the backend starts.

    python tests/training/distributed_equivalence.py ENGINE OUT.json

ENGINE is `mirrored` (TensorFlow, `tf.distribute.MirroredStrategy` over 2
logical CPU devices) or `jax` (`keras.distribution.DataParallel` over 2 host
devices, then `ModelParallel` on a (1, 2) mesh that shards the CycleGAN
generators' residual kernels by output channel).

Each card model is built with its default networks and options (narrower
image sizes only), once on one device and once distributed, from the same
weights, and trained for two steps on the same global batches. The script
writes, per model, the largest weight difference between the two runs, the
smallest weight change of the single-device run (so that the bound can be
seen to discriminate), and the largest difference of the logs.

For the TensorFlow run, each mechanism that makes the replicas agree is
also broken on purpose once (the per-replica loss scaling, synchronized
batch norm, per-replica noise, the global image pool), and the broken run's
difference is reported, to show that the bound discriminates.

Float64 (with `JAX_ENABLE_X64` on JAX): replicas sum their gradients in
another order than one device does, and float32 rounding reached 1e-4
after a few SGD steps; in float64 it stays near 1e-14. SGD with momentum
is used instead of the default Adam, which normalizes gradients and would
hide a wrongly scaled one.
"""

import contextlib
import json
import os
import sys

ENGINE = sys.argv[1]
if ENGINE == "mirrored":
    os.environ["KERAS_BACKEND"] = "tensorflow"
else:
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    os.environ["JAX_ENABLE_X64"] = "1"

import tensorflow as tf  # noqa: E402

if ENGINE == "mirrored":
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.config.set_floatx("float64")

from keras import ops  # noqa: E402

from keras_aegan import augment  # noqa: E402
from keras_aegan import datasets  # noqa: E402
from keras_aegan import models  # noqa: E402
from keras_aegan import networks  # noqa: E402
from keras_aegan import training  # noqa: E402

GLOBAL_BATCH = 8
# WGAN-GP's 5 critic updates each take their own interleaved rows of a
# step's batch: with 5 rows per replica (a multiple of n_critic), the
# replicas' rows of each critic update make up the single device's.
GLOBAL_BATCHES = {"wgan_gp": 10}
STEPS = 2


def sgd(learning_rate=0.05):
    return keras.optimizers.SGD(learning_rate, momentum=0.5)


def build(name):
    """The model and its training data (unbatched arrays)."""
    # Real MNIST digits from the shipped sample, centre-cropped to 16x16.
    images, _ = datasets.load_arrays("mnist_sample", split="train")
    signed = images[:20, 6:22, 6:22].astype("float64") / 127.5 - 1.0
    unit = (signed + 1.0) / 2.0
    if name == "vae":
        model = models.VAE(image_shape=(16, 16, 1), seed=1)
        return model, {"optimizer": sgd()}, unit
    if name == "dcgan":
        # With DiffAugment, so that the replicas' augmentation noise is
        # checked along with their latent noise.
        model = models.DCGAN(
            image_shape=(16, 16, 1),
            augment=augment.DiffAugment(seed=2),
            seed=1,
        )
    elif name == "wgan_gp":
        model = models.WGANGP(image_shape=(16, 16, 1), seed=1)
    elif name == "cyclegan":
        model = models.CycleGAN(
            image_shape=(16, 16, 1),
            generator_filters=8,
            num_residual_blocks=2,
            discriminator_filters=8,
            seed=1,
        )
        # At 0.05 one step saturates a generator's tanh into a constant
        # image, whose instance norm turns rounding signs into ReLU
        # decisions: one-ulp changes of the start then moved weights by
        # 2e-11, and another CPU's summation order by 5e-10. At 0.01 the
        # two steps are well conditioned (a one-ulp change moves 1e-14).
        names = model.default_optimizers()
        optimizers = {n: sgd(0.01) for n in names}
        return model, optimizers, (signed, signed[::-1])
    else:
        raise ValueError(f"Unknown model {name!r}.")
    # The critic's unbounded scores diverge in float32 at 0.05.
    rate = 0.005 if name == "wgan_gp" else 0.05
    optimizers = {n: sgd(rate) for n in model.default_optimizers()}
    return model, optimizers, signed


def prefill_pools(model):
    # A full pool of 50 random images, so that the two steps exercise the
    # pool's random swaps, not only its filling.
    rng = np.random.default_rng(5)
    for pool in (model.pool_a, model.pool_b):
        pool.images.assign(rng.uniform(-1, 1, pool.images.shape))
        pool.count.assign(pool.capacity)


def dataset(data, name):
    return tf.data.Dataset.from_tensor_slices(data).batch(
        GLOBAL_BATCHES.get(name, GLOBAL_BATCH), drop_remainder=True
    )


def train(name, initial=None, scope=None):
    with scope or contextlib.nullcontext():
        model, optimizers, data = build(name)
        if isinstance(model, models.CycleGAN):
            prefill_pools(model)
        if initial is not None:
            model.set_weights(initial)
        start = model.get_weights()
        model.compile(**optimizers)
    history = model.fit(
        dataset(data, name), epochs=1, steps_per_epoch=STEPS, verbose=0
    )
    logs = {k: float(v[-1]) for k, v in history.history.items()}
    return model, start, logs


def max_diff(a, b):
    return max(
        float(np.abs(np.asarray(x) - np.asarray(y)).max())
        for x, y in zip(a, b, strict=True)
    )


# Single-device runs by model name: the same run is the reference of both
# JAX layouts of CycleGAN, so it is trained once.
SINGLE_DEVICE = {}


def compare(name, scope_fn, broken=()):
    if name not in SINGLE_DEVICE:
        keras.utils.set_random_seed(0)
        SINGLE_DEVICE[name] = train(name)
    single, start, single_logs = SINGLE_DEVICE[name]
    changes = [
        float(np.abs(np.asarray(a) - np.asarray(b)).max())
        for a, b in zip(start, single.get_weights(), strict=True)
        if np.asarray(a).dtype.kind == "f"
    ]
    scope, check = scope_fn()
    distributed, _, logs = train(name, initial=start, scope=scope)
    result = {
        "max_weight_diff": max_diff(
            single.get_weights(), distributed.get_weights()
        ),
        "moved_fraction": float(np.mean([c > 1e-6 for c in changes])),
        "median_weight_change": float(np.median(changes)),
        "max_log_diff": max(abs(single_logs[k] - logs[k]) for k in single_logs),
        "logs": single_logs,
        "optimizer_steps": {
            n: int(np.asarray(distributed.optimizer[n].iterations))
            for n in distributed.optimizer.names
        },
        "broken_weight_diff": {},
    }
    result.update(check(distributed))
    for label in broken:
        # The same run with one mechanism deliberately broken: it must
        # land far outside the bound.
        with BROKEN[label]():
            wrong, _, _ = train(name, initial=start, scope=scope_fn()[0])
        result["broken_weight_diff"][label] = max_diff(
            single.get_weights(), wrong.get_weights()
        )
    return result


@contextlib.contextmanager
def patched(owner, attribute, value):
    original = getattr(owner, attribute)
    setattr(owner, attribute, value)
    try:
        yield
    finally:
        setattr(owner, attribute, original)


def _unscaled_replica_loss():
    # Each replica's loss not divided by the number of replicas: the
    # summed gradient is twice the global-batch gradient.
    from keras_aegan.training import tensorflow_core

    return patched(tensorflow_core, "_replica_scale", lambda loss: loss)


def _local_batch_norm():
    # Batch statistics of each replica's own examples.
    return patched(
        networks.SyncBatchNormalization,
        "_moments",
        keras.layers.BatchNormalization._moments,
    )


def _shared_noise():
    # Every replica draws the same noise instead of its rows of the
    # global draw.
    return patched(
        training,
        "replica_random",
        lambda sampler, shape, seed: sampler(shape, seed=seed),
    )


def _local_pools():
    # Each replica keeps its own pool of its own images.
    return patched(
        models.ImagePool,
        "call",
        lambda self, images: self._update(
            ops.convert_to_tensor(images, self.images.dtype)
        ),
    )


BROKEN = {
    "unscaled_replica_loss": _unscaled_replica_loss,
    "local_batch_norm": _local_batch_norm,
    "shared_noise": _shared_noise,
    "local_pools": _local_pools,
}


_STRATEGY = []


def mirrored_scope():
    # One strategy for the whole process: two MirroredStrategy objects over
    # the same devices issue colliding collective instance keys.
    if not _STRATEGY:
        _STRATEGY.append(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
    strategy = _STRATEGY[0]

    def check(model):
        return {"replicas": strategy.num_replicas_in_sync}

    return strategy.scope(), check


def jax_scope(layout=None):
    devices = keras.distribution.list_devices("cpu")
    if layout is None:
        distribution = keras.distribution.DataParallel(devices=devices)
    else:
        mesh = keras.distribution.DeviceMesh(
            (1, 2), axis_names=("batch", "model"), devices=devices
        )
        distribution = keras.distribution.ModelParallel(
            layout_map=layout(mesh), batch_dim_name="batch"
        )

    @contextlib.contextmanager
    def scope():
        keras.distribution.set_distribution(distribution)
        try:
            yield
        finally:
            pass

    def check(model):
        # Every optimizer slot keeps the sharding of the variable it
        # belongs to (one device each, or the model axis's two).
        shardings = {}
        for name in model.optimizer.names:
            for v in model.optimizer[name].variables:
                spec = v.value.sharding
                shardings[str(spec.spec if hasattr(spec, "spec") else spec)] = (
                    len(spec.device_set)
                )
        keras.distribution.set_distribution(None)
        return {
            "devices": len(devices),
            "optimizer_shardings": shardings,
            "sharded_kernels": sum(
                len(v.value.sharding.device_set) == 2
                and not v.value.sharding.is_fully_replicated
                for v in model.trainable_variables
            ),
        }

    return scope(), check


def cyclegan_layout(mesh):
    layout = keras.distribution.LayoutMap(mesh)
    # The 3x3 convolutions of both generators' residual blocks (only the
    # generators have them): their kernels (3, 3, in, out) are split over
    # the model axis by output channel.
    layout[r"res\d+_conv\d+/kernel"] = (None, None, None, "model")
    return layout


def main():
    out = sys.argv[2]
    results = {}
    if ENGINE == "mirrored":
        broken = {
            "dcgan": (
                "unscaled_replica_loss",
                "local_batch_norm",
                "shared_noise",
            ),
            "cyclegan": ("local_pools",),
        }
        for name in ("vae", "dcgan", "wgan_gp", "cyclegan"):
            results[name] = compare(name, mirrored_scope, broken.get(name, ()))
    else:
        for name in ("vae", "dcgan", "wgan_gp", "cyclegan"):
            results[name] = compare(name, jax_scope)
        results["cyclegan_model_parallel"] = compare(
            "cyclegan", lambda: jax_scope(cyclegan_layout)
        )
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
