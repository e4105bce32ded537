"""Tests of `keras_aegan.datasets`: readers, pipelines, TFDS and samples."""

import gzip
import os
import struct
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds
from PIL import Image

from keras_aegan import datasets
from keras_aegan.datasets import folders
from tests.helpers import SHARED_DATA

# Known facts about MNIST (the original files).
MNIST_TRAIN_COUNTS = [
    5923,
    6742,
    5958,
    6131,
    5842,
    5421,
    5918,
    6265,
    5851,
    5949,
]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _needs_shared(*relative_paths):
    return pytest.mark.needs_data(*relative_paths)


def _collect(ds):
    """Concatenates a dataset of batches (or of pairs of batches)."""
    parts = list(ds.as_numpy_iterator())
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate(p) for p in zip(*parts, strict=True))
    return np.concatenate(parts)


@pytest.fixture
def no_data_dir(monkeypatch):
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)


# ---------------------------------------------------------------- IDX files


def _write_idx(path, array, type_code, compress):
    array = np.asarray(array)
    dtype = {0x08: ">u1", 0x0B: ">i2", 0x0D: ">f4"}[type_code]
    header = bytes([0, 0, type_code, array.ndim])
    header += b"".join(struct.pack(">I", n) for n in array.shape)
    raw = header + array.astype(dtype).tobytes()
    if compress:
        raw = gzip.compress(raw)
    Path(path).write_bytes(raw)
    return path


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_round_trip(tmp_path, compress):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 3, 4), dtype=np.uint8)
    shorts = np.array([-300, 0, 7, 32000], dtype=np.int16)
    floats = np.array([[0.5, -1.25], [3.0, 1e-3]], dtype=np.float32)
    for name, array, code in [
        ("u8", images, 0x08),
        ("i16", shorts, 0x0B),
        ("f32", floats, 0x0D),
    ]:
        path = _write_idx(tmp_path / name, array, code, compress)
        out = datasets.read_idx(path)
        assert out.dtype == array.dtype and out.dtype.isnative
        np.testing.assert_array_equal(out, array)


def test_read_idx_errors(tmp_path):
    bad_magic = tmp_path / "bad_magic"
    bad_magic.write_bytes(b"\x00\x01\x08\x01" + b"\x00" * 8)
    with pytest.raises(ValueError, match="magic number.*0x00010801"):
        datasets.read_idx(bad_magic)

    full = _write_idx(tmp_path / "full", np.zeros((2, 2, 2)), 0x08, False)
    data = full.read_bytes()
    (tmp_path / "short").write_bytes(data[:-1])
    with pytest.raises(ValueError, match=r"truncated.*\(2, 2, 2\).*24 bytes"):
        datasets.read_idx(tmp_path / "short")
    (tmp_path / "long").write_bytes(data + b"\x00")
    with pytest.raises(ValueError, match="too long"):
        datasets.read_idx(tmp_path / "long")
    (tmp_path / "tiny").write_bytes(b"\x00\x00")
    with pytest.raises(ValueError, match="only 2 bytes"):
        datasets.read_idx(tmp_path / "tiny")
    (tmp_path / "broken.gz").write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(ValueError, match="gzip"):
        datasets.read_idx(tmp_path / "broken.gz")
    with pytest.raises(FileNotFoundError):
        datasets.read_idx(tmp_path / "missing.gz")


