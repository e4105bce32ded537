"""Callbacks for training generative models."""

import math
from pathlib import Path

import keras
import numpy as np

from keras_aegan.visualization import image_grid
from keras_aegan.visualization import save_image_grid

__all__ = ["NonFiniteError", "SampleGrid", "StopOnNonFinite", "save_image_grid"]


class SampleGrid(keras.callbacks.Callback):
    """Writes a grid of generated samples during `fit()`: PNG files, and
    TensorBoard image summaries.

    The same seed is used at every epoch, so the grids show how the same
    latent codes (and, for conditional models, the same classes in turn)
    evolve over training. Files are named `epoch_0001.png`, ... With
    `log_dir`, the grid is also written as the image summary `samples` of
    the `train` run of that folder, at step `epoch + 1`, beside the losses
    that `keras.callbacks.TensorBoard(log_dir)` writes there.

    Args:
        out_dir: str, path or None. Folder of the PNG files; created if
            needed. `None` writes no PNG. Defaults to `None`.
        num: int. Number of images per grid. Defaults to 64.
        seed: int. Seed of the latent codes. Defaults to 0.
        every: int. Write a grid every `every` epochs. Defaults to 1.
        columns: int or None. Images per row. Defaults to
            `ceil(sqrt(num))`.
        log_dir: str, path or None. A TensorBoard log folder. Defaults to
            `None`.

    Example:
    ```python
    gan.fit(
        images,
        epochs=5,
        callbacks=[
            keras.callbacks.TensorBoard("logs"),
            SampleGrid("samples", num=16, log_dir="logs"),
        ],
    )
    ```
    """

    def __init__(
        self, out_dir=None, num=64, seed=0, every=1, columns=None, log_dir=None
    ):
        super().__init__()
        if int(num) < 1 or int(every) < 1:
            raise ValueError(
                f"Expected num >= 1 and every >= 1. Received num={num}, "
                f"every={every}."
            )
        if out_dir is None and log_dir is None:
            raise ValueError(
                "SampleGrid writes PNG files to `out_dir`, image summaries "
                "to `log_dir`, or both. Received neither."
            )
        self.out_dir = None if out_dir is None else Path(out_dir)
        self.log_dir = None if log_dir is None else Path(log_dir)
        self.num = int(num)
        self.seed = int(seed)
        self.every = int(every)
        self.columns = columns
        self.paths = []
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        images = self.model.generate(self.num, seed=self.seed)
        if self.out_dir is not None:
            path = self.out_dir / f"epoch_{epoch + 1:04d}.png"
            save_image_grid(
                images,
                path,
                pixel_range=self.model.pixel_range,
                columns=self.columns,
            )
            self.paths.append(path)
        if self.log_dir is not None:
            self._write_summary(images, epoch + 1)

    def _write_summary(self, images, step):
        # TensorBoard's event files are written with `tf.summary`, on every
        # backend, as `keras.callbacks.TensorBoard` does.
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(
                str(self.log_dir / "train")
            )
        grid = image_grid(images, self.model.pixel_range, self.columns)
        with self._writer.as_default():
            tf.summary.image("samples", grid[None], step=step)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class NonFiniteError(FloatingPointError):
    """A training run produced a non-finite loss or weight."""


class StopOnNonFinite(keras.callbacks.Callback):
    """Stops `fit()` at the first non-finite loss, and at non-finite weights.

    `keras.callbacks.TerminateOnNaN` only sets `stop_training`: the epoch
    still ends, and a checkpoint callback then saves the NaN weights over
    the last good ones. This callback raises `NonFiniteError` instead, from
    the batch whose logs hold a NaN or an infinity, so no later callback of
    that epoch runs; the message names the loss term, the step and the
    epoch. At the end of every epoch (before the callbacks after it, such
    as a checkpoint) it checks the weights too. Put it first in the
    callback list.

    With `steps_per_execution > 1`, Keras reports logs once per execution,
    so the step named is the last one of the execution that diverged.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = float(np.asarray(keras.ops.convert_to_numpy(value)))
            if not math.isfinite(value):
                raise NonFiniteError(
                    f"Training diverged: {name} = {value} at step "
                    f"{batch + 1} of epoch {self._epoch + 1}; the callbacks "
                    "after StopOnNonFinite did not see it."
                )

    def on_epoch_end(self, epoch, logs=None):
        for variable in self.model.weights:
            if not keras.backend.is_float_dtype(variable.dtype):
                continue
            if not np.isfinite(keras.ops.convert_to_numpy(variable)).all():
                raise NonFiniteError(
                    f"Training diverged: the weight {variable.path} is not "
                    f"finite at the end of epoch {epoch + 1}; the callbacks "
                    "after StopOnNonFinite did not see it."
                )
