"""Run by test_distribute.py in a fresh process: JAX must see two host
devices before it starts.

Trains a DCGAN for two steps on one device and under
`keras.distribution.DataParallel` over two devices, from the same weights,
and prints the largest weight difference as JSON.
"""

import json
import os
import sys

os.environ["KERAS_BACKEND"] = "jax"
os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_aegan import networks  # noqa: E402
from keras_aegan.models import DCGAN  # noqa: E402


def build(initial=None):
    gan = DCGAN(
        networks.dcgan_generator(8, (28, 28, 1), base_filters=8),
        networks.dcgan_discriminator((28, 28, 1), base_filters=8),
        latent_dim=8,
        seed=1,
        discriminator_steps=2,
    )
    if initial is not None:
        gan.set_weights(initial)
    gan.compile(
        generator_optimizer=keras.optimizers.SGD(0.05, momentum=0.5),
        discriminator_optimizer=keras.optimizers.SGD(0.05, momentum=0.5),
    )
    return gan


def main():
    data = np.load(sys.argv[1])[:64]
    keras.utils.set_random_seed(0)
    single = build()
    initial = single.get_weights()
    single.fit(data, batch_size=32, epochs=1, shuffle=False, verbose=0)

    devices = keras.distribution.list_devices("cpu")
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=devices)
    )
    parallel = build(initial)
    parallel.fit(data, batch_size=32, epochs=1, shuffle=False, verbose=0)
    diffs = [
        float(np.abs(a - b).max())
        for a, b in zip(
            single.get_weights(), parallel.get_weights(), strict=True
        )
    ]
    moved = [
        float(np.abs(a - b).max())
        for a, b in zip(initial, single.get_weights(), strict=True)
    ]
    print(
        "RESULT",
        json.dumps(
            {
                "devices": len(devices),
                "max_weight_diff": max(diffs),
                "max_weight_change": max(moved),
            }
        ),
    )


if __name__ == "__main__":
    main()
