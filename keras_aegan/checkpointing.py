"""Checkpoints that let a training run that dies go on where it stopped."""

import json
import os
import time
from pathlib import Path

import keras

STATE_FILE = "training_state.json"
CHECKPOINT_FILE = "checkpoint.keras"


class ResumableCheckpoint(keras.callbacks.Callback):
    """Saves the whole model and the finished epoch after every epoch.

    The `.keras` checkpoint holds the networks, every optimizer's state
    and every seed generator's state, so `resume_from(directory)`
    continues the run from its last finished epoch. It does not hold the
    position in the shuffled data (the pipeline starts its shuffle again),
    so the resumed run does not repeat an uninterrupted one exactly. Each
    file is written under a temporary name and renamed, so a crash during
    a save leaves the previous file intact.

    Args:
        directory: str or Path. Where `checkpoint.keras` and
            `training_state.json` go.
    """

    def __init__(self, directory):
        super().__init__()
        self.directory = Path(directory)
        self._started = None
        self._previous_seconds = 0.0

    def on_train_begin(self, logs=None):
        self._started = time.monotonic()
        state_file = self.directory / STATE_FILE
        if state_file.is_file():
            state = json.loads(state_file.read_text())
            self._previous_seconds = float(state.get("wall_time_s", 0.0))

    def on_epoch_end(self, epoch, logs=None):
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / CHECKPOINT_FILE
        temporary = self.directory / ("tmp-" + CHECKPOINT_FILE)
        self.model.save(temporary)
        os.replace(temporary, target)
        elapsed = time.monotonic() - (self._started or time.monotonic())
        state = {
            "epochs_done": epoch + 1,
            "wall_time_s": round(self._previous_seconds + elapsed, 1),
            "logs": {k: float(v) for k, v in (logs or {}).items()},
        }
        temporary_state = self.directory / ("tmp-" + STATE_FILE)
        temporary_state.write_text(json.dumps(state, indent=2))
        os.replace(temporary_state, self.directory / STATE_FILE)


def resume_from(directory):
    """Loads the last checkpoint of a run.

    Args:
        directory: str or Path. The run's directory.

    Returns:
        `(model, epochs_done)`.

    Raises:
        FileNotFoundError: when the directory holds no checkpoint.
    """
    directory = Path(directory)
    checkpoint = directory / CHECKPOINT_FILE
    state_file = directory / STATE_FILE
    if not checkpoint.is_file() or not state_file.is_file():
        raise FileNotFoundError(
            f"Expected a checkpoint to resume from: {checkpoint} and "
            f"{state_file}. Found none; start the run without --resume."
        )
    state = json.loads(state_file.read_text())
    model = keras.saving.load_model(checkpoint)
    return model, int(state["epochs_done"])