def _write_mnist_like(folder, n_train=6, n_test=4, compress=True):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    out = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        ext = ".gz" if compress else ""
        images = rng.integers(0, 256, (n, 5, 5), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        _write_idx(
            folder / f"{prefix}-images-idx3-ubyte{ext}", images, 8, compress
        )
        _write_idx(
            folder / f"{prefix}-labels-idx1-ubyte{ext}", labels, 8, compress
        )
        out[prefix] = (images, labels)
    return out


@pytest.mark.parametrize("compress", [True, False])
def test_idx_folder_path_and_named_layout(tmp_path, compress):
    written = _write_mnist_like(tmp_path / "mnist", compress=compress)
    images, labels = written["t10k"]
    # As a path.
    x, y = datasets.load_arrays(tmp_path / "mnist", split="test")
    np.testing.assert_array_equal(x[..., 0], images)
    np.testing.assert_array_equal(y, labels)
    assert x.shape == (4, 5, 5, 1) and y.dtype == np.int32
    # As the named data set inside a data folder.
    x, y = datasets.load_arrays("mnist", split="test", data_dir=tmp_path)
    np.testing.assert_array_equal(x[..., 0], images)
    ds = datasets.load(
        "mnist",
        split="train",
        data_dir=tmp_path,
        source="local",
        shuffle=False,
        with_labels=True,
        pixel_range=(0.0, 1.0),
    )
    bx, by = _collect(ds)
    np.testing.assert_allclose(
        bx[..., 0], written["train"][0] / np.float32(255), atol=1e-7
    )
    np.testing.assert_array_equal(by, written["train"][1])


def test_idx_count_mismatch(tmp_path):
    folder = tmp_path / "idx"
    folder.mkdir()
    _write_idx(folder / "train-images-idx3-ubyte", np.zeros((3, 2, 2)), 8, 0)
    _write_idx(folder / "train-labels-idx1-ubyte", np.zeros(2), 8, 0)
    with pytest.raises(ValueError, match="3 images.*2 labels"):
        datasets.load_arrays(folder)
    with pytest.raises(ValueError, match="split 'test'.*only the split"):
        datasets.load_arrays(folder, split="test")
    _write_idx(folder / "train-images-idx3-ubyte", np.zeros((3, 4)), 8, 0)
    with pytest.raises(ValueError, match=r"shape \(N, H, W\).*\(3, 4\)"):
        datasets.load_arrays(folder)


# ---------------------------------------------------------------- npz files


def test_npz_keras_layout_and_single_split(tmp_path):
    rng = np.random.default_rng(2)
    x_train = rng.integers(0, 256, (6, 4, 4), dtype=np.uint8)
    x_test = rng.integers(0, 256, (3, 4, 4, 3), dtype=np.uint8)
    path = tmp_path / "keras.npz"
    np.savez(
        path,
        x_train=x_train,
        y_train=np.arange(6),
        x_test=x_test,
        y_test=np.array([[2], [0], [1]]),
    )
    x, y = datasets.read_npz(path, "train")
    np.testing.assert_array_equal(x[..., 0], x_train)
    np.testing.assert_array_equal(y, np.arange(6))
    x, y = datasets.load_arrays(path, split="test")
    np.testing.assert_array_equal(x, x_test)
    np.testing.assert_array_equal(y, [2, 0, 1])
    assert datasets.info(path)["splits"] == {"test": 3, "train": 6}

    # One split under `images`/`labels`; floats in [0, 1] are rescaled.
    single = tmp_path / "single.npz"
    floats = np.array([[[0.0, 1.0], [0.5, 0.2]]], dtype=np.float32)
    np.savez(single, images=floats, labels=np.array([4.0]))
    x, y = datasets.read_npz(single)
    np.testing.assert_array_equal(x[0, ..., 0], [[0, 255], [128, 51]])
    assert y.tolist() == [4] and y.dtype == np.int32
    no_labels = tmp_path / "nolabels.npz"
    np.savez(no_labels, x=x_train)
    assert datasets.read_npz(no_labels)[1] is None


def test_npz_errors(tmp_path):
    path = tmp_path / "odd.npz"
    np.savez(path, pictures=np.zeros((2, 3, 3)), targets=np.zeros(2))
    with pytest.raises(ValueError, match=r"x_train.*holds the keys.*pictures"):
        datasets.read_npz(path)
    single = tmp_path / "single.npz"
    np.savez(single, images=np.zeros((2, 3, 3), np.uint8))
    with pytest.raises(ValueError, match="split 'test'.*x_test"):
        datasets.read_npz(single, "test")
    mismatch = tmp_path / "mismatch.npz"
    np.savez(mismatch, images=np.zeros((2, 3, 3)), labels=np.zeros(3))
    with pytest.raises(ValueError, match=r"shape \(2,\).*\(3,\)"):
        datasets.read_npz(mismatch)
    out_of_range = tmp_path / "range.npz"
    np.savez(out_of_range, images=np.full((1, 2, 2), 300))
    with pytest.raises(ValueError, match=r"\[0, 255\].*300"):
        datasets.read_npz(out_of_range)
    empty = tmp_path / "empty.npz"
    np.savez(empty, images=np.zeros((0, 2, 2), np.uint8))
    with pytest.raises(ValueError, match="at least one image"):
        datasets.read_npz(empty)


def test_cifar_pickle_reader(tmp_path):
    import pickle

    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(3)
    chw = rng.integers(0, 256, (2, 3, 32, 32), dtype=np.uint8)
    batch = {b"data": chw.reshape(2, -1), b"labels": [3, 7]}
    with open(folder / "test_batch", "wb") as f:
        pickle.dump(batch, f)
    x, y = datasets.read_cifar_pickle(folder, "test")
    np.testing.assert_array_equal(x, chw.transpose(0, 2, 3, 1))
    assert y.tolist() == [3, 7]
    with pytest.raises(FileNotFoundError, match="data_batch_1"):
        datasets.read_cifar_pickle(folder, "train")
    # Named layout: `cifar10/cifar-10-batches-py` in a data folder.
    (tmp_path / "data" / "cifar10").mkdir(parents=True)
    folder.rename(tmp_path / "data" / "cifar10" / "cifar-10-batches-py")
    x2, _ = datasets.load_arrays("cifar10", "test", data_dir=tmp_path / "data")
    np.testing.assert_array_equal(x2, x)


# ---------------------------------------------------------- image folders


def _write_tree(root, splits, size=(6, 5), mode="RGB", seed=0):
    """Writes PNGs root/<split>/<class>/<i>.png; returns the arrays."""
    rng = np.random.default_rng(seed)
    written = {}
    for split, classes in splits.items():
        for class_name, count in classes.items():
            folder = root / split / class_name if split else root / class_name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                shape = size + ((3,) if mode == "RGB" else ())
                array = rng.integers(0, 256, shape, dtype=np.uint8)
                Image.fromarray(array, mode).save(folder / f"{i:03d}.png")
                written.setdefault(split, []).append((class_name, array))
    return written


def test_image_folder_labels_and_exact_pixels(tmp_path):
    root = tmp_path / "pets"
    # Written out of order; the classes sort to ["cat", "dog", "emu"].
    written = _write_tree(
        root,
        {"train": {"dog": 2, "cat": 3, "emu": 1}, "test": {"dog": 1, "emu": 2}},
    )
    cache = tmp_path / "cache"
    x, y, names = datasets.read_image_folder(root, "test", cache_dir=cache)
    assert names == ["cat", "dog", "emu"]  # over all splits, sorted
    assert y.tolist() == [1, 2, 2]
    expected = np.stack([a for _, a in written["test"]])
    np.testing.assert_array_equal(x, expected)
    x, y, _ = datasets.read_image_folder(root, "train", cache_dir=cache)
    assert y.tolist() == [0, 0, 0, 1, 1, 2] and x.shape == (6, 6, 5, 3)
    info = datasets.info(root, cache_dir=cache)
    assert info["splits"] == {"test": 3, "train": 6}
    assert info["image_shape"] == (6, 5, 3) and info["num_classes"] == 3

    ds = datasets.load(
        root,
        split="test",
        with_labels=True,
        shuffle=False,
        batch_size=2,
        cache_dir=cache,
    )
    images, labels = _collect(ds)
    assert images.dtype == np.float32 and labels.dtype == np.int32
    np.testing.assert_allclose(images, expected / 255.0 * 2.0 - 1.0, atol=1e-6)
    assert labels.tolist() == [1, 2, 2]

    with pytest.raises(ValueError, match=r"split 'val'.*\['test', 'train'\]"):
        datasets.read_image_folder(root, "val", cache_dir=cache)


def test_image_folder_cache_is_reused(tmp_path, monkeypatch):
    root = tmp_path / "imgs"
    _write_tree(root, {"": {"a": 2, "b": 2}})
    cache = tmp_path / "cache"
    first = datasets.read_image_folder(root, cache_dir=cache)
    assert len(list((cache / "decoded").glob("*.npz"))) == 1

    def fail(*args, **kwargs):
        raise AssertionError("decoded again instead of using the cache")

    monkeypatch.setattr(folders, "_decode", fail)
    second = datasets.read_image_folder(root, cache_dir=cache)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    # A changed file invalidates the cache.
    Image.fromarray(np.zeros((6, 5, 3), np.uint8)).save(root / "a" / "new.png")
    with pytest.raises(AssertionError, match="decoded again"):
        datasets.read_image_folder(root, cache_dir=cache)


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_image_archive_matches_folder(tmp_path, kind):
    root = tmp_path / "tree" / "wrapped"
    _write_tree(root, {"train": {"x": 2, "y": 1}, "test": {"x": 1, "y": 1}})
    archive = tmp_path / f"tree.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as zf:
            for path in sorted(root.rglob("*.png")):
                zf.write(path, path.relative_to(root.parent).as_posix())
    else:
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(root, arcname="wrapped")
    cache = tmp_path / "cache"
    for split in ("train", "test"):
        from_folder = datasets.read_image_folder(root, split, cache_dir=cache)
        from_archive = datasets.read_image_folder(
            archive, split, cache_dir=cache
        )
        np.testing.assert_array_equal(from_folder[0], from_archive[0])
        np.testing.assert_array_equal(from_folder[1], from_archive[1])
        assert from_archive[2] == ["x", "y"]


def test_extracted_cifar10_folder_in_data_dir(tmp_path):
    names = datasets.info("cifar10")["class_names"]
    data_dir = tmp_path / "data"
    written = _write_tree(
        data_dir / "cifar10",
        {"test": {name: 1 for name in names}},
        size=(32, 32),
    )
    cache = tmp_path / "cache"
    x, y = datasets.load_arrays("cifar10", "test", data_dir, cache_dir=cache)
    assert y.tolist() == list(range(10))
    np.testing.assert_array_equal(x, np.stack([a for _, a in written["test"]]))
    (data_dir / "cifar10" / "test" / "zebra").mkdir()
    Image.fromarray(written["test"][0][1]).save(
        data_dir / "cifar10" / "test" / "zebra" / "0.png"
    )
    with pytest.raises(ValueError, match="Expected the class folders.*zebra"):
        datasets.load_arrays("cifar10", "test", data_dir, cache_dir=cache)


def test_unlabeled_folder_grey_and_mixed_sizes(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    grey = np.arange(30, dtype=np.uint8).reshape(6, 5)
    Image.fromarray(grey, "L").save(flat / "a.png")
    cache = tmp_path / "cache"
    images = datasets.read_images(flat, cache_dir=cache)
    assert images.shape == (1, 6, 5, 1)
    np.testing.assert_array_equal(images[0, ..., 0], grey)
    # A colour image turns the whole set into RGB; grey is replicated.
    colour = np.full((6, 5, 3), 9, np.uint8)
    Image.fromarray(colour, "RGB").save(flat / "b.png")
    images = datasets.read_images(flat, cache_dir=cache)
    assert images.shape == (2, 6, 5, 3)
    np.testing.assert_array_equal(images[0], np.repeat(grey[..., None], 3, -1))
    assert datasets.read_image_folder(flat, cache_dir=cache)[1] is None
    with pytest.raises(ValueError, match="has no class labels|no class sub"):
        datasets.load(flat, with_labels=True, cache_dir=cache)
    with pytest.raises(ValueError, match="only the split 'train'"):
        datasets.load(flat, split="test", cache_dir=cache)

    Image.fromarray(np.zeros((8, 8), np.uint8), "L").save(flat / "c.png")
    with pytest.raises(datasets.MixedImageSizesError, match="8x8.*image_size"):
        datasets.read_images(flat, cache_dir=cache)
    images = datasets.read_images(flat, image_size=(6, 5), cache_dir=cache)
    assert images.shape == (3, 6, 5, 3)
    ds = datasets.load(flat, image_size=4, batch_size=None, cache_dir=cache)
    assert [tuple(x.shape) for x in ds] == [(4, 4, 3)] * 3


def test_empty_folder(tmp_path):
    (tmp_path / "empty" / "cls").mkdir(parents=True)
    (tmp_path / "empty" / "cls" / "notes.txt").write_text("no images")
    with pytest.raises(ValueError, match="Expected image files.*found none"):
        datasets.load(tmp_path / "empty", cache_dir=tmp_path / "cache")


# ------------------------------------------------------ arguments, errors


def test_list_and_info():
    names = datasets.list_datasets()
    for name in ["mnist", "fashion_mnist", "cifar10", "olivetti_faces"]:
        assert name in names
    assert "mnist_sample" in names and "horse2zebra" in names
    mnist = datasets.info("mnist")
    assert mnist["image_shape"] == (28, 28, 1) and mnist["num_classes"] == 10
    assert mnist["splits"] == {"train": 60000, "test": 10000}
    assert mnist["tfds_name"] == "mnist"
    cifar = datasets.info("cifar10")
    assert cifar["class_names"][0] == "airplane"
    assert cifar["class_names"][-1] == "truck"
    assert datasets.info("cycle_gan/horse2zebra")["name"] == "horse2zebra"
    sample = datasets.info("mnist_sample")
    assert sample["source"] == "embedded" and os.path.isfile(
        sample["local_path"]
    )


def test_argument_errors(no_data_dir):
    with pytest.raises(ValueError, match=r"Unknown data set 'mnits'.*mnist"):
        datasets.load("mnits")
    with pytest.raises(ValueError, match=r"split 'valid'.*\['train', 'test'\]"):
        datasets.load("mnist_sample", split="valid")
    with pytest.raises(ValueError, match=r"split 'test'.*\['train'\]"):
        datasets.load_arrays("olivetti_faces", split="test")
    for bad in [(1.0, -1.0), (0.0,), "01", None, (0.0, float("inf"))]:
        with pytest.raises(ValueError, match="pixel_range"):
            datasets.load("mnist_sample", pixel_range=bad)
    for bad in [-1, 0, 2.5, True]:
        with pytest.raises(ValueError, match="batch_size.*positive int"):
            datasets.load("mnist_sample", batch_size=bad)
    with pytest.raises(ValueError, match="image_size"):
        datasets.load("mnist_sample", image_size=(0, 3))
    with pytest.raises(ValueError, match="source.*'auto', 'tfds', 'local'"):
        datasets.load("mnist_sample", source="web")
    with pytest.raises(ValueError, match="max_examples"):
        datasets.load("mnist_sample", max_examples=-5)
    with pytest.raises(ValueError, match="no class labels"):
        datasets.load("celeb_a", with_labels=True)
    with pytest.raises(ValueError, match="no TFDS source"):
        datasets.load("mnist_sample", source="tfds")
    with pytest.raises(ValueError, match="only through TFDS"):
        datasets.load("celeb_a", source="local")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        datasets.load("no/such/folder")


def test_missing_local_files_message(tmp_path, no_data_dir):
    with pytest.raises(FileNotFoundError) as error:
        datasets.load("mnist", data_dir=tmp_path, source="local")
    message = str(error.value)
    assert str(tmp_path / "mnist" / "train-images-idx3-ubyte.gz") in message
    assert str(tmp_path / "mnist" / "train-labels-idx1-ubyte.gz") in message
    assert "KERAS_AEGAN_DATA_DIR" in message and "source='tfds'" in message
    with pytest.raises(FileNotFoundError) as error:
        datasets.load_arrays("cifar10", split="test", data_dir=tmp_path)
    message = str(error.value)
    assert (
        str(tmp_path / "cifar10" / "cifar10-jpeg-imagefolder.tar.gz") in message
    )
    with pytest.raises(FileNotFoundError, match="No data folder was given"):
        datasets.load_arrays("fashion_mnist")


def test_auto_falls_back_to_tfds_then_fails_clearly(tmp_path, monkeypatch):
    def offline_load(*args, **kwargs):
        raise ConnectionError("no route to the download server")

    monkeypatch.setattr(tfds, "load", offline_load)
    with pytest.raises(FileNotFoundError) as error:
        datasets.load("fashion_mnist", data_dir=tmp_path)
    message = str(error.value)
    assert (
        str(tmp_path / "fashion-mnist" / "train-images-idx3-ubyte.gz")
        in message
    )
    assert "no route to the download server" in message
    assert "tfds.load('fashion_mnist')" in message
    assert isinstance(error.value.__cause__, ConnectionError)


# ------------------------------------------------------------ TFDS (mocked)


def test_tfds_mnist_mocked(tmp_path):
    with tfds.testing.mock_data(num_examples=10):
        ds = datasets.load(
            "mnist",
            source="tfds",
            data_dir=tmp_path,
            batch_size=4,
            with_labels=True,
            seed=0,
        )
        batches = list(ds.as_numpy_iterator())
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    images = np.concatenate([x for x, _ in batches])
    labels = np.concatenate([y for _, y in batches])
    assert images.shape == (10, 28, 28, 1) and images.dtype == np.float32
    assert labels.dtype == np.int32 and set(labels) <= set(range(10))
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert images.max() > 0.5  # random pixels reach the upper range


def test_tfds_auto_resize_and_cap_mocked(tmp_path, no_data_dir):
    with tfds.testing.mock_data(num_examples=6):
        # No local files in tmp_path, so "auto" goes to TFDS.
        ds = datasets.load(
            "cifar10",
            data_dir=tmp_path,
            batch_size=None,
            image_size=(16, 8),
            pixel_range=(0.0, 1.0),
            max_examples=5,
        )
        images = np.stack(list(ds.as_numpy_iterator()))
        celeb = datasets.load("celeb_a", batch_size=3, image_size=8)
        faces = next(iter(celeb))
    assert images.shape == (5, 16, 8, 3) and images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert faces.shape == (3, 8, 8, 3) and faces.dtype == tf.float32


# ----------------------------------------------------- the embedded sample


def test_mnist_sample_without_data_dir(no_data_dir):
    x, y = datasets.load_arrays("mnist_sample")
    assert x.shape == (6000, 28, 28, 1) and x.dtype == np.uint8
    assert np.bincount(y).tolist() == [600] * 10
    x_test, y_test = datasets.load_arrays("mnist_sample", split="test")
    assert x_test.shape == (1000, 28, 28, 1)
    assert np.bincount(y_test).tolist() == [100] * 10
    # The first training images of MNIST: 5, 0, 4, 1, 9 (all kept).
    assert y[:5].tolist() == [5, 0, 4, 1, 9]
    assert int(x[0].sum()) == 27525

    ds = datasets.load("mnist_sample", split="test", batch_size=128)
    sizes = [int(b.shape[0]) for b in ds]
    assert sizes == [128] * 7 + [104]
    dropped = datasets.load("mnist_sample", batch_size=128, drop_remainder=True)
    assert sum(1 for _ in dropped) == 6000 // 128


@_needs_shared("mnist/train-images-idx3-ubyte.gz")
def test_mnist_sample_matches_full_mnist():
    resource = Path(datasets.info("mnist_sample")["local_path"])
    with np.load(resource) as sample:
        for split, x_key, idx_key in [
            ("train", "x_train", "train_indices"),
            ("test", "x_test", "test_indices"),
        ]:
            full_x, full_y = datasets.load_arrays("mnist", split, SHARED_DATA)
            indices = sample[idx_key]
            np.testing.assert_array_equal(
                sample[x_key], full_x[indices, ..., 0]
            )
            per_class = 600 if split == "train" else 100
            for digit in range(10):
                # The first `per_class` images of each digit, no others.
                first = np.flatnonzero(full_y == digit)[:per_class]
                chosen = indices[full_y[indices] == digit]
                np.testing.assert_array_equal(chosen, first)


# ------------------------------------------------- pipeline behaviour


def test_seeded_shuffling_is_reproducible(no_data_dir):
    def epochs(seed, shuffle=True):
        ds = datasets.load(
            "mnist_sample",
            split="test",
            batch_size=100,
            with_labels=True,
            shuffle=shuffle,
            seed=seed,
        )
        return [np.concatenate([y for _, y in ds.as_numpy_iterator()])] + [
            np.concatenate([y for _, y in ds.as_numpy_iterator()])
        ]

    first, again, other = epochs(7), epochs(7), epochs(8)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[0], first[1])  # reshuffled per epoch
    assert not np.array_equal(first[0], other[0])
    assert sorted(first[0].tolist()) == sorted(other[0].tolist())
    ordered = epochs(None, shuffle=False)[0]
    _, y_test = datasets.load_arrays("mnist_sample", split="test")
    np.testing.assert_array_equal(ordered, y_test)


def test_pixel_range_resize_and_max_examples(no_data_dir):
    x, _ = datasets.load_arrays("mnist_sample", split="test")
    ds = datasets.load(
        "mnist_sample",
        split="test",
        shuffle=False,
        batch_size=250,
        max_examples=500,
    )
    images = _collect(ds)
    assert images.shape == (500, 28, 28, 1)
    np.testing.assert_allclose(images, x[:500] / 255.0 * 2 - 1, atol=1e-6)
    assert np.all(images[x[:500] == 0] == -1.0)
    assert np.all(images[x[:500] == 255] == 1.0)
    unit = _collect(
        datasets.load(
            "mnist_sample",
            split="test",
            shuffle=False,
            pixel_range=(0, 1),
            max_examples=300,
        )
    )
    np.testing.assert_allclose(unit, x[:300] / 255.0, atol=1e-7)
    # A random subset with shuffling, still 300 distinct images.
    subset = _collect(
        datasets.load("mnist_sample", split="test", max_examples=300, seed=1)
    )
    assert len(np.unique(subset.reshape(300, -1), axis=0)) == 300

    resized = _collect(
        datasets.load(
            "mnist_sample",
            split="test",
            shuffle=False,
            image_size=14,
            max_examples=64,
        )
    )
    assert resized.shape == (64, 14, 14, 1)
    expected = tf.image.resize(
        x[:64].astype(np.float32), (14, 14), "bilinear", antialias=True
    )
    np.testing.assert_allclose(
        resized, expected.numpy() / 255.0 * 2 - 1, atol=1e-5
    )
    assert resized.min() >= -1.0 and resized.max() <= 1.0
    wide = datasets.load("mnist_sample", image_size=(32, 20), batch_size=8)
    assert next(iter(wide)).shape == (8, 32, 20, 1)


def test_feeds_model_fit_on_current_backend(no_data_dir):
    import keras

    ds = datasets.load(
        "mnist_sample",
        batch_size=64,
        with_labels=True,
        max_examples=256,
        seed=0,
        pixel_range=(0.0, 1.0),
    )
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        "adam",
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(ds, epochs=2, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 2 and all(np.isfinite(losses))
    assert losses[1] < losses[0]
    assert keras.backend.backend() == os.environ.get(
        "KERAS_BACKEND", keras.backend.backend()
    )


# ------------------------------------------------------- real data sets


@pytest.mark.large
@_needs_shared("mnist", "fashion-mnist")
def test_real_mnist_and_fashion_mnist():
    x, y = datasets.load_arrays("mnist", "train", SHARED_DATA)
    assert x.shape == (60000, 28, 28, 1) and x.dtype == np.uint8
    assert np.bincount(y).tolist() == MNIST_TRAIN_COUNTS
    assert y[0] == 5 and int(x[0].sum()) == 27525
    x_test, y_test = datasets.load_arrays("mnist", "test", SHARED_DATA)
    assert x_test.shape == (10000, 28, 28, 1)
    assert np.bincount(y_test).tolist() == MNIST_TEST_COUNTS
    assert y_test[:5].tolist() == [7, 2, 1, 0, 4]

    for split, count in [("train", 60000), ("test", 10000)]:
        fx, fy = datasets.load_arrays("fashion_mnist", split, SHARED_DATA)
        assert fx.shape == (count, 28, 28, 1)
        assert np.bincount(fy).tolist() == [count // 10] * 10
    assert fy[0] == 9  # the first test image is an ankle boot

    # The pipeline on the real files: exact scaling, full epoch.
    ds = datasets.load(
        "mnist",
        data_dir=SHARED_DATA,
        source="local",
        batch_size=1000,
        shuffle=False,
        with_labels=True,
    )
    images, labels = _collect(ds)
    assert images.shape == (60000, 28, 28, 1) and labels.shape == (60000,)
    np.testing.assert_array_equal(labels, y)
    assert np.all(images[x == 0] == -1.0) and np.all(images[x == 255] == 1.0)
    np.testing.assert_allclose(
        images[:1000], x[:1000] / 255.0 * 2 - 1, atol=1e-6
    )


@pytest.mark.large
@_needs_shared("olivetti/olivetti_faces.npz")
def test_real_olivetti(monkeypatch):
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(SHARED_DATA))
    x, y = datasets.load_arrays("olivetti_faces")
    assert x.shape == (400, 64, 64, 1) and x.dtype == np.uint8
    assert np.bincount(y).tolist() == [10] * 40
    ds = datasets.load("olivetti_faces", batch_size=400, shuffle=False)
    batch = next(iter(ds)).numpy()
    np.testing.assert_allclose(batch, x / 255.0 * 2 - 1, atol=1e-6)


@pytest.mark.large
@pytest.mark.slow
@pytest.mark.once  # tf.data and JPEG decoding: no backend in the loop
@_needs_shared("cifar10/cifar10-jpeg-imagefolder.tar.gz")
def test_real_cifar10():
    # The first call decodes the JPEGs once into the cache (a few seconds).
    x, y = datasets.load_arrays("cifar10", "train", SHARED_DATA)
    assert x.shape == (50000, 32, 32, 3) and x.dtype == np.uint8
    assert np.bincount(y).tolist() == [5000] * 10
    x_test, y_test = datasets.load_arrays("cifar10", "test", SHARED_DATA)
    assert x_test.shape == (10000, 32, 32, 3)
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert 80 < x_test.mean() < 180  # real photos, not blank decodes
    ds = datasets.load("cifar10", data_dir=SHARED_DATA, with_labels=True)
    images, labels = next(iter(ds))
    assert images.shape == (128, 32, 32, 3) and labels.shape == (128,)


@pytest.mark.large
@_needs_shared("horse2zebra/horse2zebra.tar")
def test_real_horse2zebra_test_splits():
    for split, count, label in [("testA", 120, 0), ("testB", 140, 1)]:
        x, y = datasets.load_arrays("horse2zebra", split, SHARED_DATA)
        assert x.shape == (count, 256, 256, 3) and x.dtype == np.uint8
        assert set(y.tolist()) == {label}
    tar = SHARED_DATA / "horse2zebra" / "horse2zebra.tar"
    domain_b = datasets.read_images(tar, split="testB")
    assert domain_b.shape == (140, 256, 256, 3)
