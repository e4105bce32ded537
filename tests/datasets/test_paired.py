"""Tests of the paired tasks and loaders of `keras_aegan.datasets` (for
Pix2Pix): the input each task derives from a real image, resumable seeds,
and folders of side-by-side `A|B` images."""

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_aegan import datasets


@pytest.fixture(scope="module")
def digits():
    """64 real MNIST digits from the shipped sample, in [-1, 1]."""
    images, _ = datasets.load_arrays("mnist_sample")
    return images[:64].astype("float32") / 127.5 - 1.0


def _pairs(task, images, seed=0):
    return datasets.make_pairs(task, images, seed=seed)


def _block_means(images, size):
    return tf.nn.avg_pool2d(images, size, size, "VALID").numpy()


def test_super_resolution_keeps_the_low_frequencies_and_drops_the_rest(
    digits,
):
    task = datasets.PairedTask("super_resolution", 1)
    inputs, targets = _pairs(task, digits)
    assert inputs.shape == targets.shape == digits.shape
    np.testing.assert_array_equal(targets, digits)
    # The 4x4 block means agree far better than the pixels do ...
    block_error = np.abs(_block_means(inputs, 4) - _block_means(targets, 4))
    pixel_error = np.abs(inputs - targets)
    assert block_error.mean() < 0.5 * pixel_error.mean()

    # ... and the input holds none of the detail finer than 4 pixels: it
    # is (nearly) a function of the 7x7 image, so nearly smooth.
    def roughness(x):
        return np.abs(np.diff(x, axis=1)).mean()

    assert roughness(inputs) < 0.6 * roughness(targets)
    np.testing.assert_array_equal(task.baseline(inputs), inputs)
    assert inputs.min() >= -1.0 and inputs.max() <= 1.0


@pytest.mark.parametrize("mask", ("box", "free_form"))
def test_inpainting_changes_only_the_hole_and_gives_its_mask(digits, mask):
    task = datasets.PairedTask("inpainting", 1, mask=mask)
    inputs, targets = _pairs(task, digits)
    assert inputs.shape == (*digits.shape[:3], 2) and task.input_channels == 2
    hole = task.hole_of(inputs)
    # The mask channel is exactly +1 in the hole and -1 outside.
    np.testing.assert_array_equal(inputs[..., 1:], 2.0 * hole - 1.0)
    known = hole == 0
    np.testing.assert_array_equal(inputs[..., :1][known], targets[known])
    fraction = hole.mean(axis=(1, 2, 3))
    assert np.all(fraction > 0.0) and np.all(fraction < 0.5)
    # The hole holds each image's mean of the known pixels.
    for x, y, h in zip(inputs[..., :1], targets, hole, strict=True):
        mean = y[h == 0].mean()
        np.testing.assert_allclose(x[h == 1], mean, atol=1e-5)
    if mask == "box":
        # One rectangle: its area is its rows times its columns.
        for h in hole[..., 0]:
            rows, cols = h.any(axis=1).sum(), h.any(axis=0).sum()
            assert h.sum() == rows * cols
            assert 0.25 * 28 - 1 <= rows <= 0.5 * 28
    np.testing.assert_array_equal(task.baseline(inputs), inputs[..., :1])
    # The same seed gives the same holes; another seed other holes.
    again, _ = _pairs(task, digits, seed=0)
    other, _ = _pairs(task, digits, seed=1)
    np.testing.assert_array_equal(again, inputs)
    assert np.mean(task.hole_of(other) != hole) > 0.05


def test_colorization_gives_the_luma_of_the_rgb_image():
    rgb = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3))
    rgb = rgb.astype("float32")
    task = datasets.PairedTask("colorization", 3)
    inputs, targets = _pairs(task, rgb)
    assert inputs.shape == (4, 8, 8, 1) and task.input_channels == 1
    # ITU-R BT.601 luma, the weights of tf.image.rgb_to_grayscale.
    luma = rgb @ np.array([0.2989, 0.5870, 0.1140], "float32")
    np.testing.assert_allclose(inputs[..., 0], luma, atol=1e-5)
    np.testing.assert_array_equal(targets, rgb)
    np.testing.assert_allclose(
        task.baseline(inputs), np.repeat(inputs, 3, -1), atol=0
    )


