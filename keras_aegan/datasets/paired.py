"""Paired `(input, target)` data for Pix2Pix: tasks derived from real images,
and folders of side-by-side `A|B` pairs."""

import numpy as np
import tensorflow as tf

from keras_aegan.datasets import api
from keras_aegan.datasets.folders import read_images
from keras_aegan.datasets.unpaired import position_seeds
from keras_aegan.validation import check_image_size
from keras_aegan.validation import check_positive_int

TASKS = ("super_resolution", "inpainting", "colorization")
MASKS = ("box", "free_form")


class PairedTask:
    """Derives a model input from a real image, for a paired task.

    The target is the image itself; the input is computed from it with
    `tf` ops, batch by batch, so a pipeline makes new pairs on the fly
    (new masks every epoch) and an evaluation makes the same pairs from
    the same seed. Images are float in [-1, 1], `(batch, h, w, c)`.

    - `"super_resolution"`: the image downsampled `scale` times with
      bicubic interpolation (antialiased) and upsampled back to its size
      with bicubic interpolation, as SRCNN feeds its network (Dong et al.,
      "Image Super-Resolution Using Deep Convolutional Networks", TPAMI
      2016, section 3.1). The input has the image's channels.
    - `"inpainting"`: a hole is cut (`mask="box"`: one rectangle whose
      sides are drawn in `hole_size` times the image's; `"free_form"`: a
      few thick random strokes, after Yu et al., "Free-Form Image
      Inpainting with Gated Convolution", ICCV 2019), filled with the mean
      of each image's known pixels, and the mask is given to the
      generator as one more channel (1 in the hole, -1 outside).
    - `"colorization"`: the image's luma (`tf.image.rgb_to_grayscale`),
      one channel, for an RGB target.

    `baseline(inputs)` is the obvious answer that a model must beat:
    the bicubic upsampling itself, the image with its hole filled by the
    mean, and the grey image on every channel.

    Args:
        task: str. One of `TASKS`.
        channels: int. Channels of the images (targets).
        scale: int. Downsampling factor of `"super_resolution"`. Defaults
            to 4.
        mask: str. `"box"` or `"free_form"`, for `"inpainting"`. Defaults
            to `"box"`.
        hole_size: tuple of 2 floats. Range of a box's sides, or of a
            stroke's width times 4, as fractions of the image's sides.
            Defaults to `(0.25, 0.5)`.
    """

    def __init__(
        self, task, channels, scale=4, mask="box", hole_size=(0.25, 0.5)
    ):
        if task not in TASKS:
            raise ValueError(f"Expected task in {TASKS}. Received {task!r}.")
        if mask not in MASKS:
            raise ValueError(f"Expected mask in {MASKS}. Received {mask!r}.")
        check_positive_int(scale, "scale", allow_none=False)
        low, high = (float(v) for v in hole_size)
        if not 0.0 < low <= high < 1.0:
            raise ValueError(
                "Expected hole_size=(low, high) with 0 < low <= high < 1. "
                f"Received {hole_size!r}."
            )
        if task == "colorization" and channels != 3:
            raise ValueError(
                "Expected RGB images (3 channels) for colorization. "
                f"Received images with {channels} channels."
            )
        self.task = task
        self.channels = int(channels)
        self.scale = int(scale)
        self.mask = mask
        self.hole_size = (low, high)

    @property
    def input_channels(self):
        if self.task == "inpainting":
            return self.channels + 1
        if self.task == "colorization":
            return 1
        return self.channels

    def __call__(self, images, seed):
        """`(inputs, targets)` for a batch of images in [-1, 1].

        Args:
            images: float tensor `(batch, h, w, c)`.
            seed: int tensor of shape `(2,)`: the stateless seed of the
                batch's masks (unused by the other tasks).
        """
        images = tf.convert_to_tensor(images, tf.float32)
        if self.task == "super_resolution":
            return self.downsampled(images), images
        if self.task == "colorization":
            return tf.image.rgb_to_grayscale(images), images
        holes = self.holes(tf.shape(images), seed)
        return self.masked(images, holes), images

    def downsampled(self, images):
        size = tf.shape(images)[1:3]
        small = tf.image.resize(
            images, size // self.scale, method="bicubic", antialias=True
        )
        up = tf.image.resize(small, size, method="bicubic")
        return tf.clip_by_value(up, -1.0, 1.0)

    def holes(self, shape, seed):
        """Masks `(batch, h, w, 1)`, 1 in the hole and 0 elsewhere."""
        batch, height, width = shape[0], shape[1], shape[2]
        h = tf.cast(height, tf.float32)
        w = tf.cast(width, tf.float32)
        rows = tf.range(h)[None, :, None]
        cols = tf.range(w)[None, None, :]
        low, high = self.hole_size
        if self.mask == "box":
            u = tf.random.stateless_uniform((4, batch), seed)
            box_h = tf.floor((low + (high - low) * u[0]) * h)
            box_w = tf.floor((low + (high - low) * u[1]) * w)
            top = tf.floor(u[2] * (h - box_h + 1))
            left = tf.floor(u[3] * (w - box_w + 1))
            inside = (
                (rows >= top[:, None, None])
                & (rows < (top + box_h)[:, None, None])
                & (cols >= left[:, None, None])
                & (cols < (left + box_w)[:, None, None])
            )
            return tf.cast(inside, tf.float32)[..., None]
        # Free-form: 4 strokes of random ends and width; a pixel is in the
        # hole when it lies within half a width of a stroke's segment.
        strokes = 4
        u = tf.random.stateless_uniform((5, strokes, batch), seed)
        y0, x0, y1, x1 = u[0] * h, u[1] * w, u[2] * h, u[3] * w
        width_px = (low + (high - low) * u[4]) * tf.minimum(h, w) / 4.0
        hole = tf.zeros((batch, height, width), tf.bool)
        for k in range(strokes):
            dy, dx = (
                (y1[k] - y0[k])[:, None, None],
                (x1[k] - x0[k])[:, None, None],
            )
            py = rows - y0[k][:, None, None]
            px = cols - x0[k][:, None, None]
            length = tf.maximum(dy * dy + dx * dx, 1e-6)
            t = tf.clip_by_value((py * dy + px * dx) / length, 0.0, 1.0)
            distance = tf.sqrt(tf.square(py - t * dy) + tf.square(px - t * dx))
            hole |= distance <= (width_px[k] / 2.0)[:, None, None]
        return tf.cast(hole, tf.float32)[..., None]

    def masked(self, images, holes):
        known = 1.0 - holes
        count = tf.maximum(tf.reduce_sum(known, axis=(1, 2), keepdims=True), 1)
        mean = tf.reduce_sum(images * known, axis=(1, 2), keepdims=True) / count
        filled = images * known + mean * holes
        return tf.concat([filled, 2.0 * holes - 1.0], axis=-1)

    def baseline(self, inputs):
        """The task's obvious answer for `inputs`, as a NumPy array."""
        inputs = np.asarray(inputs)
        if self.task == "super_resolution":
            return inputs
        if self.task == "colorization":
            return np.repeat(inputs, 3, axis=-1)
        return inputs[..., : self.channels]

    def hole_of(self, inputs):
        """The hole mask `(n, h, w, 1)` of inpainting inputs (1 = hole)."""
        return (np.asarray(inputs)[..., self.channels :] > 0).astype("float32")

    def get_config(self):
        return {
            "task": self.task,
            "channels": self.channels,
            "scale": self.scale,
            "mask": self.mask,
            "hole_size": self.hole_size,
        }


