"""`keras-aegan train`: one path for every model, resumable."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from keras_aegan.cli.listing import model_class
from keras_aegan.cli.listing import normalize
from keras_aegan.cli.parser import RUN_ARGUMENTS


def run(args):
    """Trains `args.model` into `args.out`, or resumes the run there, in
    this process or as one process of a distributed run."""
    from keras_aegan import training

    check_distribution_flags(args)
    if args.nproc and "RANK" not in os.environ:
        launch_processes(args)
    # The weight initialization, the noise and the data order all follow
    # --seed.
    training.set_seed(args.seed, deterministic=args.deterministic)
    distributed = distribute(args)
    with distributed.scope:
        _run(args, distributed)


def _run(args, distributed):
    import numpy as np

    from keras_aegan import checkpointing
    from keras_aegan import datasets

    if args.mixed_precision:
        import keras

        keras.config.set_dtype_policy(f"mixed_{args.mixed_precision}")

    out = Path(args.out)
    cls = model_class(args.model)
    # What defines the run; --resume refuses to change any of them (the
    # epochs only for a model whose schedule was planned for them).
    run_arguments = {
        "model": normalize(args.model),
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
    paired = getattr(cls, "paired", False)
    if not paired and (args.task or args.mask):
        raise ValueError(
            "Expected --task and --mask only for a paired translation model "
            f"(pix2pix). Received them for {args.model}."
        )
    if paired:
        load, task, shown = paired_data(args)
        shape = tuple(next(iter(load(0, 0)))[1].shape[1:])
    elif cls.translation:
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
            model = build_model(cls, args, **kwargs)
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
    if model is None and paired:
        model = build_model(
            cls, args, image_shape=shape, input_channels=task.input_channels
        )
        model.compile()
    if model is None:
        # A translation model's learning-rate schedule is planned on the
        # run's length.
        model = build_model(cls, args, image_shape=(size, size, 3))
        if model.schedule_from_fit:
            model.compile(epochs=args.epochs, steps_per_epoch=steps)
        else:
            model.compile()
    fit(
        model,
        data,
        load,
        steps,
        position,
        args,
        run_arguments,
        shown,
        distributed,
    )


def paired_data(args):
    """The resumable `load(epoch, step)` of a paired run, its task, and the
    first training pairs, shown in the run's grids."""
    import numpy as np

    from keras_aegan import datasets

    options = {
        "task": args.task or "super_resolution",
        "mask": args.mask or "box",
        "image_size": args.image_size,
        "data_dir": args.data_dir,
        "max_examples": args.max_examples,
    }

    def load(epoch, step):
        return datasets.load_paired(
            args.dataset,
            split="train",
            batch_size=args.batch_size,
            shuffle=True,
            seed=args.seed,
            drop_remainder=True,
            epochs=args.epochs,
            initial_epoch=epoch,
            initial_step=step,
            **options,
        )

    first = datasets.load_paired(
        args.dataset,
        split="train",
        batch_size=min(args.grid_size, 8),
        shuffle=False,
        random_flip=False,
        seed=args.seed,
        **options,
    )
    inputs, targets = (np.asarray(t) for t in next(iter(first)))
    task = datasets.PairedTask(
        options["task"], targets.shape[-1], mask=options["mask"]
    )
    return load, task, (task, inputs, targets)


def check_distribution_flags(args):
    """Refuses the distribution flags that --distribute does not take,
    and a --distribute of another backend, before anything starts."""
    import keras

    from keras_aegan.training import distribution

    needs = {
        "nproc": "torch",
        "coordinator": "data_parallel",
        "num_processes": "data_parallel",
        "process_id": "data_parallel",
    }
    for name, kind in needs.items():
        if getattr(args, name) is not None and args.distribute != kind:
            flag = "--" + name.replace("_", "-")
            raise ValueError(
                f"Expected {flag} only with --distribute {kind}. Received "
                f"{flag} with --distribute {args.distribute}."
            )
    processes = args.num_processes or 1
    if args.distribute == "data_parallel" and processes > 1:
        if args.coordinator is None or args.process_id is None:
            raise ValueError(
                "Expected --coordinator HOST:PORT and --process-id with "
                f"--num-processes {processes}. Received --coordinator "
                f"{args.coordinator} and --process-id {args.process_id}."
            )
    if args.process_id is not None and args.process_id >= processes:
        raise ValueError(
            f"Expected --process-id below --num-processes {processes}. "
            f"Received --process-id {args.process_id}."
        )
    backend = keras.backend.backend()
    if args.distribute and distribution.BACKEND_OF[args.distribute] != backend:
        kinds = [k for k, b in distribution.BACKEND_OF.items() if b == backend]
        raise distribution.refuse(args.distribute, backend, kinds)


def launch_processes(args):
    """Replaces this process with `torchrun`, which starts --nproc copies
    of the command on this machine (without --nproc), joined on a free
    local port, and stops them all when one fails."""
    argv = list(args.argv)
    # --nproc, --nproc=N, or a prefix that argparse accepted (--np ...).
    at = next(
        i
        for i, a in enumerate(argv)
        if len(a.split("=")[0]) >= 4 and "--nproc".startswith(a.split("=")[0])
    )
    del argv[at : at + (1 if "=" in argv[at] else 2)]
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc-per-node={args.nproc}",
        "-m",
        "keras_aegan",
        *argv,
    ]
    sys.stdout.flush()
    os.execvp(sys.executable, command)


