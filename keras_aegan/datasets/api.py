"""`load()`, `load_arrays()`, `info()` and `list_datasets()`."""

import importlib.resources
import math
import os
import pathlib

import numpy as np
import tensorflow as tf

from keras_aegan.datasets import arrays
from keras_aegan.datasets import folders
from keras_aegan.datasets import idx
from keras_aegan.datasets import registry
from keras_aegan.validation import check_image_size
from keras_aegan.validation import check_positive_int

DATA_DIR_ENV = "KERAS_AEGAN_DATA_DIR"
SOURCES = ("auto", "tfds", "local")
_SAMPLE_NAME = "mnist_sample"
_SAMPLE_FILE = "mnist_sample.npz"
# The shuffle buffer holds the whole split unless it would take more than
# this many bytes.
_SHUFFLE_BUFFER_BYTES = 512 * 2**20


def list_datasets():
    """Lists the names `load()` accepts besides local paths.

    Returns:
        A sorted list of str.
    """
    return sorted(registry.SPECS)


def _data_dir(data_dir):
    if data_dir is None:
        data_dir = os.environ.get(DATA_DIR_ENV) or None
    return None if data_dir is None else os.path.expanduser(os.fspath(data_dir))


def _resolve(name):
    """Returns `(spec, None)` for a named data set or `(None, path)`."""
    spec = registry.get_spec(name)
    if spec is not None:
        return spec, None
    if isinstance(name, str | os.PathLike):
        path = os.path.expanduser(os.fspath(name))
        if os.path.exists(path):
            return None, path
        if (
            os.sep in path
            or "/" in path
            or path.lower().endswith(
                (".npz", ".gz", ".ubyte") + folders.ARCHIVE_EXTENSIONS
            )
        ):
            raise FileNotFoundError(
                f"Expected a data set name or an existing path. {path!r} "
                "looks like a path but does not exist."
            )
    aliases = ", ".join(sorted(registry.ALIASES))
    raise ValueError(
        f"Unknown data set {name!r}. Expected one of {list_datasets()} (or "
        f"an alias: {aliases}), or a local path: a folder of class "
        "sub-folders, a folder of IDX files, an .npz file or an archive."
    )


def _check_split(spec, split):
    if not isinstance(split, str) or split not in spec.splits:
        raise ValueError(
            f"Unknown split {split!r} for data set {spec.name!r}. Expected "
            f"one of {list(spec.splits)}."
        )


def _sample_resource():
    """The embedded sample file, found through the installed package."""
    try:
        resource = importlib.resources.files("keras_aegan") / "data"
        resource = resource / _SAMPLE_FILE
        if resource.is_file():
            return resource
    except (ModuleNotFoundError, TypeError, AttributeError, OSError):
        pass
    # Fallback for unusual imports: the file next to this package.
    here = os.path.dirname(os.path.abspath(__file__))
    return pathlib.Path(os.path.dirname(here), "data", _SAMPLE_FILE)


def _read_sample(split):
    with importlib.resources.as_file(_sample_resource()) as path:
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"The embedded sample {os.fspath(path)!r} is missing from "
                "this installation of keras_aegan; rebuild it with "
                "keras_aegan/data/build_mnist_sample.py."
            )
        return arrays.read_npz(path, split)


def _read_local_file(candidate, data_dir, spec, split, cache_dir, image_size):
    path = candidate.resolve(data_dir)
    if candidate.kind == "idx":
        return idx.read_idx_split(*idx.find_idx_files(path, split))
    if candidate.kind == "npz":
        return arrays.read_npz(path, split)
    if candidate.kind == "cifar_pickle":
        return arrays.read_cifar_pickle(path, split)
    images, labels, class_names = folders.read_image_folder(
        path, split, image_size=image_size, cache_dir=cache_dir
    )
    if spec is not None and spec.split_labels is not None:
        labels = np.full(len(images), spec.split_labels[split], np.int32)
    elif spec is not None and tuple(class_names or ()) != spec.class_names:
        raise ValueError(
            f"Expected the class folders {list(spec.class_names)} for "
            f"{spec.name!r} in {path!r}. Received {class_names}."
        )
    return images, labels


