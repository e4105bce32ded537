"""The arguments of `keras-aegan`: one parser, with one-line errors."""

import argparse

BACKENDS = ("tensorflow", "jax", "torch")
DEFAULT_DATASET = "mnist_sample"
# The train arguments a resumed run must keep.
RUN_ARGUMENTS = (
    "dataset",
    "batch_size",
    "image_size",
    "max_examples",
    "latent_dim",
    "seed",
    "epochs",
    "mixed_precision",
    "model_config",
    "task",
    "mask",
)
MIXED_PRECISION = ("bfloat16", "float16")
# keras_aegan.datasets.paired.TASKS and MASKS, named here so that the parser
# does not import TensorFlow.
TASKS = ("super_resolution", "inpainting", "colorization")
MASKS = ("box", "free_form")
# keras_aegan.training.DISTRIBUTIONS, named here so that the parser does not
# import the backend.
DISTRIBUTIONS = ("mirrored", "multi_worker", "data_parallel", "torch")


class Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line and a non-zero exit, never a usage dump or a traceback.
        self.exit(2, f"keras-aegan: error: {message}\n")


def int_at_least(minimum, expected):
    """An argparse type: an int of at least `minimum`, else a message that
    names what was `expected` and what came."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected {expected}, got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected {expected}, got {value}"
            )
        return value

    return parse


def json_object(text):
    """An argparse type: a JSON object of keyword arguments."""
    import json

    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(
            f"expected a JSON object such as '{{\"ema_decay\": 0.999}}', "
            f"got {text!r} ({error.msg})"
        ) from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            f"expected a JSON object such as '{{\"ema_decay\": 0.999}}', "
            f"got {type(value).__name__} {text!r}"
        )
    return value


positive_int = int_at_least(1, "a positive integer")
non_negative_int = int_at_least(0, "a non-negative integer")


def build_parser():
    parser = Parser(
        prog="keras-aegan",
        description="Train and sample autoencoders and generative models "
        "on TensorFlow, JAX or PyTorch.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a model")
    train.add_argument("model", help="model name, see `keras-aegan list`")
    train.add_argument("--dataset", default=DEFAULT_DATASET)
    train.add_argument("--data-dir", default=None)
    train.add_argument("--epochs", type=positive_int, default=5)
    train.add_argument("--batch-size", type=positive_int, default=128)
    train.add_argument("--out", required=True, help="run directory")
    train.add_argument("--seed", type=non_negative_int, default=0)
    train.add_argument(
        "--deterministic",
        action="store_true",
        help="deterministic kernels (identical runs on TensorFlow)",
    )
    train.add_argument("--latent-dim", type=positive_int, default=None)
    train.add_argument("--image-size", type=positive_int, default=None)
    train.add_argument("--max-examples", type=positive_int, default=None)
    train.add_argument("--grid-size", type=positive_int, default=64)
    train.add_argument(
        "--save-every",
        type=positive_int,
        default=500,
        help="also checkpoint every N batches of an epoch (default 500)",
    )
    train.add_argument(
        "--mixed-precision",
        choices=MIXED_PRECISION,
        default=None,
        help="compute in bfloat16 or float16 with float32 weights "
        "(Keras's mixed_bfloat16 or mixed_float16 policy); bfloat16 is "
        "the faster on CPUs with AVX512_BF16 or AMX, see bench/README.md",
    )
    train.add_argument(
        "--model-config",
        type=json_object,
        default=None,
        metavar="JSON",
        help="keyword arguments for the model's constructor, e.g. "
        "'{\"ema_decay\": 0.999}'",
    )
    paired = train.add_argument_group(
        "paired translation (pix2pix)",
        "the inputs are derived from --dataset's images on the fly",
    )
    paired.add_argument(
        "--task",
        choices=TASKS,
        default=None,
        help="super_resolution (bicubic x4 input), inpainting (a hole and "
        "its mask) or colorization (grey input); default super_resolution",
    )
    paired.add_argument(
        "--mask",
        choices=MASKS,
        default=None,
        help="inpainting holes: one box or free-form strokes; default box",
    )
    distribute = train.add_argument_group(
        "distributed training",
        "every process reads the same pipeline of global batches of "
        "--batch-size; see docs/scaling.md",
    )
    distribute.add_argument(
        "--distribute",
        choices=DISTRIBUTIONS,
        default=None,
        help="mirrored: tf.distribute.MirroredStrategy over the local "
        "devices; multi_worker: MultiWorkerMirroredStrategy over TF_CONFIG's "
        "workers (start one command per worker); data_parallel: "
        "keras.distribution.DataParallel on JAX, over processes with "
        "--coordinator; torch: a torch.distributed process group, under "
        "torchrun or launched here with --nproc",
    )
    distribute.add_argument(
        "--nproc",
        type=positive_int,
        default=None,
        help="with --distribute torch: launch this many processes on this "
        "machine (through torchrun)",
    )
    distribute.add_argument(
        "--coordinator",
        default=None,
        metavar="HOST:PORT",
        help="with --distribute data_parallel: process 0's address",
    )
    distribute.add_argument(
        "--num-processes",
        type=positive_int,
        default=None,
        help="with --distribute data_parallel: the processes of the run",
    )
    distribute.add_argument(
        "--process-id",
        type=non_negative_int,
        default=None,
        help="with --distribute data_parallel: this process's index",
    )
    distribute.add_argument(
        "--collective-timeout",
        type=positive_int,
        default=600,
        metavar="SECONDS",
        help="with multi_worker or torch: how long a collective waits for "
        "the other processes before the run fails (default 600)",
    )
    train.add_argument("--resume", action="store_true")
    train.add_argument(
        "--replan",
        action="store_true",
        help="with --resume, accept a new --epochs and plan the "
        "learning-rate decay again for it (CycleGAN)",
    )
    train.add_argument("--backend", choices=BACKENDS, default=None)
    train.add_argument("--verbose", type=int, choices=(0, 1, 2), default=1)

    generate = commands.add_parser("generate", help="sample an image grid")
    generate.add_argument(
        "model", help="a .keras file, a run directory or a preset name"
    )
    generate.add_argument("--num", type=positive_int, default=64)
    generate.add_argument("--seed", type=non_negative_int, default=0)
    generate.add_argument("--labels", default=None, help="e.g. 0,1,2")
    generate.add_argument("--out", required=True, help="PNG path")
    generate.add_argument("--backend", choices=BACKENDS, default=None)

    evaluate = commands.add_parser(
        "evaluate",
        help="score generated samples against a test split (FD, KID, "
        "precision/recall, IS analogue)",
    )
    evaluate.add_argument(
        "model", help="a .keras file, a run directory or a preset name"
    )
    evaluate.add_argument(
        "--dataset",
        default=None,
        help="real images to compare with; defaults to the preset's data set",
    )
    evaluate.add_argument("--split", default="test")
    evaluate.add_argument("--data-dir", default=None)
    evaluate.add_argument(
        "--classifier",
        default=None,
        help="domain classifier preset whose features are compared; "
        "defaults to <dataset>_classifier",
    )
    evaluate.add_argument("--num", type=positive_int, default=10000)
    evaluate.add_argument("--seed", type=non_negative_int, default=0)
    evaluate.add_argument("--json", default=None, help="write the scores here")
    evaluate.add_argument("--backend", choices=BACKENDS, default=None)

    translate = commands.add_parser(
        "translate",
        help="translate a folder of images (CycleGAN, DiscoGAN, Pix2Pix)",
    )
    translate.add_argument(
        "model", help="a .keras file, a run directory or a preset name"
    )
    translate.add_argument(
        "--input", required=True, help="an image file or a folder of images"
    )
    translate.add_argument("--out", required=True, help="output folder")
    translate.add_argument(
        "--direction",
        choices=("a_to_b", "b_to_a"),
        default="a_to_b",
        help="CycleGAN and DiscoGAN: which generator (default a_to_b)",
    )
    translate.add_argument(
        "--task",
        choices=TASKS,
        default=None,
        help="Pix2Pix: derive its inputs from the images as in training "
        "(default: the task of the run or preset, else the images are the "
        "inputs)",
    )
    translate.add_argument("--mask", choices=MASKS, default=None)
    translate.add_argument(
        "--seed", type=non_negative_int, default=0, help="inpainting holes"
    )
    translate.add_argument("--backend", choices=BACKENDS, default=None)

    listing = commands.add_parser("list", help="list models and datasets")
    listing.add_argument("--backend", choices=BACKENDS, default=None)
    return parser
