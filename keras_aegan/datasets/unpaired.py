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


def _augment(crop_size, flip):
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
    epochs=None,
    initial_epoch=0,
    initial_step=0,
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
        epochs: int or None. As in `load()`: None gives one epoch per
            iteration; an int gives that many epochs back to back, each
            domain's pass `k` in an order drawn from its seed and `k` and
            each image's augmentation from its seed and its position, so
            that a run restarted at any epoch and step sees the pairs an
            uninterrupted run would (needs an int `seed`). Defaults to
            None.
        initial_epoch: int. With `epochs`, the first epoch yielded.
            Defaults to `0`.
        initial_step: int. With `epochs`, the batches of `initial_epoch`
            to skip. Defaults to `0`.
        **options: passed to `load()`: `data_dir`, `source`, `cache_dir`,
            `max_examples`.

    Returns:
        A `tf.data.Dataset` of `(a, b)` batches of float32 images in
        `pixel_range`, each `(batch_size, height, width, channels)`. With
        `epochs`, its cardinality is the number of batches left.

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
    api.check_epochs(epochs, initial_epoch, initial_step, shuffle, seed)
    crop = None if load_size in (None, image_size) else image_size
    seeds = (None, None) if seed is None else (seed, seed + 1)
    options = dict(options, pixel_range=pixel_range)
    domains = [
        (split + suffix, domain_seed, *_domain(
            name, split + suffix, load_size or image_size, shuffle,
            domain_seed, options,
        ))
        for suffix, domain_seed in zip(domains, seeds, strict=True)
    ]  # fmt: skip
    steps = math.ceil(max(count for *_, count in domains) / batch_size)
    augment = _augment(crop, random_flip)
    streams = []
    for domain, domain_seed, ds, count in domains:
        if epochs is None:
            if crop is not None or random_flip:
                noise = tf.data.Dataset.random(
                    seed=domain_seed, rerandomize_each_iteration=True
                ).batch(4)
                noise = noise.map(lambda s: tf.reshape(s, (2, 2)))
                ds = tf.data.Dataset.zip(ds, noise).map(
                    augment, num_parallel_calls=tf.data.AUTOTUNE
                )
            streams.append(ds.repeat())
            continue
        # Image i of the domain's stream: pass i // count, position
        # i % count in that pass's order, augmented from (seed, i).
        start = (initial_epoch * steps + initial_step) * batch_size
        passes = -(-(epochs * steps * batch_size) // count)
        ds = api.load(
            name,
            split=domain,
            batch_size=None,
            image_size=load_size or image_size,
            shuffle=shuffle,
            seed=domain_seed,
            epochs=passes,
            initial_epoch=start // count,
            initial_step=start % count,
            **options,
        )
        if crop is not None or random_flip:
            index = tf.data.Dataset.counter(start)
            noise = index.map(
                lambda i, s=domain_seed or 0: position_seeds(s, i)
            )
            ds = tf.data.Dataset.zip(ds, noise).map(
                augment, num_parallel_calls=tf.data.AUTOTUNE
            )
        streams.append(ds)
    pairs = tf.data.Dataset.zip(*streams).batch(batch_size, drop_remainder=True)
    if epochs is None:
        pairs = pairs.take(steps)
    else:
        left = (epochs - initial_epoch) * steps - initial_step
        pairs = pairs.take(left).apply(
            tf.data.experimental.assert_cardinality(left)
        )
    return pairs.prefetch(tf.data.AUTOTUNE)


def position_seeds(seed, index):
    """The crop and flip seeds of the image at `index` of a stream."""
    index = tf.cast(index, tf.int64) * 2
    seed = tf.cast(seed, tf.int64)
    return tf.stack([tf.stack([seed, index]), tf.stack([seed, index + 1])])
