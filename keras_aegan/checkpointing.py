"""Checkpoints that let a training run that dies go on where it stopped:
the folders that `keras_aegan.callbacks.ResumableCheckpoint` writes, and
`resume_from`, which loads the newest.

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
from pathlib import Path

import keras

CHECKPOINTS_DIR = "checkpoints"
CHECKPOINT_FILE = "checkpoint.keras"
STATE_FILE = "training_state.json"
_NAME = re.compile(r"^epoch-(\d{5})-step-(\d{7})$")


def fsync(path):
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

            def given(v, flag=flag):
                return f"no {flag}" if v is None else f"{flag} {v}"

            raise ValueError(
                f"Expected {given(recorded[name])} to resume the run in "
                f"{directory}: {why}. Received {given(value)}; {remedy}."
            )
    model = keras.saving.load_model(found[-1] / CHECKPOINT_FILE)
    return model, int(state["epoch"]), int(state["step"])
