"""Backend-independent pieces of the training core.

A model trained by the core describes one training step as an ordered list
of `Update`s. Each update names an optimizer, the variables it moves and a
loss written in `keras.ops`; the per-backend modules of this package turn
that description into gradients and optimizer applications.
"""

import contextlib
import dataclasses
from collections.abc import Callable
from collections.abc import Sequence

import keras
from keras import ops

# Keras saves the state of every `KerasSaveable` attribute of a model; the
# base class is not exported publicly.
from keras.src.saving.keras_saveable import KerasSaveable


@dataclasses.dataclass(frozen=True)
class Update:
    """One optimizer update inside a training step.

    One loss may also move several networks, each with its own optimizer
    (the two generators of CycleGAN share a loss): pass a tuple of
    optimizer names and a tuple of variable lists of the same length. The
    gradient of the one loss is taken once, and each optimizer applies its
    share of it. For per-parameter optimizers such as Adam this equals one
    optimizer over all the variables, while every network keeps its own
    optimizer state and hyperparameters.

    Args:
        optimizer: str or tuple of str. Name(s) of the optimizer(s), as
            passed to `compile()` (for example `"discriminator_optimizer"`).
        variables: list of `keras.Variable`, or a tuple of such lists, one
            per optimizer. The variables this update moves; every other
            variable is held constant.
        loss: callable. `loss(x, y) -> (scalar_loss, logs)`, written in
            `keras.ops`. `logs` is a dict of scalars that end up in the
            training logs.
        repeats: int. How many times the update runs per training step,
            for example `n_critic` for a WGAN critic. Every repetition
            draws fresh noise.
        batch_per_repeat: bool. Each repetition sees its own share of the
            step's batch (`repeat_batch`) rather than the whole batch: the
            fresh real minibatch of every critic iteration in algorithm 1
            of WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al.
            2017). Defaults to `False`.
        after_apply: callable or None. Called with no arguments after each
            application of the optimizer; it may assign variables with
            `keras.ops` (the weight clipping of WGAN, an exponential moving
            average of weights). On JAX it runs statelessly like a loss.
            Defaults to `None`.
    """

    optimizer: str
    variables: Sequence
    loss: Callable
    repeats: int = 1
    after_apply: Callable | None = None
    batch_per_repeat: bool = False

    def parts(self):
        """`[(optimizer_name, [variables])]`, one pair per optimizer."""
        if isinstance(self.optimizer, str):
            variables = list(self.variables)
            if variables and isinstance(variables[0], (list, tuple)):
                raise ValueError(
                    f"Expected one list of variables for the optimizer "
                    f"{self.optimizer!r}. Received {len(variables)} lists; "
                    "pass a tuple of optimizer names, one per list."
                )
            return [(self.optimizer, variables)]
        if len(self.optimizer) != len(self.variables):
            raise ValueError(
                f"Expected one variable list per optimizer. Received "
                f"{len(self.optimizer)} optimizers {self.optimizer} and "
                f"{len(self.variables)} variable lists."
            )
        parts = [
            (name, list(variables))
            for name, variables in zip(
                self.optimizer, self.variables, strict=True
            )
        ]
        seen = set()
        for name, variables in parts:
            ids = {id(v) for v in variables}
            if ids & seen:
                raise ValueError(
                    "Expected disjoint variable lists, one per optimizer. "
                    f"The variables of {name!r} overlap another optimizer's."
                )
            seen |= ids
        return parts

    def all_variables(self):
        """Every variable the update moves, in the order of `parts()`."""
        return [v for _, variables in self.parts() for v in variables]


def repeat_batch(x, y, index, repeats):
    """Repetition `index`'s share of a step's batch `(x, y)`.

    Rows `index`, `index + repeats`, `index + 2 * repeats`, ... of every
    tensor in `x` and `y`: interleaved, so that when the batch is split
    across replicas whose local batches hold a multiple of `repeats` rows,
    the replicas' shares make up the share of the global batch, in order.
    A batch of fewer than `repeats` rows (the last of an epoch) gives the
    later repetitions rows already seen rather than none.
    """
    count = ops.shape(keras.tree.flatten(x)[0])[0]

    def rows(tensor):
        return tensor[index % count :: repeats]

    return (
        keras.tree.map_structure(rows, x),
        None if y is None else keras.tree.map_structure(rows, y),
    )


def repeat_batches(update, x, y):
    """The `(x, y)` of each repetition of `update` in one step."""
    if not update.batch_per_repeat or update.repeats == 1:
        return [(x, y)] * update.repeats
    return [
        repeat_batch(x, y, i, update.repeats) for i in range(update.repeats)
    ]


def split_by_part(parts, values):
    """Cuts a flat list aligned with `all_variables()` into one list per
    part; yields `(optimizer_name, variables, values)`."""
    start = 0
    for name, variables in parts:
        stop = start + len(variables)
        yield name, variables, values[start:stop]
        start = stop


