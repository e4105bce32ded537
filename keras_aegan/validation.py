"""Checks of user data that fail early with a message that says what to do."""

import math
import warnings

import keras
import numpy as np


def _describe_range(pixel_range):
    low, high = pixel_range
    return f"[{low:g}, {high:g}]"


def check_image_shape(image_shape):
    """Checks that `image_shape` is `(height, width, channels)`, positive
    ints, and raises a `ValueError` that names what came otherwise."""
    if (
        not isinstance(image_shape, (tuple, list))
        or len(image_shape) != 3
        or not all(isinstance(d, int) and d > 0 for d in image_shape)
    ):
        raise ValueError(
            "Expected image_shape=(height, width, channels) with positive "
            f"integers. Received image_shape={image_shape!r}."
        )


def check_image_size(image_size):
    """`image_size` as an `(height, width)` pair of ints, from None, an int
    or a pair; a `ValueError` that names what came otherwise."""
    if image_size is None:
        return None
    if isinstance(image_size, int) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    size = tuple(image_size)
    if len(size) != 2 or not all(
        isinstance(s, int | np.integer) and not isinstance(s, bool) and s > 0
        for s in size
    ):
        raise ValueError(
            "Expected `image_size` to be None, a positive int or a pair of "
            f"positive ints (height, width). Received {image_size!r}."
        )
    return int(size[0]), int(size[1])


def check_positive_int(value, name, allow_none=True):
    """Checks that `value` (the argument `name`) is a positive int, or None
    when `allow_none`; a `ValueError` that names what came otherwise."""
    if value is None and allow_none:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or value <= 0
    ):
        raise ValueError(
            f"Expected `{name}` to be a positive int"
            f"{' or None' if allow_none else ''}. Received {value!r}."
        )


def check_image_batch(x, image_shape, owner):
    """Checks the static shape of a batch of images.

    Args:
        x: tensor. A batch, `(batch, height, width, channels)`.
        image_shape: tuple. The `(height, width, channels)` the model takes.
        owner: str. Name of the model, for the message.

    Raises:
        ValueError: when the rank or a known dimension differs.
    """
    shape = tuple(getattr(x, "shape", ()))
    expected = (None, *image_shape)
    if len(shape) != len(expected):
        hint = ""
        if len(shape) == len(image_shape):
            hint = " Batch the data, e.g. `dataset.batch(64)`."
        elif len(shape) == 3 and image_shape[-1] == 1:
            hint = " Add the channel axis, e.g. `x[..., None]`."
        raise ValueError(
            f"{owner} expected a batch of images of shape {expected} "
            f"(rank {len(expected)}). Received shape {shape} "
            f"(rank {len(shape)}).{hint}"
        )
    for got, want in zip(shape[1:], image_shape, strict=True):
        if got is not None and want is not None and int(got) != int(want):
            raise ValueError(
                f"{owner} expected images of shape (height, width, channels)"
                f" = {tuple(image_shape)}. Received a batch of shape "
                f"{shape}. Resize or convert the images (the datasets module"
                " does both with `image_size=` and the dataset's channels)."
            )


def check_image_values(x, pixel_range, owner):
    """Checks that image values are finite and inside `pixel_range`.

    Raises:
        ValueError: on NaN or infinite values, or values outside the range
            (with a tolerance of 1e-3 of its width).
    """
    x = np.asarray(keras.ops.convert_to_numpy(x))
    if x.size == 0:
        raise ValueError(
            f"{owner} expected a non-empty batch of images. Received an "
            f"array of shape {x.shape}."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            f"{owner} expected float images in {_describe_range(pixel_range)}"
            f". Received dtype {x.dtype} with values in "
            f"[{x.min()}, {x.max()}]. Scale them first, e.g. `x / 127.5 - 1`"
            " for [-1, 1] or `x / 255` for [0, 1]."
        )
    if not np.all(np.isfinite(x)):
        count = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(
            f"{owner} expected finite image values. Received {count} NaN or "
            "infinite values."
        )
    low, high = pixel_range
    tolerance = 1e-3 * (high - low)
    got_low, got_high = float(x.min()), float(x.max())
    if got_low < low - tolerance or got_high > high + tolerance:
        raise ValueError(
            f"{owner} expected images with values in "
            f"{_describe_range(pixel_range)}. Received values in "
            f"[{got_low:g}, {got_high:g}]. Rescale the data, or load it with "
            f"`keras_aegan.datasets.load(..., pixel_range={tuple(pixel_range)}"
            ")`."
        )