def _find_local(spec, split, data_dir):
    """The first local candidate that holds the split, or None."""
    if data_dir is None:
        return None
    for candidate in spec.local_files:
        if candidate.exists(data_dir, split):
            return candidate
    return None


def _missing_message(spec, split, data_dir, tfds_error=None):
    lines = [f"Could not find the data set {spec.name!r} (split {split!r})."]
    if spec.local_files:
        if data_dir is None:
            lines.append(
                f"No data folder was given (argument `data_dir` or the "
                f"environment variable {DATA_DIR_ENV}), so no local files "
                "were looked for. Inside a data folder these are looked for:"
            )
            shown_dir = f"${DATA_DIR_ENV}"
        else:
            lines.append(f"Looked for local files under {data_dir!r}:")
            shown_dir = data_dir
        for candidate in spec.local_files:
            lines.append("  - " + candidate.describe(shown_dir, split))
    if spec.tfds_name is not None:
        if tfds_error is not None:
            lines.append(
                f"Loading it through TensorFlow Datasets "
                f"(tfds.load({spec.tfds_name!r})) failed: "
                f"{type(tfds_error).__name__}: {tfds_error}"
            )
    lines.append("To get it:")
    if spec.tfds_name is not None:
        lines.append(
            f"  - with internet, TFDS downloads it: "
            f"datasets.load({spec.name!r}, source='tfds'), or "
            f"`tfds build {spec.tfds_name}` beforehand;"
        )
    if spec.local_files:
        example = spec.local_files[0].describe("/path/to/data", split)
        lines.append(
            f"  - {'or ' if spec.tfds_name else ''}set {DATA_DIR_ENV} (or "
            f"pass `data_dir`) to a folder holding the files, e.g. {example}."
        )
    return "\n".join(lines)


def _validate_common(split, source):
    if not isinstance(split, str):
        raise ValueError(f"Expected `split` to be a str. Received {split!r}.")
    if source not in SOURCES:
        raise ValueError(
            f"Expected `source` to be one of {list(SOURCES)}. Received "
            f"{source!r}."
        )


def _read_arrays(
    spec, path, split, data_dir, source, cache_dir, image_size=None
):
    """Local arrays for a named data set or path; None to use TFDS."""
    if path is not None:
        if source == "tfds":
            raise ValueError(
                f"Expected a TFDS data set name with source='tfds'. "
                f"Received the local path {path!r}."
            )
        return _read_path(path, split, cache_dir, image_size)
    _check_split(spec, split)
    if spec.name == _SAMPLE_NAME:
        if source == "tfds":
            raise ValueError(
                f"{_SAMPLE_NAME!r} ships with keras_aegan and has no TFDS "
                "source. Use source='auto' or 'local'."
            )
        return _read_sample(split)
    if source == "tfds":
        return None
    if spec.tfds_name is not None and not spec.local_files and source == "auto":
        return None
    if not spec.local_files:
        raise ValueError(
            f"{spec.name!r} has no local reader; it is available only "
            f"through TFDS (source='tfds' or 'auto')."
        )
    candidate = _find_local(spec, split, data_dir)
    if candidate is not None:
        return _read_local_file(
            candidate, data_dir, spec, split, cache_dir, image_size
        )
    if source == "local" or spec.tfds_name is None:
        raise FileNotFoundError(_missing_message(spec, split, data_dir))
    return None


