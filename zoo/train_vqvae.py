"""Trains and evaluates the `vqvae_cifar10` preset (issue 17).

The model is van den Oord et al. (2017)'s CIFAR-10 VQ-VAE (section 4.1), at
the width of Sonnet's reference example: two stride-2 4x4 convolutions
(64, 128 filters), a 3x3 convolution, two residual blocks (3x3 of 32, 1x1
of 128), and a 1x1 projection to an 8x8 grid of 64-d vectors; the decoder
mirrors it. The codebook holds 512 codes with moving-average updates
(decay 0.99, appendix A.1) and dead-code restarts. The loss is the squared
error of images in [0, 1], with the commitment cost beta = 0.25.

Training writes a resumable run folder: `checkpoint.keras` and
`training_state.json` after every epoch (`--resume` goes on from them),
`history.csv`, and a reconstruction grid of fixed test images per epoch in
`grids/`. Evaluation runs on the 10,000 CIFAR-10 test images: the
perplexity of their code usage (the exponential of the entropy of the
codes' histogram over every grid position of every image, from 1 to 512),
and the mean squared reconstruction error divided by the test pixels'
variance (the normalized error of Sonnet's example). It then writes the
preset into the package, its registry entry and the model card's files.

Usage, from the repository root (one heavy job at a time on 2 cores):

```
KERAS_BACKEND=tensorflow python zoo/train_vqvae.py train \
    --data-dir ../shared/data --out runs/vqvae_cifar10
KERAS_BACKEND=tensorflow python zoo/train_vqvae.py evaluate \
    --data-dir ../shared/data --out runs/vqvae_cifar10
```
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
from keras_aegan import models
from keras_aegan import networks
from keras_aegan import visualization

NAME = "vqvae_cifar10"
CARD = run_folder.REPO / "zoo" / NAME
SHAPE = (32, 32, 3)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    run_folder.add_run_arguments(parser, "Training images, for smoke runs.")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--residual-blocks", type=int, default=2)
    parser.add_argument("--residual-filters", type=int, default=32)
    parser.add_argument("--num-embeddings", type=int, default=512)
    parser.add_argument("--embedding-dim", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=3e-4)
    parser.add_argument(
        "--dead-code-threshold",
        type=float,
        default=0.03,
        help="Restart codes that average fewer vectors per batch.",
    )
    parser.add_argument("--mixed-precision", default=None)
    return parser.parse_args(argv)


def build(args):
    half = args.hidden // 2
    common = {
        "residual_blocks": args.residual_blocks,
        "residual_filters": args.residual_filters,
    }
    encoder = networks.conv_feature_encoder(
        SHAPE, args.embedding_dim, filters=(half, args.hidden), **common
    )
    decoder = networks.conv_feature_decoder(
        tuple(encoder.output.shape[1:]),
        SHAPE,
        filters=(args.hidden, half),
        **common,
    )
    return models.VQVAE(
        encoder,
        decoder,
        image_shape=SHAPE,
        num_embeddings=args.num_embeddings,
        embedding_dim=args.embedding_dim,
        ema=True,
        decay=0.99,
        dead_code_threshold=args.dead_code_threshold,
        reconstruction="squared_error",
        learning_rate=args.learning_rate,
        seed=args.seed,
    )


def test_images(args, count=None):
    ds = datasets.load(
        "cifar10",
        "test",
        batch_size=250,
        pixel_range=(0.0, 1.0),
        shuffle=False,
        data_dir=args.data_dir,
        max_examples=count,
    )
    return np.concatenate([np.asarray(b) for b in ds])


def save_reconstruction_grid(model, images, path):
    """Originals in the top row, their reconstructions below."""
    reconstructions = np.clip(model.reconstruct(images), 0.0, 1.0)
    grid = np.concatenate([images, reconstructions], axis=0)
    visualization.save_image_grid(grid, path, (0.0, 1.0), len(images))


class ReconstructionGrids(keras.callbacks.Callback):
    def __init__(self, images, folder):
        super().__init__()
        self.images = images
        self.folder = Path(folder)

    def on_epoch_end(self, epoch, logs=None):
        save_reconstruction_grid(
            self.model,
            self.images,
            self.folder / f"reconstructions_epoch_{epoch + 1:03d}.png",
        )


def train(args):
    out = Path(args.out)
    keras.utils.set_random_seed(args.seed)
    if args.mixed_precision:
        keras.mixed_precision.set_global_policy(f"mixed_{args.mixed_precision}")
    train_ds = datasets.load(
        "cifar10",
        "train",
        batch_size=args.batch_size,
        pixel_range=(0.0, 1.0),
        seed=args.seed,
        data_dir=args.data_dir,
        max_examples=args.max_examples,
        drop_remainder=True,
    )

    def build_and_compile():
        model = build(args)
        model.compile()
        return model

    model, initial_epoch = run_folder.start_or_resume(args, build_and_compile)
    callbacks = [
        ReconstructionGrids(test_images(args, 10), out / "grids"),
        keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
        aegan_callbacks.ResumableCheckpoint(out),
    ]
    start = time.time()
    model.fit(
        train_ds,
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=callbacks,
        verbose=2,
    )
    print(f"trained to epoch {args.epochs} in {time.time() - start:.0f} s")


def scores(model, images):
    """Perplexity of the code usage and the normalized reconstruction
    error, over `images` in [0, 1]."""
    codes = model.codes(images, batch_size=250)
    counts = np.bincount(codes.ravel(), minlength=model.num_embeddings)
    p = counts / counts.sum()
    entropy = -np.sum(p[p > 0] * np.log(p[p > 0]))
    reconstructions = model.reconstruct(images)
    mse = float(np.mean((reconstructions - images) ** 2))
    variance = float(np.var(images))
    return {
        "num_test_images": len(images),
        "perplexity": float(np.exp(entropy)),
        "codes_in_use": int(np.sum(counts > 0)),
        "reconstruction_mse": mse,
        "test_pixel_variance": variance,
        "normalized_mse": mse / variance,
    }


def evaluate(args):
    out = Path(args.out)
    model, *_ = checkpointing.resume_from(out)
    images = test_images(args)
    results = scores(model, images)
    results["normalized_mse_first_256"] = scores(model, images[:256])[
        "normalized_mse"
    ]
    print(json.dumps(results, indent=2))
    if args.no_ship:
        save_reconstruction_grid(
            model, images[:10], out / "reconstructions.png"
        )
        (out / "metrics.json").write_text(json.dumps(results, indent=2))
        return
    run_folder.ship(
        model,
        NAME,
        "train_vqvae.py",
        out,
        {"dataset": "cifar10", "split": "train"},
        results,
    )
    CARD.mkdir(parents=True, exist_ok=True)
    save_reconstruction_grid(model, images[:10], CARD / "reconstructions.png")
    (CARD / "metrics.json").write_text(json.dumps(results, indent=2))
    # Outputs for fixed inputs, which every backend must reproduce.
    np.savez_compressed(
        CARD / "reference.npz",
        inputs=images[:4],
        codes=model.codes(images[:4]),
        reconstructions=model.reconstruct(images[:4]),
    )


def main(argv=None):
    args = parse_args(argv)
    if args.stage == "train":
        train(args)
    else:
        evaluate(args)


if __name__ == "__main__":
    main()