def test_load_paired_resumes_with_the_pairs_of_an_uninterrupted_run():
    options = dict(
        task="inpainting",
        batch_size=100,
        seed=3,
        drop_remainder=True,
        epochs=2,
    )
    whole = [
        x.numpy() for x, _ in datasets.load_paired("mnist_sample", **options)
    ]
    steps = len(whole) // 2
    resumed = datasets.load_paired(
        "mnist_sample", initial_epoch=1, initial_step=2, **options
    )
    resumed = [x.numpy() for x, _ in resumed]
    assert len(resumed) == steps - 2
    for a, b in zip(whole[steps + 2 :], resumed, strict=True):
        np.testing.assert_array_equal(a, b)
    # New holes in every epoch: epoch 2 is not epoch 1 again.
    assert not np.array_equal(whole[0][..., 1], whole[steps][..., 1])


def test_load_paired_takes_an_array_and_refuses_bad_input(digits):
    x, y = next(
        iter(datasets.load_paired(digits, "super_resolution", batch_size=16))
    )
    assert x.shape == y.shape == (16, 28, 28, 1)
    with pytest.raises(ValueError, match="Expected task in"):
        datasets.PairedTask("deblurring", 3)
    with pytest.raises(ValueError, match="RGB images"):
        datasets.PairedTask("colorization", 1)
    with pytest.raises(ValueError, match="hole_size"):
        datasets.PairedTask("inpainting", 1, hole_size=(0.5, 1.5))
    with pytest.raises(ValueError, match=r"in \[-1, 1\]"):
        datasets.load_paired(digits * 3, "inpainting")
    with pytest.raises(ValueError, match="epochs=None for an array"):
        datasets.load_paired(digits, "inpainting", epochs=2, seed=0)


def _side_by_side_folder(root, count=5, size=(12, 10)):
    """A folder `train/` of `A|B` PNGs that the test makes: A is a random
    image, B its colour negative, so every pair can be checked."""
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (count, *size, 3), dtype=np.uint8)
    b = 255 - a
    (root / "train").mkdir(parents=True)
    for i in range(count):
        pair = np.concatenate([a[i], b[i]], axis=1)
        Image.fromarray(pair).save(root / "train" / f"{i:03d}.png")
    return a, b


def test_side_by_side_loader_splits_each_file_into_its_pair(tmp_path):
    a, b = _side_by_side_folder(tmp_path / "facades")
    read_a, read_b = datasets.read_side_by_side(tmp_path / "facades")
    # Files are read in name order; PNG is lossless.
    np.testing.assert_array_equal(read_a, a)
    np.testing.assert_array_equal(read_b, b)
    for direction, (source, target) in {
        "a_to_b": (a, b),
        "b_to_a": (b, a),
    }.items():
        ds = datasets.load_side_by_side(
            tmp_path / "facades",
            batch_size=5,
            direction=direction,
            shuffle=False,
            random_flip=False,
        )
        x, y = (t.numpy() for t in next(iter(ds)))
        np.testing.assert_allclose(x, source / 127.5 - 1.0, atol=1e-6)
        np.testing.assert_allclose(y, target / 127.5 - 1.0, atol=1e-6)
    # Random flips move both halves of a pair together.
    ds = datasets.load_side_by_side(
        tmp_path / "facades", batch_size=5, shuffle=False, seed=0
    )
    flipped = 0
    for _ in range(4):
        x, y = (t.numpy() for t in next(iter(ds)))
        np.testing.assert_allclose(x + y, 255 / 127.5 - 2.0, atol=1e-5)
        unit = a / 127.5 - 1.0
        same = np.all(np.abs(x - unit) < 1e-5, axis=(1, 2, 3))
        mirrored = np.all(np.abs(x - unit[:, :, ::-1]) < 1e-5, axis=(1, 2, 3))
        assert np.all(same ^ mirrored)
        flipped += int(mirrored.sum())
    assert 0 < flipped < 20
    small, _ = datasets.read_side_by_side(tmp_path / "facades", image_size=6)
    assert small.shape == (5, 6, 6, 3) and small.dtype == np.uint8


def test_side_by_side_loader_refuses_odd_widths_and_directions(tmp_path):
    (tmp_path / "odd" / "train").mkdir(parents=True)
    Image.fromarray(np.zeros((8, 9, 3), np.uint8)).save(
        tmp_path / "odd" / "train" / "x.png"
    )
    with pytest.raises(ValueError, match="even width"):
        datasets.read_side_by_side(tmp_path / "odd")
    _side_by_side_folder(tmp_path / "ok")
    with pytest.raises(ValueError, match="a_to_b"):
        datasets.load_side_by_side(tmp_path / "ok", direction="left")
