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
        run_arguments: dict or None. The arguments that define the run
            (model, data set, batch size, ...), recorded in the state so
            that `resume_from` can refuse to continue it with others.
            Defaults to `None`.
    """

    def __init__(self, directory, run_arguments=None):
        super().__init__()
        self.directory = Path(directory)
        self.run_arguments = dict(run_arguments or {})
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
            "arguments": self.run_arguments,
        }
        temporary_state = self.directory / ("tmp-" + STATE_FILE)
        temporary_state.write_text(json.dumps(state, indent=2))
        os.replace(temporary_state, self.directory / STATE_FILE)


def resume_from(directory, run_arguments=None, fixed_epochs=False):
    """Loads the last checkpoint of a run.

    Args:
        directory: str or Path. The run's directory.
        run_arguments: dict or None. The arguments the run is resumed
            with; each must equal the one the run recorded. Defaults to
            `None` (no check).
        fixed_epochs: bool. The model's learning-rate schedule was planned
            for the run's number of epochs (`"epochs"` in the arguments),
            so that must not change either. Defaults to `False`.

    Returns:
        `(model, epochs_done)`.

    Raises:
        FileNotFoundError: when the directory holds no checkpoint.
        ValueError: when an argument differs from the recorded run's.
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
            raise ValueError(
                f"Expected {flag} {recorded[name]} to resume the run in "
                f"{directory}: {why}. Received {flag} {value}; start a new "
                "run in another --out to change it."
            )
    model = keras.saving.load_model(checkpoint)
    return model, int(state["epochs_done"])