def _read_path(path, split, cache_dir, image_size=None):
    if os.path.isfile(path) and path.lower().endswith(".npz"):
        return arrays.read_npz(path, split)
    if arrays.is_cifar_pickle_source(path):
        return arrays.read_cifar_pickle(path, split)
    if os.path.isdir(path):
        found = idx.find_idx_files(path, split)
        if found is not None:
            return idx.read_idx_split(*found)
        other = [s for s in ("train", "test") if idx.find_idx_files(path, s)]
        if other:
            raise ValueError(
                f"Expected IDX files for split {split!r} in {path!r}, e.g. "
                f"{idx.idx_file_candidates(path, split, 'images')[0]}. It "
                f"holds only the split(s) {other}."
            )
    if os.path.isdir(path) or folders.is_archive(path):
        # Without class folders this is every image, with labels None.
        images, labels, _ = folders.read_image_folder(
            path, split, image_size=image_size, cache_dir=cache_dir
        )
        return images, labels
    raise ValueError(
        f"Expected a folder of class sub-folders, a folder of IDX files, an "
        f".npz file or an archive ({', '.join(folders.ARCHIVE_EXTENSIONS)}) "
        f"at {path!r}."
    )


def load_arrays(name, split="train", data_dir=None, cache_dir=None):
    """Reads a data set from local files into NumPy arrays.

    This is the offline path: it never downloads. Named data sets are looked
    for under `data_dir` in the layout of the project's shared data folder
    (`mnist/train-images-idx3-ubyte.gz`, `cifar10/...tar.gz`, ...; see
    `info(name)["local_files"]`); `"mnist_sample"` is read from the package.

    Args:
        name: str or `os.PathLike`. A name from `list_datasets()` or a local
            path: a folder of class sub-folders (optionally inside split
            folders), a folder of IDX files, an `.npz` file, a CIFAR-10
            python-version folder, or a `.tar`/`.tar.gz`/`.zip` archive of
            image folders.
        split: str. The split to read, e.g. `"train"` or `"test"`.
            Defaults to `"train"`.
        data_dir: str. The data folder. Defaults to the environment
            variable `KERAS_AEGAN_DATA_DIR`.
        cache_dir: str. Where decoded images of folders and archives are
            cached. Defaults to `folders.default_cache_dir()`.

    Returns:
        A tuple `(images, labels)`: uint8 NumPy array `(N, H, W, C)` and
        int32 `(N,)`, or None for the labels of unlabeled data.

    Raises:
        ValueError: for an unknown name, an unknown split or malformed
            files.
        FileNotFoundError: when no local copy is found; the message lists
            the paths looked at.
    """
    _validate_common(split, "local")
    spec, path = _resolve(name)
    return _read_arrays(
        spec, path, split, _data_dir(data_dir), "local", cache_dir
    )


def _tfds_dataset(spec, split, data_dir, shuffle, seed, max_examples):
    import tensorflow_datasets as tfds

    tfds_split = split if max_examples is None else f"{split}[:{max_examples}]"
    ds = tfds.load(
        spec.tfds_name,
        split=tfds_split,
        as_supervised=spec.has_labels,
        data_dir=data_dir,
        download=True,
        shuffle_files=shuffle,
        read_config=tfds.ReadConfig(shuffle_seed=seed),
    )
    if max_examples is not None:
        ds = ds.take(max_examples)
    if not spec.has_labels:
        ds = ds.map(lambda ex: (ex["image"], tf.constant(-1, tf.int64)))
    return ds


def _check_pixel_range(pixel_range):
    try:
        if isinstance(pixel_range, str | bytes):
            raise TypeError
        low, high = (float(v) for v in pixel_range)
    except (TypeError, ValueError):
        low = high = math.nan
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(
            "Expected `pixel_range` to be a pair (low, high) with low < "
            "high, such as (-1.0, 1.0) or (0.0, 1.0). Received "
            f"{pixel_range!r}."
        )
    return low, high


