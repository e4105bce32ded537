import numpy as np
import pytest

from keras_aegan import networks
from keras_aegan.models import DCGAN
from tests.helpers import BatchLogs
from tests.helpers import assert_seeded_sampling
from tests.helpers import per_batch
from tests.helpers import run_generative_model_test
from tests.helpers import to_numpy


@pytest.mark.parametrize("image_shape", [(28, 28, 1), (32, 32, 3)])
def test_default_networks_shapes(image_shape):
    gan = DCGAN(image_shape=image_shape, latent_dim=16, seed=0)
    images = assert_seeded_sampling(gan, num=3)
    assert images.shape == (3, *image_shape)
    assert images.min() >= -1.0 and images.max() <= 1.0
    logits = to_numpy(gan.discriminator(images))
    assert logits.shape == (3, 1)


def test_one_epoch_on_2048_real_digits(mnist_signed):
    gan = DCGAN(latent_dim=32, seed=0)
    gan.compile()
    initial_generator = gan.generator.get_weights()
    record = BatchLogs()
    history = gan.fit(
        mnist_signed, epochs=1, batch_size=64, verbose=0, callbacks=[record]
    )
    assert set(history.history) == {"d_loss", "g_loss", "d_accuracy"}
    d_loss = per_batch([logs["d_loss"] for logs in record.logs])
    assert len(d_loss) == 32
    # The discriminator's loss falls from chance (log 4 = 1.386) and it
    # tells real from generated digits.
    assert d_loss[0] > 1.2
    assert d_loss[-8:].mean() < 0.8
    assert history.history["d_accuracy"][0] > 0.6
    # The generator learned too: the trained discriminator scores the
    # trained generator's digits as more real than the initial generator's
    # (batch statistics, as in training: the moving averages of batch norm
    # have barely warmed up after 32 steps).
    z = gan.sample_latent(256, seed=3)

    def score():
        fake = gan.generator(z, training=True)
        return to_numpy(gan.discriminator(fake, training=True)).mean()

    trained = score()
    gan.generator.set_weights(initial_generator)
    initial = score()
    assert trained > initial + 0.5


def test_discriminator_steps_are_counted(mnist_signed):
    gan = DCGAN(latent_dim=8, discriminator_steps=3, seed=0)
    gan.compile()
    gan.fit(mnist_signed[:256], epochs=1, batch_size=64, verbose=0)
    d_steps = int(to_numpy(gan.optimizer["discriminator_optimizer"].iterations))
    g_steps = int(to_numpy(gan.optimizer["generator_optimizer"].iterations))
    assert (d_steps, g_steps) == (12, 4)


def test_each_update_moves_only_its_network(mnist_signed):
    import keras

    gan = DCGAN(latent_dim=8, seed=0)
    gan.compile(generator_optimizer=keras.optimizers.SGD(0.0))
    g_before = [to_numpy(w) for w in gan.generator.trainable_weights]
    d_before = [to_numpy(w) for w in gan.discriminator.trainable_weights]
    gan.fit(mnist_signed[:128], epochs=1, batch_size=64, verbose=0)
    for a, w in zip(g_before, gan.generator.trainable_weights, strict=True):
        np.testing.assert_array_equal(a, to_numpy(w))
    moved = [
        np.abs(a - to_numpy(w)).max()
        for a, w in zip(
            d_before, gan.discriminator.trainable_weights, strict=True
        )
    ]
    assert min(moved) > 0.0


def test_custom_networks_and_round_trips(mnist_signed, tmp_path):
    generator = networks.dcgan_generator(8, (28, 28, 1), base_filters=8)
    discriminator = networks.dcgan_discriminator((28, 28, 1), base_filters=8)
    gan = DCGAN(generator, discriminator, latent_dim=8, seed=5)
    gan.compile()
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    loaded = run_generative_model_test(
        gan,
        mnist_signed[:128],
        z,
        tmp_path,
        updates_per_step={"discriminator_optimizer": gan.discriminator_steps},
        sample_gap=1e-6,  # N(0, 0.02) networks of 8 filters
    )
    assert loaded.generator.count_params() == generator.count_params()


def test_compile_errors():
    gan = DCGAN(latent_dim=8)
    with pytest.raises(ValueError, match="Pass them by name"):
        gan.compile(optimizer="adam")
    with pytest.raises(ValueError, match="unknown arguments"):
        gan.compile(critic_optimizer="adam")
    import keras

    shared = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="separate optimizer"):
        gan.compile(generator_optimizer=shared, discriminator_optimizer=shared)
    with pytest.raises(ValueError, match="discriminator_steps"):
        DCGAN(discriminator_steps=0)
