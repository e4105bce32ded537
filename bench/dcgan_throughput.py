"""Title: DCGAN training throughput per backend, with each upsampling layer
Author: keras_aegan developers
Date created: 2026-12-01
Last modified: 2026-12-01
Description: Images per second of `DCGAN.fit()` on MNIST-shaped data.

Two generators, each with `keras.layers.Conv2DTranspose` and with
`networks.SubpixelConv2DTranspose` (the same maths and weights):

- `default`: `networks.dcgan_generator()` and `dcgan_discriminator()` for
  28x28x1, the networks `DCGAN(image_shape=(28, 28, 1))` builds;
- `keras_io`: the keras.io DCGAN shape at 28x28x1: a dense layer to
  7x7x128, two `Conv2DTranspose(128, 4, 2)` with LeakyReLU(0.2), and a 7x7
  `tanh` convolution; a discriminator of two stride-2
  convolutions (64, 128) and a dense logit.

One D and one G step per batch, Adam(2e-4, 0.5), batch 128. The first
epoch (compilation) is excluded; the figure is the median over repeats of
`steps` steps. Run it on each backend:

    KERAS_BACKEND=jax python bench/dcgan_throughput.py --steps 10 --repeats 3
"""

import argparse
import json
import time

import keras
import numpy as np
from keras import layers

from keras_aegan import models
from keras_aegan import networks
from keras_aegan.networks import SubpixelConv2DTranspose

LATENT = 100
SHAPE = (28, 28, 1)


def keras_io_generator(upsampling):
    z = keras.Input((LATENT,))
    x = layers.Dense(7 * 7 * 128)(z)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((7, 7, 128))(x)
    for _ in range(2):
        x = upsampling(128, 4, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
    images = layers.Conv2D(1, 7, padding="same", activation="tanh")(x)
    return keras.Model(z, images, name="generator")


def keras_io_discriminator():
    images = keras.Input(SHAPE)
    x = images
    for filters in (64, 128):
        x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.GlobalMaxPooling2D()(x)
    return keras.Model(images, layers.Dense(1)(x), name="discriminator")


def build(networks_name, upsampling_name):
    forced = upsampling_name == "subpixel"

    def subpixel(*args, **kwargs):
        return SubpixelConv2DTranspose(*args, subpixel=forced, **kwargs)

    if networks_name == "default":
        generator = networks.dcgan_generator(LATENT, SHAPE)
        for layer in generator.layers:
            if isinstance(layer, SubpixelConv2DTranspose):
                layer.subpixel = forced
        discriminator = networks.dcgan_discriminator(SHAPE)
    else:
        generator = keras_io_generator(subpixel)
        discriminator = keras_io_discriminator()
    if upsampling_name == "conv_transpose":
        generator = networks.plain_conv_transpose(generator)
    return models.DCGAN(generator, discriminator, latent_dim=LATENT, seed=0)


class _Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def images_per_second(model, images, batch_size, repeats):
    model.compile(
        discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    model.fit(images[:batch_size], batch_size=batch_size, verbose=0)
    rates = []
    for _ in range(repeats):
        timer = _Timer()
        model.fit(images, batch_size=batch_size, verbose=0, callbacks=[timer])
        rates.append(len(images) / timer.seconds)
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--networks", nargs="+", default=["default", "keras_io"]
    )
    parser.add_argument(
        "--upsampling", nargs="+", default=["conv_transpose", "subpixel"]
    )
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (args.batch_size * args.steps, *SHAPE))
    images = images.astype("float32")
    for networks_name in args.networks:
        for upsampling_name in args.upsampling:
            keras.utils.clear_session()
            model = build(networks_name, upsampling_name)
            rates = images_per_second(
                model, images, args.batch_size, args.repeats
            )
            row = {
                "backend": keras.backend.backend(),
                "networks": networks_name,
                "upsampling": upsampling_name,
            }
            for stat in ("median", "min", "max"):
                value = float(getattr(np, stat)(rates))
                row[f"images_per_s_{stat}"] = round(value, 1)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
