"""Checkpoints that let a training run that dies go on where it stopped.

A run's folder holds `checkpoints/epoch-EEEEE-step-SSSSSSS/`, the newest
`keep` of them. Each holds `checkpoint.keras` (the networks, every
optimizer's state and every seed generator's state) and
`training_state.json` (the position in the run: finished epochs and the
batches of the next one, the run's arguments, the wall time). A
checkpoint is written in a temporary folder, flushed to disk and renamed,
so a crash at any moment leaves whole checkpoints only. With a data
pipeline whose order depends on the epoch alone (`datasets.load(...,
epochs=...)`), a run resumed from any checkpoint repeats the uninterrupted
run, as `keras-aegan train --resume` does (`tests/test_checkpointing.py`).
"""

import json
import os
import re
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from keras_aegan.callbacks import NonFiniteError
from keras_aegan.validation import check_positive_int

CHECKPOINTS_DIR = "checkpoints"
CHECKPOINT_FILE = "checkpoint.keras"
STATE_FILE = "training_state.json"
_NAME = re.compile(r"^epoch-(\d{5})-step-(\d{7})$")


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoints(directory):
    """The complete checkpoints of a run, oldest first.

    Args:
        directory: str or Path. The run's folder.

    Returns:
        A list of `Path`s of checkpoint folders.
    """
    root = Path(directory) / CHECKPOINTS_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if _NAME.match(p.name))


def latest_state(directory):
    """The `training_state.json` of a run's newest checkpoint, or None."""
    found = checkpoints(directory)
    if not found:
        return None
    return json.loads((found[-1] / STATE_FILE).read_text())


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
            _fsync(path)
        _fsync(temporary)
        final = root / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(temporary, final)
        _fsync(root)
        for old in checkpoints(self.directory)[: -self.keep]:
            shutil.rmtree(old)
        for leftover in root.glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def resume_from(directory, run_arguments=None, fixed_epochs=False):
    """Loads the newest checkpoint of a run.

    Args:
        directory: str or Path. The run's folder.
        run_arguments: dict or None. The arguments the run is resumed
            with; each must equal the one the run recorded. Defaults to
            `None` (no check).
        fixed_epochs: bool. The model's learning-rate schedule was planned
            for the run's number of epochs (`"epochs"` in the arguments),
            so that must not change either. Defaults to `False`.

    Returns:
        `(model, epoch, step)`: the model, the epochs it finished and the
        batches of the next epoch it ran.

    Raises:
        FileNotFoundError: when the folder holds no checkpoint.
        ValueError: when an argument differs from the recorded run's.
    """
    directory = Path(directory)
    found = checkpoints(directory)
    if not found:
        raise FileNotFoundError(
            f"Expected a checkpoint to resume from in "
            f"{directory / CHECKPOINTS_DIR}. Found none; start the run "
            "without --resume."
        )
    state = json.loads((found[-1] / STATE_FILE).read_text())
    recorded = state.get("arguments") or {}
    for name, value in (run_arguments or {}).items():
        if name == "epochs" and not fixed_epochs:
            continue
        if name in recorded and recorded[name] != value:
            flag = "--" + name.replace("_", "-")
            why = (
                "the learning-rate schedule was planned for it"
                if name == "epochs"
                else "a resumed run goes on with the run's own arguments"
            )
            remedy = "start a new run in another --out to change it"
            if name == "epochs":
                remedy = "pass --replan to plan it again for the new one"
            raise ValueError(
                f"Expected {flag} {recorded[name]} to resume the run in "
                f"{directory}: {why}. Received {flag} {value}; {remedy}."
            )
    model = keras.saving.load_model(found[-1] / CHECKPOINT_FILE)
    return model, int(state["epoch"]), int(state["step"])
