"""Pix2Pix's random jitter, and keras-cv layers as `augment=` on the
backends that run them (TensorFlow and PyTorch; JAX refuses them)."""

import keras
import numpy as np
import pytest

from keras_aegan.models import Pix2Pix
from keras_aegan.networks import random_jitter

SMALL = dict(
    image_shape=(32, 32, 3),
    input_channels=3,
    generator_filters=8,
    discriminator_filters=8,
    # A 16x16 PatchGAN: the augmentation is under test, not the critic,
    # and the smaller one compiles faster on JAX.
    discriminator_layers=2,
    seed=0,
)


def _images():
    return (
        np.random.default_rng(0)
        .uniform(-1, 1, (8, 32, 32, 3))
        .astype("float32")
    )


def _one_layer_networks():
    """A one-convolution generator and discriminator: the jitter inside
    the training step is under test, and these compile in seconds."""
    x = keras.Input((32, 32, 3))
    generator = keras.Model(
        x, keras.layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    )
    pair = keras.Input((32, 32, 6))
    discriminator = keras.Model(
        pair, keras.layers.Conv2D(1, 4, strides=2, padding="same")(pair)
    )
    return {"generator": generator, "discriminator": discriminator}


def test_random_jitter_crops_and_flips_input_and_target_together():
    x = _images()
    model = Pix2Pix(
        **SMALL, **_one_layer_networks(), augment=random_jitter(32, seed=0)
    )
    jittered_x, jittered_y = (
        keras.ops.convert_to_numpy(t) for t in model.jitter(x, x)
    )
    # The same transform on both halves of each pair ...
    np.testing.assert_array_equal(jittered_x, jittered_y)
    assert jittered_x.shape == x.shape
    # ... and a real one: resized by 286/256 and cropped back, no image
    # comes out unchanged (nor merely mirrored).
    for a, b in zip(jittered_x, x, strict=True):
        assert np.abs(a - b).mean() > 0.05
        assert np.abs(a - b[:, ::-1]).mean() > 0.05
    model.compile()
    history = model.fit(x, x, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["l1_loss"][-1])
    with pytest.raises(ValueError, match="library in"):
        random_jitter(32, library="torchvision")
    with pytest.raises(ValueError, match="scale >= 1"):
        random_jitter(32, scale=0.5)


KERAS_CV_LAYERS = {
    "RandomFlip": lambda cv: cv.layers.RandomFlip("horizontal", seed=0),
    "RandomTranslation": lambda cv: cv.layers.RandomTranslation(
        0.1, 0.1, seed=0
    ),
    "RandomCutout": lambda cv: cv.layers.RandomCutout(0.3, 0.3, seed=0),
    "random_jitter": lambda cv: random_jitter(32, library="keras_cv", seed=0),
}


@pytest.mark.parametrize("name", sorted(KERAS_CV_LAYERS))
def test_keras_cv_layers_train_as_augment_where_the_backend_runs_them(name):
    keras_cv = pytest.importorskip("keras_cv")
    x = _images()
    if keras.backend.backend() == "jax":
        with pytest.raises(ValueError, match="JAX training step"):
            Pix2Pix(**SMALL, augment=KERAS_CV_LAYERS[name](keras_cv))
        return
    model = Pix2Pix(**SMALL, augment=KERAS_CV_LAYERS[name](keras_cv))
    jittered_x, jittered_y = (
        keras.ops.convert_to_numpy(t) for t in model.jitter(x, x)
    )
    np.testing.assert_allclose(jittered_x, jittered_y, atol=1e-6)
    model.compile()
    history = model.fit(x, x, batch_size=4, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["l1_loss"]))
