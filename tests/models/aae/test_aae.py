"""Tests of the adversarial autoencoder."""

import numpy as np
import pytest

from keras_aegan.models.aae.adversarial_autoencoder import (
    AdversarialAutoencoder,
)
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.networks import code_discriminator
from tests.helpers import assert_seeded_sampling
from tests.helpers import run_generative_model_test
from tests.helpers import to_numpy


def _small(**kwargs):
    latent_dim = kwargs.pop("latent_dim", 2)
    return AdversarialAutoencoder(
        encoder=ae_networks.dense_encoder((28, 28, 1), latent_dim, (64,)),
        decoder=ae_networks.dense_decoder(latent_dim, (28, 28, 1), (64,)),
        discriminator=code_discriminator(latent_dim, (32,)),
        latent_dim=latent_dim,
        seed=0,
        **kwargs,
    )


def test_mixture_prior_samples():
    model = _small(prior="mixture", num_components=4, prior_std=0.1)
    z = to_numpy(model.sample_prior(2000, seed=1))
    means = to_numpy(model.component_means())
    np.testing.assert_allclose(
        means, [[4.0, 0.0], [0.0, 4.0], [-4.0, 0.0], [0.0, -4.0]], atol=1e-5
    )
    nearest = ((z[:, None] - means) ** 2).sum(-1).argmin(-1)
    counts = np.bincount(nearest, minlength=4) / len(z)
    np.testing.assert_allclose(counts, 0.25, atol=0.04)
    spread = z - means[nearest]
    assert spread.std() == pytest.approx(0.1, rel=0.1)
    np.testing.assert_array_equal(z, to_numpy(model.sample_prior(2000, 1)))
    gaussian = to_numpy(_small().sample_prior(4000, seed=2))
    assert gaussian.std() == pytest.approx(1.0, rel=0.05)


@pytest.mark.parametrize("prior", ["gaussian", "mixture"])
def test_three_phases_and_contract(prior, mnist_unit, tmp_path):
    model = _small(prior=prior)
    model.compile()
    assert model.optimizer.names == [
        "autoencoder_optimizer",
        "discriminator_optimizer",
        "generator_optimizer",
    ]
    x = mnist_unit[:128]
    encoder_before = [to_numpy(w) for w in model.encoder.weights]
    history = model.fit(x, epochs=5, batch_size=64, verbose=0)
    assert set(history.history) == set(model.log_names)
    recon = history.history["reconstruction_loss"]
    assert recon[-1] < recon[0]
    assert all(np.isfinite(history.history["d_loss"]))
    # Each phase ran once per step with its own optimizer.
    for name in model.optimizer.names:
        assert int(to_numpy(model.optimizer[name].iterations)) == 10
    assert any(
        np.abs(to_numpy(w) - b).max() > 0
        for w, b in zip(model.encoder.weights, encoder_before, strict=True)
    )
    samples = assert_seeded_sampling(model)
    assert samples.shape == (4, 28, 28, 1)
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    assert to_numpy(model.encode(x[:3])).shape == (3, 2)
    loaded = run_generative_model_test(model, x, x[:8], tmp_path)
    assert loaded.prior == prior


def test_each_phase_moves_its_own_networks():
    model = _small()
    updates = model.train_updates()

    def ids(variables):
        return {id(v) for v in variables}

    encoder = ids(model.encoder.trainable_variables)
    decoder = ids(model.decoder.trainable_variables)
    discriminator = ids(model.discriminator.trainable_variables)
    assert [u.optimizer for u in updates] == [
        "autoencoder_optimizer",
        "discriminator_optimizer",
        "generator_optimizer",
    ]
    assert ids(updates[0].variables) == encoder | decoder
    assert ids(updates[1].variables) == discriminator
    assert ids(updates[2].variables) == encoder


def test_bad_arguments():
    with pytest.raises(ValueError, match="prior"):
        AdversarialAutoencoder(prior="laplace")
    with pytest.raises(ValueError, match="latent_dim >= 2"):
        AdversarialAutoencoder(prior="mixture", latent_dim=1)
