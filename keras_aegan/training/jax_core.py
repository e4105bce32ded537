"""Training core for the JAX backend: stateless `jax.value_and_grad`.

Keras's JAX trainer calls `train_step(state, data)` with the values of all
trainable, non-trainable, optimizer and metric variables, and expects them
back updated. Here every update of the step runs its `keras.ops` loss inside
a `StatelessScope` that maps each model variable to its current value; the
values that the loss writes (batch-norm statistics, seed-generator states)
are read back from the scope, the gradient comes from `jax.value_and_grad`
with respect to the update's own variables, and the update's optimizer is
applied with `stateless_apply`. Nothing is assigned in place, so the whole
step jits.
"""

import contextlib
import functools

import jax
import jax.numpy as jnp
from keras import StatelessScope

from keras_aegan.training import updates as updates_lib

# Whether `networks.SubpixelConv2DTranspose` computes its transposed
# convolution as a sub-pixel convolution by default. XLA's CPU gradient of a
# transposed convolution is several times slower than the same maths as a
# sub-pixel convolution (bench/upsampling.py).
SUBPIXEL_CONV_TRANSPOSE = True
# keras-cv's layers run TensorFlow ops, which a jitted JAX step cannot
# trace (they fail there with an opaque error).
RUNS_TENSORFLOW_LAYERS = False

# Inference records no gradients unless asked to (`tf.GradientTape`,
# `jax.grad`), so it needs no context.
no_grad = contextlib.nullcontext


def _state_variables(model, optimizer=True):
    groups = [model.trainable_variables, model.non_trainable_variables]
    if optimizer:
        groups.append(model.optimizer.variables)
    groups.append(model.metrics_variables)
    return groups


def _scope(variables, values):
    return StatelessScope(state_mapping=[(v, values[id(v)]) for v in variables])


def _loss_and_updates(
    target_values, targets, values, variables, loss, scale, x, y
):
    current = dict(values)
    current.update(zip(map(id, targets), target_values, strict=True))
    with _scope(variables, current) as scope:
        with updates_lib.loss_scale_scope(scale):
            loss_value, logs = loss(x, y)
        loss_value = updates_lib.scale_loss(loss_value, scale)
    target_ids = set(map(id, targets))
    written = {
        id(v): scope.get_current_value(v)
        for v in variables
        if id(v) not in target_ids
    }
    return loss_value, (logs, written)


def _unpack_state(model, state, optimizer):
    groups = _state_variables(model, optimizer=optimizer)
    variables = [v for group in groups for v in group]
    values = {}
    for group, group_values in zip(groups, state, strict=True):
        values.update(zip(map(id, group), group_values, strict=True))
    return groups, variables, values


def _update_trackers(model, variables, values, logs):
    with _scope(variables, values) as scope:
        results = model.update_trackers(logs)
    for v in model.metrics_variables:
        values[id(v)] = scope.get_current_value(v)
    return results


def train_step(model, state, data):
    groups, variables, values = _unpack_state(model, state, optimizer=True)
    x, y = model.unpack_batch(data)
    logs = {}
    for update in model.train_updates():
        parts = update.parts()
        targets = update.all_variables()
        optimizers = [model.optimizer[name] for name, _ in parts]
        for x_i, y_i in updates_lib.repeat_batches(update, x, y):
            # The optimizers' loss scales, read from the step's state.
            scale, factors = updates_lib.loss_scaling(
                optimizers, read=lambda v: values[id(v)]
            )
            target_values = [values[id(v)] for v in targets]
            grad_fn = jax.value_and_grad(
                functools.partial(
                    _loss_and_updates,
                    targets=targets,
                    values=values,
                    variables=variables,
                    loss=update.loss,
                    scale=scale,
                    x=x_i,
                    y=y_i,
                ),
                has_aux=True,
            )
            (_, (update_logs, written)), grads = grad_fn(target_values)
            values.update(written)
            split = updates_lib.split_by_part(parts, grads)
            for (name, part, part_grads), factor in zip(
                split, factors, strict=True
            ):
                optimizer = model.optimizer[name]
                new_part, new_slots = optimizer.stateless_apply(
                    [values[id(v)] for v in optimizer.variables],
                    updates_lib.scale_gradients(part_grads, factor),
                    [values[id(v)] for v in part],
                )
                values.update(zip(map(id, part), new_part, strict=True))
                values.update(
                    zip(map(id, optimizer.variables), new_slots, strict=True)
                )
            if update.after_apply is not None:
                with _scope(variables, values) as scope:
                    update.after_apply()
                values.update(
                    {id(v): scope.get_current_value(v) for v in variables}
                )
        logs.update(update_logs)
    results = _update_trackers(model, variables, values, logs)
    new_state = tuple([values[id(v)] for v in group] for group in groups)
    return results, new_state


def test_step(model, state, data):
    groups, variables, values = _unpack_state(model, state, optimizer=False)
    x, y = model.unpack_batch(data)
    with _scope(variables, values) as scope:
        logs = model.evaluation_logs(x, y)
    values.update({id(v): scope.get_current_value(v) for v in variables})
    results = _update_trackers(model, variables, values, logs)
    new_state = tuple([values[id(v)] for v in group] for group in groups)
    return results, new_state


def input_gradient(fn, x, scale=None):
    x = jnp.asarray(x)
    outputs, vjp = jax.vjp(fn, x)
    cotangent = jnp.ones_like(outputs)
    if scale is not None:
        cotangent = updates_lib.scale_loss(cotangent, scale)
        cotangent = cotangent.astype(outputs.dtype)
    (grad,) = vjp(cotangent)
    return outputs, updates_lib.unscale(grad, scale)


def all_gather(x):
    # Under `keras.distribution` the step is one program over the global
    # batch: there is nothing to gather.
    return x


def all_reduce_sum(x):
    return x


def replica_context():
    # Under `keras.distribution` the step sees the global batch.
    return 0, 1


def enable_determinism():
    # XLA runs a compiled program the same way each time on CPU; JAX has
    # no switch to turn on.
    return None


def distribute(kind, coordinator=None, processes=1, process_id=0, **options):
    """Starts `keras.distribution.DataParallel`, over the processes of a
    `keras.distribution.initialize` cluster when `processes > 1`
    (`distribution.py`)."""
    import keras

    from keras_aegan.training import distribution

    if kind != "data_parallel":
        raise distribution.refuse(kind, "jax", ("data_parallel",))
    if processes > 1:
        if not coordinator:
            raise ValueError(
                "Expected --coordinator HOST:PORT (process 0's address) "
                f"for {processes} processes. Received none."
            )
        # Collectives between CPU processes (GPUs and TPUs bring theirs).
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        keras.distribution.initialize(
            job_addresses=coordinator,
            num_processes=processes,
            process_id=process_id,
        )
    devices = keras.distribution.list_devices()
    data_parallel = keras.distribution.DataParallel(devices=devices)
    # Each process feeds its own rows of every global batch.
    data_parallel.auto_shard_dataset = False
    keras.distribution.set_distribution(data_parallel)
    return distribution.Distributed(
        kind,
        contextlib.nullcontext(),
        rank=process_id,
        processes=processes,
        replicas=len(devices),
        feeds_own_rows=True,
    )
