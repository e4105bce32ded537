"""Builds `mnist_sample.npz`, the MNIST sample shipped with keras_aegan.

The sample holds the first 600 training images of each digit (6,000,
balanced) and the first 100 test images of each digit (1,000), in their
original order, as uint8, plus the indices they have in the full splits.

Usage, from the repository root:

```
python keras_aegan/data/build_mnist_sample.py --mnist-dir ../shared/data/mnist
```

`--mnist-dir` is a folder with the original IDX files
(`{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`).
"""

import argparse
import hashlib
import os
import sys

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))

TRAIN_PER_CLASS = 600
TEST_PER_CLASS = 100


def _first_per_class(labels, per_class):
    """Indices of the first `per_class` examples of each class, sorted."""
    keep = []
    for digit in range(10):
        indices = np.flatnonzero(labels == digit)
        if len(indices) < per_class:
            raise ValueError(
                f"Expected at least {per_class} examples of digit {digit}. "
                f"Received {len(indices)}."
            )
        keep.append(indices[:per_class])
    return np.sort(np.concatenate(keep))


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_digest(path):
    """sha256 over the arrays of a sample file (name, dtype, shape, bytes).

    Unlike the sha256 of the file, which changes with the zip timestamps,
    this digest only depends on the content.

    Args:
        path: str. The `.npz` file.

    Returns:
        str. Hex digest.
    """
    digest = hashlib.sha256()
    with np.load(path) as data:
        for name in sorted(data.files):
            array = data[name]
            digest.update(f"{name}:{array.dtype.str}:{array.shape}".encode())
            digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def build(mnist_dir, output):
    """Reads MNIST from `mnist_dir` and writes the sample to `output`.

    Args:
        mnist_dir: str. Folder with the MNIST IDX files.
        output: str. Path of the `.npz` file to write.

    Returns:
        dict. Split name -> number of examples written.
    """
    # Import the package's IDX reader from this checkout.
    sys.path.insert(0, os.path.dirname(os.path.dirname(_HERE)))
    from keras_aegan.datasets import idx

    arrays = {}
    for split, per_class in (
        ("train", TRAIN_PER_CLASS),
        ("test", TEST_PER_CLASS),
    ):
        files = idx.find_idx_files(mnist_dir, split)
        if files is None:
            raise FileNotFoundError(
                f"Expected the MNIST {split} IDX files in {mnist_dir!r}, "
                f"e.g. {idx.idx_file_candidates(mnist_dir, split, 'images')[0]}"
            )
        for path in files:
            print(f"{_sha256(path)}  {path}")
        images, labels = idx.read_idx_split(*files)
        keep = _first_per_class(labels, per_class)
        arrays[f"x_{split}"] = images[keep, :, :, 0].astype(np.uint8)
        arrays[f"y_{split}"] = labels[keep].astype(np.uint8)
        arrays[f"{split}_indices"] = keep.astype(np.int32)
    np.savez_compressed(output, **arrays)
    return {s: len(arrays[f"y_{s}"]) for s in ("train", "test")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mnist-dir",
        default=os.path.join(
            os.path.dirname(os.path.dirname(os.path.dirname(_HERE))),
            "shared",
            "data",
            "mnist",
        ),
        help="Folder with the MNIST IDX files. Defaults to ../shared/data/"
        "mnist next to the repository.",
    )
    parser.add_argument(
        "--output",
        default=os.path.join(_HERE, "mnist_sample.npz"),
        help="Output .npz file. Defaults to keras_aegan/data/mnist_sample.npz.",
    )
    args = parser.parse_args(argv)
    counts = build(args.mnist_dir, args.output)
    size = os.path.getsize(args.output)
    print(f"Wrote {args.output}: {counts}, {size} bytes")
    print(f"content sha256 {content_digest(args.output)}")


if __name__ == "__main__":
    main()