def distribute(args):
    """The run's `training.Distributed`: one process on its own without
    --distribute."""
    import contextlib

    from keras_aegan import training

    if args.distribute is None:
        return training.Distributed(None, contextlib.nullcontext())
    options = {}
    if args.distribute == "data_parallel":
        options = {
            "coordinator": args.coordinator,
            "processes": args.num_processes or 1,
            "process_id": args.process_id or 0,
        }
    elif args.distribute in ("multi_worker", "torch"):
        options = {"timeout": args.collective_timeout}
    distributed = training.distribute(args.distribute, **options)
    distributed.check_batch_size(args.batch_size)
    if distributed.chief:
        print(
            f"keras-aegan: --distribute {args.distribute}: "
            f"{distributed.processes} process(es), {distributed.replicas} "
            f"replica(s), global batch {args.batch_size}"
        )
    return distributed


def build_model(cls, args, **kwargs):
    """`cls(**kwargs)` with the run's seed and `--model-config`'s keyword
    arguments, which may not restate what other flags set."""
    import inspect

    kwargs["seed"] = args.seed
    config = args.model_config or {}
    clashes = sorted(set(config) & set(kwargs))
    if clashes:
        raise ValueError(
            f"Expected --model-config without {clashes}: the run sets them "
            "from its own flags (--seed, --latent-dim, --image-size, the "
            f"data set). Received --model-config {config}."
        )
    accepted = inspect.signature(cls.__init__).parameters
    unknown = sorted(name for name in config if name not in accepted)
    if unknown:
        names = sorted(
            name
            for name, parameter in accepted.items()
            if name != "self"
            and parameter.kind is parameter.POSITIONAL_OR_KEYWORD
        )
        raise ValueError(
            f"Expected --model-config keys among {cls.__name__}'s arguments "
            f"{names}. Received unknown {unknown}."
        )
    return cls(**kwargs, **config)


def fit(
    model, data, load, steps, position, args, run_arguments, shown, distributed
):
    """Fits from `position`, `(epoch, step)`, to `args.epochs`, writing a
    grid and a checkpoint after every epoch (and every --save-every
    steps). A run resumed mid-epoch first finishes that epoch in a `fit()`
    of its own, so every later epoch starts where an uninterrupted run's
    does; its logged means cover the batches after the restart. In a
    distributed run every process fits its share (`distributed.shard`) and
    only the chief writes the run's files."""
    out = Path(args.out)
    scratch = None
    if not distributed.chief:
        # Every process takes part in every save (under
        # MultiWorkerMirroredStrategy a save is a collective); the others
        # write into a scratch folder, removed at the end.
        scratch = tempfile.mkdtemp(prefix="keras-aegan-process-")
        out = Path(scratch)
    data = distributed.shard(data)

    def shard_load(epoch, step):
        return distributed.shard(load(epoch, step))

    try:
        _fit(
            model,
            data,
            shard_load,
            steps,
            position,
            args,
            run_arguments,
            shown,
            out,
        )
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if distributed.chief:
        print(
            f"keras-aegan: saved {out / 'model.keras'} and grids in "
            f"{out / 'samples'}"
        )


def _fit(model, data, load, steps, position, args, run_arguments, shown, out):
    import keras
    import numpy as np

    from keras_aegan import callbacks as callbacks_lib
    from keras_aegan import metrics
    from keras_aegan import visualization

    grids = out / "samples"

    def write_grid(epoch, logs=None):
        columns = None
        if getattr(model, "paired", False):
            # Rows: the inputs (as the task's baseline shows them), the
            # outputs and the targets.
            task, inputs, targets = shown
            images = np.concatenate(
                [task.baseline(inputs), model.translate(inputs), targets]
            )
            columns = len(inputs)
        elif model.translation:
            # Rows: A images, their translation to B, and back to A.
            translated = metrics.translate(model, shown, "a_to_b")
            restored = metrics.translate(model, translated, "b_to_a")
            images = np.concatenate([shown, translated, restored])
            columns = len(shown)
        elif model.samples:
            images = model.generate(args.grid_size, seed=args.seed)
        else:
            columns = min(8, len(shown))
            images = rows_with_reconstructions(
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
        # First, so that a diverged step or epoch writes neither grid nor
        # checkpoint.
        callbacks = [
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
        ]
        model.fit(
            fit_data,
            epochs=initial_epoch + 1 if initial_step else args.epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps - initial_step,
            shuffle=False,  # each epoch comes shuffled from the pipeline
            callbacks=callbacks,
            verbose=args.verbose if out == Path(args.out) else 0,
        )
        if model.stop_training:
            break
    model.save(out / "model.keras")


def rows_with_reconstructions(images, reconstructions, columns):
    """Rows of `columns` images, each followed by their reconstructions."""
    import numpy as np

    rows = []
    for start in range(0, len(images), columns):
        rows.append(images[start : start + columns])
        rows.append(reconstructions[start : start + columns])
    return np.concatenate(rows)
