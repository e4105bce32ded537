"""Wasserstein GANs: weight clipping (Arjovsky et al. 2017) and gradient
penalty (Gulrajani et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan import AdversarialModel


class _WassersteinModel(AdversarialModel):
    # The loss pair shared by WGAN and WGAN-GP: the critic minimizes
    # E[D(G(z))] - E[D(x)], the generator -E[D(G(z))].

    log_names = ("d_loss", "g_loss", "wasserstein_estimate")

    def build_generator(self):
        return networks.dcgan_generator(self.latent_dim, self.image_shape)

    def discriminator_objective(self, real, fake):
        critic_loss = losses.wasserstein_critic_loss(real.outputs, fake.outputs)
        return critic_loss, {
            "d_loss": critic_loss,
            "wasserstein_estimate": -critic_loss,
        }

    def generator_objective(self, fake):
        g_loss = losses.wasserstein_generator_loss(fake.outputs)
        return g_loss, {"g_loss": g_loss}


@keras_aegan_export("keras_aegan.models.WGAN")
class WGAN(_WassersteinModel):
    """Wasserstein GAN with weight clipping.

    Arjovsky, Chintala & Bottou, "Wasserstein Generative Adversarial
    Networks", ICML 2017. The critic `f_w` maximizes the
    Kantorovich-Rubinstein dual of the Wasserstein-1 distance (eq. 3),

        max_w E[f_w(x)] - E[f_w(G(z))],

    over a compact set of weights: after every critic update each weight
    is clipped to `[-c, c]` (algorithm 1, line 8). The generator minimizes
    `-E[f_w(G(z))]`. Defaults are those of algorithm 1: `c = 0.01`,
    `n_critic = 5`, RMSProp with learning rate 5e-5 for both networks, and
    the DCGAN networks (with batch normalization in the critic, section
    4.1). The clipping applies to every trainable weight of the critic,
    batch-normalization scales and offsets included, as in the authors'
    code. The logged `wasserstein_estimate` is `E[f(x)] - E[f(G(z))]`.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.dcgan_generator`.
        discriminator: keras.Model or None. The critic: maps images to one
            score per image. Defaults to `networks.dcgan_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 100.
        discriminator_steps: int. `n_critic`. Defaults to 5.
        clip_value: float. `c`, the clipping bound. Defaults to 0.01.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.WGAN(seed=0)
    gan.compile()  # RMSprop(5e-5) for the critic and the generator
    gan.fit(images_in_minus1_1, epochs=1, batch_size=64)
    ```
    """

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=100,
        discriminator_steps=5,
        clip_value=0.01,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if not float(clip_value) > 0:
            raise ValueError(
                f"Expected clip_value > 0. Received clip_value={clip_value}."
            )
        self.clip_value = float(clip_value)
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

    def build_discriminator(self):
        return networks.dcgan_discriminator(self.image_shape)

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.RMSprop(5e-5),
            "generator_optimizer": keras.optimizers.RMSprop(5e-5),
        }

    def after_discriminator_update(self):
        # Algorithm 1, line 8: w <- clip(w, -c, c).
        c = self.clip_value
        for w in self.discriminator.trainable_variables:
            w.assign(ops.clip(w, -c, c))

    def get_config(self):
        config = super().get_config()
        config["clip_value"] = self.clip_value
        return config


@keras_aegan_export("keras_aegan.models.WGANGP")
class WGANGP(_WassersteinModel):
    """Wasserstein GAN with gradient penalty (WGAN-GP).

    Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville, "Improved Training
    of Wasserstein GANs", NeurIPS 2017. The critic minimizes (eq. 3)

        E[D(G(z))] - E[D(x)] + lambda E[(||grad D(x_hat)||_2 - 1)^2],

    with `x_hat = eps x + (1 - eps) G(z)` and `eps ~ U[0, 1]` drawn per
    example (algorithm 1, lines 4-7), the gradient taken by double
    backpropagation (`losses.gradient_penalty`). The generator minimizes
    `-E[D(G(z))]` (line 12). Defaults are the paper's (algorithm 1):
    `lambda = 10`, `n_critic = 5`, Adam with `alpha = 1e-4`,
    `beta_1 = 0`, `beta_2 = 0.9` for both networks, and a critic without
    batch normalization (section 4), since the penalty is taken per
    example. Logs hold the `gradient_penalty` (before `lambda`) and the
    `wasserstein_estimate` `E[D(x)] - E[D(G(z))]`.

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.dcgan_generator`.
        discriminator: keras.Model or None. The critic: maps images to one
            score per image; it must not update state in its forward pass
            (no batch normalization). Defaults to
            `networks.dcgan_discriminator(batch_norm=False)`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 128.
        discriminator_steps: int. `n_critic`. Defaults to 5.
        penalty_weight: float. `lambda`. Defaults to 10.0.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent and interpolation noise.
            Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.WGANGP(seed=0)
    gan.compile()  # Adam(1e-4, beta_1=0.0, beta_2=0.9) for both networks
    gan.fit(images_in_minus1_1, epochs=1, batch_size=64)
    ```
    """

    log_names = (
        "d_loss",
        "g_loss",
        "wasserstein_estimate",
        "gradient_penalty",
    )

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=128,
        discriminator_steps=5,
        penalty_weight=10.0,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if float(penalty_weight) < 0:
            raise ValueError(
                "Expected penalty_weight >= 0. Received "
                f"penalty_weight={penalty_weight}."
            )
        self.penalty_weight = float(penalty_weight)
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

    def build_discriminator(self):
        return networks.dcgan_discriminator(self.image_shape, batch_norm=False)

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.Adam(
                1e-4, beta_1=0.0, beta_2=0.9
            ),
            "generator_optimizer": keras.optimizers.Adam(
                1e-4, beta_1=0.0, beta_2=0.9
            ),
        }

    def gradient_penalty(self, real_images, fake_images):
        """`E[(||grad D(x_hat)||_2 - 1)^2]` with `eps ~ U[0, 1]` per example.

        Args:
            real_images: tensor. Real images (as the critic sees them).
            fake_images: tensor. Generated images, same shape.

        Returns:
            A scalar tensor, before the weight `lambda`.
        """
        batch_size = ops.shape(real_images)[0]
        rank = len(real_images.shape)
        epsilon = self.uniform_noise((batch_size,) + (1,) * (rank - 1))
        epsilon = ops.cast(epsilon, real_images.dtype)

        def critic(images):
            scores = self.discriminator(images, training=True)
            return ops.reshape(scores, (-1,))

        return losses.gradient_penalty(
            critic, real_images, fake_images, epsilon
        )

    def discriminator_objective(self, real, fake):
        critic_loss, logs = super().discriminator_objective(real, fake)
        penalty = self.gradient_penalty(real.images, fake.images)
        d_loss = critic_loss + self.penalty_weight * penalty
        logs.update({"d_loss": d_loss, "gradient_penalty": penalty})
        return d_loss, logs

    def get_config(self):
        config = super().get_config()
        config["penalty_weight"] = self.penalty_weight
        return config
