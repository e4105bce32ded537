"""Wasserstein GAN with weight clipping (Arjovsky et al. 2017)."""

import keras
from keras import ops

from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.gan.wasserstein_model import WassersteinModel


@keras_aegan_export("keras_aegan.models.WGAN")
class WGAN(WassersteinModel):
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
        seed: int or None. Seed of the latent noise. Defaults to `None`.

    Example:
    ```python
    gan = keras_aegan.models.WGAN(seed=0)
    gan.compile()  # RMSprop(5e-5) for the critic and the generator
    # Minibatches of m = 64 for each of the 5 critic updates of a step.
    gan.fit(images_in_minus1_1, epochs=1, batch_size=5 * 64)
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
