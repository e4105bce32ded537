"""Spectrally normalized GAN (Miyato et al. 2018)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.adversarial_model import AdversarialModel


@keras_aegan_export("keras_aegan.models.SNGAN")
class SNGAN(AdversarialModel):
    """GAN with a spectrally normalized discriminator and the hinge loss.

    Miyato, Kataoka, Koyama & Yoshida, "Spectral Normalization for
    Generative Adversarial Networks", ICLR 2018. Every weight matrix of the
    discriminator is divided by its largest singular value, estimated by
    one power iteration per step (eq. 8, algorithm 1), which bounds the
    discriminator's Lipschitz constant. The default discriminator wraps
    its layers in `keras.layers.SpectralNormalization`; a user's
    discriminator is used as given. The loss is the hinge loss (eq. 16,
    17):

        min_D E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]
        min_G -E[D(G(z))]

    Defaults are setting C of table 1: Adam with learning rate 2e-4,
    `beta_1 = 0.5`, `beta_2 = 0.999` for both networks and `n_dis = 1`,
    with the standard CNN of table 3 (a DCGAN-style generator, `z` of
    size 128). The paper's ResNet runs use `beta_1 = 0`, `beta_2 = 0.9`
    and `n_dis = 5` instead; pass those to `compile()` and the
    constructor.

    Note: Keras's `SpectralNormalization` writes the normalized kernel
    back into the layer during training calls. On TensorFlow and PyTorch
    the stored kernel is therefore the normalized one and the gradient
    treats `sigma(W)` as a constant; in the JAX stateless step that write
    stays inside the loss, so the gradient flows through `W / sigma(W)` as
    in eq. 12 of the paper. Both normalize the forward pass of training.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.dcgan_generator`.
        discriminator: keras.Model or None. Maps images to one score per
            image. Defaults to `networks.sngan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(32, 32, 3)`.
        latent_dim: int. Size of `z`. Defaults to 128.
        discriminator_steps: int. `n_dis`. Defaults to 1.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.SNGAN(image_shape=(32, 32, 3), seed=0)
    gan.compile()  # Adam(2e-4, beta_1=0.5, beta_2=0.999)
    gan.fit(images_in_minus1_1, epochs=1, batch_size=64)
    ```
    """

    log_names = ("d_loss", "g_loss", "d_accuracy")
    # Keras's SpectralNormalization assigns the kernel at every training
    # call; on PyTorch a second call in the same loss would overwrite a
    # tensor autograd saved. One call per update, as in the paper's
    # algorithm 1 (one power iteration per update).
    joint_discriminator_call = True

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(32, 32, 3),
        latent_dim=128,
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
        return networks.sngan_discriminator(self.image_shape)

    def default_optimizers(self):
        def adam():
            return keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)

        return {
            "discriminator_optimizer": adam(),
            "generator_optimizer": adam(),
        }

    def discriminator_objective(self, real, fake):
        d_loss = losses.hinge_discriminator_loss(real.outputs, fake.outputs)
        accuracy = 0.5 * (
            ops.mean(ops.cast(real.outputs > 0, "float32"))
            + ops.mean(ops.cast(fake.outputs < 0, "float32"))
        )
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_objective(self, fake):
        g_loss = losses.hinge_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}
