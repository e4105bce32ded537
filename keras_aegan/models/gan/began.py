"""Boundary equilibrium GAN (Berthelot et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.adversarial_model import AdversarialModel
from keras_aegan.models.gan.adversarial_model import AdversarialSide


@keras_aegan_export("keras_aegan.models.BEGAN")
class BEGAN(AdversarialModel):
    """Boundary equilibrium GAN.

    Berthelot, Schumm & Metz, "BEGAN: Boundary Equilibrium Generative
    Adversarial Networks", 2017. The discriminator is an autoencoder and
    `L(v) = |v - D(v)|` its L1 reconstruction loss (eq. 1). With
    `k_0 = 0` and (eq. 4)

        L_D = L(x) - k_t L(G(z_D))
        L_G = L(G(z_G))
        k_{t+1} = k_t + lambda_k (gamma L(x) - L(G(z)))

    `k_t` (kept in [0, 1]) is a proportional controller that holds the
    equilibrium `E[L(G(z))] = gamma E[L(x)]`, where `gamma` is the
    diversity ratio. `k_t` is a non-trainable variable updated inside the
    discriminator's step from that step's losses, and the convergence
    measure `M_global = L(x) + |gamma L(x) - L(G(z))|` (section 3.4.1) is
    logged as `m_global`.

    Defaults follow the paper: `gamma = 0.5` (one of the values of
    figure 2, and the reference implementation's default),
    `lambda_k = 0.001`, `k_0 = 0`, `z ~ U[-1, 1]` with `N_z = N_h = 64`,
    ELU networks with `n = 64` filters (figure 1), and Adam with learning
    rate 1e-4 (section 4.1; the paper halves it when `M_global` stalls,
    which a `keras.callbacks.ReduceLROnPlateau` on it does; the paper does
    not give Adam's betas, so Keras's defaults are used).

    Args:
        generator: keras.Model or None. Maps `z` to images in [-1, 1].
            Defaults to `networks.began_decoder`.
        discriminator: keras.Model or None. An autoencoder: maps images to
            their reconstructions. Defaults to
            `networks.began_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. `N_z`, also the default embedding size `N_h`.
            Defaults to 64.
        gamma: float. Diversity ratio in (0, 1]. Defaults to 0.5.
        lambda_k: float. Learning rate of `k_t`. Defaults to 0.001.
        k_initial: float. `k_0`, in [0, 1]. Defaults to 0.0.
        augment: keras layer or None. See `AdversarialModel`. Defaults to
            `None`.
        ema_decay: float or None. See `AdversarialModel`. Defaults to
            `None`.
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.BEGAN(seed=0)
    gan.compile()  # Adam(1e-4) for both networks
    gan.fit(images_in_minus1_1, epochs=1, batch_size=16)
    ```
    """

    log_names = ("d_loss", "g_loss", "k_t", "m_global")

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=64,
        gamma=0.5,
        lambda_k=0.001,
        k_initial=0.0,
        augment=None,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if not 0.0 < float(gamma) <= 1.0:
            raise ValueError(f"Expected gamma in (0, 1]. Received {gamma}.")
        if not 0.0 <= float(k_initial) <= 1.0:
            raise ValueError(
                f"Expected k_initial in [0, 1]. Received {k_initial}."
            )
        if float(lambda_k) < 0:
            raise ValueError(f"Expected lambda_k >= 0. Received {lambda_k}.")
        self.gamma = float(gamma)
        self.lambda_k = float(lambda_k)
        self.k_initial = float(k_initial)
        kwargs.pop("discriminator_steps", None)
        super().__init__(
            generator=generator,
            discriminator=discriminator,
            image_shape=image_shape,
            latent_dim=latent_dim,
            discriminator_steps=1,
            augment=augment,
            ema_decay=ema_decay,
            seed=seed,
            **kwargs,
        )
        self.k_t = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.k_initial),
            trainable=False,
            aggregation="mean",
            name="k_t",
        )

    def build_generator(self):
        return networks.began_decoder(self.latent_dim, self.image_shape)

    def build_discriminator(self):
        return networks.began_discriminator(
            self.image_shape, hidden_dim=self.latent_dim
        )

    def default_optimizers(self):
        return {
            "discriminator_optimizer": keras.optimizers.Adam(1e-4),
            "generator_optimizer": keras.optimizers.Adam(1e-4),
        }

    def sample_latent(self, batch_size, seed=None):
        """Draws a batch of `z ~ U[-1, 1]` (section 3.3)."""
        u = self.uniform_noise((batch_size, self.latent_dim), seed=seed)
        return 2.0 * u - 1.0

    def reconstruction_loss(self, side):
        """Batch mean of `L(v) = |v - D(v)|` for one side."""
        return ops.mean(
            losses.per_example_mean_absolute_error(side.images, side.outputs)
        )

    def _discriminator_terms(self, images, labels, update_k):
        real, fake = self._sides(images, labels)
        real_loss = self.reconstruction_loss(real)
        fake_loss = self.reconstruction_loss(fake)
        # A copy: on PyTorch the assignment below is in place, and the
        # product needs the value of k_t it was computed with.
        k_t = ops.copy(ops.convert_to_tensor(self.k_t))
        d_loss = real_loss - k_t * fake_loss
        balance = self.gamma * real_loss - fake_loss
        new_k = ops.clip(k_t + self.lambda_k * balance, 0.0, 1.0)
        new_k = ops.stop_gradient(new_k)
        if update_k:
            self.k_t.assign(new_k)
        m_global = ops.stop_gradient(real_loss + ops.abs(balance))
        logs = {"d_loss": d_loss, "k_t": new_k, "m_global": m_global}
        return d_loss, logs

    def _sides(self, images, labels):
        batch_size = ops.shape(images)[0]
        fake, _ = self.generate_batch(batch_size)
        real_seen, real_out = self.discriminate(images)
        fake_seen, fake_out = self.discriminate(fake)
        return (
            AdversarialSide(real_seen, labels, real_out),
            AdversarialSide(fake_seen, None, fake_out),
        )

    def discriminator_loss(self, images, labels=None):
        return self._discriminator_terms(images, labels, update_k=True)

    def generator_objective(self, fake):
        g_loss = self.reconstruction_loss(fake)
        return g_loss, {"g_loss": g_loss}

    def evaluation_logs(self, x, y):
        # Evaluation reports the losses without moving k_t.
        _, logs = self._discriminator_terms(x, y, update_k=False)
        _, g_logs = self.generator_loss(x, y)
        logs.update(g_logs)
        return logs

    def get_config(self):
        config = super().get_config()
        del config["discriminator_steps"]
        config.update(
            {
                "gamma": self.gamma,
                "lambda_k": self.lambda_k,
                "k_initial": self.k_initial,
            }
        )
        return config
