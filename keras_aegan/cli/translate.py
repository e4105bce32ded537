"""`keras-aegan translate`: a translation model on a user's own images."""

from pathlib import Path

from keras_aegan.cli.evaluate import preset_metadata
from keras_aegan.cli.generate import load_for_sampling

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def image_files(source):
    """The image files of a folder (sorted, not recursive), or one file."""
    path = Path(source)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(
            f"Expected --input to be an image file or a folder of images. "
            f"Received {source!r}, which does not exist."
        )
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )
    if not files:
        raise FileNotFoundError(
            f"Expected image files ({', '.join(IMAGE_SUFFIXES)}) in {source}. "
            "Received a folder without any."
        )
    return files


def run_task(reference):
    """The paired task a `keras-aegan train` run directory was trained on
    (`{"task": ..., "mask": ...}`, with `train`'s defaults), or None for
    anything else."""
    from keras_aegan import checkpointing

    path = Path(reference)
    state = checkpointing.latest_state(path) if path.is_dir() else None
    if state is None:
        return None
    arguments = state["arguments"]
    return {
        "task": arguments.get("task") or "super_resolution",
        "mask": arguments.get("mask") or "box",
    }


def preset_task(reference):
    """The paired task in a preset's metadata (`{"task": ..., "mask":
    ...}`), or None for anything else."""
    metadata = preset_metadata(reference) or {}
    if not metadata.get("task"):
        return None
    return {"task": metadata["task"], "mask": metadata.get("mask") or "box"}


def read_inputs(files, shape):
    """The images of `files` resized to `shape` `(h, w, c)`, in [-1, 1]."""
    import keras
    import numpy as np

    mode = "grayscale" if shape[-1] == 1 else "rgb"
    if shape[-1] not in (1, 3):
        raise ValueError(
            f"Expected a model of grey or RGB images. Received one of "
            f"{shape[-1]}-channel images; pass --task for a Pix2Pix whose "
            "inputs are derived from images (inpainting)."
        )
    images = [
        keras.utils.img_to_array(
            keras.utils.load_img(
                f,
                color_mode=mode,
                target_size=shape[:2],
                interpolation="bicubic",
            ),
            data_format="channels_last",
        )
        for f in files
    ]
    return np.stack(images).astype("float32") / 127.5 - 1.0


def run(args):
    """Translates `args.input`'s images into `args.out`: one PNG per image
    and `grid.png` (rows: inputs, outputs, and the originals for a derived
    task)."""
    import numpy as np

    from keras_aegan import datasets
    from keras_aegan import metrics
    from keras_aegan import visualization

    model = load_for_sampling(args.model)
    if not model.translation:
        raise ValueError(
            "Expected a translation model (CycleGAN, DiscoGAN, Pix2Pix). "
            f"Received {type(model).__name__}: use `keras-aegan generate`."
        )
    files = image_files(args.input)
    paired = getattr(model, "paired", False)
    rows = []
    if paired:
        if args.direction != "a_to_b":
            raise ValueError(
                "Expected --direction a_to_b for Pix2Pix, which learns one "
                f"direction. Received --direction {args.direction}."
            )
        task_config = run_task(args.model) or preset_task(args.model)
        if args.task:
            task_config = {"task": args.task, "mask": args.mask or "box"}
        if task_config:
            # The inputs are derived from the user's images, as in
            # training; the originals are shown as the targets.
            config = dict(task_config, channels=model.image_shape[-1])
            task = datasets.PairedTask(**config)
            images = read_inputs(files, model.image_shape)
            inputs, _ = datasets.make_pairs(task, images, seed=args.seed)
            outputs = model.translate(inputs)
            rows = [task.baseline(inputs), outputs, images]
        else:
            shape = (*model.image_shape[:2], model.input_channels)
            inputs = read_inputs(files, shape)
            outputs = model.translate(inputs)
            rows = [inputs, outputs]
    else:
        images = read_inputs(files, model.image_shape)
        outputs = metrics.translate(model, images, args.direction)
        rows = [images, outputs]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for file, image in zip(files, outputs, strict=True):
        visualization.save_image_grid(
            image[None], out / f"{file.stem}.png", model.pixel_range, padding=0
        )
    grid = visualization.save_image_grid(
        np.concatenate(rows), out / "grid.png", columns=len(files)
    )
    print(
        f"keras-aegan: translated {len(files)} image(s) with "
        f"{type(model).__name__} into {out} (grid: {grid})"
    )
