"""What the zoo's training scripts share: their run folders.

A run folder holds `checkpoint.keras` and `training_state.json` after every
epoch (`keras_aegan.callbacks.ResumableCheckpoint`), `args.json` with the
script's arguments, and `history.csv`. `--resume` goes on from the newest
checkpoint; the evaluate stage writes the packaged preset with its recipe
(the command that retrains it) in its metadata.
"""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import keras  # noqa: E402

from keras_aegan import checkpointing  # noqa: E402
from keras_aegan import presets  # noqa: E402

# Arguments that do not change the trained model.
NOT_RECIPE = (
    "stage",
    "out",
    "data_dir",
    "resume",
    "max_examples",
    "no_ship",
    "from_preset",
    "weights_dtype",
)
# What `save_to_preset` writes itself, rather than take from a recipe.
WRITTEN_BY_SAVE = (
    "keras_version",
    "keras_aegan_version",
    "class_name",
    "parameter_count",
    "date",
    "backend",
    "weights_dtype",
    "sha256",
)


def add_run_arguments(parser, max_examples_help):
    """The stage, the run folder and the flags every script takes."""
    parser.add_argument("stage", choices=("train", "evaluate"))
    parser.add_argument("--out", required=True, help="Run folder.")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument(
        "--max-examples", type=int, default=None, help=max_examples_help
    )
    parser.add_argument(
        "--no-ship",
        action="store_true",
        help="evaluate: write metrics and grids into --out only, leaving "
        "the packaged preset and its card untouched.",
    )


def add_shipping_arguments(parser):
    """How the evaluate stage stores the preset."""
    parser.add_argument(
        "--weights-dtype",
        choices=("float32", "float16"),
        default="float32",
        help="evaluate: store the weights in this dtype (float16 halves "
        "the preset's size); the model is measured with its weights "
        "rounded to it.",
    )
    parser.add_argument(
        "--from-preset",
        action="store_true",
        help="evaluate: measure and store again the packaged preset "
        "instead of the run in --out, keeping its recipe and training "
        "record (to change --weights-dtype without the run folder).",
    )


def start_or_resume(args, build):
    """`(model, initial_epoch)`: the run folder's newest checkpoint with
    `--resume`, else `build()` (a compiled model) in a fresh folder."""
    out = Path(args.out)
    initial_epoch = 0
    if args.resume:
        # The scripts checkpoint after every epoch only: step is 0.
        model, initial_epoch, _ = checkpointing.resume_from(out)
        print(f"Resuming after epoch {initial_epoch}.")
    else:
        if checkpointing.checkpoints(out):
            raise SystemExit(
                f"{out} already holds a run; pass --resume or another --out."
            )
        model = build()
    out.mkdir(parents=True, exist_ok=True)
    (out / "args.json").write_text(json.dumps(vars(args), indent=2))
    return model, initial_epoch


def ship(model, name, script, out, metadata, results, weights_dtype="float32"):
    """Writes `model` as the packaged preset `name`, with the command that
    retrains it, the run's training state and `results`, and records its
    metadata hash in its declaration."""
    state = checkpointing.latest_state(out)
    run_args = json.loads((Path(out) / "args.json").read_text())
    command = (
        f"KERAS_BACKEND=tensorflow python zoo/{script} train "
        f"--data-dir ../shared/data --out runs/{name} "
        + " ".join(
            f"--{k.replace('_', '-')} {v}"
            for k, v in run_args.items()
            if k not in NOT_RECIPE and v is not None
        )
    )
    preset_dir = REPO / "keras_aegan" / "presets" / name
    model.save_to_preset(
        preset_dir,
        metadata={
            **metadata,
            "recipe": command,
            "training": {
                "epochs": state["epoch"],
                "wall_time_s": state["wall_time_s"],
                "final_logs": state["logs"],
                "machine": "2 CPU cores, no GPU, "
                f"{keras.backend.backend()} backend",
                "arguments": run_args,
            },
            "metrics": results,
        },
        weights_dtype=weights_dtype,
    )
    presets.register(
        name, presets.sha256(preset_dir / presets.METADATA_FILE), save=True
    )


def reship(model, name, results, weights_dtype):
    """Stores the packaged preset `name` again from `model`, its own model
    with rounded weights, keeping the recipe and training record of its
    metadata, with new `results`; records the new metadata hash."""
    preset_dir = REPO / "keras_aegan" / "presets" / name
    old = json.loads((preset_dir / presets.METADATA_FILE).read_text())
    kept = {k: v for k, v in old.items() if k not in WRITTEN_BY_SAVE}
    model.save_to_preset(
        preset_dir,
        metadata={
            **kept,
            "metrics": results,
        },
        weights_dtype=weights_dtype,
    )
    presets.register(
        name, presets.sha256(preset_dir / presets.METADATA_FILE), save=True
    )