def make_pairs(task, images, seed=0, batch_size=256):
    """The `(inputs, targets)` of `task` for an array of images, as NumPy.

    The same images and seed give the same pairs; batch `i` of
    `batch_size` images gets the mask seed `(seed, i)`.

    Args:
        task: `PairedTask`.
        images: float array `(n, h, w, c)` in [-1, 1].
        seed: int. Defaults to 0.
        batch_size: int. Defaults to 256.
    """
    inputs, targets = [], []
    for i, start in enumerate(range(0, len(images), batch_size)):
        x, y = task(images[start : start + batch_size], tf.constant([seed, i]))
        inputs.append(x.numpy())
        targets.append(y.numpy())
    return np.concatenate(inputs), np.concatenate(targets)


def load_paired(
    name,
    task,
    split="train",
    batch_size=64,
    image_size=None,
    scale=4,
    mask="box",
    hole_size=(0.25, 0.5),
    random_flip=None,
    shuffle=True,
    seed=None,
    drop_remainder=False,
    epochs=None,
    initial_epoch=0,
    initial_step=0,
    **options,
):
    """A `tf.data` pipeline of `(input, target)` batches for `Pix2Pix.fit()`.

    The targets are a data set's real images; the inputs are derived from
    them on the fly by `PairedTask(task)`: bicubic-downsampled images
    (`"super_resolution"`), images with a hole and its mask
    (`"inpainting"`, new holes every epoch), or grey images
    (`"colorization"`).

    Args:
        name: str, `os.PathLike` or array. A data set name from
            `list_datasets()` (for example `"cifar10"`, `"olivetti_faces"`,
            `"horse2zebra"` with a split such as `"trainA"`), a local path
            as `load()` takes, or an array of images (uint8 in 0..255 or
            float in [-1, 1]).
        task: str. `"super_resolution"`, `"inpainting"` or
            `"colorization"`.
        split: str. Defaults to `"train"`.
        batch_size: int. Defaults to 64.
        image_size: None, int or tuple of 2 ints. Defaults to the native
            size.
        scale: int. Super-resolution factor. Defaults to 4.
        mask: str. Inpainting holes, `"box"` or `"free_form"`. Defaults to
            `"box"`.
        hole_size: tuple of 2 floats. See `PairedTask`.
        random_flip: bool or None. Flip each target left-right at random
            before the input is derived; None flips when `split` starts
            with `"train"`. Defaults to None.
        shuffle: bool. Defaults to True.
        seed: int or None. Seed of the shuffle, flips and masks. Defaults
            to None.
        drop_remainder: bool. Drop the last, smaller batch. Defaults to
            False.
        epochs: int or None. As in `load()`: None gives one epoch per
            iteration, with new flips and masks each time; an int gives
            that many epochs back to back, batch `i` of the run with the
            flips and masks of `(seed, i)`, so that a run restarted at
            `initial_epoch` and `initial_step` sees the pairs an
            uninterrupted run would (needs an int `seed`). Not for arrays.
            Defaults to None.
        initial_epoch: int. With `epochs`, the first epoch yielded.
            Defaults to 0.
        initial_step: int. With `epochs`, the batches of `initial_epoch`
            to skip. Defaults to 0.
        **options: passed to `load()`: `data_dir`, `source`, `cache_dir`,
            `max_examples`.

    Returns:
        A `tf.data.Dataset` of `(inputs, targets)`, float32 in [-1, 1];
        `inputs` has `PairedTask(...).input_channels` channels.

    Example:
    ```python
    train = keras_aegan.datasets.load_paired(
        "cifar10", "super_resolution", batch_size=64, seed=0
    )
    inputs, targets = next(iter(train))  # (64, 32, 32, 3) each
    ```
    """
    check_positive_int(batch_size, "batch_size", allow_none=False)
    image_size = check_image_size(image_size)
    if random_flip is None:
        random_flip = str(split).startswith("train")
    if isinstance(name, np.ndarray):
        if epochs is not None:
            raise ValueError(
                "Expected epochs=None for an array of images: resumable "
                "epochs need a data set that load() reads. Received "
                f"epochs={epochs}."
            )
        images = _float_images(name, "load_paired")
        if image_size is not None:
            images = tf.image.resize(images, image_size, antialias=True)
        ds = tf.data.Dataset.from_tensor_slices(images)
        if shuffle:
            ds = ds.shuffle(len(images), seed=seed)
        ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    else:
        api.check_epochs(epochs, initial_epoch, initial_step, shuffle, seed)
        ds = api.load(
            name,
            split=split,
            batch_size=batch_size,
            image_size=image_size,
            shuffle=shuffle,
            seed=seed,
            drop_remainder=drop_remainder,
            epochs=epochs,
            initial_epoch=initial_epoch,
            initial_step=initial_step,
            **options,
        )
    channels = int(ds.element_spec.shape[-1])
    pairs = PairedTask(task, channels, scale, mask, hole_size)
    if epochs is None:
        noise = tf.data.Dataset.random(
            seed=seed, rerandomize_each_iteration=True
        ).batch(4)
        noise = noise.map(lambda s: tf.reshape(s, (2, 2)))
    else:
        # Batch i of the run gets the seeds of (seed, i), wherever the
        # pipeline starts.
        left = int(ds.cardinality())
        steps = (left + initial_step) // (epochs - initial_epoch)
        noise = tf.data.Dataset.counter(initial_epoch * steps + initial_step)
        noise = noise.map(lambda i: position_seeds(seed, i))

    def derive(images, seeds):
        if random_flip:
            flip = tf.random.stateless_uniform((tf.shape(images)[0],), seeds[0])
            images = tf.where(
                (flip < 0.5)[:, None, None, None],
                tf.reverse(images, axis=[2]),
                images,
            )
        return pairs(images, seeds[1])

    ds = tf.data.Dataset.zip(ds, noise).map(
        derive, num_parallel_calls=tf.data.AUTOTUNE
    )
    if epochs is not None:
        ds = ds.apply(tf.data.experimental.assert_cardinality(left))
    return ds.prefetch(tf.data.AUTOTUNE)


