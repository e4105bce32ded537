"""Start-up time of a model on JAX on CPU, with and without the
partitionable threefry.

JAX 0.5 made `jax_threefry_partitionable=True` the default. On CPU, XLA
then takes far longer to compile each random draw, and Keras initializers
make one eager draw per new kernel shape, so building a network compiles
one small program per layer. This script builds a model's default networks
and runs its first `fit()` step (which compiles the step, with its own
draws), each setting in a fresh process, and prints JSON.

    python bench/jax_startup.py [--models dcgan vae cyclegan]

The setting changes which numbers a key draws, not the code that runs:
`JAX_THREEFRY_PARTITIONABLE=0` before starting Python selects the older
scheme, whose draws do not shard as well across devices.
"""

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, sys, time
import numpy as np
import keras
import keras_aegan

name = sys.argv[1]
start = time.perf_counter()
if name == "dcgan":
    model = keras_aegan.models.DCGAN(image_shape=(28, 28, 1), seed=0)
    data = np.zeros((64, 28, 28, 1), "float32")
elif name == "vae":
    model = keras_aegan.models.VAE(image_shape=(28, 28, 1), seed=0)
    data = np.zeros((64, 28, 28, 1), "float32")
elif name == "cyclegan":
    model = keras_aegan.models.CycleGAN(image_shape=(64, 64, 3), seed=0)
    images = np.zeros((2, 64, 64, 3), "float32")
    data = (images, images)
else:
    raise ValueError(f"Unknown model {name!r}.")
built = time.perf_counter()
model.compile()
batch = 2 if name == "cyclegan" else 64
model.fit(data, epochs=1, batch_size=batch, steps_per_epoch=1, verbose=0)
stepped = time.perf_counter()
print(json.dumps({"build_s": built - start, "first_step_s": stepped - built}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--models", nargs="+", default=["dcgan", "vae", "cyclegan"]
    )
    args = parser.parse_args()
    rows = []
    for name in args.models:
        for partitionable in ("1", "0"):
            env = dict(
                os.environ,
                KERAS_BACKEND="jax",
                JAX_THREEFRY_PARTITIONABLE=partitionable,
            )
            done = subprocess.run(
                [sys.executable, "-c", CHILD, name],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row.update(model=name, partitionable=partitionable == "1")
            rows.append(row)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
