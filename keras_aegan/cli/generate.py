"""`keras-aegan generate`: a sample grid from a run, a file or a preset."""

from pathlib import Path


def load_for_sampling(reference):
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


def run(args):
    """Writes a grid of `args.num` samples of `args.model` to `args.out`."""
    from keras_aegan import visualization

    model = load_for_sampling(args.model)
    if model.translation:
        raise ValueError(
            f"{type(model).__name__} translates images rather than sampling "
            f"them: use `keras-aegan translate {args.model} --input FOLDER "
            "--out FOLDER`."
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
