"""Each custom layer: its contract (`tests.helpers.run_layer_test`) and
the values it must compute."""

import keras
import numpy as np
import pytest

from keras_aegan.models import DiffAugment
from keras_aegan.models import ImagePool
from keras_aegan.models import VectorQuantizer
from keras_aegan.networks import InputResidual
from keras_aegan.networks import InstanceNormalization
from keras_aegan.networks import Maxout
from keras_aegan.networks import ReflectionPadding2D
from keras_aegan.networks import SubpixelConv2DTranspose
from keras_aegan.networks import SyncBatchNormalization
from tests.helpers import BACKEND
from tests.helpers import run_layer_test
from tests.helpers import to_numpy

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(-1, 1, (3, 6, 5, 2)).astype("float32")


def test_reflection_padding_mirrors_without_the_edge():
    _, out = run_layer_test(
        ReflectionPadding2D, {"padding": (2, 1)}, IMAGES, (3, 10, 7, 2)
    )
    expected = np.pad(IMAGES, ((0, 0), (2, 2), (1, 1), (0, 0)), "reflect")
    np.testing.assert_array_equal(to_numpy(out), expected)


def test_input_residual_adds_the_image_the_input_holds_and_clips():
    rng = np.random.default_rng(0)
    residual = rng.uniform(-0.5, 0.5, (2, 4, 4, 3)).astype("float32")
    # The input's own image: itself (3 channels), its first 3 channels (an
    # inpainting input with its mask), a grey image repeated.
    rgb, masked, grey = (
        rng.uniform(-1, 1, (2, 4, 4, c)).astype("float32") for c in (3, 4, 1)
    )
    for x, base in (
        (rgb, rgb),
        (masked, masked[..., :3]),
        (grey, np.repeat(grey, 3, axis=-1)),
    ):
        _, out = run_layer_test(
            InputResidual, {"channels": 3}, [x, residual], (2, 4, 4, 3)
        )
        np.testing.assert_allclose(
            to_numpy(out), np.clip(base + residual, -1, 1), atol=1e-6
        )
    with pytest.raises(ValueError, match="1 or at least 3 channels"):
        InputResidual(3)([np.zeros((1, 4, 4, 2)), residual[:1]])


def test_maxout_takes_the_largest_affine_piece():
    x = RNG.normal(size=(4, 7)).astype("float32")
    layer, out = run_layer_test(Maxout, {"units": 3, "pieces": 2}, x, (4, 3))
    kernel, bias = (to_numpy(w) for w in layer.weights)
    pieces = (x @ kernel + bias).reshape(4, 3, 2)
    np.testing.assert_allclose(to_numpy(out), pieces.max(-1), atol=1e-5)


def test_subpixel_conv_transpose_contract():
    run_layer_test(
        SubpixelConv2DTranspose,
        {"filters": 4, "kernel_size": 4, "strides": 2, "padding": "same"},
        IMAGES,
        (3, 12, 10, 4),
    )


def test_sync_batch_normalization_starts_as_identity_in_inference():
    layer, out = run_layer_test(
        SyncBatchNormalization, {"epsilon": 1e-5}, IMAGES, IMAGES.shape
    )
    # Moving mean 0 and variance 1 at initialization.
    np.testing.assert_allclose(
        to_numpy(out), IMAGES / np.sqrt(1 + 1e-5), atol=1e-6
    )


def test_instance_normalization_normalizes_each_channel_of_each_image():
    layer, out = run_layer_test(
        InstanceNormalization, {"center": True, "scale": True}, IMAGES,
        IMAGES.shape,
    )  # fmt: skip
    mean = IMAGES.mean(axis=(1, 2), keepdims=True)
    variance = IMAGES.var(axis=(1, 2), keepdims=True)
    expected = (IMAGES - mean) / np.sqrt(variance + 1e-5)
    np.testing.assert_allclose(to_numpy(out), expected, atol=1e-5)
    with pytest.raises(ValueError, match="groups=-1"):
        InstanceNormalization(groups=2)


def test_instance_normalization_of_a_constant_channel_is_zero_not_nan():
    # Constant channels, as a saturated tanh generator's output is: the
    # variance is 0. E[x^2] - E[x]^2, which Keras's PyTorch backend
    # computes, cancels to a negative number on some of them. What is left
    # is the rounding of the mean (|c| 2^-20) over sqrt(epsilon), 3e-3.
    c = np.random.default_rng(0).uniform(-8, 8, (8, 1, 1, 8))
    constant = np.broadcast_to(c.astype("float32"), (8, 16, 16, 8)).copy()
    out = to_numpy(InstanceNormalization()(constant))
    assert np.abs(out).max() < 1e-2
    if BACKEND == "torch":
        # The test discriminates: Keras's layer gives NaN on this input.
        keras_layer = keras.layers.GroupNormalization(
            groups=-1, epsilon=1e-5, center=False, scale=False
        )
        assert np.isnan(to_numpy(keras_layer(constant))).any()


def test_diff_augment_is_the_identity_in_inference_and_seeded_in_training():
    _, out = run_layer_test(DiffAugment, {"seed": 3}, IMAGES, IMAGES.shape)
    np.testing.assert_array_equal(to_numpy(out), IMAGES)
    first = to_numpy(DiffAugment(seed=3)(IMAGES, training=True))
    again = to_numpy(DiffAugment(seed=3)(IMAGES, training=True))
    other = to_numpy(DiffAugment(seed=4)(IMAGES, training=True))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - IMAGES).max() > 0.1
    assert np.abs(first - other).max() > 0.1


def test_image_pool_stores_then_returns_its_first_images():
    layer, out = run_layer_test(
        ImagePool, {"capacity": 4, "seed": 0}, IMAGES, IMAGES.shape, True
    )
    # An empty pool returns and keeps the first images.
    np.testing.assert_array_equal(to_numpy(out), IMAGES)
    assert int(to_numpy(layer.count)) == 3
    np.testing.assert_array_equal(to_numpy(layer.images)[:3], IMAGES)


@pytest.mark.parametrize("ema", [False, True])
def test_vector_quantizer_returns_the_nearest_code(ema):
    z = RNG.normal(size=(2, 3, 3, 4)).astype("float32")
    layer, (z_q, indices) = run_layer_test(
        VectorQuantizer,
        {"num_embeddings": 5, "embedding_dim": 4, "ema": ema, "seed": 1},
        z,
        z.shape,
    )
    codebook = to_numpy(layer.lookup(np.arange(5)))
    distances = ((z[..., None, :] - codebook) ** 2).sum(-1)
    np.testing.assert_array_equal(to_numpy(indices), distances.argmin(-1))
    np.testing.assert_allclose(
        to_numpy(z_q), codebook[distances.argmin(-1)], atol=1e-5
    )
