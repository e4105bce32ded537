"""DiscoGAN (Kim et al. 2017)."""

import keras

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    OPTIMIZER_NAMES,
)
from keras_aegan.models.cyclegan.unpaired_translation_model import (
    UnpairedTranslationModel,
)


@keras_aegan_export("keras_aegan.models.DiscoGAN")
class DiscoGAN(UnpairedTranslationModel):
    """DiscoGAN: cross-domain relations from two coupled GANs.

    Kim, Cha, Kim, Lee & Kim, "Learning to Discover Cross-Domain Relations
    with Generative Adversarial Networks", ICML 2017, section 3.3. Each
    generator has the standard GAN loss against the other domain's
    discriminator and a reconstruction loss through the other generator
    (eq. 5-6):

        L_G = L_GAN_B + L_CONST_A + L_GAN_A + L_CONST_B
        L_CONST_A = d(G_BA(G_AB(a)), a),  L_GAN_B = -E[log D_B(G_AB(a))]
        L_D = L_D_A + L_D_B,  L_D_B = -E[log D_B(b)]
                                      - E[log(1 - D_B(G_AB(a)))]

    with `d` the mean squared error (the paper's first choice) and the
    non-saturating generator loss. Networks of section 4: encoder-decoder
    generators and convolutional discriminators with batch normalization
    and leaky ReLU; Adam(2e-4, beta_1 = 0.5, beta_2 = 0.999). No image
    history.

    Args:
        generator_ab: keras.Model or None. Defaults to
            `networks.discogan_generator`.
        generator_ba: keras.Model or None.
        discriminator_a: keras.Model or None. One logit per image.
            Defaults to `networks.discogan_discriminator`.
        discriminator_b: keras.Model or None.
        image_shape: tuple. Defaults to `(64, 64, 3)` (the paper's size).
        filters: int. First-layer filters of the default networks.
            Defaults to 64.
        reconstruction_weight: float. Weight of `L_CONST`. Defaults to 1.
        pool_size: int. Defaults to 0 (no history).
        seed: int or None. Defaults to None.
    """

    def __init__(
        self,
        generator_ab=None,
        generator_ba=None,
        discriminator_a=None,
        discriminator_b=None,
        image_shape=(64, 64, 3),
        filters=64,
        reconstruction_weight=1.0,
        pool_size=0,
        seed=None,
        **kwargs,
    ):
        self.filters = int(filters)
        super().__init__(
            generator_ab=generator_ab,
            generator_ba=generator_ba,
            discriminator_a=discriminator_a,
            discriminator_b=discriminator_b,
            image_shape=image_shape,
            reconstruction_weight=reconstruction_weight,
            pool_size=pool_size,
            seed=seed,
            **kwargs,
        )

    def _stages(self):
        return networks.num_resolution_stages(self.image_shape, max_stages=4)

    def build_generator(self, direction):
        return networks.discogan_generator(
            self.image_shape,
            filters=self.filters,
            num_stages=self._stages(),
            name=f"generator_{direction}",
        )

    def build_discriminator(self, domain):
        return networks.discogan_discriminator(
            self.image_shape,
            filters=self.filters,
            num_stages=self._stages(),
            name=f"discriminator_{domain}",
        )

    def default_optimizers(self):
        return {
            name: keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)
            for name in OPTIMIZER_NAMES
        }

    def generator_adversarial_loss(self, scores):
        return losses.non_saturating_generator_loss(scores)

    def discriminator_adversarial_loss(self, real_scores, fake_scores):
        return losses.minimax_discriminator_loss(real_scores, fake_scores)

    def reconstruction_loss(self, images, reconstructions):
        return losses.mean_squared_error(images, reconstructions)

    def get_config(self):
        config = super().get_config()
        config["filters"] = self.filters
        return config
