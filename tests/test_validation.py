"""Bad input fails before training, with a message naming what was wrong."""

import numpy as np
import pytest
import tensorflow as tf

from keras_aegan.models import DCGAN
from keras_aegan.models import VAE


@pytest.fixture(scope="module")
def digits(mnist_unit):
    return mnist_unit[:64]


def fit(model, data):
    model.compile()
    model.fit(data, epochs=1, batch_size=32, verbose=0)


def test_wrong_rank(digits):
    with pytest.raises(
        ValueError, match=r"rank 4.*Received shape \(64, 28, 28\)"
    ):
        fit(VAE(latent_dim=2), digits[..., 0])


def test_wrong_channels(digits):
    rgb = np.repeat(digits, 3, axis=-1)
    with pytest.raises(ValueError, match=r"\(28, 28, 1\).*\(64, 28, 28, 3\)"):
        fit(VAE(latent_dim=2), rgb)


def test_range_outside_the_models(digits):
    # A VAE with a Bernoulli decoder takes [0, 1]; [-1, 1] data is refused.
    with pytest.raises(ValueError, match=r"\[0, 1\].*\[-1, 1\]"):
        fit(VAE(latent_dim=2), digits * 2.0 - 1.0)
    with pytest.raises(ValueError, match=r"\[-1, 1\].*\[0, 255\]"):
        fit(DCGAN(latent_dim=2), digits * 255.0)


def test_integer_pixels_are_refused(digits):
    with pytest.raises(ValueError, match="float images.*uint8"):
        fit(DCGAN(latent_dim=2), (digits * 255).astype("uint8"))


def test_nan_values(digits):
    bad = digits.copy()
    bad[3, 4, 5, 0] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        fit(VAE(latent_dim=2), bad)


def test_empty_array_and_dataset(digits):
    with pytest.raises(ValueError, match="at least one training image"):
        fit(VAE(latent_dim=2), digits[:0])
    empty = tf.data.Dataset.from_tensor_slices(digits[:0]).batch(8)
    with pytest.raises(ValueError, match="empty tf.data.Dataset"):
        fit(VAE(latent_dim=2), empty)


def test_unbatched_dataset(digits):
    unbatched = tf.data.Dataset.from_tensor_slices(digits)
    with pytest.raises(ValueError, match="Batch the data"):
        fit(VAE(latent_dim=2), unbatched)


def test_dataset_of_image_label_pairs_trains(digits):
    pairs = tf.data.Dataset.from_tensor_slices(
        (digits, np.zeros(len(digits), "int32"))
    ).batch(32)
    model = VAE(latent_dim=2, seed=0)
    model.compile()
    history = model.fit(pairs, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_missing_data():
    model = VAE(latent_dim=2)
    model.compile()
    with pytest.raises(ValueError, match="Received None"):
        model.fit(None)
