"""The GAN of Goodfellow et al. 2014."""

import keras

from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.adversarial_model import AdversarialModel
from keras_aegan.models.gan.adversarial_model import MinimaxGame


@keras_aegan_export("keras_aegan.models.GAN")
class GAN(MinimaxGame, AdversarialModel):
    """Generative adversarial network (Goodfellow et al. 2014).

    Goodfellow, Pouget-Abadie, Mirza, Xu, Warde-Farley, Ozair, Courville &
    Bengio, "Generative Adversarial Nets", NeurIPS 2014. The value function
    of eq. 1,

        min_G max_D E[log D(x)] + E[log(1 - D(G(z)))],

    is trained with algorithm 1: `k` discriminator updates ascending eq. 1,
    then one generator update, with momentum SGD. The generator either
    minimizes `E[log(1 - D(G(z)))]` (`"minimax"`, algorithm 1) or
    maximizes `E[log D(G(z))]` (`"non_saturating"`, section 3, the
    paper's recommendation).

    Defaults follow the paper and its MNIST code: a ReLU MLP generator and
    a maxout discriminator with dropout (section 5), `k = 1`, SGD with
    learning rate 0.1 decayed by 1.000004 per step and momentum 0.5 (the
    code raises the momentum to 0.7 over training; Keras SGD keeps it
    fixed). Images are in [-1, 1] (`tanh` output instead of the paper's
    sigmoid) like the rest of the family; `z ~ N(0, I)` instead of uniform.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.mlp_generator`.
        discriminator: keras.Model or None. Maps images to one logit per
            image. Defaults to `networks.maxout_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. `k` of algorithm 1. Defaults to 1.
        generator_loss_type: str. `"non_saturating"` or `"minimax"`
            (Goodfellow et al. 2014, section 3). Defaults to
            `"non_saturating"`. The former name `generator_loss=` still
            works, with a deprecation warning.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.GAN(seed=0)
    gan.compile()  # SGD(0.1, momentum=0.5) with exponential decay
    gan.fit(images_in_minus1_1, epochs=1, batch_size=100)
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
        generator_loss_type="non_saturating",
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        self.set_generator_loss_type(generator_loss_type, kwargs)
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
        return networks.mlp_generator(self.latent_dim, self.image_shape)

    def build_discriminator(self):
        return networks.maxout_discriminator(self.image_shape)

    def default_optimizers(self):
        def sgd():
            schedule = keras.optimizers.schedules.ExponentialDecay(
                0.1, decay_steps=1, decay_rate=1.0 / 1.000004
            )
            return keras.optimizers.SGD(schedule, momentum=0.5)

        return {
            "discriminator_optimizer": sgd(),
            "generator_optimizer": sgd(),
        }

    def get_config(self):
        config = super().get_config()
        config["generator_loss_type"] = self.generator_loss_type
        return config
