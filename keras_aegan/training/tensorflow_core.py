"""Training core for the TensorFlow backend: `tf.GradientTape`."""

import tensorflow as tf

from keras_aegan.training.updates import split_by_part


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
        for _ in range(update.repeats):
            with tf.GradientTape() as tape:
                loss, update_logs = update.loss(x, y)
                scaled_loss = _replica_scale(loss)
            grads = tape.gradient(scaled_loss, variables)
            # A variable the loss does not reach gets a zero gradient, as
            # `jax.grad` gives, so optimizers behave alike on all backends.
            grads = [
                tf.zeros(v.shape, v.dtype) if g is None else g
                for g, v in zip(grads, variables, strict=True)
            ]
            for name, part, part_grads in split_by_part(parts, grads):
                model.optimizer[name].apply(part_grads, part)
            if update.after_apply is not None:
                _after_apply(update.after_apply)
        logs.update(update_logs)
    return model.update_trackers(logs)


def test_step(model, data):
    x, y = model.unpack_batch(data)
    return model.update_trackers(model.evaluation_logs(x, y))


def input_gradient(fn, x):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = fn(x)
    return outputs, tape.gradient(outputs, x)


def replica_context():
    """`(replica_id, num_replicas)` of the running `tf.distribute` step."""
    context = tf.distribute.get_replica_context()
    if context is None:
        return 0, 1
    return context.replica_id_in_sync_group, context.num_replicas_in_sync
