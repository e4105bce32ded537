"""Training core for the TensorFlow backend: `tf.GradientTape`."""

import contextlib

import tensorflow as tf

from keras_aegan.training import updates as updates_lib

# Whether `networks.SubpixelConv2DTranspose` computes its transposed
# convolution as a sub-pixel convolution by default. TensorFlow's own
# kernel is as fast for one layer and faster in the keras.io-shaped DCGAN
# (bench/README.md).
SUBPIXEL_CONV_TRANSPOSE = False
RUNS_TENSORFLOW_LAYERS = True

# Inference records no gradients unless asked to (`tf.GradientTape`,
# `jax.grad`), so it needs no context.
no_grad = contextlib.nullcontext


def _replica_scale(loss):
    # Under a tf.distribute strategy every replica sees its share of the
    # global batch and the optimizer sums the replicas' gradients, so each
    # replica's mean loss is divided by the number of replicas: the sum is
    # then the gradient of the global-batch mean.
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas > 1:
        loss = loss / tf.cast(replicas, loss.dtype)
    return loss


def _after_apply(hook):
    # Mirrored variables are assigned in cross-replica context, where the
    # hook sees the synchronized values and writes every replica's copy.
    if tf.distribute.get_strategy().num_replicas_in_sync > 1:
        tf.distribute.get_replica_context().merge_call(lambda _: hook())
    else:
        hook()


def train_step(model, data):
    x, y = model.unpack_batch(data)
    logs = {}
    for update in model.train_updates():
        parts = update.parts()
        variables = update.all_variables()
        optimizers = [model.optimizer[name] for name, _ in parts]
        for x_i, y_i in updates_lib.repeat_batches(update, x, y):
            scale, factors = updates_lib.loss_scaling(optimizers)
            with tf.GradientTape() as tape:
                with updates_lib.loss_scale_scope(scale):
                    loss, update_logs = update.loss(x_i, y_i)
                scaled_loss = updates_lib.scale_loss(
                    _replica_scale(loss), scale
                )
            grads = tape.gradient(scaled_loss, variables)
            # A variable the loss does not reach gets a zero gradient, as
            # `jax.grad` gives, so optimizers behave alike on all backends.
            grads = [
                tf.zeros(v.shape, v.dtype) if g is None else g
                for g, v in zip(grads, variables, strict=True)
            ]
            split = updates_lib.split_by_part(parts, grads)
            for (name, part, part_grads), factor in zip(
                split, factors, strict=True
            ):
                part_grads = updates_lib.scale_gradients(part_grads, factor)
                model.optimizer[name].apply(part_grads, part)
            if update.after_apply is not None:
                _after_apply(update.after_apply)
        logs.update(update_logs)
    return _for_reduction(model.update_trackers(logs))


def _for_reduction(logs):
    # Keras reduces a multi-worker step's logs with
    # `strategy.reduce("MEAN", v, axis=0)`, which needs an axis: scalar
    # logs get one of size 1, reduced away with the workers.
    strategy = tf.distribute.get_strategy()
    if (
        isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        and strategy.num_replicas_in_sync > 1
    ):
        return {k: tf.reshape(v, (1,)) for k, v in logs.items()}
    return logs


def test_step(model, data):
    x, y = model.unpack_batch(data)
    return _for_reduction(model.update_trackers(model.evaluation_logs(x, y)))


def input_gradient(fn, x, scale=None):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = fn(x)
        target = updates_lib.scale_loss(outputs, scale)
    return outputs, updates_lib.unscale(tape.gradient(target, x), scale)


def all_gather(x):
    """Concatenates every replica's `x` along axis 0, in replica order."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return x
    return context.all_gather(x, axis=0)


def all_reduce_sum(x):
    """Sums `x` over the replicas of the running step."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return x
    return context.all_reduce(tf.distribute.ReduceOp.SUM, x)


def replica_context():
    """`(replica_id, num_replicas)` of the running `tf.distribute` step."""
    context = tf.distribute.get_replica_context()
    if context is None:
        return 0, 1
    return context.replica_id_in_sync_group, context.num_replicas_in_sync


def enable_determinism():
    """Deterministic TensorFlow kernels: the same seed, the same run."""
    tf.config.experimental.enable_op_determinism()


def distribute(kind, devices=None, timeout=None, **options):
    """Starts a `tf.distribute` strategy (`distribution.py`)."""
    import json
    import os

    from keras_aegan.training import distribution

    if kind == "mirrored":
        strategy = tf.distribute.MirroredStrategy(devices)
        return distribution.Distributed(
            kind, strategy.scope(), replicas=strategy.num_replicas_in_sync
        )
    if kind != "multi_worker":
        raise distribution.refuse(
            kind, "tensorflow", ("mirrored", "multi_worker")
        )
    config = os.environ.get("TF_CONFIG")
    if not config:
        raise ValueError(
            "Expected TF_CONFIG in the environment for --distribute "
            "multi_worker: the cluster's workers and this worker's index, "
            'e.g. {"cluster": {"worker": ["host0:port", "host1:port"]}, '
            '"task": {"type": "worker", "index": 0}}. Received none.'
        )
    workers = json.loads(config)["cluster"]["worker"]
    communication = tf.distribute.experimental.CommunicationOptions(
        timeout_seconds=timeout
    )
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=communication
    )
    return distribution.Distributed(
        kind,
        strategy.scope(),
        rank=int(strategy.cluster_resolver.task_id),
        processes=len(workers),
        replicas=strategy.num_replicas_in_sync,
    )