def _shuffle_buffer(count, bytes_per_example):
    limit = max(1000, _SHUFFLE_BUFFER_BYTES // max(1, bytes_per_example))
    if count is None or count < 0:
        return limit
    return max(1, min(count, limit))


def _examples(
    name,
    spec,
    path,
    split,
    data_dir,
    source,
    cache_dir,
    image_size,
    with_labels,
    max_examples,
    shuffle,
    seed,
    shuffle_files,
):
    """The split's uint8 examples as a `tf.data.Dataset` of images (and
    int32 labels), from local files or TFDS.

    With `max_examples`, the first examples, or a random subset drawn with
    `seed` when `shuffle` (TFDS: always the first, its files are shuffled).

    Returns:
        `(dataset, count, example_shape, native_size)`: `count` is -1 or
        -2 when tf.data cannot tell, and `native_size` is the `(height,
        width)` that all examples share (None when they may differ).
    """
    try:
        local = _read_arrays(spec, path, split, data_dir, source, cache_dir)
    except folders.MixedImageSizesError:
        if image_size is None:
            raise
        local = _read_arrays(
            spec, path, split, data_dir, source, cache_dir, image_size
        )
    if local is None:
        try:
            ds = _tfds_dataset(
                spec, split, data_dir, shuffle_files, seed, max_examples
            )
        except Exception as e:  # TFDS raises many types; keep the cause.
            raise FileNotFoundError(
                _missing_message(spec, split, data_dir, tfds_error=e)
            ) from e
        if with_labels:
            ds = ds.map(lambda x, y: (x, tf.cast(y, tf.int32)))
        else:
            ds = ds.map(lambda x, y: x)
        # Sizes may vary (horse2zebra).
        return ds, int(ds.cardinality()), spec.image_shape, None
    images, labels = local
    if with_labels and labels is None:
        raise ValueError(
            f"Expected class labels in {name!r} for with_labels=True, "
            "but it has no class sub-folders or label arrays."
        )
    if max_examples is not None and max_examples < len(images):
        if shuffle:
            rng = np.random.default_rng(seed)
            keep = np.sort(rng.permutation(len(images))[:max_examples])
        else:
            keep = np.arange(max_examples)
        images = images[keep]
        labels = None if labels is None else labels[keep]
    if with_labels:
        ds = tf.data.Dataset.from_tensor_slices((images, labels))
    else:
        ds = tf.data.Dataset.from_tensor_slices(images)
    return ds, len(images), images.shape[1:], tuple(images.shape[1:3])


def _resized(ds, image_size, chunked):
    """Bilinear, antialiased resizing; in chunks of 256 examples when they
    all have one shape, much faster than one by one."""

    def resize(x, *label):
        x = tf.cast(x, tf.float32)
        x = tf.image.resize(x, image_size, method="bilinear", antialias=True)
        x = tf.clip_by_value(x, 0.0, 255.0)
        return (x, *label) if label else x

    if chunked:
        ds = ds.batch(256)
    ds = ds.map(resize, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.unbatch() if chunked else ds


def load(
    name,
    split="train",
    batch_size=128,
    image_size=None,
    pixel_range=(-1.0, 1.0),
    with_labels=False,
    shuffle=True,
    seed=None,
    data_dir=None,
    source="auto",
    max_examples=None,
    drop_remainder=False,
    cache=True,
    cache_dir=None,
    epochs=None,
    initial_epoch=0,
    initial_step=0,
):
    """Loads an image data set as a `tf.data.Dataset` ready for `fit()`.

    The pipeline is: read -> (resize) -> cache -> shuffle -> batch ->
    scale to `pixel_range` -> prefetch. It yields channels-last float32
    images `(batch, H, W, C)` (grey images have `C=1`), or
    `(images, labels)` with int32 labels. `tf.data` pipelines feed
    `model.fit()` on the TensorFlow, JAX and PyTorch backends alike.

    Where the data comes from (`source`):
    - `"local"`: files under the data folder, in the layout of the
      project's shared data folder (`mnist/train-images-idx3-ubyte.gz`,
      `fashion-mnist/...`, `cifar10/cifar10-jpeg-imagefolder.tar.gz`,
      `olivetti/olivetti_faces.npz`, `horse2zebra/horse2zebra.tar`); see
      `info(name)["local_files"]` for every accepted spelling.
    - `"tfds"`: `tfds.load()`, downloading when needed.
    - `"auto"`: local files when they are found, otherwise TFDS. If both
      fail, a `FileNotFoundError` lists what was looked for and how to
      get the data.
    `"mnist_sample"` is shipped inside the package and always local. A
    local path (folder, `.npz`, archive) is read directly.

    Args:
        name: str or `os.PathLike`. A name from `list_datasets()` or a local
            path: a folder of class sub-folders (optionally inside split
            folders such as `train/`), a folder of IDX files, an `.npz`
            file or an archive (`.tar`, `.tar.gz`, `.zip`) of image folders.
        split: str. The split, e.g. `"train"` or `"test"` (`"trainA"` ...
            for `"horse2zebra"`). Defaults to `"train"`.
        batch_size: int or None. Examples per batch; None yields single
            examples. Defaults to `128`.
        image_size: None, int or tuple of 2 ints. `(height, width)` to
            resize to with `tf.image.resize` (bilinear, antialiased), or
            None to keep the native size. Defaults to None.
        pixel_range: tuple of 2 floats. The range uint8 pixels 0..255 are
            mapped to linearly. Defaults to `(-1.0, 1.0)`.
        with_labels: bool. Whether to yield `(images, labels)` rather than
            images only. Defaults to `False`.
        shuffle: bool. Whether to shuffle the examples (again each epoch).
            Defaults to `True`.
        seed: int or None. Shuffling seed; the same seed gives the same
            order. Defaults to None.
        data_dir: str. Data folder for local files, also passed to
            `tfds.load()`. Defaults to the environment variable
            `KERAS_AEGAN_DATA_DIR`, else the TFDS default.
        source: str. `"auto"`, `"tfds"` or `"local"`. Defaults to
            `"auto"`.
        max_examples: int or None. Keeps at most this many examples, for
            quick runs: the first ones without shuffling (and always for
            TFDS, whose files are already shuffled), a random subset drawn
            with `seed` with shuffling. Defaults to None.
        drop_remainder: bool. Whether to drop the last, smaller batch.
            Defaults to `False`.
        cache: bool or str. Caches the decoded (and resized) examples in
            memory, or in files with this prefix when a str. Defaults to
            `True`.
        cache_dir: str. Where decoded images of folders and archives are
            cached. Defaults to `folders.default_cache_dir()`.
        epochs: int or None. None gives one epoch per iteration, shuffled
            again each time, as `fit()` expects by default. An int gives
            that many epochs back to back, epoch `k` in an order drawn from
            `seed` and `k` alone (needs an int `seed` to shuffle), for
            `fit(epochs=epochs, steps_per_epoch=...)`: a run restarted at
            any epoch and step then sees the batches an uninterrupted run
            would. Defaults to None.
        initial_epoch: int. With `epochs`, the first epoch yielded.
            Defaults to `0`.
        initial_step: int. With `epochs`, the batches (examples when
            `batch_size` is None) of `initial_epoch` to skip. Defaults to
            `0`.

    Returns:
        A `tf.data.Dataset`. With `epochs`, its cardinality is the number
        of batches left, `(epochs - initial_epoch) * steps_per_epoch -
        initial_step`.

    Raises:
        ValueError: for an unknown name or split, or an invalid argument.
        FileNotFoundError: when the data cannot be found or downloaded.
    """
    _validate_common(split, source)
    check_positive_int(batch_size, "batch_size")
    check_positive_int(max_examples, "max_examples")
    image_size = check_image_size(image_size)
    low, high = _check_pixel_range(pixel_range)
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int)
    ):
        raise ValueError(f"Expected `seed` to be an int or None. Got {seed!r}.")
    check_epochs(epochs, initial_epoch, initial_step, shuffle, seed)
    if not isinstance(cache, bool | str):
        raise ValueError(
            f"Expected `cache` to be a bool or a file prefix (str). Received "
            f"{cache!r}."
        )
    spec, path = _resolve(name)
    if spec is not None:
        _check_split(spec, split)
        if with_labels and not spec.has_labels:
            raise ValueError(
                f"Data set {spec.name!r} has no class labels; use "
                "with_labels=False."
            )
    data_dir = _data_dir(data_dir)
    ds, count, example_shape, native_size = _examples(
        name,
        spec,
        path,
        split,
        data_dir,
        source,
        cache_dir,
        image_size,
        with_labels,
        max_examples,
        shuffle,
        seed,
        # With `epochs`, TFDS reads its files in one order and each epoch
        # is shuffled from its own seed.
        shuffle_files=shuffle and epochs is None,
    )
    bytes_per_example = 1
    if image_size is not None and image_size != native_size:
        ds = _resized(ds, image_size, chunked=native_size is not None)
        example_shape = (*image_size, example_shape[-1])
        bytes_per_example = 4
    # Also for arrays already in memory: iterating a cache is faster than
    # slicing the source tensor example by example.
    if cache:
        ds = ds.cache(cache if isinstance(cache, str) else "")
    buffer = None
    if shuffle:
        for dim in example_shape[:-1]:
            bytes_per_example *= dim or 256
        bytes_per_example *= example_shape[-1] or 3
        buffer = _shuffle_buffer(count, bytes_per_example)

    def rescale(x):
        # x / 255 first, so that 0 and 255 map exactly to low and high.
        return tf.cast(x, tf.float32) / 255.0 * (high - low) + low

    def batched(ds):
        if batch_size is not None:
            ds = ds.batch(batch_size, drop_remainder=drop_remainder)
        if with_labels:
            return ds.map(
                lambda x, y: (rescale(x), y),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        return ds.map(rescale, num_parallel_calls=tf.data.AUTOTUNE)

    if epochs is None:
        if shuffle:
            ds = ds.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
        return batched(ds).prefetch(tf.data.AUTOTUNE)

    skipped = initial_step * (batch_size or 1)

    def one_epoch(k):
        examples = _shuffled_pass(ds, buffer, seed, k) if shuffle else ds
        skip = tf.where(k == initial_epoch, tf.constant(skipped, tf.int64), 0)
        return batched(examples.skip(skip))

    stream = tf.data.Dataset.range(initial_epoch, epochs).flat_map(one_epoch)
    if count is not None and count >= 0:
        steps = count if batch_size is None else count / batch_size
        steps = math.floor(steps) if drop_remainder else math.ceil(steps)
        if initial_step > steps:
            raise ValueError(
                f"Expected `initial_step` at most the {steps} batches of an "
                f"epoch. Received initial_step={initial_step}."
            )
        left = (epochs - initial_epoch) * steps - initial_step
        stream = stream.apply(tf.data.experimental.assert_cardinality(left))
    return stream.prefetch(tf.data.AUTOTUNE)


def _shuffled_pass(examples, buffer_size, seed, index):
    """Pass `index` (a tensor) over `examples`, in an order drawn from
    `seed` and `index` alone; called where `flat_map` traces its function.
    """
    # Clearing the traced function's graph seed keeps the process's global
    # seed (`tf.random.set_seed`) out of the order. It is also needed: TF
    # compares a tensor seed with 0 in Python when the global seed is 0.
    tf.random.set_seed(None)
    seed = tf.cast(seed, tf.int64) * 1_000_003 + tf.cast(index, tf.int64)
    return examples.shuffle(
        buffer_size, seed=seed, reshuffle_each_iteration=False
    )


def check_epochs(epochs, initial_epoch, initial_step, shuffle, seed):
    """Checks the `epochs`, `initial_epoch` and `initial_step` of a loader;
    a `ValueError` that names what came otherwise."""
    if epochs is None:
        if initial_epoch or initial_step:
            raise ValueError(
                "Expected `epochs` with `initial_epoch` or `initial_step`: "
                "they place the start in a stream of epochs. Received "
                f"epochs=None, initial_epoch={initial_epoch!r}, "
                f"initial_step={initial_step!r}."
            )
        return
    check_positive_int(epochs, "epochs", allow_none=False)
    for name, value in (
        ("initial_epoch", initial_epoch),
        ("initial_step", initial_step),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | np.integer)
            or value < 0
        ):
            raise ValueError(
                f"Expected `{name}` to be a non-negative int. Received "
                f"{value!r}."
            )
    if initial_epoch >= epochs:
        raise ValueError(
            f"Expected `initial_epoch` below `epochs`={epochs}. Received "
            f"initial_epoch={initial_epoch}."
        )
    if shuffle and seed is None:
        raise ValueError(
            "Expected an int `seed` with `epochs` and shuffle=True: each "
            "epoch's order is drawn from it. Received seed=None."
        )


