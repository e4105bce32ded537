"""Auxiliary classifier GAN (Odena et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.conditional_model import ConditionalModel


@keras_aegan_export("keras_aegan.models.ACGAN")
class ACGAN(ConditionalModel):
    """GAN with an auxiliary classifier (AC-GAN).

    Odena, Olah & Shlens, "Conditional Image Synthesis with Auxiliary
    Classifier GANs", ICML 2017. The generator gets `(z, c)`; the
    discriminator sees images only and predicts both the source `S` and
    the class `C` (section 3). With the log-likelihoods of the correct
    source and class (eq. 2, 3),

        L_S = E[log P(S=real | X_real)] + E[log P(S=fake | X_fake)]
        L_C = E[log P(C=c | X_real)] + E[log P(C=c | X_fake)],

    the discriminator maximizes `L_S + L_C` and the generator `L_C - L_S`,
    here with the non-saturating form of `-L_S` for the generator. Logs
    include `class_accuracy`, the auxiliary classifier's accuracy on real
    images.

    Defaults follow the appendix (table 2): Adam with learning rate 2e-4,
    `beta_1 = 0.5`, `beta_2 = 0.999`; a DCGAN-style generator fed `z` and
    the class code (100 + `num_classes` inputs) and a discriminator with
    LeakyReLU(0.2) and dropout 0.5.

    Args:
        generator: keras.Model or None. Maps `[z, labels]` to images in
            [-1, 1]. Defaults to `networks.conditional_generator`.
        discriminator: keras.Model or None. Maps images to
            `[source_logits, class_logits]`. Defaults to
            `networks.acgan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. Discriminator updates per generator
            update. Defaults to 1.
        class_weight: float. Weight of the classification terms in both
            losses. Defaults to 1.0.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise and sampled labels.
            Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.ACGAN(num_classes=10, seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5)
    gan.fit(images_in_minus1_1, labels, epochs=1, batch_size=100)
    sevens = gan.generate(16, labels=7, seed=1)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy", "class_accuracy")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        num_classes=10,
        latent_dim=100,
        discriminator_steps=1,
        class_weight=1.0,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        self.class_weight = float(class_weight)
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
        return networks.conditional_generator(
            self.latent_dim, self.num_classes, self.image_shape
        )

    def build_discriminator(self):
        return networks.acgan_discriminator(self.image_shape, self.num_classes)

    def default_optimizers(self):
        def adam():
            return keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)

        return {
            "discriminator_optimizer": adam(),
            "generator_optimizer": adam(),
        }

    def discriminator_objective(self, real, fake):
        real_source, real_classes = real.outputs
        fake_source, fake_classes = fake.outputs
        source_loss = losses.minimax_discriminator_loss(
            real_source, fake_source
        )
        class_loss = losses.class_cross_entropy(
            real.labels, real_classes
        ) + losses.class_cross_entropy(fake.labels, fake_classes)
        d_loss = source_loss + self.class_weight * class_loss
        predicted = ops.cast(ops.argmax(real_classes, axis=-1), "int32")
        class_accuracy = ops.mean(
            ops.cast(ops.equal(predicted, real.labels), "float32")
        )
        return d_loss, {
            "d_loss": d_loss,
            "d_accuracy": losses.discriminator_accuracy(
                real_source, fake_source
            ),
            "class_accuracy": class_accuracy,
        }

    def generator_objective(self, fake):
        fake_source, fake_classes = fake.outputs
        g_loss = losses.non_saturating_generator_loss(
            fake_source
        ) + self.class_weight * losses.class_cross_entropy(
            fake.labels, fake_classes
        )
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        config["class_weight"] = self.class_weight
        return config
