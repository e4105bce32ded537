"""Wasserstein GAN with a gradient penalty (Gulrajani et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.wasserstein_model import WassersteinModel


@keras_aegan_export("keras_aegan.models.WGANGP")
class WGANGP(WassersteinModel):
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
        fresh_real_batches: bool. Each of the `n_critic` critic updates of
            a step sees its own real minibatch, as algorithm 1 draws one
            per critic iteration: rows `i, i + n_critic, ...` of the batch
            for update `i`, and the generator update draws as many noise
            vectors as one critic update sees. Batch the data with
            `n_critic * m` rows (`model.real_batches_per_step * m`) for
            minibatches of `m`. With `False`, every critic update sees the
            whole batch (the behaviour before this option). Defaults to
            `True`.
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
    # Minibatches of m = 64 for each of the 5 critic updates of a step.
    gan.fit(images_in_minus1_1, epochs=1, batch_size=5 * 64)
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
