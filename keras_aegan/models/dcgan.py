"""Deep convolutional GAN (Radford et al. 2016)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.training import Update


@keras_aegan_export("keras_aegan.models.DCGAN")
class DCGAN(GenerativeModel):
    """Deep convolutional GAN.

    Radford, Metz & Chintala, "Unsupervised Representation Learning with
    Deep Convolutional Generative Adversarial Networks", ICLR 2016, trained
    on the GAN objective of Goodfellow et al. 2014 (eq. 1): the
    discriminator minimizes `-E[log D(x)] - E[log(1 - D(G(z)))]` and the
    generator the non-saturating `-E[log D(G(z))]` (section 3). Defaults
    follow Radford et al., section 4: Adam with learning rate 2e-4 and
    beta_1 = 0.5 for both networks, weights from N(0, 0.02), LeakyReLU
    slope 0.2, `tanh` output in [-1, 1]. The paper draws `z` uniformly; we
    use `N(0, I)`, which works as well and is the common choice since.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.dcgan_generator`.
        discriminator: keras.Model or None. Maps images to one logit per
            image. Defaults to `networks.dcgan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. Discriminator updates per generator
            update, `k` in Goodfellow et al., algorithm 1. Defaults to 1.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.DCGAN(image_shape=(28, 28, 1), seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5) for both networks
    gan.fit(images_in_minus1_1, epochs=1, batch_size=128)
    samples = gan.generate(16, seed=1)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=100,
        discriminator_steps=1,
        seed=None,
        **kwargs,
    ):
        if int(discriminator_steps) < 1:
            raise ValueError(
                "Expected discriminator_steps >= 1. Received "
                f"discriminator_steps={discriminator_steps}."
            )
        super().__init__(
            image_shape=image_shape,
            pixel_range=(-1.0, 1.0),
            seed=seed,
            **kwargs,
        )
        self.latent_dim = int(latent_dim)
        self.discriminator_steps = int(discriminator_steps)
        self.generator = generator or networks.dcgan_generator(
            self.latent_dim, self.image_shape
        )
        self.discriminator = discriminator or networks.dcgan_discriminator(
            self.image_shape
        )
        self.built = True

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "generator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
        }

    def optimizer_targets(self):
        return {
            "discriminator_optimizer": self.discriminator.trainable_variables,
            "generator_optimizer": self.generator.trainable_variables,
        }

    def train_updates(self):
        return [
            Update(
                "discriminator_optimizer",
                self.discriminator.trainable_variables,
                self.discriminator_loss,
                repeats=self.discriminator_steps,
            ),
            Update(
                "generator_optimizer",
                self.generator.trainable_variables,
                self.generator_loss,
            ),
        ]

    def sample_latent(self, batch_size, seed=None):
        """Draws a batch of `z ~ N(0, I)`."""
        return self.latent_noise((batch_size, self.latent_dim), seed=seed)

    def generate(self, num_samples, seed=None):
        """Samples `num_samples` images in [-1, 1].

        Args:
            num_samples: int. Number of images.
            seed: int or None. The same seed gives the same images.
        """
        z = self.sample_latent(num_samples, seed=seed)
        return self.generator(z, training=False)

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def discriminator_loss(self, images, labels=None):
        batch_size = ops.shape(images)[0]
        fake = self.generator(self.sample_latent(batch_size), training=True)
        real_logits = self.discriminator(images, training=True)
        fake_logits = self.discriminator(fake, training=True)
        d_loss = losses.minimax_discriminator_loss(real_logits, fake_logits)
        accuracy = 0.5 * (
            ops.mean(ops.cast(real_logits > 0, "float32"))
            + ops.mean(ops.cast(fake_logits < 0, "float32"))
        )
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_loss(self, images, labels=None):
        batch_size = ops.shape(images)[0]
        fake = self.generator(self.sample_latent(batch_size), training=True)
        fake_logits = self.discriminator(fake, training=True)
        g_loss = losses.non_saturating_generator_loss(fake_logits)
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(
                    self.generator
                ),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "latent_dim": self.latent_dim,
                "discriminator_steps": self.discriminator_steps,
            }
        )
        return config