def first_batch(data, owner):
    """The first batch of `data`, or None when it cannot be peeked safely."""
    try:
        import tensorflow as tf

        if isinstance(data, tf.data.Dataset):
            for element in data.take(1):
                return element
            raise ValueError(
                f"{owner} expected a dataset with at least one batch. "
                "Received an empty tf.data.Dataset."
            )
    except ImportError:
        pass
    if isinstance(data, keras.utils.PyDataset):
        if data.num_batches == 0:
            raise ValueError(
                f"{owner} expected a PyDataset with at least one batch. "
                "Received an empty one."
            )
        return data[0]
    if hasattr(data, "shape") and hasattr(data, "dtype"):
        return data
    if isinstance(data, (tuple, list, dict)):
        return data
    return None


def check_training_data(data, image_shape, pixel_range, owner, image_key=0):
    """Validates what a user passes to `fit()` before training starts.

    Arrays are checked whole; for a `tf.data.Dataset` or a `PyDataset` the
    first batch is checked. Python generators are not peeked, since that
    would consume them.

    Args:
        data: the `x` argument of `fit()`.
        image_shape: tuple. The `(height, width, channels)` the model takes.
        pixel_range: tuple. The `(low, high)` range of the model's images.
        owner: str. Name of the model, for the messages.
        image_key: int or str. Where the images are inside a tuple or dict
            element. Defaults to `0`.

    Raises:
        ValueError: for missing, empty, misshaped, non-finite or
            out-of-range data.
    """
    if data is None:
        raise ValueError(
            f"{owner}.fit() expected training images (an array, a "
            "tf.data.Dataset or a PyDataset). Received None."
        )
    batch = first_batch(data, owner)
    if batch is None:
        return
    if isinstance(batch, (tuple, list, dict)):
        batch = batch[image_key]
    if math.prod(getattr(batch, "shape", (0,))) == 0:
        raise ValueError(
            f"{owner} expected at least one training image. Received data "
            f"of shape {tuple(getattr(batch, 'shape', ()))}."
        )
    check_image_batch(batch, image_shape, owner)
    check_image_values(batch, pixel_range, owner)


def check_batch_rows(data, batch_size, minibatches, owner, image_key=0):
    """Checks that the first batch of `fit()` holds at least `minibatches`
    rows, one per minibatch of a training step (the critic updates of a
    Wasserstein GAN each take their own).

    Args:
        data: the `x` argument of `fit()`.
        batch_size: int or None. `fit()`'s `batch_size`, for arrays.
        minibatches: int. Minibatches one step takes.
        owner: str. Name of the model, for the message.
        image_key: int or str. Where the images are inside a tuple or dict
            element. Defaults to `0`.
    """
    if minibatches <= 1:
        return
    batch = first_batch(data, owner)
    if isinstance(batch, (tuple, list, dict)):
        batch = batch[image_key]
    shape = getattr(batch, "shape", None)
    if not shape or shape[0] is None:
        return
    rows = int(shape[0])
    if hasattr(data, "shape"):  # arrays: fit() batches them
        rows = min(rows, batch_size or 32)
    if rows < minibatches:
        raise ValueError(
            f"{owner} expected batches of at least {minibatches} rows: each "
            f"of its {minibatches} critic updates per step takes its own "
            f"rows (`real_batches_per_step`); batch {minibatches} * m rows "
            f"for minibatches of m. Received batches of {rows} rows."
        )


def renamed_argument(kwargs, old, new, value, default, owner):
    """The value of the argument `new`, taken from its deprecated name `old`
    when `kwargs` holds that (an old call, or a config saved before the
    rename), with a `DeprecationWarning`.

    Raises:
        ValueError: when both names are given.
    """
    if old not in kwargs:
        return value
    old_value = kwargs.pop(old)
    if value != default:
        raise ValueError(
            f"{owner} expected one of `{new}` and its deprecated name "
            f"`{old}`. Received both: {new}={value!r}, {old}={old_value!r}."
        )
    warnings.warn(
        f"{owner}: `{old}` is deprecated; pass `{new}` instead.",
        DeprecationWarning,
        stacklevel=3,
    )
    return old_value
