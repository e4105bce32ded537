"""Two unpaired image domains as one `tf.data` pipeline of `(a, b)`."""

import math

import tensorflow as tf

from keras_aegan.datasets import api
from keras_aegan.validation import check_image_size
from keras_aegan.validation import check_positive_int


def _domain(name, split, size, shuffle, seed, options):
    ds = api.load(
        name,
        split=split,
        batch_size=None,
        image_size=size,
        shuffle=shuffle,
        seed=seed,
        **options,
    )
    count = int(ds.cardinality())
    if count < 1:
        # TFDS splits whose size tf.data cannot see: count once.
        count = int(ds.reduce(0, lambda n, _: n + 1))
    if count == 0:
        raise ValueError(
            f"Expected images in split {split!r} of {name!r}. Received an "
            "empty split."
        )
    return ds, count


def _augment(crop_size, flip, seed):
    """Per-image random crop and horizontal flip, from stateless seeds."""

    def augment(images, seeds):
        if crop_size is not None:
            channels = tf.shape(images)[-1]
            images = tf.image.stateless_random_crop(
                images, (*crop_size, channels), seed=seeds[0]
            )
        if flip:
            images = tf.image.stateless_random_flip_left_right(
                images, seed=seeds[1]
            )
        return images

    return augment


def load_unpaired(
    name,
    split="train",
    image_size=None,
    load_size=None,
    batch_size=1,
    random_flip=None,
    pixel_range=(-1.0, 1.0),
    shuffle=True,
    seed=None,
    domains=("A", "B"),
    **options,
):
    """Loads two unpaired image domains for `CycleGAN.fit()`.

    The domains are the splits `split + domains[0]` and
    `split + domains[1]` (`trainA` and `trainB`, the layout of the CycleGAN
    data sets) of a named data set (`"horse2zebra"`, read from local files
    or TFDS `cycle_gan/horse2zebra`) or of a local folder or archive a user
    brings. Each domain is shuffled on its own with its own seed, so image
    `i` of A is never tied to image `i` of B, and the pairs change every
    epoch. An epoch has `ceil(max(len(A), len(B)) / batch_size)` batches;
    the smaller domain wraps around (and is reshuffled) as the CycleGAN
    code does.

    Training augmentation (Zhu et al. 2017, section 7.1): resize to
    `load_size`, crop a random `image_size` window and flip left-right at
    random, each image with its own stateless random seed.

    Args:
        name: str or `os.PathLike`. A data set name from `list_datasets()`
            with `trainA`/`trainB` splits, or a local folder or archive
            holding `<split>A/` and `<split>B/` image folders.
        split: str. `"train"` or `"test"`. Defaults to `"train"`.
        image_size: None, int or tuple of 2 ints. Size of the images
            yielded. Defaults to None (the native size).
        load_size: None, int or tuple of 2 ints. Size the images are
            resized to before the random crop, e.g. 286 for 256 or 72 for
            64. None resizes straight to `image_size` (no crop). Defaults
            to None.
        batch_size: int. Images per domain per batch. Defaults to 1 (the
            paper's).
        random_flip: bool or None. Random left-right flips; None flips
            when `split == "train"`. Defaults to None.
        pixel_range: tuple. Defaults to `(-1.0, 1.0)`.
        shuffle: bool. Shuffle each domain (again every epoch). Without
            shuffling the domains are paired in file order, for
            evaluation. Defaults to True.
        seed: int or None. Seed of the shuffles and augmentation; domain
            B uses `seed + 1`. Defaults to None.
        domains: tuple of 2 str. Suffixes of the two splits. Defaults to
            `("A", "B")`.
        **options: passed to `load()`: `data_dir`, `source`, `cache_dir`,
            `max_examples`.

    Returns:
        A `tf.data.Dataset` of `(a, b)` batches of float32 images in
        `pixel_range`, each `(batch_size, height, width, channels)`.

    Example:
    ```python
    train = keras_aegan.datasets.load_unpaired(
        "horse2zebra", image_size=64, load_size=72, batch_size=4, seed=0
    )
    model.fit(train, epochs=10)
    ```
    """
    if not isinstance(split, str):
        raise ValueError(f"Expected `split` to be a str. Received {split!r}.")
    if (
        not isinstance(domains, (tuple, list))
        or len(domains) != 2
        or domains[0] == domains[1]
    ):
        raise ValueError(
            "Expected domains as two different split suffixes, e.g. "
            f"('A', 'B'). Received {domains!r}."
        )
    check_positive_int(batch_size, "batch_size", allow_none=False)
    image_size = check_image_size(image_size)
    load_size = check_image_size(load_size)
    if load_size is not None:
        if image_size is None:
            raise ValueError(
                "Expected image_size (the crop) with load_size. Received "
                f"load_size={load_size} and image_size=None."
            )
        if load_size[0] < image_size[0] or load_size[1] < image_size[1]:
            raise ValueError(
                f"Expected load_size >= image_size to crop. Received "
                f"load_size={load_size}, image_size={image_size}."
            )
    if random_flip is None:
        random_flip = split == "train"
    crop = None if load_size in (None, image_size) else image_size
    seeds = (None, None) if seed is None else (seed, seed + 1)
    streams = []
    counts = []
    for suffix, domain_seed in zip(domains, seeds, strict=True):
        ds, count = _domain(
            name,
            split + suffix,
            load_size or image_size,
            shuffle,
            domain_seed,
            dict(options, pixel_range=pixel_range),
        )
        counts.append(count)
        if crop is not None or random_flip:
            noise = tf.data.Dataset.random(
                seed=domain_seed, rerandomize_each_iteration=True
            ).batch(4)
            noise = noise.map(lambda s: tf.reshape(s, (2, 2)))
            ds = tf.data.Dataset.zip(ds, noise).map(
                _augment(crop, random_flip, domain_seed),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        streams.append(ds.repeat())
    steps = math.ceil(max(counts) / batch_size)
    pairs = tf.data.Dataset.zip(*streams).batch(batch_size, drop_remainder=True)
    pairs = pairs.take(steps)
    return pairs.prefetch(tf.data.AUTOTUNE)
