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

import functools

import jax
import jax.numpy as jnp
from keras import StatelessScope

from keras_aegan.training.updates import split_by_part


def _state_variables(model, optimizer=True):
    groups = [model.trainable_variables, model.non_trainable_variables]
    if optimizer:
        groups.append(model.optimizer.variables)
    groups.append(model.metrics_variables)
    return groups


def _scope(variables, values):
    return StatelessScope(state_mapping=[(v, values[id(v)]) for v in variables])


def _loss_and_updates(target_values, targets, values, variables, loss, x, y):
    current = dict(values)
    current.update(zip(map(id, targets), target_values, strict=True))
    with _scope(variables, current) as scope:
        loss_value, logs = loss(x, y)
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
        for _ in range(update.repeats):
            target_values = [values[id(v)] for v in targets]
            grad_fn = jax.value_and_grad(
                functools.partial(
                    _loss_and_updates,
                    targets=targets,
                    values=values,
                    variables=variables,
                    loss=update.loss,
                    x=x,
                    y=y,
                ),
                has_aux=True,
            )
            (_, (update_logs, written)), grads = grad_fn(target_values)
            values.update(written)
            for name, part, part_grads in split_by_part(parts, grads):
                optimizer = model.optimizer[name]
                new_part, new_slots = optimizer.stateless_apply(
                    [values[id(v)] for v in optimizer.variables],
                    part_grads,
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


def input_gradient(fn, x):
    x = jnp.asarray(x)
    outputs, vjp = jax.vjp(fn, x)
    (grad,) = vjp(jnp.ones_like(outputs))
    return outputs, grad


def replica_context():
    # Under `keras.distribution` the step sees the global batch.
    return 0, 1
