"""Adversarial autoencoder (Makhzani et al. 2015)."""

import math

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.generative_model import PriorSampling
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.training import Update

PRIORS = ("gaussian", "mixture")


@keras_aegan_export("keras_aegan.models.AdversarialAutoencoder")
class AdversarialAutoencoder(PriorSampling, GenerativeModel):
    """Adversarial autoencoder with a deterministic encoder.

    Makhzani, Shlens, Jaitly, Goodfellow & Frey, "Adversarial
    Autoencoders", 2015 (ICLR 2016 workshop). An autoencoder whose
    aggregated posterior `q(z) = E_x[q(z | x)]` is matched to a prior
    `p(z)` by a GAN on the code (eq. 1, section 2): each training step runs
    the paper's three phases, as three updates with separate optimizers:

    1. reconstruction: encoder and decoder minimize the reconstruction
       loss (Bernoulli negative log-likelihood, in nats);
    2. regularization, discriminator: `D` separates prior samples
       `z ~ p(z)` from codes `q(x)`,
       `-E[log D(z)] - E[log(1 - D(q(x)))]`;
    3. regularization, generator: the encoder fools `D` with the
       non-saturating loss `-E[log D(q(x))]`.

    The prior is a standard Gaussian or a mixture of Gaussians (section
    2.1, figure 4): `num_components` Gaussians with standard deviation
    `prior_std` and means evenly spaced on a circle of radius
    `prior_radius` in the first two code dimensions. `generate()` decodes
    prior samples.

    Args:
        encoder: keras.Model or None. Maps images to codes
            `(batch, latent_dim)`. Defaults to `networks.dense_encoder`
            with two hidden layers of 512 units.
        decoder: keras.Model or None. Maps codes to Bernoulli logits.
            Defaults to `networks.dense_decoder`, mirrored.
        discriminator: keras.Model or None. Maps codes to one logit.
            Defaults to `code_discriminator`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of the code. Defaults to 8.
        prior: str. `"gaussian"` or `"mixture"`. Defaults to `"gaussian"`.
        num_components: int. Components of the mixture prior. Defaults to
            10.
        prior_radius: float. Radius of the mixture's means. Defaults to
            4.0.
        prior_std: float. Standard deviation of each mixture component.
            Defaults to 0.5.
        seed: int or None. Seed of the prior samples. Defaults to `None`.

    Example:
    ```python
    aae = keras_aegan.models.AdversarialAutoencoder(
        latent_dim=2, prior="mixture", seed=0
    )
    aae.compile()  # three Adam optimizers
    aae.fit(images_in_0_1, epochs=5, batch_size=128)
    samples = aae.generate(16, seed=1)
    ```
    """

    log_names = ("reconstruction_loss", "d_loss", "g_loss", "d_accuracy")

    def __init__(
        self,
        encoder=None,
        decoder=None,
        discriminator=None,
        image_shape=(28, 28, 1),
        latent_dim=8,
        prior="gaussian",
        num_components=10,
        prior_radius=4.0,
        prior_std=0.5,
        seed=None,
        **kwargs,
    ):
        if prior not in PRIORS:
            raise ValueError(
                f"Expected prior in {PRIORS}. Received prior={prior!r}."
            )
        if prior == "mixture" and int(latent_dim) < 2:
            raise ValueError(
                "The mixture prior places its means in the first two code "
                f"dimensions: it needs latent_dim >= 2. Received {latent_dim}."
            )
        super().__init__(
            image_shape=image_shape, pixel_range=(0.0, 1.0), seed=seed, **kwargs
        )
        self.latent_dim = int(latent_dim)
        self.prior = prior
        self.num_components = int(num_components)
        self.prior_radius = float(prior_radius)
        self.prior_std = float(prior_std)
        self.encoder = encoder or ae_networks.dense_encoder(
            self.image_shape, self.latent_dim, hidden_units=(512, 512)
        )
        self.decoder = decoder or ae_networks.dense_decoder(
            self.latent_dim, self.image_shape, hidden_units=(512, 512)
        )
        self.discriminator = discriminator or networks.code_discriminator(
            self.latent_dim
        )
        self.built = True

    def default_optimizers(self):
        return {
            "autoencoder_optimizer": keras.optimizers.Adam(1e-3),
            "discriminator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
            "generator_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5),
        }

    def _autoencoder_variables(self):
        return (
            self.encoder.trainable_variables + self.decoder.trainable_variables
        )

    def optimizer_targets(self):
        return {
            "autoencoder_optimizer": self._autoencoder_variables(),
            "discriminator_optimizer": self.discriminator.trainable_variables,
            "generator_optimizer": self.encoder.trainable_variables,
        }

    def train_updates(self):
        return [
            Update(
                "autoencoder_optimizer",
                self._autoencoder_variables(),
                self.reconstruction_loss,
            ),
            Update(
                "discriminator_optimizer",
                self.discriminator.trainable_variables,
                self.discriminator_loss,
            ),
            Update(
                "generator_optimizer",
                self.encoder.trainable_variables,
                self.generator_loss,
            ),
        ]

    # -- Prior -------------------------------------------------------------

    def component_means(self):
        """The `(num_components, latent_dim)` means of the mixture prior."""
        angles = [
            2.0 * math.pi * k / self.num_components
            for k in range(self.num_components)
        ]
        rows = [
            [self.prior_radius * math.cos(a), self.prior_radius * math.sin(a)]
            + [0.0] * (self.latent_dim - 2)
            for a in angles
        ]
        return ops.convert_to_tensor(rows, dtype="float32")

    def sample_prior(self, batch_size, seed=None):
        """Draws `batch_size` codes from the prior `p(z)`.

        Args:
            batch_size: int. Number of codes.
            seed: int or None. The same seed gives the same codes.
        """
        shape = (batch_size, self.latent_dim)
        if self.prior == "gaussian":
            return self.latent_noise(shape, seed=seed)
        # Two different draws from one integer seed.
        noise_seed = None if seed is None else seed + 1
        u = self.uniform_noise((batch_size,), seed=seed)
        component = ops.minimum(
            ops.cast(u * self.num_components, "int32"),
            self.num_components - 1,
        )
        means = ops.take(self.component_means(), component, axis=0)
        noise = self.latent_noise(shape, seed=noise_seed)
        return means + self.prior_std * noise

    # -- Encoding and decoding ---------------------------------------------

    def _encode(self, images, training=False):
        """The codes `q(x)` of the deterministic encoder."""
        return self.encoder(images, training=training)

    def _decode(self, z, training=False):
        """Maps codes to images in [0, 1]."""
        return ops.sigmoid(self.decoder(z, training=training))

    def call(self, images, training=False):
        return self._decode(self._encode(images, training), training)

    def reconstruction_error(self, images):
        """Per-example Bernoulli negative log-likelihood, in nats."""
        images = ops.convert_to_tensor(images, dtype=self.compute_dtype)
        return losses.bernoulli_negative_log_likelihood(
            images, self.decoder(self._encode(images))
        )

    # -- The three phases --------------------------------------------------

    def reconstruction_loss(self, images, labels=None):
        """Phase 1: reconstruction of the autoencoder."""
        outputs = self.decoder(
            self._encode(images, training=True), training=True
        )
        loss = ops.mean(
            losses.bernoulli_negative_log_likelihood(images, outputs)
        )
        return loss, {"reconstruction_loss": loss}

    def discriminator_loss(self, images, labels=None):
        """Phase 2: the discriminator separates `p(z)` from `q(z)`."""
        batch_size = ops.shape(images)[0]
        codes = ops.stop_gradient(self._encode(images, training=True))
        prior = self.sample_prior(batch_size)
        real_logits = self.discriminator(prior, training=True)
        fake_logits = self.discriminator(codes, training=True)
        d_loss = losses.minimax_discriminator_loss(real_logits, fake_logits)
        accuracy = 0.5 * (
            ops.mean(ops.cast(real_logits > 0, "float32"))
            + ops.mean(ops.cast(fake_logits < 0, "float32"))
        )
        return d_loss, {"d_loss": d_loss, "d_accuracy": accuracy}

    def generator_loss(self, images, labels=None):
        """Phase 3: the encoder, as generator, fools the discriminator."""
        fake_logits = self.discriminator(
            self._encode(images, training=True), training=True
        )
        g_loss = losses.non_saturating_generator_loss(fake_logits)
        return g_loss, {"g_loss": g_loss}

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "latent_dim": self.latent_dim,
                "prior": self.prior,
                "num_components": self.num_components,
                "prior_radius": self.prior_radius,
                "prior_std": self.prior_std,
            }
        )
        return config
