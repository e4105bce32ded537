"""The training core: gradients and optimizer updates, once per backend.

Models describe a training step as a list of `Update`s written in
`keras.ops`. The backend-specific module chosen below (and only that
module) knows how to differentiate them and apply the optimizers:

- TensorFlow: `tf.GradientTape`, with per-replica loss scaling under
  `tf.distribute` strategies.
- JAX: stateless `jax.value_and_grad` inside Keras's JAX trainer; the state
  of every optimizer, network and metric is threaded through the step.
- PyTorch: `torch.autograd.grad` on the update's own variables.

Each module provides `train_step`, `test_step`, `input_gradient`,
`replica_context`, `all_gather`, `all_reduce_sum`, `no_grad` and
`enable_determinism`; loss scaling for mixed precision is shared
(`updates.loss_scaling`).
"""

import keras
import numpy as np

from keras_aegan.training import updates as _updates
from keras_aegan.training.distribution import KINDS as DISTRIBUTIONS
from keras_aegan.training.distribution import Distributed
from keras_aegan.training.updates import OptimizerGroup
from keras_aegan.training.updates import Update

_BACKEND = keras.backend.backend()

if _BACKEND == "tensorflow":
    from keras_aegan.training import tensorflow_core as core
elif _BACKEND == "jax":
    from keras_aegan.training import jax_core as core
elif _BACKEND == "torch":
    from keras_aegan.training import torch_core as core
else:
    raise ImportError(
        "keras_aegan trains on the 'tensorflow', 'jax' and 'torch' Keras "
        f"backends. Received KERAS_BACKEND={_BACKEND!r}."
    )

train_step = core.train_step
test_step = core.test_step
replica_context = core.replica_context
all_gather = core.all_gather


def prefers_subpixel_conv_transpose():
    """Whether this backend runs `Conv2DTranspose` faster as sub-pixel.

    `networks.SubpixelConv2DTranspose(subpixel=None)` asks this: on JAX
    the sub-pixel formulation is several times faster on CPU; TensorFlow
    (as fast or faster with its own kernel) and PyTorch (two measurements
    that disagreed) keep their own transposed convolution
    (`bench/README.md`).
    """
    return core.SUBPIXEL_CONV_TRANSPOSE


def check_augment_layer(layer, owner):
    """Refuses, with a clear error, an augmentation layer that this
    backend's training step cannot run.

    keras-cv 0.9's layers compute with TensorFlow ops. Measured with
    `RandomFlip`, `RandomTranslation`, `RandomCutout` and
    `RandomCropAndResize` as `Pix2Pix(augment=...)`: they train on
    TensorFlow and PyTorch, and fail inside a JAX step, which cannot trace
    TensorFlow ops (tests/models/pix2pix/test_keras_cv.py).

    Args:
        layer: the `augment` argument of a model.
        owner: str. The model's class name, for the message.
    """
    if core.RUNS_TENSORFLOW_LAYERS or not isinstance(layer, keras.layers.Layer):
        return
    # The layer itself and those it holds (a Sequential of keras-cv layers).
    for held in layer._flatten_layers(include_self=True, recursive=True):
        module = type(held).__module__ or ""
        if module.split(".")[0] != "keras_cv":
            continue
        raise ValueError(
            f"{owner} expected an augment layer that runs on the "
            f"{_BACKEND!r} backend. Received the keras-cv layer "
            f"{type(held).__name__}, which computes with TensorFlow ops "
            "that a JAX training step cannot trace. Use Keras core layers "
            "(for example keras_aegan.networks.random_jitter()) or train on "
            "TensorFlow or PyTorch."
        )


def set_seed(seed, deterministic=False):
    """Seeds a whole run: weight initialization, noise and data order.

    `keras.utils.set_random_seed` seeds Python, NumPy, TensorFlow (and so
    `tf.data` shuffling) and Keras's global seed generator, which the
    networks' unseeded initializers draw from; each model's own noise
    stream is seeded by its `seed` argument.

    Args:
        seed: int. The run's seed.
        deterministic: bool. Also use deterministic kernels:
            `tf.config.experimental.enable_op_determinism()` on
            TensorFlow, `torch.use_deterministic_algorithms(True)` on
            PyTorch (XLA's CPU programs are deterministic already). For
            the rest of the process. Defaults to `False`.
    """
    keras.utils.set_random_seed(seed)
    if deterministic:
        core.enable_determinism()


def numpy_outputs(fn, inputs, batch_size=128):
    """Runs `fn` on `inputs` in batches, without gradients; NumPy out.

    What `keras.Model.predict()` does for a model's `call`, for the
    models' own inference methods (`generate`, `encode`, `decode`,
    `reconstruct`, `translate_*`): the batches bound the memory, no
    autograd graph is recorded (PyTorch would otherwise return tensors
    that require grad), and the results come back as NumPy arrays on every
    backend.

    Args:
        fn: callable. Maps a batch (a tensor, or a list or tuple of
            tensors with the same first axis) to a tensor or a tuple of
            tensors.
        inputs: array, tensor, or a list or tuple of them.
        batch_size: int. Examples per call of `fn`. Defaults to 128.

    Returns:
        A NumPy array, or a tuple of them, with `fn`'s structure.
    """
    if isinstance(batch_size, bool) or not isinstance(
        batch_size, (int, np.integer)
    ):
        raise TypeError(
            f"Expected an int batch_size. Received batch_size={batch_size!r}."
        )
    if batch_size < 1:
        raise ValueError(
            f"Expected batch_size >= 1. Received batch_size={batch_size}."
        )
    total = int(keras.tree.flatten(inputs)[0].shape[0])
    chunks = []
    with core.no_grad():
        for start in range(0, total, batch_size) or [0]:
            batch = keras.tree.map_structure(
                lambda x, start=start: x[start : start + batch_size], inputs
            )
            chunks.append(
                keras.tree.map_structure(keras.ops.convert_to_numpy, fn(batch))
            )
    if len(chunks) == 1:
        return chunks[0]
    return keras.tree.map_structure(
        lambda *parts: np.concatenate(parts, axis=0), *chunks
    )


