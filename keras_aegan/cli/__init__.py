"""The `keras-aegan` command line: train, generate, evaluate, translate and
list.

The command line only parses arguments and calls the library: `parser.py`
holds the arguments, and each command has its module (`train.py`,
`generate.py`, `evaluate.py`, `translate.py`, `listing.py`). Examples:

    keras-aegan list
    keras-aegan train vae --dataset mnist_sample --epochs 5 --out runs/vae
    keras-aegan train dcgan --dataset mnist --data-dir path/to/data \\
        --epochs 10 --batch-size 128 --out runs/dcgan --backend jax
    keras-aegan train dcgan --out runs/dcgan --epochs 20 --resume
    keras-aegan generate runs/dcgan --num 64 --seed 0 --out grid.png
    keras-aegan generate dcgan_mnist --num 64 --out grid.png
    keras-aegan evaluate dcgan_mnist --dataset mnist --data-dir path/to/data
    keras-aegan translate cyclegan_horse2zebra_64 --input my_horses/ \\
        --out zebras/
"""

import os
import sys

from keras_aegan.cli import evaluate
from keras_aegan.cli import generate
from keras_aegan.cli import listing
from keras_aegan.cli import train
from keras_aegan.cli import translate
from keras_aegan.cli.listing import model_classes
from keras_aegan.cli.parser import BACKENDS
from keras_aegan.cli.parser import RUN_ARGUMENTS
from keras_aegan.cli.parser import build_parser

COMMANDS = {
    "list": listing.run,
    "train": train.run,
    "generate": generate.run,
    "evaluate": evaluate.run,
    "translate": translate.run,
}

__all__ = [
    "BACKENDS",
    "RUN_ARGUMENTS",
    "build_parser",
    "main",
    "model_classes",
]


def ensure_backend(backend, argv):
    """Re-runs the command under `backend` if Keras runs another one."""
    if backend is None:
        return
    import keras

    if keras.backend.backend() == backend:
        return
    env = dict(os.environ, KERAS_BACKEND=backend)
    os.execvpe(
        sys.executable, [sys.executable, "-m", "keras_aegan", *argv], env
    )


def main(argv=None):
    """Runs `keras-aegan` on `argv`; returns the exit status: 0, 2 for bad
    input (one line on stderr), 1 for a run stopped on a non-finite loss,
    130 when interrupted."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    try:
        ensure_backend(args.backend, argv)
        COMMANDS[args.command](args)
    except (ValueError, FileNotFoundError, KeyError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else repr(error)
        print(f"keras-aegan: error: {message}", file=sys.stderr)
        return 2
    except FloatingPointError as error:
        # callbacks.NonFiniteError: the last good checkpoint is intact.
        print(f"keras-aegan: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("keras-aegan: interrupted", file=sys.stderr)
        return 130
    return 0
