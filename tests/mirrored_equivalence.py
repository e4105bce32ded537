"""Run by test_distribute.py in a fresh process: TensorFlow's logical devices
must be configured before anything else touches TensorFlow.

Trains a DCGAN (two optimizers, fresh noise, no batch normalization, plain
SGD so that a wrongly scaled gradient shows, float64) for two steps on a
global batch, once on one device and once under a 2-replica
MirroredStrategy, and prints the largest weight difference as JSON.
"""

import json
import os
import sys

os.environ["KERAS_BACKEND"] = "tensorflow"

import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * 2
)

import keras  # noqa: E402

# Float64: the replicas sum their gradients in a different order than one
# device does; in float32 that rounding, amplified over four SGD steps,
# reached 1e-4 for some initializations. In float64 it stays near 1e-15,
# far below what a wrongly scaled gradient would give.
keras.config.set_floatx("float64")
import numpy as np  # noqa: E402

from keras_aegan import networks  # noqa: E402
from keras_aegan.models import DCGAN  # noqa: E402


def build(initial=None):
    # Batch norm normalizes with per-replica statistics; the networks go
    # without it so that the comparison isolates the training core.
    gan = DCGAN(
        networks.dcgan_generator(
            8, (28, 28, 1), base_filters=8, batch_norm=False
        ),
        networks.dcgan_discriminator(
            (28, 28, 1), base_filters=8, batch_norm=False
        ),
        latent_dim=8,
        seed=1,
        discriminator_steps=2,
    )
    if initial is not None:
        gan.set_weights(initial)
    gan.compile(
        generator_optimizer=keras.optimizers.SGD(0.5, momentum=0.5),
        discriminator_optimizer=keras.optimizers.SGD(0.5, momentum=0.5),
    )
    return gan


def main():
    images = np.load(sys.argv[1])
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    global_batch = 32
    data = images[: global_batch * steps]
    keras.utils.set_random_seed(0)
    single = build()
    initial = single.get_weights()
    single.fit(
        data, batch_size=global_batch, epochs=1, shuffle=False, verbose=0
    )
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        mirrored = build(initial)
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(global_batch)
    history = mirrored.fit(dataset, epochs=1, verbose=0)
    diffs = [
        float(np.abs(a - b).max())
        for a, b in zip(
            single.get_weights(), mirrored.get_weights(), strict=True
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
                "replicas": strategy.num_replicas_in_sync,
                "max_weight_diff": max(diffs),
                "min_weight_change": min(moved),
                "d_steps": int(
                    mirrored.optimizer[
                        "discriminator_optimizer"
                    ].iterations.numpy()
                ),
                "d_loss": history.history["d_loss"][0],
            }
        ),
    )


if __name__ == "__main__":
    main()
