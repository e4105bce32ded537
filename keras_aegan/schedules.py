"""Learning-rate schedules of the models' papers."""

import keras
from keras import ops

from keras_aegan.api_export import keras_aegan_export

__all__ = ["LinearDecay"]


@keras_aegan_export("keras_aegan.schedules.LinearDecay")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Constant, then linearly decaying learning rate, by epochs.

    The schedule of CycleGAN (Zhu et al. 2017, section 4, "Training
    details": "We keep the same learning rate for the first 100 epochs and
    linearly decay the rate to zero over the next 100 epochs"), in the form
    of the authors' code (`lambda_rule` in pytorch-CycleGAN-and-pix2pix):
    in epoch `e` (counted from 0) the rate is

        lr(e) = initial_learning_rate
                * (1 - max(0, e + 1 - constant_epochs) / (decay_epochs + 1))

    so epochs `0 .. constant_epochs - 1` use the initial rate and the last
    epoch, `constant_epochs + decay_epochs - 1`, uses
    `initial_learning_rate / (decay_epochs + 1)`. Keras calls schedules
    with the optimizer's step count: `epoch = step // steps_per_epoch`.

    Args:
        initial_learning_rate: float. Defaults to `2e-4`.
        constant_epochs: int. Epochs at the initial rate. Defaults to 100.
        decay_epochs: int. Epochs of linear decay. Defaults to 100.
        steps_per_epoch: int. Optimizer steps per epoch. Defaults to 1.

    Example:
    ```python
    # 20 epochs of 300 steps: constant for 10, decaying for 10.
    schedule = keras_aegan.schedules.LinearDecay(2e-4, 10, 10, 300)
    optimizer = keras.optimizers.Adam(schedule, beta_1=0.5)
    ```
    """

    def __init__(
        self,
        initial_learning_rate=2e-4,
        constant_epochs=100,
        decay_epochs=100,
        steps_per_epoch=1,
    ):
        values = {
            "constant_epochs": constant_epochs,
            "decay_epochs": decay_epochs,
            "steps_per_epoch": steps_per_epoch,
        }
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(
                    f"Expected {name} to be an int. Received {value!r}."
                )
        if constant_epochs < 0 or decay_epochs < 0 or steps_per_epoch < 1:
            raise ValueError(
                "Expected constant_epochs >= 0, decay_epochs >= 0 and "
                f"steps_per_epoch >= 1. Received {values}."
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.constant_epochs = constant_epochs
        self.decay_epochs = decay_epochs
        self.steps_per_epoch = steps_per_epoch

    def __call__(self, step):
        epoch = ops.floor(
            ops.cast(step, "float32") / float(self.steps_per_epoch)
        )
        excess = ops.maximum(epoch + 1.0 - float(self.constant_epochs), 0.0)
        factor = 1.0 - excess / float(self.decay_epochs + 1)
        return self.initial_learning_rate * ops.maximum(factor, 0.0)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "constant_epochs": self.constant_epochs,
            "decay_epochs": self.decay_epochs,
            "steps_per_epoch": self.steps_per_epoch,
        }
