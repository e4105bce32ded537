"""Does the input pipeline keep a DCGAN's training step fed?

Measures, on the active Keras backend, images per second of:

1. `pipeline`: iterating `datasets.load("mnist", batch_size=128)` alone
   (after a warm-up epoch that fills the cache);
2. `step`: the DCGAN training step fed one cached batch over and over, so
   no data work at all;
3. `fit`: `DCGAN.fit()` on the real pipeline, for the same number of steps.

If `fit` runs at the speed of `step`, the CPU does not wait on data.

Usage, from the repository root:

```
KERAS_BACKEND=jax python bench/bench_pipeline_vs_step.py \\
    --data-dir ../shared/data --steps 469
```
"""

import argparse
import os
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_aegan import datasets  # noqa: E402
from keras_aegan.models import DCGAN  # noqa: E402


def pipeline_rate(data, steps, batch_size):
    iterator = iter(data.repeat())
    next(iterator)
    start = time.perf_counter()
    for _ in range(steps):
        next(iterator)
    return steps * batch_size / (time.perf_counter() - start)


def fit_rate(data, steps, batch_size):
    gan = DCGAN(image_shape=(28, 28, 1), seed=0)
    gan.compile()
    gan.fit(data.repeat(), steps_per_epoch=5, epochs=1, verbose=0)  # compile
    start = time.perf_counter()
    gan.fit(data.repeat(), steps_per_epoch=steps, epochs=1, verbose=0)
    return steps * batch_size / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument(
        "--data-dir", default=os.environ.get("KERAS_AEGAN_DATA_DIR")
    )
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=469)
    args = parser.parse_args()

    data = datasets.load(
        args.dataset,
        batch_size=args.batch_size,
        pixel_range=(-1.0, 1.0),
        data_dir=args.data_dir,
        drop_remainder=True,
        seed=0,
    )
    for _ in data:  # warm-up epoch: fills the cache
        pass
    one_batch = tf.data.Dataset.from_tensors(next(iter(data))).cache()

    rates = {
        "pipeline": pipeline_rate(data, args.steps, args.batch_size),
        "step": fit_rate(one_batch, args.steps, args.batch_size),
        "fit": fit_rate(data, args.steps, args.batch_size),
    }
    print(
        f"backend {keras.backend.backend()}, {args.dataset}, batch "
        f"{args.batch_size}, {args.steps} steps, {os.cpu_count()} CPUs"
    )
    print(f"{'what':<10} {'images/s':>10}")
    for name, rate in rates.items():
        print(f"{name:<10} {rate:>10.0f}")
    print(
        f"fit / step = {rates['fit'] / rates['step']:.2f} "
        "(1.0: the step never waits on data)"
    )


if __name__ == "__main__":
    main()
