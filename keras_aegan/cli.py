"""The `keras-aegan` command line: train, generate, evaluate and list.

The command line only parses arguments and calls the library. Examples:

    keras-aegan list
    keras-aegan train vae --dataset mnist_sample --epochs 5 --out runs/vae
    keras-aegan train dcgan --dataset mnist --data-dir path/to/data \\
        --epochs 10 --batch-size 128 --out runs/dcgan --backend jax
    keras-aegan train dcgan --out runs/dcgan --epochs 20 --resume
    keras-aegan generate runs/dcgan --num 64 --seed 0 --out grid.png
    keras-aegan generate dcgan_mnist --num 64 --out grid.png
    keras-aegan evaluate dcgan_mnist --dataset mnist --data-dir path/to/data
"""

import argparse
import inspect
import os
import sys
from pathlib import Path

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
)
MIXED_PRECISION = ("bfloat16", "float16")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line and a non-zero exit, never a usage dump or a traceback.
        self.exit(2, f"keras-aegan: error: {message}\n")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {value}"
        )
    return value


def _non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"expected a non-negative integer, got {value}"
        )
    return value


def build_parser():
    parser = _Parser(
        prog="keras-aegan",
        description="Train and sample autoencoders and generative models "
        "on TensorFlow, JAX or PyTorch.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a model")
    train.add_argument("model", help="model name, see `keras-aegan list`")
    train.add_argument("--dataset", default=DEFAULT_DATASET)
    train.add_argument("--data-dir", default=None)
    train.add_argument("--epochs", type=_positive_int, default=5)
    train.add_argument("--batch-size", type=_positive_int, default=128)
    train.add_argument("--out", required=True, help="run directory")
    train.add_argument("--seed", type=_non_negative_int, default=0)
    train.add_argument(
        "--deterministic",
        action="store_true",
        help="deterministic kernels (identical runs on TensorFlow)",
    )
    train.add_argument("--latent-dim", type=_positive_int, default=None)
    train.add_argument("--image-size", type=_positive_int, default=None)
    train.add_argument("--max-examples", type=_positive_int, default=None)
    train.add_argument("--grid-size", type=_positive_int, default=64)
    train.add_argument(
        "--save-every",
        type=_positive_int,
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
    generate.add_argument("--num", type=_positive_int, default=64)
    generate.add_argument("--seed", type=_non_negative_int, default=0)
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
    evaluate.add_argument("--num", type=_positive_int, default=10000)
    evaluate.add_argument("--seed", type=_non_negative_int, default=0)
    evaluate.add_argument("--json", default=None, help="write the scores here")
    evaluate.add_argument("--backend", choices=BACKENDS, default=None)

    listing = commands.add_parser("list", help="list models and datasets")
    listing.add_argument("--backend", choices=BACKENDS, default=None)
    return parser


def _ensure_backend(backend, argv):
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


def _normalize(name):
    return name.lower().replace("-", "").replace("_", "")


def model_classes():
    """The trainable models by command-line name."""
    from keras_aegan import models

    bases = (
        models.GenerativeModel,
        models.AdversarialModel,
        models.UnpairedTranslationModel,
    )
    found = {}
    for name in models.__all__:
        obj = getattr(models, name)
        if issubclass(obj, models.GenerativeModel) and obj not in bases:
            found[_normalize(name)] = obj
    return dict(sorted(found.items()))


def _model_class(name):
    classes = model_classes()
    key = _normalize(name)
    if key not in classes:
        raise ValueError(
            f"Unknown model {name!r}. Expected one of: {', '.join(classes)}."
        )
    return classes[key]


def _print_list():
    import keras

    from keras_aegan import datasets
    from keras_aegan import presets

    print(f"backend: {keras.backend.backend()}")
    print("models:")
    for name, cls in model_classes().items():
        summary = (inspect.getdoc(cls) or "").splitlines()[0]
        print(f"  {name:<16} {summary}")
    print("datasets:")
    for name in datasets.list_datasets():
        print(f"  {name}")
    print("presets:")
    for name, description in presets.list_presets().items():
        print(f"  {name:<16} {description}")


def _train(args):
    import numpy as np

    from keras_aegan import checkpointing
    from keras_aegan import datasets
    from keras_aegan import training

    # The weight initialization, the noise and the data order all follow
    # --seed.
    training.set_seed(args.seed, deterministic=args.deterministic)
    if args.mixed_precision:
        import keras

        keras.config.set_dtype_policy(f"mixed_{args.mixed_precision}")

    out = Path(args.out)
    cls = _model_class(args.model)
    # What defines the run; --resume refuses to change any of them (the
    # epochs only for a model whose schedule was planned for them).
    run_arguments = {
        "model": _normalize(args.model),
        **{name: getattr(args, name) for name in RUN_ARGUMENTS},
    }
    model = None
    position = (0, 0)
    if not args.resume and checkpointing.checkpoints(out):
        raise ValueError(
            f"{out} already holds a training run. Pass --resume to continue "
            "it, or choose another --out."
        )
    if args.resume:
        model, *position = checkpointing.resume_from(
            out,
            run_arguments,
            fixed_epochs=cls.schedule_from_fit and not args.replan,
        )
        if position[0] >= args.epochs:
            print(
                f"keras-aegan: {out} already holds {position[0]} epochs; "
                f"nothing to do for --epochs {args.epochs}."
            )
            return
    if cls.translation:
        size = args.image_size
        if size is None:
            info = datasets.info(args.dataset, data_dir=args.data_dir)
            size = int(info["image_shape"][0] or 256)

        def load(epoch, step):
            # Zhu et al. 2017, section 7.1: resize to 286, crop 256.
            return datasets.load_unpaired(
                args.dataset,
                "train",
                image_size=size,
                load_size=int(round(size * 286 / 256)),
                batch_size=args.batch_size,
                seed=args.seed,
                data_dir=args.data_dir,
                max_examples=args.max_examples,
                epochs=args.epochs,
                initial_epoch=epoch,
                initial_step=step,
            )

        first = datasets.load(
            args.dataset,
            "trainA",
            batch_size=min(args.grid_size, 8),
            image_size=size,
            shuffle=False,
            data_dir=args.data_dir,
        )
        shown = np.asarray(next(iter(first)))
    else:
        if model is None:
            info = datasets.info(args.dataset, data_dir=args.data_dir)
            shape = tuple(info["image_shape"])
            if args.image_size is not None:
                shape = (args.image_size, args.image_size, shape[-1])
            kwargs = {"image_shape": shape}
            if args.latent_dim is not None:
                kwargs["latent_dim"] = args.latent_dim
            if cls.conditional:
                kwargs["num_classes"] = int(info["num_classes"])
            model = cls(**kwargs, seed=args.seed)
            model.compile()

        def load(epoch, step):
            return datasets.load(
                args.dataset,
                split="train",
                # --batch-size is the minibatch of one update; a
                # Wasserstein GAN's step takes one per critic update.
                batch_size=args.batch_size * model.real_batches_per_step,
                image_size=args.image_size,
                pixel_range=model.pixel_range,
                with_labels=model.conditional,
                shuffle=True,
                seed=args.seed,
                data_dir=args.data_dir,
                max_examples=args.max_examples,
                drop_remainder=True,
                epochs=args.epochs,
                initial_epoch=epoch,
                initial_step=step,
            )

        shown = None
        if not model.samples:
            # A model that does not sample shows reconstructions of the
            # run's first training images.
            batch = next(iter(load(0, 0)))
            batch = batch[0] if isinstance(batch, tuple) else batch
            shown = np.asarray(batch)[: max(1, args.grid_size // 2)]
    data = load(*position)
    if int(data.cardinality()) < 0:
        raise ValueError(
            f"Expected a data set whose size tf.data knows, to count the "
            f"batches of an epoch. Received {args.dataset!r}, whose size it "
            "does not know."
        )
    steps = (int(data.cardinality()) + position[1]) // (
        args.epochs - position[0]
    )
    if args.replan and model is not None and model.schedule_from_fit:
        model.replan(args.epochs, steps)
    if model is None:
        # A translation model's learning-rate schedule is planned on the
        # run's length.
        model = cls(image_shape=(size, size, 3), seed=args.seed)
        if model.schedule_from_fit:
            model.compile(epochs=args.epochs, steps_per_epoch=steps)
        else:
            model.compile()
    _fit(model, data, load, steps, position, args, run_arguments, shown)


def _fit(model, data, load, steps, position, args, run_arguments, shown):
    """Fits from `position`, `(epoch, step)`, to `args.epochs`, writing a
    grid and a checkpoint after every epoch (and every --save-every
    steps). A run resumed mid-epoch first finishes that epoch in a `fit()`
    of its own, so every later epoch starts where an uninterrupted run's
    does; its logged means cover the batches after the restart."""
    import keras
    import numpy as np

    from keras_aegan import callbacks as callbacks_lib
    from keras_aegan import metrics
    from keras_aegan import visualization

    out = Path(args.out)
    grids = out / "samples"

    def write_grid(epoch, logs=None):
        columns = None
        if model.translation:
            # Rows: A images, their translation to B, and back to A.
            translated = metrics.translate(model, shown, "a_to_b")
            restored = metrics.translate(model, translated, "b_to_a")
            images = np.concatenate([shown, translated, restored])
            columns = len(shown)
        elif model.samples:
            images = model.generate(args.grid_size, seed=args.seed)
        else:
            columns = min(8, len(shown))
            images = _rows_with_reconstructions(
                shown, model.reconstruct(shown), columns
            )
        visualization.save_image_grid(
            images,
            grids / f"epoch_{epoch + 1:03d}.png",
            model.pixel_range,
            columns=columns,
        )

    out.mkdir(parents=True, exist_ok=True)
    epoch, step = position
    fits = [(data, epoch, step)]
    if step:
        # The rest of the interrupted epoch, then the later epochs.
        fits = [(data.take(steps - step), epoch, step)]
        if epoch + 1 < args.epochs:
            fits.append((load(epoch + 1, 0), epoch + 1, 0))
    for fit_data, initial_epoch, initial_step in fits:
        model.fit(
            fit_data,
            epochs=initial_epoch + 1 if initial_step else args.epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps - initial_step,
            shuffle=False,  # each epoch comes shuffled from the pipeline
            callbacks=[
                # First, so that a diverged step or epoch writes neither
                # grid nor checkpoint.
                callbacks_lib.StopOnNonFinite(),
                keras.callbacks.LambdaCallback(on_epoch_end=write_grid),
                keras.callbacks.CSVLogger(
                    str(out / "log.csv"),
                    append=args.resume or initial_epoch > position[0],
                ),
                callbacks_lib.ResumableCheckpoint(
                    out,
                    run_arguments,
                    save_every=args.save_every,
                    initial_step=initial_step,
                ),
            ],
            verbose=args.verbose,
        )
        if model.stop_training:
            break
    model.save(out / "model.keras")
    print(f"keras-aegan: saved {out / 'model.keras'} and grids in {grids}")


def _rows_with_reconstructions(images, reconstructions, columns):
    """Rows of `columns` images, each followed by their reconstructions."""
    import numpy as np

    rows = []
    for start in range(0, len(images), columns):
        rows.append(images[start : start + columns])
        rows.append(reconstructions[start : start + columns])
    return np.concatenate(rows)


def _load_for_sampling(reference):
    import keras

    from keras_aegan import presets

    path = Path(reference)
    if path.is_dir() and (path / "model.keras").is_file():
        return keras.saving.load_model(path / "model.keras")
    if path.suffix == ".keras" and path.is_file():
        return keras.saving.load_model(path)
    if (
        reference in presets.list_presets()
        or (path / presets.METADATA_FILE).is_file()
        or reference.startswith(("file://", "https://", "hf://"))
    ):
        return presets.load(reference)
    names = ", ".join(presets.list_presets())
    raise FileNotFoundError(
        f"No model at {reference!r}: expected a .keras file, a run "
        "directory holding model.keras (from `keras-aegan train`), a preset "
        f"folder or URL, or a preset name ({names})."
    )


def _generate(args):
    from keras_aegan import visualization

    model = _load_for_sampling(args.model)
    if model.translation:
        raise ValueError(
            f"{type(model).__name__} translates images rather than sampling "
            "them: use model.translate_a_to_b(images) in Python."
        )
    if not getattr(model, "samples", False):
        raise ValueError(
            f"Expected a model that samples images with generate(). "
            f"Received {type(model).__name__}, which does not: use its "
            "reconstruct(images) in Python."
        )
    kwargs = {"seed": args.seed}
    if args.labels is not None:
        try:
            labels = [int(v) for v in args.labels.split(",")]
        except ValueError:
            raise ValueError(
                f"Expected --labels as integers like 0,1,2. Received "
                f"{args.labels!r}."
            ) from None
        kwargs["labels"] = (labels * args.num)[: args.num]
    images = model.generate(args.num, **kwargs)
    path = visualization.save_image_grid(images, args.out, model.pixel_range)
    print(f"keras-aegan: wrote {path}")


def _preset_dataset(reference):
    """The data set named in a preset's metadata, or None."""
    import json

    from keras_aegan import presets

    try:
        folder = presets.resolve(reference)
    except (ValueError, FileNotFoundError, OSError):
        return None
    metadata = json.loads((folder / presets.METADATA_FILE).read_text())
    return metadata.get("dataset")


def _evaluate(args):
    import json

    from keras_aegan import datasets
    from keras_aegan import metrics
    from keras_aegan import presets

    model = _load_for_sampling(args.model)
    if not getattr(model, "samples", False):
        raise ValueError(
            f"Expected a model that samples images with generate(). "
            f"Received {type(model).__name__}."
        )
    dataset = args.dataset or _preset_dataset(args.model)
    if dataset is None:
        raise ValueError(
            f"Expected --dataset: {args.model} is not a preset whose "
            "metadata names its data set."
        )
    # The embedded sample is MNIST: it shares the MNIST classifier.
    name = args.classifier or f"{dataset.removesuffix('_sample')}_classifier"
    if args.classifier is None and name not in presets.list_presets():
        classifiers = [p for p in presets.list_presets() if "classifier" in p]
        raise ValueError(
            f"No shipped classifier for {dataset!r}: pass --classifier "
            f"(shipped: {', '.join(classifiers)})."
        )
    real, _ = datasets.load_arrays(dataset, args.split, args.data_dir)
    if tuple(real.shape[1:]) != tuple(model.image_shape):
        raise ValueError(
            f"Expected {dataset} images of the model's shape "
            f"{tuple(model.image_shape)}. Received {tuple(real.shape[1:])}."
        )
    extractor = metrics.load_domain_classifier(name)
    classifier = metrics.load_domain_classifier(name, "probabilities")
    scores = metrics.evaluate_generator(
        model,
        real,
        extractor,
        classifier,
        num_samples=args.num,
        seed=args.seed,
    )
    scores.update(model=args.model, dataset=dataset, split=args.split)
    print(
        f"{args.model}: {scores['num_generated']} samples (seed {args.seed}) "
        f"against {scores['num_real']} {dataset} {args.split} images"
    )
    print(f"{scores['label']}: {scores['fd']:.4f}")
    print(
        f"KID on {extractor.name} features: {scores['kid']:.5f} "
        f"± {scores['kid_std']:.5f}"
    )
    print(
        f"precision {scores['precision']:.4f}, recall {scores['recall']:.4f} "
        f"(k=3, {extractor.name} features)"
    )
    print(
        f"Inception Score analogue ({classifier.name}): {scores['is']:.4f} "
        f"± {scores['is_std']:.4f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2))
        print(f"keras-aegan: wrote {args.json}")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        _ensure_backend(args.backend, argv)
        if args.command == "list":
            _print_list()
        elif args.command == "train":
            _train(args)
        elif args.command == "generate":
            _generate(args)
        elif args.command == "evaluate":
            _evaluate(args)
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


if __name__ == "__main__":
    sys.exit(main())