def _float_images(images, owner):
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"{owner} expected images of shape (n, height, width, channels)."
            f" Received shape {images.shape}."
        )
    if images.dtype == np.uint8:
        return images.astype("float32") / 127.5 - 1.0
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"{owner} expected uint8 images or float images in [-1, 1]. "
            f"Received dtype {images.dtype}."
        )
    if images.size and (images.min() < -1.001 or images.max() > 1.001):
        raise ValueError(
            f"{owner} expected float images in [-1, 1]. Received values in "
            f"[{images.min():g}, {images.max():g}]."
        )
    return images.astype("float32")


def read_side_by_side(path, split="train", image_size=None, cache_dir=None):
    """Reads a folder of side-by-side `A|B` pairs, as the pix2pix data sets
    (facades, maps, edges2shoes) are published: each file holds image A on
    its left half and image B on its right.

    Args:
        path: str or `os.PathLike`. A folder (or archive) of images, with
            or without split folders (`train/`, `val/`, `test/`).
        split: str. The split folder; a folder without splits has only
            `"train"`. Defaults to `"train"`.
        image_size: None, int or tuple of 2 ints. Size of each half after
            the split, resized with `tf.image.resize` (bilinear,
            antialiased). Defaults to the native size.
        cache_dir: str or None. See `read_images`.

    Returns:
        `(a, b)`, two uint8 NumPy arrays `(n, h, w, c)`.

    Raises:
        ValueError: for images whose width is odd.
    """
    image_size = check_image_size(image_size)
    images = read_images(path, split=split, cache_dir=cache_dir)
    width = images.shape[2]
    if width % 2:
        raise ValueError(
            f"Expected side-by-side A|B images of even width (two halves). "
            f"Received images of shape {images.shape[1:]} in {path}."
        )
    a, b = images[:, :, : width // 2], images[:, :, width // 2 :]
    if image_size is not None:
        a, b = (
            np.clip(
                np.rint(tf.image.resize(h, image_size, antialias=True)),
                0,
                255,
            ).astype("uint8")
            for h in (a, b)
        )
    return a, b


def load_side_by_side(
    path,
    split="train",
    batch_size=1,
    image_size=None,
    direction="a_to_b",
    random_flip=None,
    shuffle=True,
    seed=None,
    cache_dir=None,
):
    """A `tf.data` pipeline of `(input, target)` batches from a folder of
    side-by-side `A|B` images (see `read_side_by_side`).

    Args:
        path: str or `os.PathLike`. The folder or archive.
        split: str. Defaults to `"train"`.
        batch_size: int. Defaults to 1 (the paper's).
        image_size: None, int or tuple of 2 ints. Defaults to the native
            size of each half.
        direction: str. `"a_to_b"` (inputs on the left) or `"b_to_a"`.
            Defaults to `"a_to_b"`.
        random_flip: bool or None. Flip both images of a pair left-right
            together; None flips when `split` is `"train"`. Defaults to
            None.
        shuffle: bool. Defaults to True.
        seed: int or None. Defaults to None.
        cache_dir: str or None. See `read_images`.

    Returns:
        A `tf.data.Dataset` of `(inputs, targets)`, float32 in [-1, 1].
    """
    if direction not in ("a_to_b", "b_to_a"):
        raise ValueError(
            'Expected direction "a_to_b" or "b_to_a". Received '
            f"direction={direction!r}."
        )
    check_positive_int(batch_size, "batch_size", allow_none=False)
    if random_flip is None:
        random_flip = split == "train"
    a, b = read_side_by_side(path, split, image_size, cache_dir)
    if direction == "b_to_a":
        a, b = b, a
    ds = tf.data.Dataset.from_tensor_slices((a, b))
    if shuffle:
        ds = ds.shuffle(len(a), seed=seed)

    def scale(x, y, seeds):
        x = tf.cast(x, tf.float32) / 127.5 - 1.0
        y = tf.cast(y, tf.float32) / 127.5 - 1.0
        if random_flip:
            flip = tf.random.stateless_uniform((), seeds) < 0.5
            x = tf.cond(flip, lambda: tf.reverse(x, [1]), lambda: x)
            y = tf.cond(flip, lambda: tf.reverse(y, [1]), lambda: y)
        return x, y

    noise = tf.data.Dataset.random(
        seed=seed, rerandomize_each_iteration=True
    ).batch(2)
    ds = tf.data.Dataset.zip(ds, noise).map(
        lambda pair, s: scale(*pair, s), num_parallel_calls=tf.data.AUTOTUNE
    )
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
