"""Turns a finished `keras-aegan train` run into a shipped preset and card.

Measures the model on the real test set (for MNIST, a digit classifier's
statistics; where a domain classifier is shipped for the data set, the
Fréchet distance, KID, precision/recall and IS analogue on its features,
next to the train-vs-test floor), writes the preset folder
into the package (`keras_aegan/presets/<name>/`), records its metadata hash
in its declaration (the `*_presets.py` beside its class), and writes the
model card `zoo/<name>/README.md` with a sample grid.

Usage, from the repository root, after the recipe's training command:

```
python zoo/build_preset.py zoo/dcgan_mnist/recipe.json
```
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import keras  # noqa: E402

from keras_aegan import checkpointing  # noqa: E402
from keras_aegan import datasets  # noqa: E402
from keras_aegan import metrics as aegan_metrics  # noqa: E402
from keras_aegan import presets  # noqa: E402
from keras_aegan import visualization  # noqa: E402


def digit_classifier(data_dir, seed=0):
    """A small CNN trained on the MNIST train split; returns it and its
    test accuracy."""
    x, y = datasets.load_arrays("mnist", "train", data_dir=data_dir)
    x_test, y_test = datasets.load_arrays("mnist", "test", data_dir=data_dir)
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Conv2D(64, 3, activation="relu")(h)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Flatten()(h)
    h = keras.layers.Dropout(0.3)(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    classifier = keras.Model(inputs, outputs)
    classifier.compile(
        "adam", "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    classifier.fit(x / 255.0, y, epochs=2, batch_size=128, verbose=0)
    _, accuracy = classifier.evaluate(
        x_test / 255.0, y_test, batch_size=512, verbose=0
    )
    return classifier, float(accuracy)


def sample_metrics(model, data_dir, count=10000):
    """Digit-classifier statistics of generated samples (not FID)."""
    classifier, accuracy = digit_classifier(data_dir)
    images = []
    for start in range(0, count, 1000):
        batch = model.generate(1000, seed=10_000 + start)
        images.append(np.asarray(keras.ops.convert_to_numpy(batch)))
    images = np.concatenate(images)
    low, high = model.pixel_range
    unit = (images - low) / (high - low)
    probs = classifier.predict(unit, batch_size=500, verbose=0)
    confidence = probs.max(axis=1)
    histogram = np.bincount(probs.argmax(axis=1), minlength=10) / count
    return {
        "classifier": "small CNN trained by zoo/build_preset.py on MNIST "
        "train (2 epochs); these are not FID numbers",
        "classifier_test_accuracy": round(accuracy, 4),
        "samples": count,
        "mean_max_probability": round(float(confidence.mean()), 4),
        "fraction_confident_over_0.9": round(
            float((confidence > 0.9).mean()), 4
        ),
        "class_histogram": [round(float(h), 4) for h in histogram],
    }


def domain_metrics(model, dataset, data_dir, count=10000):
    """Scores against the test split on the shipped domain classifier,
    with the floor of the same metrics between real train and test."""
    name = f"{dataset}_classifier"
    extractor = aegan_metrics.load_domain_classifier(name)
    classifier = aegan_metrics.load_domain_classifier(name, "probabilities")
    test, _ = datasets.load_arrays(dataset, "test", data_dir=data_dir)
    scores = aegan_metrics.evaluate_generator(
        model, test, extractor, classifier, num_samples=count
    )
    floor = aegan_metrics.reference_floor(
        dataset, extractor, classifier, data_dir=data_dir
    )
    return {
        "domain_features": scores,
        "domain_floor_train_vs_test": floor,
        "domain_classifier_test_accuracy": extractor.metadata["test_accuracy"],
    }


def paired_test_pairs(recipe, data_dir):
    """The recipe's task, and its test pairs: every test image, each with
    the input of seed 0 (the same holes on every rebuild, whatever the
    global seed)."""
    mask = recipe.get("mask", "box")
    images = datasets.load(
        recipe["dataset"],
        split="test",
        batch_size=256,
        shuffle=False,
        data_dir=data_dir,
    )
    images = np.concatenate([np.asarray(batch) for batch in images])
    task = datasets.PairedTask(recipe["task"], images.shape[-1], mask=mask)
    inputs, targets = datasets.make_pairs(task, images, seed=0)
    return task, inputs, targets


def paired_metrics(model, recipe, data_dir):
    """PSNR and SSIM of the model and of its task's baseline on the test
    split, and, where a domain classifier is shipped, the Fréchet distance
    of each to the test images on its features."""
    task, inputs, targets = paired_test_pairs(recipe, data_dir)
    scores = aegan_metrics.paired_translation_scores(
        model, inputs, targets, task
    )
    scores = {k: round(v, 3) for k, v in scores.items()}
    scores["test_images"] = len(targets)
    name = f"{recipe['dataset']}_classifier"
    if name in presets.list_presets():
        extractor = aegan_metrics.load_domain_classifier(name)
        outputs = model.translate(inputs)
        for prefix, images in (
            ("", outputs),
            ("baseline_", task.baseline(inputs)),
        ):
            scores[f"{prefix}fd_{name}"] = round(
                aegan_metrics.frechet_distance_from_images(
                    targets, images, extractor, pixel_range=(-1, 1)
                ),
                3,
            )
    return scores


def write_paired_card_files(model, recipe, data_dir, card_dir):
    """Reference outputs for 8 test inputs, and an input / output / target
    grid of 8 test images per row group."""
    task, inputs, targets = paired_test_pairs(recipe, data_dir)
    rows = np.random.default_rng(0).choice(len(inputs), 16, replace=False)
    inputs, targets = inputs[np.sort(rows)], targets[np.sort(rows)]
    outputs = model.translate(inputs)
    np.savez_compressed(
        card_dir / "reference.npz", inputs=inputs[:8], outputs=outputs[:8]
    )
    shown = task.baseline(inputs)
    grid = np.concatenate(
        [
            np.concatenate(
                [shown[i : i + 8], outputs[i : i + 8], targets[i : i + 8]]
            )
            for i in (0, 8)
        ]
    )
    visualization.save_image_grid(
        grid, card_dir / "samples.png", (-1, 1), columns=8
    )


def vae_metrics(model, data_dir):
    """Negative ELBO on the 10,000 MNIST test digits, in nats."""
    x, _ = datasets.load_arrays("mnist", "test", data_dir=data_dir)
    x = x.astype("float32") / 255.0
    model.compile()
    keras.utils.set_random_seed(0)
    results = model.evaluate(x, batch_size=500, verbose=0, return_dict=True)
    return {
        "test_negative_elbo_nats": round(float(results["loss"]), 2),
        "test_reconstruction_nats": round(
            float(results["reconstruction_loss"]), 2
        ),
        "test_kl_nats": round(float(results["kl_loss"]), 2),
        "how": "single-sample ELBO, Bernoulli likelihood on grey levels in "
        "[0, 1] (not dynamically binarized), averaged over the 10,000 "
        "MNIST test images",
    }


def in_float32(model):
    """The model with float32 compute, for a run trained under a mixed
    policy: a preset computes in float32 unless its user sets a policy.
    Mixed-precision variables are float32 already, so the weights carry
    over unchanged."""

    def strip(value):
        if isinstance(value, dict):
            if value.get("class_name") == "DTypePolicy" and str(
                value.get("config", {}).get("name", "")
            ).startswith("mixed_"):
                return {**value, "config": {"name": "float32"}}
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    if not model.dtype_policy.name.startswith("mixed_"):
        return model
    copy = type(model).from_config(strip(model.get_config()))
    copy.set_weights(model.get_weights())
    return copy


def write_reference(model, path):
    """Outputs for caller-supplied noise, which every backend must match."""
    z = np.random.default_rng(0).normal(size=(8, model.latent_dim))
    z = z.astype("float32")
    if model.conditional:
        # One image of each of the first 8 classes.
        labels = np.arange(8, dtype="int32") % model.num_classes
        outputs = model.generator([z, labels])
        outputs = np.asarray(keras.ops.convert_to_numpy(outputs))
        np.savez_compressed(path, z=z, labels=labels, outputs=outputs)
        return
    decode = model.decode if hasattr(model, "decode") else model.generator
    outputs = np.asarray(keras.ops.convert_to_numpy(decode(z)))
    np.savez_compressed(path, z=z, outputs=outputs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipe")
    parser.add_argument("--data-dir", default=str(_REPO.parent / "shared/data"))
    parser.add_argument(
        "--reuse-metrics",
        action="store_true",
        help="keep the metrics of the preset already built",
    )
    parser.add_argument(
        "--checkpoint",
        help="build from this checkpoint folder of the run (a run stopped "
        "before its last epoch) instead of the run's final model.keras",
    )
    parser.add_argument(
        "--from-preset",
        action="store_true",
        help="build from the shipped preset instead of the run (to store it "
        "again in the recipe's weights_dtype), keeping its training record; "
        "every metric is measured again on the weights as stored",
    )
    args = parser.parse_args()

    recipe_path = Path(args.recipe)
    recipe = json.loads(recipe_path.read_text())
    name = recipe["name"]
    run = _REPO / recipe["out"]
    preset_dir = _REPO / "keras_aegan" / "presets" / name
    if args.from_preset:
        old = json.loads((preset_dir / presets.METADATA_FILE).read_text())
        training = old["training"]
        model = presets.load(name)
    else:
        if args.checkpoint:
            checkpoint = Path(args.checkpoint)
            state = json.loads(
                (checkpoint / checkpointing.STATE_FILE).read_text()
            )
            model_file = checkpoint / checkpointing.CHECKPOINT_FILE
        else:
            state = checkpointing.latest_state(run)
            model_file = run / "model.keras"
        training = {
            "epochs": state["epoch"],
            "steps_into_next_epoch": state.get("step", 0),
            "wall_time_s": state["wall_time_s"],
            "final_logs": state["logs"],
            "machine": recipe.get("machine", ""),
        }
        model = in_float32(keras.saving.load_model(model_file))
    weights_dtype = recipe.get("weights_dtype", "float32")
    if weights_dtype != "float32":
        # Measured as shipped: the weights a user loads.
        presets.round_weights(model, weights_dtype)

    if args.reuse_metrics:
        old = json.loads((preset_dir / presets.METADATA_FILE).read_text())
        metrics = old["metrics"]
    else:
        metrics = {}
        if recipe["model"] == "pix2pix":
            metrics.update(paired_metrics(model, recipe, args.data_dir))
        elif recipe["dataset"] == "mnist":
            metrics.update(sample_metrics(model, args.data_dir))
        if (
            hasattr(model, "generate")
            and not model.translation
            and (f"{recipe['dataset']}_classifier" in presets.list_presets())
        ):
            metrics.update(
                domain_metrics(model, recipe["dataset"], args.data_dir)
            )
        if recipe["model"] == "vae":
            metrics.update(vae_metrics(model, args.data_dir))
    model.save_to_preset(
        preset_dir,
        metadata={
            "dataset": recipe["dataset"],
            "split": "train",
            **{k: recipe[k] for k in ("task", "mask") if k in recipe},
            "recipe": recipe["command"],
            "training": training,
            "metrics": metrics,
        },
        weights_dtype=weights_dtype,
    )
    presets.register(
        name,
        presets.sha256(preset_dir / presets.METADATA_FILE),
        save=True,
    )

    card_dir = recipe_path.parent
    if recipe["model"] == "pix2pix":
        write_paired_card_files(model, recipe, args.data_dir, card_dir)
        print(json.dumps({"name": name, "metrics": metrics}, indent=2))
        return
    write_reference(model, card_dir / "reference.npz")
    if model.conditional:
        # One row per class, ten samples each.
        labels = np.repeat(np.arange(model.num_classes), 10)
        visualization.save_image_grid(
            model.generate(len(labels), labels=labels, seed=0),
            card_dir / "samples.png",
            model.pixel_range,
            10,
        )
    else:
        visualization.save_image_grid(
            model.generate(64, seed=0),
            card_dir / "samples.png",
            model.pixel_range,
        )
    print(json.dumps({"name": name, "metrics": metrics}, indent=2))


if __name__ == "__main__":
    main()
