"""Deep convolutional GAN (Radford et al. 2016)."""

import keras

from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.gan import GAN


@keras_aegan_export("keras_aegan.models.DCGAN")
class DCGAN(GAN):
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
        generator_loss_type: str. `"non_saturating"` or `"minimax"`.
            Defaults to `"non_saturating"`.
        augment: keras layer or None. Applied to real and generated images
            before the discriminator, e.g.
            `keras_aegan.models.DiffAugment()`. Defaults to `None`.
        ema_decay: float or None. Sample from a moving average of the
            generator's weights. Defaults to `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.DCGAN(image_shape=(28, 28, 1), seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5) for both networks
    gan.fit(images_in_minus1_1, epochs=1, batch_size=128)
    samples = gan.generate(16, seed=1)
    ```
    """

    def build_generator(self):
        return networks.dcgan_generator(self.latent_dim, self.image_shape)

    def build_discriminator(self):
        return networks.dcgan_discriminator(self.image_shape)

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "generator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
        }
