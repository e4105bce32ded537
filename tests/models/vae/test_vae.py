import numpy as np
import pytest

from keras_aegan import losses
from keras_aegan.models import VAE
from tests.helpers import BatchLogs
from tests.helpers import assert_seeded_sampling
from tests.helpers import per_batch
from tests.helpers import run_generative_model_test
from tests.helpers import to_numpy


def test_shapes_and_sampling(mnist_unit):
    vae = VAE(latent_dim=8, seed=0)
    x = mnist_unit[:5]
    z_mean, z_log_var = vae.encode(x)
    assert tuple(z_mean.shape) == (5, 8) and tuple(z_log_var.shape) == (5, 8)
    recon = to_numpy(vae.reconstruct(x))
    assert recon.shape == (5, 28, 28, 1)
    assert recon.min() >= 0.0 and recon.max() <= 1.0
    samples = assert_seeded_sampling(vae)
    assert samples.shape == (4, 28, 28, 1)


def test_one_epoch_on_2048_real_digits_lowers_the_loss(mnist_unit):
    vae = VAE(latent_dim=16, seed=0)
    vae.compile()
    record = BatchLogs()
    history = vae.fit(
        mnist_unit, epochs=1, batch_size=64, verbose=0, callbacks=[record]
    )
    assert set(history.history) == {"loss", "reconstruction_loss", "kl_loss"}
    losses_ = per_batch([logs["loss"] for logs in record.logs])
    assert len(losses_) == 32
    # The negative ELBO of the first batches is ~540 nats (random decoder);
    # after one epoch on 2,048 digits it must have fallen well below that.
    assert losses_[-4:].mean() < 0.6 * losses_[:4].mean()
    assert history.history["kl_loss"][0] > 0.0


def test_fixed_batch_loss_falls_and_evaluate_logs(mnist_unit):
    vae = VAE(latent_dim=4, seed=1)
    vae.compile()
    x = mnist_unit[:128]
    history = vae.fit(x, epochs=4, batch_size=64, verbose=0, shuffle=False)
    loss = history.history["loss"]
    assert loss[-1] < loss[0]
    results = vae.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    assert set(results) == {"loss", "reconstruction_loss", "kl_loss"}
    assert results["loss"] == pytest.approx(
        results["reconstruction_loss"] + results["kl_loss"], rel=1e-4
    )


def test_elbo_terms_match_the_closed_forms(mnist_unit):
    vae = VAE(latent_dim=3, beta=2.0, seed=0)
    x = mnist_unit[:6]
    loss, logs = vae.elbo_terms(x)
    np.testing.assert_allclose(
        to_numpy(loss),
        to_numpy(logs["reconstruction_loss"]) + 2.0 * to_numpy(logs["kl_loss"]),
        rtol=1e-5,
    )
    mean = np.array([[0.5, -1.0, 0.0]], "float32")
    log_var = np.array([[0.0, np.log(4.0), -1.0]], "float32")
    expected = 0.5 * np.sum(np.exp(log_var) + mean**2 - 1.0 - log_var, axis=-1)
    np.testing.assert_allclose(
        to_numpy(losses.gaussian_kl_divergence(mean, log_var)),
        expected,
        rtol=1e-6,
    )


def test_gaussian_likelihood_option(mnist_unit):
    vae = VAE(latent_dim=4, likelihood="gaussian", gaussian_scale=0.5, seed=0)
    vae.compile()
    history = vae.fit(
        mnist_unit[:128], epochs=3, batch_size=64, verbose=0, shuffle=False
    )
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_config_and_save_round_trip(mnist_unit, tmp_path):
    vae = VAE(latent_dim=4, beta=0.5, seed=3)
    vae.compile()
    x = mnist_unit[:128]
    loaded = run_generative_model_test(vae, x, x[:8], tmp_path)
    assert loaded.beta == 0.5 and loaded.latent_dim == 4


def test_bad_arguments():
    with pytest.raises(ValueError, match="likelihood"):
        VAE(likelihood="poisson")
    with pytest.raises(ValueError, match="beta"):
        VAE(beta=-1.0)
