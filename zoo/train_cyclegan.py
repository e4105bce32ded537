"""Trains and evaluates the `cyclegan_horse2zebra_64` preset (issue 6).

Training writes a resumable run folder: `checkpoint.keras` and
`training_state.json` after every epoch (`--resume` goes on from them),
translation grids of fixed test images per epoch in `grids/`, and
`history.csv`. Evaluation translates the whole test split, measures the
translation success rate with the horse/zebra classifier preset (and the
rate of untranslated images, its baseline), the cycle error and the
Fréchet distance on that classifier's features, then writes the preset
into the package, its registry entry and the model card's grids.

Usage, from the repository root (one heavy job at a time on 2 cores):

```
KERAS_BACKEND=tensorflow python zoo/train_cyclegan.py train \
    --data-dir ../shared/data --out runs/cyclegan_horse2zebra_64
KERAS_BACKEND=tensorflow python zoo/train_cyclegan.py evaluate \
    --data-dir ../shared/data --out runs/cyclegan_horse2zebra_64
```

`evaluate --from-preset --weights-dtype float16` measures the shipped
preset with its weights rounded to float16 and stores it so, keeping its
recipe and training record (no run folder needed).
"""

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np
import run_folder  # zoo/run_folder.py, which puts the repository on the path

from keras_aegan import callbacks as aegan_callbacks
from keras_aegan import checkpointing
from keras_aegan import datasets
from keras_aegan import metrics
from keras_aegan import models
from keras_aegan import presets
from keras_aegan import visualization

