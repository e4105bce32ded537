"""Readers for data sets stored as arrays: `.npz` files and CIFAR pickles."""

import os
import pickle
import tarfile

import numpy as np

# Keys tried for the images and labels of a split in an `.npz` file, in
# order. `{s}` is the split name. Keys without `{s}` hold a file's only
# split, which counts as `"train"`.
_IMAGE_KEYS = ("x_{s}", "images_{s}", "{s}_images", "X_{s}")
_LABEL_KEYS = ("y_{s}", "labels_{s}", "{s}_labels", "Y_{s}")
_SINGLE_IMAGE_KEYS = ("images", "x", "X", "data", "imgs")
_SINGLE_LABEL_KEYS = ("labels", "y", "Y", "targets", "target")


def to_uint8_images(images, what="images"):
    """Converts an image array to uint8 NHWC.

    Accepts `(N, H, W)` (grey, gets a channel axis of 1), `(N, H, W, C)`
    and channels-first `(N, C, H, W)` with `C` in 1 or 3 when the last
    axis is clearly not a channel axis. Float images in [0, 1] are scaled
    by 255; other values must already lie in [0, 255].

    Args:
        images: array-like. The images.
        what: str. How to name the images in error messages. Defaults to
            `"images"`.

    Returns:
        A uint8 NumPy array of shape `(N, H, W, C)`.

    Raises:
        ValueError: if the array has another rank, holds no image, or its
            values do not fit in [0, 255].
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    elif images.ndim == 4:
        if images.shape[1] in (1, 3) and images.shape[3] not in (1, 3, 4):
            images = images.transpose(0, 2, 3, 1)
    else:
        raise ValueError(
            f"Expected {what} of shape (N, H, W) or (N, H, W, C). Received "
            f"shape {images.shape}."
        )
    if len(images) == 0:
        raise ValueError(f"Expected at least one image in {what}, got 0.")
    if images.dtype == np.uint8:
        return np.ascontiguousarray(images)
    if images.dtype == np.bool_ or images.dtype.kind not in "iuf":
        raise ValueError(
            f"Expected {what} of an integer or float type. Received "
            f"{images.dtype}."
        )
    low, high = float(images.min()), float(images.max())
    if images.dtype.kind == "f" and low >= 0.0 and high <= 1.0:
        images = images * 255.0
    elif low < 0 or high > 255:
        raise ValueError(
            f"Expected {what} with values in [0, 255] (or floats in [0, 1]). "
            f"Received values in [{low}, {high}]."
        )
    return np.ascontiguousarray(np.rint(images).astype(np.uint8))


def to_int_labels(labels, num_images, what="labels"):
    """Checks labels and converts them to int32.

    Args:
        labels: array-like. One integer label per image.
        num_images: int. How many images the labels belong to.
        what: str. How to name the labels in error messages. Defaults to
            `"labels"`.

    Returns:
        An int32 NumPy array of shape `(num_images,)`.

    Raises:
        ValueError: if the labels are not 1-D integers (or integral
            floats), one per image, or are negative.
    """
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or len(labels) != num_images:
        raise ValueError(
            f"Expected {what} of shape ({num_images},), one per image. "
            f"Received shape {labels.shape}."
        )
    if labels.dtype.kind == "f" and np.all(np.mod(labels, 1) == 0):
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"Expected integer class indices in {what}. Received "
            f"{labels.dtype}."
        )
    if len(labels) and labels.min() < 0:
        raise ValueError(
            f"Expected non-negative class indices in {what}. Received a "
            f"minimum of {labels.min()}."
        )
    return labels.astype(np.int32)


def npz_splits(path):
    """Lists the splits an `.npz` file holds.

    Args:
        path: str or `os.PathLike`. The `.npz` file.

    Returns:
        A sorted list of split names.
    """
    with np.load(os.fspath(path), allow_pickle=False) as data:
        keys = set(data.files)
    splits = set()
    for key in keys:
        for pattern in _IMAGE_KEYS:
            prefix, _, suffix = pattern.partition("{s}")
            if (
                key.startswith(prefix)
                and key.endswith(suffix)
                and len(key) > len(prefix) + len(suffix)
            ):
                splits.add(key[len(prefix) : len(key) - len(suffix)])
    if keys & set(_SINGLE_IMAGE_KEYS):
        splits.add("train")
    return sorted(splits)


def read_npz(path, split="train"):
    """Reads images and labels from an `.npz` file.

    A file may hold several splits under keys such as `x_train`/`y_train`
    and `x_test`/`y_test` (the layout of `keras.datasets`), or
    `images_train`/`labels_train`; or a single split under `images`/`x`
    and `labels`/`y`, which is read as `"train"`.

    Args:
        path: str or `os.PathLike`. The `.npz` file.
        split: str. Which split to read. Defaults to `"train"`.

    Returns:
        A tuple `(images, labels)`: uint8 `(N, H, W, C)` and int32 `(N,)`,
        or `None` for the labels when the file has none.

    Raises:
        ValueError: if the file has no images for `split` (the message
            lists the keys it holds), or the arrays are malformed.
    """
    path = os.fspath(path)
    with np.load(path, allow_pickle=False) as data:
        keys = list(data.files)
        image_keys = [k.format(s=split) for k in _IMAGE_KEYS]
        label_keys = [k.format(s=split) for k in _LABEL_KEYS]
        image_key = next((k for k in image_keys if k in keys), None)
        if image_key is None and split == "train":
            image_key = next((k for k in _SINGLE_IMAGE_KEYS if k in keys), None)
            label_keys += list(_SINGLE_LABEL_KEYS)
        if image_key is None:
            expected = image_keys + (
                list(_SINGLE_IMAGE_KEYS) if split == "train" else []
            )
            raise ValueError(
                f"Expected images for split {split!r} in {path!r} under one "
                f"of the keys {expected}. The file holds the keys {keys}."
            )
        label_key = next((k for k in label_keys if k in keys), None)
        what = f"{path!r}[{image_key!r}]"
        images = to_uint8_images(data[image_key], what=what)
        labels = None
        if label_key is not None:
            labels = to_int_labels(
                data[label_key],
                len(images),
                what=f"{path!r}[{label_key!r}]",
            )
    return images, labels


_CIFAR_BATCHES = {
    "train": [f"data_batch_{i}" for i in range(1, 6)],
    "test": ["test_batch"],
}


def is_cifar_pickle_source(path):
    """Whether `path` looks like the CIFAR-10 "python version".

    Args:
        path: str or `os.PathLike`. A folder holding `data_batch_1` ...
            `test_batch`, or the `cifar-10-python.tar.gz` archive.

    Returns:
        bool.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        return os.path.isfile(os.path.join(path, "test_batch")) or (
            os.path.isfile(os.path.join(path, "data_batch_1"))
        )
    return os.path.isfile(path) and "cifar-10-python" in os.path.basename(path)


