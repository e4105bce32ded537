"""The callbacks of keras_aegan, in one home: sample grids, the non-finite
guard, crash-safe checkpoints and the streamed generative metrics."""

import json
import math
import os
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from keras_aegan.checkpointing import CHECKPOINT_FILE
from keras_aegan.checkpointing import CHECKPOINTS_DIR
from keras_aegan.checkpointing import STATE_FILE
from keras_aegan.checkpointing import checkpoints
from keras_aegan.checkpointing import fsync
from keras_aegan.checkpointing import latest_state
from keras_aegan.metrics.monitoring import GenerativeMetricsCallback
from keras_aegan.validation import check_positive_int
from keras_aegan.visualization import image_grid
from keras_aegan.visualization import save_image_grid

# The one home of the callbacks: `GenerativeMetricsCallback` is defined
# beside the metrics it streams.
__all__ = [
    "GenerativeMetricsCallback",
    "NonFiniteError",
    "ResumableCheckpoint",
    "SampleGrid",
    "StopOnNonFinite",
    "save_image_grid",
]


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


class ResumableCheckpoint(keras.callbacks.Callback):
    """Saves the whole model and its position in the run, atomically.

    After every epoch, and every `save_every` batches within one, it
    writes a checkpoint folder (see the module docstring) under a
    temporary name, flushes its files to disk and renames it, then removes
    all but the newest `keep`. `resume_from(directory)` loads the newest.
    Non-finite weights are never saved: `NonFiniteError` is raised
    instead, and the last good checkpoints stay. What Keras's
    `BackupAndRestore(save_freq=...)` does for epochs, down to the batch:
    the position saved is `(epoch, step)`, so a run resumed mid-epoch goes
    on from that batch rather than repeating the epoch.

    Args:
        directory: str or Path. The run's folder.
        run_arguments: dict or None. The arguments that define the run
            (model, data set, batch size, ...), recorded in the state so
            that `resume_from` can refuse to continue it with others.
            Defaults to `None`.
        save_every: int or None. Also save after every this many batches
            of an epoch (batch `save_every`, `2 * save_every`, ... of each
            epoch). Defaults to `None` (after every epoch only).
        keep: int. Checkpoints kept, the newest. Defaults to `2`: the last
            good one and the one before it.
        initial_step: int. Batches of the first epoch of this `fit()` that
            an earlier process ran already (a run resumed mid-epoch), so
            that the positions saved count them. Defaults to `0`.
    """

    def __init__(
        self,
        directory,
        run_arguments=None,
        save_every=None,
        keep=2,
        initial_step=0,
    ):
        super().__init__()
        check_positive_int(save_every, "save_every")
        check_positive_int(keep, "keep", allow_none=False)
        self.directory = Path(directory)
        self.run_arguments = dict(run_arguments or {})
        self.save_every = save_every
        self.keep = keep
        self.initial_step = int(initial_step)
        self._started = None
        self._previous_seconds = 0.0
        self._first_epoch = None
        self._epoch = 0

    def on_train_begin(self, logs=None):
        self._started = time.monotonic()
        self._first_epoch = None
        state = latest_state(self.directory)
        if state is not None:
            self._previous_seconds = float(state.get("wall_time_s", 0.0))

    def on_epoch_begin(self, epoch, logs=None):
        if self._first_epoch is None:
            self._first_epoch = epoch
        self._epoch = epoch

    def _offset(self):
        return self.initial_step if self._epoch == self._first_epoch else 0

    def on_train_batch_end(self, batch, logs=None):
        if not self.save_every:
            return
        steps = (self.params or {}).get("steps")
        if steps is not None and batch + 1 >= steps:
            return  # the end-of-epoch checkpoint follows
        step = self._offset() + batch + 1
        if step % self.save_every == 0:
            self._save(self._epoch, step, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._save(epoch + 1, 0, logs)

    def _save(self, epoch, step, logs):
        model = self.model
        for variable in model.weights:
            value = keras.ops.convert_to_numpy(variable)
            if not np.all(np.isfinite(value)):
                raise NonFiniteError(
                    f"Training diverged: weight {variable.path} is not "
                    f"finite at step {step} of epoch {epoch + 1}; the last "
                    f"good checkpoints in {self.directory / CHECKPOINTS_DIR} "
                    "are kept."
                )
        root = self.directory / CHECKPOINTS_DIR
        root.mkdir(parents=True, exist_ok=True)
        name = f"epoch-{epoch:05d}-step-{step:07d}"
        temporary = root / f".tmp-{name}"
        if temporary.exists():
            shutil.rmtree(temporary)
        temporary.mkdir()
        model.save(temporary / CHECKPOINT_FILE)
        elapsed = time.monotonic() - (self._started or time.monotonic())
        state = {
            "epoch": epoch,
            "step": step,
            "wall_time_s": round(self._previous_seconds + elapsed, 1),
            "logs": {k: float(v) for k, v in (logs or {}).items()},
            "arguments": self.run_arguments,
        }
        (temporary / STATE_FILE).write_text(json.dumps(state, indent=2))
        for path in (temporary / CHECKPOINT_FILE, temporary / STATE_FILE):
            fsync(path)
        fsync(temporary)
        final = root / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(temporary, final)
        fsync(root)
        for old in checkpoints(self.directory)[: -self.keep]:
            shutil.rmtree(old)
        for leftover in root.glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
