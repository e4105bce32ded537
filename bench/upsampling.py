"""Title: Forward plus backward time of 2x upsampling layers
Author: keras_aegan developers
Date created: 2026-12-01
Last modified: 2026-12-01
Description: Times the formulations of a generator's 2x upsampling.

The DCGAN generators upsample with `Conv2DTranspose(filters, 4, 2,
"same")`. On JAX, XLA's CPU gradient of that convolution is slow. This
script times one training step (forward, backward and an SGD update) of a
one-layer model for each formulation, from 14x14x128 to 28x28x128 at batch
128, as in the keras.io DCGAN generator:

- `conv_transpose`: `keras.layers.Conv2DTranspose(128, 4, 2, "same")`;
- `subpixel_transpose`: `keras_aegan.networks.SubpixelConv2DTranspose`,
  the same maths as one 2x2 convolution to 4 x 128 channels and depth to
  space (the layer the default generators use);
- `zero_insertion`: the same maths as a 4x4 convolution of the input with
  zeros inserted between its pixels;
- `subpixel_3x3`: a 3x3 convolution to 4 x 128 channels and depth to space
  (Shi et al. 2016; a different network);
- `resize_conv`: nearest-neighbour `UpSampling2D` and a 3x3 convolution
  (Odena et al. 2016; a different network).

Run it on each backend:

    KERAS_BACKEND=jax python bench/upsampling.py --repeats 5
"""

import argparse
import json
import time

import keras
import numpy as np
from keras import layers
from keras import ops

from keras_aegan.networks import SubpixelConv2DTranspose


class ZeroInsertionConv2DTranspose(layers.Conv2DTranspose):
    """`Conv2DTranspose(k, 2, "same")` as a convolution of a dilated input."""

    def call(self, inputs):
        batch, height, width, channels = ops.shape(inputs)
        zeros = ops.zeros_like(inputs)
        # Insert a zero after every pixel along each axis.
        x = ops.reshape(
            ops.stack([inputs, zeros], axis=3),
            (batch, height, 2 * width, channels),
        )
        x = ops.reshape(
            ops.stack([x, ops.zeros_like(x)], axis=2),
            (batch, 2 * height, 2 * width, channels),
        )
        k = self.kernel_size[0]
        after = (k - 2) // 2
        before = k - 1 - after
        x = ops.pad(x, ((0, 0), (before, after), (before, after), (0, 0)))
        kernel = ops.transpose(ops.flip(self.kernel, (0, 1)), (0, 1, 3, 2))
        return ops.conv(x, kernel) + self.bias


def candidates(filters):
    return {
        "conv_transpose": lambda: layers.Conv2DTranspose(
            filters, 4, strides=2, padding="same"
        ),
        "subpixel_transpose": lambda: SubpixelConv2DTranspose(
            filters, 4, strides=2, padding="same"
        ),
        "zero_insertion": lambda: ZeroInsertionConv2DTranspose(
            filters, 4, strides=2, padding="same"
        ),
        "subpixel_3x3": lambda: keras.Sequential(
            [
                layers.Conv2D(4 * filters, 3, padding="same"),
                layers.Lambda(lambda x: ops.depth_to_space(x, 2)),
            ]
        ),
        "resize_conv": lambda: keras.Sequential(
            [layers.UpSampling2D(2), layers.Conv2D(filters, 3, padding="same")]
        ),
    }


def step_seconds(layer, x, y, repeats):
    inputs = keras.Input(x.shape[1:])
    model = keras.Model(inputs, layer(inputs))
    model.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse")
    for _ in range(2):
        model.train_on_batch(x, y)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.train_on_batch(x, y)
        times.append(time.perf_counter() - start)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--size", type=int, default=14)
    parser.add_argument("--filters", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    shape = (args.batch_size, args.size, args.size, args.filters)
    x = rng.normal(size=shape).astype("float32")
    y = rng.normal(
        size=(args.batch_size, 2 * args.size, 2 * args.size, args.filters)
    ).astype("float32")
    results = {}
    for name, build in candidates(args.filters).items():
        if args.only and name not in args.only:
            continue
        times = step_seconds(build(), x, y, args.repeats)
        results[name] = {
            "median_s": float(np.median(times)),
            "min_s": float(np.min(times)),
            "max_s": float(np.max(times)),
        }
        print(name, json.dumps(results[name]), flush=True)
    print(json.dumps({"backend": keras.backend.backend(), **results}))


if __name__ == "__main__":
    main()