def read_cifar_pickle(path, split="train"):
    """Reads CIFAR-10 in its "python version" (pickled batches).

    This is the format of `cifar-10-python.tar.gz` from the CIFAR web page
    and of `~/.keras/datasets/cifar-10-batches-py`. Only read files you
    trust: the batches are Python pickles.

    Args:
        path: str or `os.PathLike`. The `cifar-10-batches-py` folder or the
            `cifar-10-python.tar.gz` archive.
        split: str. `"train"` (`data_batch_1` to `data_batch_5`) or
            `"test"` (`test_batch`). Defaults to `"train"`.

    Returns:
        A tuple `(images, labels)`: uint8 `(N, 32, 32, 3)` and int32
        `(N,)`.

    Raises:
        FileNotFoundError: if a batch file is missing.
        ValueError: if a batch does not hold the expected arrays.
    """
    path = os.fspath(path)
    if split not in _CIFAR_BATCHES:
        raise ValueError(
            f"Expected split 'train' or 'test' for CIFAR-10. Received "
            f"{split!r}."
        )
    wanted = _CIFAR_BATCHES[split]
    batches = {}
    if os.path.isdir(path):
        for name in wanted:
            batch_path = os.path.join(path, name)
            if not os.path.isfile(batch_path):
                raise FileNotFoundError(
                    f"Expected the CIFAR-10 batch file {batch_path!r}."
                )
            with open(batch_path, "rb") as f:
                batches[name] = pickle.load(f, encoding="bytes")
    else:
        with tarfile.open(path) as tar:
            for member in tar:
                name = os.path.basename(member.name)
                if member.isfile() and name in wanted:
                    with tar.extractfile(member) as f:
                        batches[name] = pickle.load(f, encoding="bytes")
        missing = [name for name in wanted if name not in batches]
        if missing:
            raise FileNotFoundError(
                f"Expected the CIFAR-10 batches {missing} in {path!r}."
            )
    images, labels = [], []
    for name in wanted:
        batch = batches[name]
        data = batch.get(b"data", batch.get("data"))
        batch_labels = batch.get(b"labels", batch.get("labels"))
        if data is None or batch_labels is None:
            raise ValueError(
                f"Expected the keys 'data' and 'labels' in CIFAR-10 batch "
                f"{name!r} of {path!r}. Received {sorted(map(str, batch))}."
            )
        data = np.asarray(data, dtype=np.uint8)
        if data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
            raise ValueError(
                f"Expected CIFAR-10 batch data of shape (N, 3072) in "
                f"{name!r} of {path!r}. Received {data.shape}."
            )
        images.append(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        labels.append(np.asarray(batch_labels))
    images = np.ascontiguousarray(np.concatenate(images))
    labels = to_int_labels(np.concatenate(labels), len(images))
    return images, labels