def info(name, data_dir=None, cache_dir=None):
    """Describes a data set.

    Args:
        name: str or `os.PathLike`. A name from `list_datasets()` or a local
            path accepted by `load()`. A path is read (decoded images are
            cached) to find its splits, sizes and classes.
        data_dir: str. Data folder, used to report which local files are
            present. Defaults to the environment variable
            `KERAS_AEGAN_DATA_DIR`.
        cache_dir: str. Where decoded images of folders and archives are
            cached. Defaults to `folders.default_cache_dir()`.

    Returns:
        A dict with the keys `name`, `description`, `image_shape`
        (`(H, W, C)`), `num_classes`, `class_names` (None without labels),
        `splits` (split name -> number of examples), `source` (`"tfds"`,
        `"local"`, `"tfds or local"` or `"embedded"`), `tfds_name`,
        `local_files` (relative paths looked for in a data folder),
        `local_path` (the local copy found under the data folder, or None)
        and `homepage`.
    """
    spec, path = _resolve(name)
    if spec is not None:
        data_dir = _data_dir(data_dir)
        found = None
        first_split = next(iter(spec.splits))
        candidate = _find_local(spec, first_split, data_dir)
        if candidate is not None:
            found = candidate.resolve(data_dir)
        if spec.name == _SAMPLE_NAME:
            source = "embedded"
            found = os.fspath(_sample_resource())
        elif spec.tfds_name and spec.local_files:
            source = "tfds or local"
        else:
            source = "tfds" if spec.tfds_name else "local"
        return {
            "name": spec.name,
            "description": spec.description,
            "image_shape": tuple(spec.image_shape),
            "num_classes": spec.num_classes,
            "class_names": (
                list(spec.class_names) if spec.class_names else None
            ),
            "splits": dict(spec.splits),
            "source": source,
            "tfds_name": spec.tfds_name,
            "local_files": [f.path for f in spec.local_files],
            "local_path": found,
            "homepage": spec.homepage,
        }
    return _path_info(path, cache_dir)


