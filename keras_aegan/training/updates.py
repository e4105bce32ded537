"""Backend-independent pieces of the training core.

A model trained by the core describes one training step as an ordered list
of `Update`s. Each update names an optimizer, the variables it moves and a
loss written in `keras.ops`; the per-backend modules of this package turn
that description into gradients and optimizer applications.
"""

import dataclasses
from collections.abc import Callable
from collections.abc import Sequence

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
            draws fresh noise but sees the same data batch.
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
    def learning_rate(self):
        return self[self.names[-1]].learning_rate

    def scale_loss(self, loss):
        return loss

    def finalize_variable_values(self, variables=None):
        del variables
        for name in self.names:
            self[name].finalize_variable_values(self._targets[name])