NAME = "cyclegan_horse2zebra_64"
CARD = run_folder.REPO / "zoo" / NAME
CLASSIFIER = (
    run_folder.REPO / "keras_aegan" / "presets" / "horse2zebra_classifier"
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    run_folder.add_run_arguments(parser, "Images per domain, for smoke runs.")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--load-size", type=int, default=72)
    parser.add_argument("--generator-filters", type=int, default=16)
    parser.add_argument("--residual-blocks", type=int, default=6)
    parser.add_argument("--discriminator-filters", type=int, default=32)
    parser.add_argument(
        "--generator-upsampling",
        choices=("transpose", "resize"),
        default="transpose",
        help="Transposed convolutions (the paper) or nearest-neighbour "
        "resize + convolution (Odena et al. 2016, no checkerboard).",
    )
    run_folder.add_shipping_arguments(parser)
    return parser.parse_args(argv)


def test_images(args, suffix, count=None):
    ds = datasets.load(
        "horse2zebra",
        "test" + suffix,
        batch_size=64,
        image_size=args.image_size,
        shuffle=False,
        data_dir=args.data_dir,
        max_examples=count,
    )
    return np.concatenate([np.asarray(b) for b in ds])


class TranslationGrids(keras.callbacks.Callback):
    """Saves rows of (input, translation, reconstruction) each epoch."""

    def __init__(self, horses, zebras, folder):
        super().__init__()
        self.horses = horses
        self.zebras = zebras
        self.folder = Path(folder)

    def on_epoch_end(self, epoch, logs=None):
        for name, images, direction in (
            ("horse2zebra", self.horses, "a_to_b"),
            ("zebra2horse", self.zebras, "b_to_a"),
        ):
            save_translation_grid(
                self.model,
                images,
                direction,
                self.folder / f"{name}_epoch_{epoch + 1:03d}.png",
            )


def save_translation_grid(model, images, direction, path):
    back = "b_to_a" if direction == "a_to_b" else "a_to_b"
    translated = metrics.translate(model, images, direction)
    restored = metrics.translate(model, translated, back)
    # One column per input: input, translation, reconstruction.
    grid = np.concatenate([images, translated, restored], axis=0)
    visualization.save_image_grid(grid, path, (-1.0, 1.0), len(images))


def train(args):
    out = Path(args.out)
    keras.utils.set_random_seed(args.seed)
    train_ds = datasets.load_unpaired(
        "horse2zebra",
        "train",
        image_size=args.image_size,
        load_size=args.load_size,
        batch_size=args.batch_size,
        seed=args.seed,
        data_dir=args.data_dir,
        max_examples=args.max_examples,
    )
    steps = int(train_ds.cardinality())

    def build():
        model = models.CycleGAN(
            image_shape=(args.image_size, args.image_size, 3),
            generator_filters=args.generator_filters,
            num_residual_blocks=args.residual_blocks,
            discriminator_filters=args.discriminator_filters,
            generator_upsampling=args.generator_upsampling,
            seed=args.seed,
        )
        model.compile(epochs=args.epochs, steps_per_epoch=steps)
        return model

    model, initial_epoch = run_folder.start_or_resume(args, build)
    horses = test_images(args, "A", 8)
    zebras = test_images(args, "B", 8)
    callbacks = [
        TranslationGrids(horses, zebras, out / "grids"),
        keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
        aegan_callbacks.ResumableCheckpoint(out),
    ]
    start = time.time()
    model.fit(
        train_ds,
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=callbacks,
        shuffle=False,  # load_unpaired shuffles every epoch
        verbose=2,
    )
    print(f"trained to epoch {args.epochs} in {time.time() - start:.0f} s")


def evaluate(args):
    out = Path(args.out)
    if args.from_preset:
        model = models.CycleGAN.from_preset(NAME)
    else:
        model, *_ = checkpointing.resume_from(out)
    # Measured as it will be stored: the weights a user loads.
    presets.round_weights(model, args.weights_dtype)
    horses = test_images(args, "A")
    zebras = test_images(args, "B")
    judge = metrics.load_domain_classifier(CLASSIFIER, output="probabilities")
    features = metrics.load_domain_classifier(CLASSIFIER)
    fake_zebras = metrics.translate(model, horses, "a_to_b")
    fake_horses = metrics.translate(model, zebras, "b_to_a")

    def fd(x, y):
        return metrics.frechet_distance_from_features(
            features(x, pixel_range=(-1, 1)), features(y, pixel_range=(-1, 1))
        )

    results = {
        "classifier": judge.metadata["extractor_name"],
        "classifier_test_accuracy": judge.metadata["test_accuracy"],
        "num_test_horses": len(horses),
        "num_test_zebras": len(zebras),
        "success_rate_horse_to_zebra": metrics.translation_success_rate(
            fake_zebras, judge, 1
        ),
        "zebra_rate_of_untranslated_horses": metrics.translation_success_rate(
            horses, judge, 1
        ),
        "success_rate_zebra_to_horse": metrics.translation_success_rate(
            fake_horses, judge, 0
        ),
        "horse_rate_of_untranslated_zebras": metrics.translation_success_rate(
            zebras, judge, 0
        ),
        "cycle_error_a_l1": metrics.cycle_reconstruction_error(
            model, horses, "a_to_b"
        ),
        "cycle_error_b_l1": metrics.cycle_reconstruction_error(
            model, zebras, "b_to_a"
        ),
        "fd_translated_horses_to_test_zebras": fd(fake_zebras, zebras),
        "fd_untranslated_horses_to_test_zebras": fd(horses, zebras),
        "fd_translated_zebras_to_test_horses": fd(fake_horses, horses),
        "fd_untranslated_zebras_to_test_horses": fd(zebras, horses),
        "fd_label": features.label,
        # Period-2 artefacts of the upsampling, against real images.
        "checkerboard_energy_translated_horses": metrics.checkerboard_energy(
            fake_zebras
        ),
        "checkerboard_energy_translated_zebras": metrics.checkerboard_energy(
            fake_horses
        ),
        "checkerboard_energy_test_horses": metrics.checkerboard_energy(horses),
        "checkerboard_energy_test_zebras": metrics.checkerboard_energy(zebras),
    }
    if args.no_ship:
        save_translation_grid(
            model, horses[:8], "a_to_b", out / "horse2zebra.png"
        )
        save_translation_grid(
            model, zebras[:8], "b_to_a", out / "zebra2horse.png"
        )
        (out / "metrics.json").write_text(json.dumps(results, indent=2))
        print(json.dumps(results, indent=2))
        return
    if args.from_preset:
        run_folder.reship(model, NAME, results, args.weights_dtype)
    else:
        run_folder.ship(
            model,
            NAME,
            "train_cyclegan.py",
            out,
            {
                "dataset": "horse2zebra",
                "split": "train",
                "domains": {"A": "horse", "B": "zebra"},
            },
            results,
            args.weights_dtype,
        )
    CARD.mkdir(parents=True, exist_ok=True)
    save_translation_grid(model, horses[:8], "a_to_b", CARD / "horse2zebra.png")
    save_translation_grid(model, zebras[:8], "b_to_a", CARD / "zebra2horse.png")
    (CARD / "metrics.json").write_text(json.dumps(results, indent=2))
    # Outputs for fixed inputs, which every backend must reproduce.
    np.savez_compressed(
        CARD / "reference.npz",
        inputs_a_to_b=horses[:4],
        outputs_a_to_b=fake_zebras[:4],
        inputs_b_to_a=zebras[:4],
        outputs_b_to_a=fake_horses[:4],
    )
    print(json.dumps(results, indent=2))


def main(argv=None):
    args = parse_args(argv)
    if args.stage == "train":
        train(args)
    else:
        evaluate(args)


if __name__ == "__main__":
    main()
