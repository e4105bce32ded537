"""Throughput of the `keras_aegan.datasets` input pipeline alone.

Iterates `datasets.load(...)` over a full split (MNIST train: 60,000
images) without any model, after one warm-up epoch that also fills the
`tf.data` cache, and prints images/second as a table. Each configuration
is timed over several epochs; the table gives the median epoch.

Usage, from the repository root:

```
KERAS_AEGAN_DATA_DIR=../shared/data python bench/bench_input_pipeline.py
python bench/bench_input_pipeline.py --dataset mnist_sample --epochs 5
```

Configurations:
- `tensors`: iterate the `tf.data.Dataset` (what `fit()` does on the
  TensorFlow backend).
- `numpy`: iterate `ds.as_numpy_iterator()`, the conversion Keras applies
  when it feeds a `tf.data` pipeline to the JAX and PyTorch backends.
- `labels`: `(images, labels)` pairs instead of images only.
- `resize`: `image_size=(32, 32)`; the resized images are cached after
  the warm-up epoch.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from keras_aegan import datasets  # noqa: E402

CONFIGS = {
    "tensors": {"kwargs": {}, "numpy": False},
    "numpy": {"kwargs": {}, "numpy": True},
    "labels": {"kwargs": {"with_labels": True}, "numpy": False},
    "resize": {"kwargs": {"image_size": (32, 32)}, "numpy": False},
}


def _default_data_dir():
    env = os.environ.get(datasets.DATA_DIR_ENV)
    if env:
        return env
    shared = _REPO.parent / "shared" / "data"
    return str(shared) if shared.is_dir() else None


def _one_epoch(ds, as_numpy):
    """Iterates once over `ds`; returns (images, seconds)."""
    iterator = ds.as_numpy_iterator() if as_numpy else iter(ds)
    count = 0
    start = time.perf_counter()
    for batch in iterator:
        images = batch[0] if isinstance(batch, tuple) else batch
        count += int(images.shape[0])
    return count, time.perf_counter() - start


def measure(ds, epochs, as_numpy=False):
    """Times a dataset after one warm-up epoch.

    Args:
        ds: `tf.data.Dataset`. Yields batches of images or pairs.
        epochs: int. Timed epochs after the warm-up.
        as_numpy: bool. Whether to iterate NumPy arrays rather than
            tensors. Defaults to `False`.

    Returns:
        dict with `images` (per epoch), `warmup_s`, `epoch_s` (median
        timed epoch) and `images_per_s` (based on the median epoch).
    """
    count, warmup = _one_epoch(ds, as_numpy)
    times = []
    for _ in range(epochs):
        epoch_count, seconds = _one_epoch(ds, as_numpy)
        if epoch_count != count:
            raise RuntimeError(
                f"Epochs differ in size: {epoch_count} vs {count} images."
            )
        times.append(seconds)
    median = statistics.median(times)
    return {
        "images": count,
        "warmup_s": warmup,
        "epoch_s": median,
        "images_per_s": count / median,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Images/second of the keras_aegan input pipeline."
    )
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--split", default="train")
    parser.add_argument("--data-dir", default=_default_data_dir())
    parser.add_argument("--source", default="auto")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGS),
        help=f"Comma-separated subset of {list(CONFIGS)}.",
    )
    args = parser.parse_args(argv)

    import tensorflow as tf

    start = time.perf_counter()
    images, _ = datasets.load_arrays(args.dataset, args.split, args.data_dir)
    read_s = time.perf_counter() - start
    print(
        f"# keras_aegan input pipeline: {args.dataset}/{args.split}, "
        f"batch {args.batch_size}, {len(images)} images {images.shape[1:]}"
    )
    print(
        f"# data_dir={args.data_dir} tf={tf.__version__} "
        f"python={platform.python_version()} cpus={os.cpu_count()} "
        f"({platform.processor() or platform.machine()})"
    )
    print(f"# reading the files into arrays: {read_s:.2f} s")
    del images

    rows = []
    for name in args.configs.split(","):
        config = CONFIGS[name]
        ds = datasets.load(
            args.dataset,
            split=args.split,
            batch_size=args.batch_size,
            data_dir=args.data_dir,
            source=args.source,
            seed=0,
            **config["kwargs"],
        )
        result = measure(ds, args.epochs, as_numpy=config["numpy"])
        rows.append((name, result))

    header = (
        f"{'config':<10} {'images/epoch':>12} {'warm-up s':>10} "
        f"{'epoch s':>8} {'images/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, r in rows:
        print(
            f"{name:<10} {r['images']:>12} {r['warmup_s']:>10.2f} "
            f"{r['epoch_s']:>8.3f} {r['images_per_s']:>10,.0f}"
        )
    return rows


if __name__ == "__main__":
    main()
