"""`keras-aegan evaluate`: sample-quality scores on a test split."""

from pathlib import Path

from keras_aegan.cli.generate import load_for_sampling


def preset_metadata(reference):
    """A preset's metadata, or None when `reference` is not a preset."""
    import json

    from keras_aegan import presets

    try:
        folder = presets.resolve(reference)
    except (ValueError, FileNotFoundError, OSError):
        return None
    return json.loads((folder / presets.METADATA_FILE).read_text())


def preset_dataset(reference):
    """The data set named in a preset's metadata, or None."""
    return (preset_metadata(reference) or {}).get("dataset")


def run(args):
    """Scores `args.model`'s samples against a test split and prints (and
    with `--json` writes) the scores."""
    import json

    from keras_aegan import datasets
    from keras_aegan import metrics
    from keras_aegan import presets

    model = load_for_sampling(args.model)
    if not getattr(model, "samples", False):
        raise ValueError(
            f"Expected a model that samples images with generate(). "
            f"Received {type(model).__name__}."
        )
    dataset = args.dataset or preset_dataset(args.model)
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
    if "class_accuracy" in scores:
        worst = min(scores["class_accuracy_per_class"])
        print(
            f"samples classified as their requested class "
            f"({classifier.name}): {scores['class_accuracy']:.4f}, "
            f"lowest class {worst:.4f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2))
        print(f"keras-aegan: wrote {args.json}")