def _path_info(path, cache_dir):
    if os.path.isfile(path) and path.lower().endswith(".npz"):
        splits = arrays.npz_splits(path)
    elif arrays.is_cifar_pickle_source(path):
        splits = ["train", "test"]
    elif os.path.isdir(path) and any(
        idx.find_idx_files(path, s) for s in ("train", "test")
    ):
        splits = [s for s in ("train", "test") if idx.find_idx_files(path, s)]
    else:
        splits = folders.image_folder_splits(path)
    counts, shape, num_classes, class_names = {}, None, 0, None
    for split in splits:
        try:
            images, labels = _read_path(path, split, cache_dir)
        except folders.MixedImageSizesError:
            counts[split] = len(folders.ImageTree(path).split_entries(split))
            shape = (None, None, None)
            continue
        counts[split] = len(images)
        shape = shape or tuple(images.shape[1:])
        if labels is not None and len(labels):
            num_classes = max(num_classes, int(labels.max()) + 1)
    if os.path.isdir(path) or folders.is_archive(path):
        try:
            class_names = folders.ImageTree(path).class_names() or None
        except ValueError:
            class_names = None
        if class_names:
            num_classes = len(class_names)
    if class_names is None and num_classes:
        class_names = [str(i) for i in range(num_classes)]
    return {
        "name": os.path.basename(os.path.normpath(path)),
        "description": f"Local data set at {path}.",
        "image_shape": shape,
        "num_classes": num_classes,
        "class_names": class_names,
        "splits": counts,
        "source": "local",
        "tfds_name": None,
        "local_files": [path],
        "local_path": path,
        "homepage": "",
    }
