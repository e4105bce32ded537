"""Class-conditional GAN (Mirza & Osindero 2014)."""

import keras

from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.adversarial_model import MinimaxGame
from keras_aegan.models.gan.conditional_model import ConditionalModel


@keras_aegan_export("keras_aegan.models.ConditionalGAN")
class ConditionalGAN(MinimaxGame, ConditionalModel):
    """Conditional GAN.

    Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014. The
    generator and the discriminator both receive the class label `y`
    (eq. 2):

        min_G max_D E[log D(x | y)] + E[log(1 - D(G(z | y) | y))],

    trained like the GAN of Goodfellow et al. 2014 (algorithm 1), with the
    non-saturating generator loss by default. Generated images are
    conditioned on labels drawn uniformly over the classes.

    Defaults follow section 4.1: the MLP generator (200 + 1000 ReLU units,
    joint 1200) and maxout discriminator with dropout 0.5, SGD with
    learning rate 0.1 decayed exponentially by a factor 1.00004 per step
    and momentum 0.5 (the paper raises it to 0.7 during training; Keras
    SGD keeps it fixed). `networks.conditional_generator` and
    `networks.conditional_discriminator` give convolutional networks.

    Args:
        generator: keras.Model or None. Maps `[z, labels]` to images in
            [-1, 1]. Defaults to `networks.conditional_mlp_generator`.
        discriminator: keras.Model or None. Maps `[images, labels]` to one
            logit per image. Defaults to
            `networks.conditional_maxout_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
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
        seed: int or None. Seed of the latent noise and sampled labels.
            Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.ConditionalGAN(num_classes=10, seed=0)
    gan.compile()
    gan.fit(images_in_minus1_1, labels, epochs=1, batch_size=100)
    sevens = gan.generate(16, labels=7, seed=1)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        num_classes=10,
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
            num_classes=num_classes,
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
        return networks.conditional_mlp_generator(
            self.latent_dim, self.num_classes, self.image_shape
        )

    def build_discriminator(self):
        return networks.conditional_maxout_discriminator(
            self.image_shape, self.num_classes
        )

    def default_optimizers(self):
        def sgd():
            schedule = keras.optimizers.schedules.ExponentialDecay(
                0.1, decay_steps=1, decay_rate=1.0 / 1.00004
            )
            return keras.optimizers.SGD(schedule, momentum=0.5)

        return {
            "discriminator_optimizer": sgd(),
            "generator_optimizer": sgd(),
        }

    def discriminate(self, images, labels=None, training=True):
        if self.augment is not None and training:
            images = self.augment(images, training=True)
        return images, self.discriminator([images, labels], training=training)

    def get_config(self):
        config = super().get_config()
        config["generator_loss_type"] = self.generator_loss_type
        return config
