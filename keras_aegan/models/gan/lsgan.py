"""Least squares GAN (Mao et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.adversarial_model import AdversarialModel


@keras_aegan_export("keras_aegan.models.LSGAN")
class LSGAN(AdversarialModel):
    """Least squares GAN.

    Mao, Li, Xie, Lau, Wang & Smolley, "Least Squares Generative
    Adversarial Networks", ICCV 2017. The discriminator's sigmoid
    cross-entropy is replaced by least squares (eq. 2) with the 0-1 coding
    `a = 0, b = c = 1` (eq. 9):

        min_D 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]
        min_G 1/2 E[(D(G(z)) - 1)^2]

    which penalizes generated samples far from the decision boundary even
    when they are on its correct side (section 3.2). Defaults follow
    section 4.1: Adam with learning rate 2e-4 and beta_1 = 0.5. The paper's
    networks are for 112x112 LSUN scenes; for 28x28 and 32x32 images the
    defaults are the DCGAN networks with a linear (unbounded) score.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.dcgan_generator`.
        discriminator: keras.Model or None. Maps images to one score per
            image. Defaults to `networks.dcgan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 1024 (section 4.1).
        discriminator_steps: int. Discriminator updates per generator
            update. Defaults to 1.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.LSGAN(latent_dim=100, seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5) for both networks
    gan.fit(images_in_minus1_1, epochs=1, batch_size=64)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=1024,
        discriminator_steps=1,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            generator=generator,
            discriminator=discriminator,
            image_shape=image_shape,
            latent_dim=latent_dim,
            discriminator_steps=discriminator_steps,
            augment=augment,
            ema_decay=ema_decay,
            seed=seed,
            **kwargs,
        )

    def build_generator(self):
        return networks.dcgan_generator(self.latent_dim, self.image_shape)

    def build_discriminator(self):
        return networks.dcgan_discriminator(self.image_shape)

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "generator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
        }

    def discriminator_objective(self, real, fake):
        d_loss = losses.least_squares_discriminator_loss(
            real.outputs, fake.outputs
        )
        # Scores closer to the real target (1) than to the fake one (0).
        accuracy = 0.5 * (
            ops.mean(ops.cast(real.outputs > 0.5, "float32"))
            + ops.mean(ops.cast(fake.outputs < 0.5, "float32"))
        )
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_objective(self, fake):
        g_loss = losses.least_squares_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}