def replica_random(sampler, shape, seed):
    """Draws noise for the global batch and returns this replica's rows.

    Under a `tf.distribute` strategy each replica runs the step on its
    share of the global batch, and a seed generator's state is mirrored:
    drawn naively, every replica would get the same noise. Drawing the
    global batch's noise and slicing the replica's rows gives each replica
    its own noise, and exactly the noise a single device draws for the
    global batch, so distributed and single-device steps agree.

    Args:
        sampler: callable. `sampler(shape, seed=seed)`, e.g.
            `keras.random.normal`.
        shape: tuple. Shape of this replica's noise; axis 0 is the batch.
        seed: int or `keras.random.SeedGenerator`.
    """
    replica, replicas = replica_context()
    if replicas == 1:
        return sampler(shape, seed=seed)
    rows = shape[0]
    noise = sampler((rows * replicas, *shape[1:]), seed=seed)
    start = [replica * rows] + [0] * (len(shape) - 1)
    return keras.ops.slice(noise, start, shape)


def input_gradient(fn, x):
    """Returns `fn(x)` and the gradient of `sum(fn(x))` with respect to `x`.

    The gradient stays differentiable, so a loss built on it (the WGAN-GP
    gradient penalty of Gulrajani et al. 2017, eq. 3, or the contractive
    penalty of Rifai et al. 2011, eq. 2) can be differentiated again with
    respect to the network weights (double backpropagation).

    Inside an update whose loss is scaled (a `LossScaleOptimizer`, under
    `mixed_float16`), the inner gradient is scaled by the same loss scale
    and unscaled in float32, so that it does not underflow in float16
    either; `fn`'s outputs are cast to float32 when they are in reduced
    precision.

    `fn` must not update state (batch-norm moving statistics, for
    instance): call networks with `training=False` or use networks without
    batch normalization, as Gulrajani et al. recommend for the critic.

    Args:
        fn: callable. Maps a batch tensor to a tensor of per-example outputs.
        x: tensor. The input batch.

    Returns:
        A tuple `(outputs, gradient)`; `gradient` has the shape of `x`.
    """

    def float_fn(inputs):
        outputs = fn(inputs)
        dtype = keras.backend.standardize_dtype(outputs.dtype)
        if dtype in ("float16", "bfloat16"):
            outputs = keras.ops.cast(outputs, "float32")
        return outputs

    return core.input_gradient(float_fn, x, _updates.current_loss_scale())


def replica_moments(x, axes):
    """Mean and variance of `x` over `axes` and over every replica.

    Under a `tf.distribute` strategy each replica holds a share of the
    global batch; the moments of the global batch are taken with two
    all-reduces (the sum, then the sum of squared deviations from the
    global mean), which is exactly what one device computes on the global
    batch, up to rounding. Outside a multi-replica step they are the
    ordinary moments. Used by `networks.SyncBatchNormalization`.

    Args:
        x: tensor.
        axes: tuple of int. The axes to reduce (batch axis included).

    Returns:
        `(mean, variance)`, with the reduced axes removed.
    """
    ops = keras.ops
    replicas = replica_context()[1]
    if replicas == 1:
        return ops.moments(x, axes=axes)
    local_sum = ops.sum(x, axis=axes)
    local_count = ops.cast(ops.size(x), x.dtype) / ops.cast(
        ops.size(local_sum), x.dtype
    )
    total = core.all_reduce_sum(local_count)
    mean = core.all_reduce_sum(local_sum) / total
    centered = x - ops.expand_dims(mean, axes)
    variance = core.all_reduce_sum(ops.sum(ops.square(centered), axis=axes))
    return mean, variance / total


__all__ = [
    "DISTRIBUTIONS",
    "Distributed",
    "OptimizerGroup",
    "Update",
    "all_gather",
    "distribute",
    "input_gradient",
    "prefers_subpixel_conv_transpose",
    "replica_moments",
    "replica_context",
    "replica_random",
    "test_step",
    "train_step",
]


def distribute(kind, **options):
    """Starts a distributed engine for this process; returns its
    `Distributed` (scope, rank, rows fed).

    Call it first, before the model is built, in every process of the run
    (for example inside a script that `torchrun` starts), then build and
    compile the model under `distributed.scope` and fit it on
    `distributed.shard(dataset)`, a dataset of global batches:

    ```python
    distributed = keras_aegan.training.distribute("torch")
    with distributed.scope:
        model = keras_aegan.models.DCGAN(image_shape=(28, 28, 1), seed=0)
        model.compile()
    model.fit(distributed.shard(global_batches), epochs=5)
    if distributed.chief:
        model.save("dcgan.keras")
    ```

    Args:
        kind: str. `"mirrored"` or `"multi_worker"` (TensorFlow),
            `"data_parallel"` (JAX), `"torch"` (PyTorch); see
            `keras_aegan/training/distribution.py` for what each runs.
        **options: the engine's options: `devices` (mirrored), `timeout`
            in seconds for collectives (multi_worker, torch), and
            `coordinator` (`"host:port"`), `processes` and `process_id`
            (data_parallel across processes).
    """
    return core.distribute(kind, **options)
