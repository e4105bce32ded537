"""Tests of the applications (anomaly scores, plots, encoder reuse) and of
the U-Net."""

import keras
import numpy as np
import pytest
from PIL import Image

from keras_aegan import applications
from keras_aegan.models.autoencoder.autoencoder import Autoencoder
from keras_aegan.models.vae.vae import VAE
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.networks import unet
from tests.helpers import to_numpy


def _pairwise_auc(scores, positive):
    pos, neg = scores[positive], scores[~positive]
    diff = pos[:, None] - neg[None, :]
    return np.mean((diff > 0) + 0.5 * (diff == 0))


def test_roc_auc_matches_the_pairwise_definition():
    rng = np.random.default_rng(0)
    for _ in range(5):
        # Rounded scores: many ties.
        scores = np.round(rng.normal(size=200), 1)
        positive = rng.random(200) < 0.3
        assert applications.roc_auc(scores, positive) == pytest.approx(
            _pairwise_auc(scores, positive), abs=1e-12
        )
    assert applications.roc_auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1]) == 1.0
    assert applications.roc_auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    with pytest.raises(ValueError, match="positive and negative"):
        applications.roc_auc([0.1, 0.2], [1, 1])


def test_one_class_anomaly_detection_on_real_digits(mnist_digits):
    images, labels = mnist_digits
    x = images.astype("float32") / 255.0
    normal = 1
    train = x[:2000][labels[:2000] == normal]
    test, test_labels = x[-1000:], labels[-1000:]
    model = Autoencoder(
        encoder=ae_networks.dense_encoder((28, 28, 1), 8, (64,)),
        decoder=ae_networks.dense_decoder(8, (28, 28, 1), (64,)),
        latent_dim=8,
        learning_rate=3e-3,
        seed=0,
    )
    model.compile()
    model.fit(train, epochs=8, batch_size=64, verbose=0)
    scores = applications.reconstruction_scores(model, test, batch_size=500)
    assert scores.shape == (1000,)
    auc = applications.roc_auc(scores, test_labels != normal)
    assert auc > 0.9

    vae = VAE(latent_dim=4, seed=0)
    elbo = applications.negative_elbo_scores(vae, test[:20], batch_size=8)
    assert elbo.shape == (20,) and np.all(elbo > 0)
    again = applications.negative_elbo_scores(vae, test[:20], batch_size=8)
    np.testing.assert_array_equal(elbo, again)


def test_latent_plots(mnist_digits, tmp_path):
    images, labels = mnist_digits
    x = images[:300].astype("float32") / 255.0
    model = Autoencoder(
        encoder=ae_networks.dense_encoder((28, 28, 1), 3, (32,)),
        decoder=ae_networks.dense_decoder(3, (28, 28, 1), (32,)),
        latent_dim=3,
    )
    codes = applications.encode_images(model, x, batch_size=128)
    assert codes.shape == (300, 3)
    path = tmp_path / "scatter.png"
    xy = applications.plot_latent_scatter(codes, labels[:300], str(path))
    assert xy.shape == (300, 2)
    assert Image.open(path).size[0] > 100
    # Projected on the principal axes of the codes: uncorrelated.
    cov = np.cov(xy.T)
    assert abs(cov[0, 1]) < 1e-6 * cov[0, 0]

    grid_path = tmp_path / "grid.png"
    grid = applications.latent_traversal_grid(
        model.decode, 3, str(grid_path), dims=(0, 2), steps=5
    )
    assert grid.shape == (140, 140, 1) and grid.dtype == np.uint8
    # Row 0, column 4 is the code (3, 0, -3).
    expected = to_numpy(model.decode(np.array([[3.0, 0.0, -3.0]], "float32")))
    np.testing.assert_allclose(
        grid[:28, 112:140, 0], np.round(expected[0, ..., 0] * 255), atol=1
    )
    assert Image.open(grid_path).size == (140, 140)
    with pytest.raises(ValueError, match="latent axes"):
        applications.latent_traversal_grid(model.decode, 3, dims=(0, 3))


def test_classifier_from_a_pretrained_encoder(mnist_digits):
    images, labels = mnist_digits
    x = images[:1024].astype("float32") / 255.0
    y = labels[:1024].astype("int32")
    model = Autoencoder(
        encoder=ae_networks.dense_encoder((28, 28, 1), 16, (64,)),
        decoder=ae_networks.dense_decoder(16, (28, 28, 1), (64,)),
        latent_dim=16,
        learning_rate=3e-3,
        seed=0,
    )
    model.compile()
    model.fit(x, epochs=4, batch_size=128, verbose=0)
    frozen = applications.classifier_from_encoder(
        model, 10, hidden_units=(64,), trainable_encoder=False
    )
    encoder_weights = [to_numpy(w) for w in model.encoder.weights]
    frozen.compile(
        keras.optimizers.Adam(3e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = frozen.fit(x, y, epochs=8, batch_size=128, verbose=0)
    accuracy = history.history["accuracy"]
    assert accuracy[-1] > 0.4 and accuracy[-1] > accuracy[0] + 0.2
    for w, before in zip(model.encoder.weights, encoder_weights, strict=True):
        np.testing.assert_array_equal(to_numpy(w), before)
    tuned = applications.classifier_from_encoder(model.encoder, 10)
    tuned.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    tuned.fit(x[:256], y[:256], epochs=1, batch_size=128, verbose=0)
    assert any(
        np.abs(to_numpy(w) - b).max() > 0
        for w, b in zip(model.encoder.weights, encoder_weights, strict=True)
    )
    # A VAE's features are its posterior means.
    vae = VAE(latent_dim=4)
    features = applications.feature_extractor(vae)
    np.testing.assert_allclose(
        to_numpy(features(x[:2])), to_numpy(vae.encode(x[:2])[0]), atol=1e-6
    )


@pytest.mark.parametrize("norm", ["instance", "batch", None])
def test_unet_shapes_and_skips(norm):
    net = unet((32, 32, 3), 2, filters=(8, 16, 32), norm=norm)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3))
    y = to_numpy(net(x.astype("float32")))
    assert y.shape == (2, 32, 32, 2)
    assert np.abs(y).max() <= 1.0
    names = [layer.name for layer in net.layers]
    assert "up1_skip" in names and "up0_skip" in names
    assert net.get_layer("up0_skip").output.shape == (None, 16, 16, 16)
    norms = [
        layer
        for layer in net.layers
        if isinstance(
            layer,
            (keras.layers.GroupNormalization, keras.layers.BatchNormalization),
        )
    ]
    # down1, up1, up0: none on the first and the innermost encoder stage.
    assert len(norms) == (0 if norm is None else 3)
    if norm == "instance":
        # One group per channel: each image's channel is normalized alone.
        layer = net.get_layer("down1_norm")
        sub = keras.Model(
            net.input, [net.get_layer("down1_conv").output, layer.output]
        )
        before, after = (to_numpy(t) for t in sub(x.astype("float32")))
        mean = before.mean(axis=(1, 2), keepdims=True)
        var = before.var(axis=(1, 2), keepdims=True)
        expected = (before - mean) / np.sqrt(var + layer.epsilon)
        np.testing.assert_allclose(after, expected, atol=1e-3)
    clone = keras.Model.from_config(net.get_config())
    assert len(clone.weights) == len(net.weights)
    with pytest.raises(ValueError, match="divisible"):
        unet((30, 30, 3), 3)
    with pytest.raises(ValueError, match="norm"):
        unet((32, 32, 3), 3, norm="layer")