class OptimizerGroup(KerasSaveable):
    """The named optimizers of one model, seen by Keras as one optimizer.

    Keras trainers carry a single `model.optimizer`. A GAN needs one
    optimizer per network, so the group presents all of them under that
    attribute: its `variables` concatenate theirs (the JAX trainer threads
    every one of them through the jitted step, nothing is dropped), and
    saving a model saves each optimizer's state under its name.

    Keras callbacks see the group as a multi-optimizer: `optimizers` lists
    the members, so `LearningRateScheduler` and `ReduceLROnPlateau` act on
    every optimizer (each from its own current rate), `TensorBoard` logs
    each one's rate, and `SwapEMAWeights` swaps the weights of every
    member built with `use_ema=True`. Setting `learning_rate` on the group
    sets it on every member; to act on one, set
    `model.optimizer[name].learning_rate`.

    Args:
        optimizers: dict. Maps names to `keras.optimizers.Optimizer`s.
        variables: dict. Maps the same names to the lists of variables each
            optimizer updates.
    """

    def __init__(self, optimizers, variables):
        if set(optimizers) != set(variables):
            raise ValueError(
                "Expected the same optimizer names in `optimizers` and "
                f"`variables`. Received {sorted(optimizers)} and "
                f"{sorted(variables)}."
            )
        self.names = list(optimizers)
        self._targets = {name: list(variables[name]) for name in self.names}
        # Each optimizer is an attribute, so `model.save()` stores its state
        # under `optimizer/<name>` in the weights file.
        for name in self.names:
            setattr(self, name, optimizers[name])

    def _obj_type(self):
        # Keras walks the attributes of saveables of known types; to the
        # saving code the group is an optimizer holding optimizers.
        return "Optimizer"

    def __getitem__(self, name):
        if name not in self.names:
            raise KeyError(
                f"No optimizer named {name!r}. The group holds {self.names}."
            )
        return getattr(self, name)

    @property
    def built(self):
        return all(self[name].built for name in self.names)

    def build(self, variables=None):
        """Creates each optimizer's slots for its own variables.

        Keras calls this with all trainable variables of the model; every
        optimizer of the group builds on the variables it owns instead.
        """
        del variables
        for name in self.names:
            if not self[name].built:
                self[name].build(self._targets[name])

    @property
    def variables(self):
        return [v for name in self.names for v in self[name].variables]

    @property
    def iterations(self):
        # The last update of a step (the generator's, in a GAN) runs once
        # per step, so its counter is the model's step counter.
        return self[self.names[-1]].iterations

    @property
    def optimizers(self):
        """The member optimizers, in the order of `names`."""
        return [self[name] for name in self.names]

    @property
    def learning_rate(self):
        """The last optimizer's rate (the generator's, in a GAN).

        Assigning sets the rate of every member optimizer.
        """
        return self[self.names[-1]].learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        for name in self.names:
            self[name].learning_rate = value

    def finalize_variable_values(self, variables=None):
        del variables
        for name in self.names:
            self[name].finalize_variable_values(self._targets[name])


# -- Loss scaling (mixed precision) ------------------------------------------
#
# Under `mixed_float16` every optimizer of a model is a
# `keras.optimizers.LossScaleOptimizer` (Micikevicius et al., "Mixed
# Precision Training", ICLR 2018, section 3.2): the loss is multiplied by the
# optimizer's dynamic scale before differentiation so that small float16
# gradients do not underflow, and the optimizer divides the gradients by the
# same scale before it applies them, skipping the step (and halving the
# scale) when they are not finite.

_LOSS_SCALES = []


def _dynamic_scale(optimizer, read):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return ops.cast(read(optimizer.dynamic_scale), "float32")
    return None


def loss_scaling(optimizers, read=ops.convert_to_tensor):
    """The loss scale of one update and the gradient factor of each part.

    An update moved by several optimizers takes one gradient of one loss,
    so its loss is scaled once, by the smallest of their scales; each
    optimizer's share of the gradient is then multiplied by
    `own_scale / used_scale` (by `1 / used_scale` for an optimizer that does
    not scale), so that every optimizer unscales with its own scale and
    receives the true gradient.

    Args:
        optimizers: list of optimizers, one per part of the update.
        read: callable. Reads a variable's current value (the JAX core
            reads it from the step's state).

    Returns:
        `(scale, factors)`: `scale` is a float32 scalar, or None when no
        optimizer scales; `factors` holds, per part, a scalar to multiply
        its gradients with, or None.
    """
    scales = [_dynamic_scale(opt, read) for opt in optimizers]
    present = [s for s in scales if s is not None]
    if not present:
        return None, [None] * len(optimizers)
    scale = present[0]
    for other in present[1:]:
        scale = ops.minimum(scale, other)
    if len(optimizers) == 1:
        return scale, [None]
    factors = [
        ops.divide(1.0, scale) if s is None else ops.divide(s, scale)
        for s in scales
    ]
    return scale, factors


def _at_least_float32(value):
    value = ops.convert_to_tensor(value)
    dtype = keras.backend.standardize_dtype(value.dtype)
    if dtype in ("float16", "bfloat16"):
        return ops.cast(value, "float32"), "float32"
    return value, dtype


def scale_loss(loss, scale):
    """`loss * scale` in at least float32; `loss` when `scale` is None."""
    if scale is None:
        return loss
    loss, dtype = _at_least_float32(loss)
    return ops.multiply(loss, ops.cast(scale, dtype))


def unscale(value, scale):
    """`value / scale` in at least float32; `value` when `scale` is None."""
    if scale is None:
        return value
    value, dtype = _at_least_float32(value)
    return ops.divide(value, ops.cast(scale, dtype))


def scale_gradients(gradients, factor):
    """Multiplies each gradient by `factor` (None leaves them as they are)."""
    if factor is None:
        return list(gradients)
    return [ops.multiply(g, ops.cast(factor, g.dtype)) for g in gradients]


@contextlib.contextmanager
def loss_scale_scope(scale):
    """Makes `scale` the current loss scale while an update's loss runs, so
    that input gradients inside it (gradient penalties) are scaled alike."""
    _LOSS_SCALES.append(scale)
    try:
        yield
    finally:
        _LOSS_SCALES.pop()


def current_loss_scale():
    """The loss scale of the update whose loss is being traced, or None."""
    return _LOSS_SCALES[-1] if _LOSS_SCALES else None
