"""Variational autoencoder (Kingma & Welling 2014; Higgins et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan import networks
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.generative_model import PriorSampling
from keras_aegan.training import Update

LIKELIHOODS = ("bernoulli", "gaussian")


@keras_aegan_export("keras_aegan.models.VAE")
class VAE(PriorSampling, GenerativeModel):
    """Variational autoencoder with a diagonal Gaussian posterior.

    Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014. The
    model maximizes the evidence lower bound (eq. 3, estimated as in
    eq. 10 with one sample per example)

        ELBO(x) = E_q(z|x)[log p(x|z)] - beta * KL(q(z|x) || N(0, I)),

    with the reparameterization `z = mu + sigma * eps`, `eps ~ N(0, I)`
    (section 2.4) and the closed-form KL of appendix B. `beta > 1` gives the
    beta-VAE of Higgins et al., ICLR 2017 (eq. 4). The loss is the negative
    ELBO per example, in nats: `loss = reconstruction_loss + beta * kl_loss`.

    Args:
        encoder: keras.Model or None. Maps images to `[z_mean, z_log_var]`.
            Defaults to `networks.conv_encoder`.
        decoder: keras.Model or None. Maps `z` to Bernoulli logits or
            Gaussian means, shaped like the images. Defaults to
            `networks.conv_decoder`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`, used to build the default networks
            and to sample. Defaults to 16.
        beta: float. Weight of the KL term. Defaults to 1.0.
        likelihood: str. `"bernoulli"` (images in [0, 1]) or `"gaussian"`
            with a fixed scale. Defaults to `"bernoulli"`.
        gaussian_scale: float. Standard deviation of the Gaussian decoder.
            Defaults to 0.1.
        seed: int or None. Seed of the sampling noise. Defaults to `None`.

    Example:
    ```python
    vae = keras_aegan.models.VAE(latent_dim=16, seed=0)
    vae.compile()  # Adam(1e-3)
    vae.fit(images_in_0_1, epochs=1, batch_size=128)
    samples = vae.generate(16, seed=1)
    ```
    """

    log_names = ("loss", "reconstruction_loss", "kl_loss")

    def __init__(
        self,
        encoder=None,
        decoder=None,
        image_shape=(28, 28, 1),
        latent_dim=16,
        beta=1.0,
        likelihood="bernoulli",
        gaussian_scale=0.1,
        seed=None,
        **kwargs,
    ):
        if likelihood not in LIKELIHOODS:
            raise ValueError(
                f"Expected likelihood in {LIKELIHOODS}. Received "
                f"likelihood={likelihood!r}."
            )
        if beta < 0:
            raise ValueError(f"Expected beta >= 0. Received beta={beta}.")
        super().__init__(
            image_shape=image_shape, pixel_range=(0.0, 1.0), seed=seed, **kwargs
        )
        self.latent_dim = int(latent_dim)
        self.beta = float(beta)
        self.likelihood = likelihood
        self.gaussian_scale = float(gaussian_scale)
        self.encoder = encoder or networks.conv_encoder(
            self.image_shape, self.latent_dim
        )
        self.decoder = decoder or networks.conv_decoder(
            self.latent_dim, self.image_shape
        )
        self.built = True

    def default_optimizers(self):
        return {"optimizer": keras.optimizers.Adam(1e-3)}

    def optimizer_targets(self):
        return {"optimizer": self.trainable_variables}

    def train_updates(self):
        return [Update("optimizer", self.trainable_variables, self.elbo_terms)]

    def _encode(self, images, training=False):
        """Returns `(z_mean, z_log_var)` of `q(z | x)`."""
        z_mean, z_log_var = self.encoder(images, training=training)
        return z_mean, z_log_var

    def sample_posterior(self, z_mean, z_log_var, seed=None):
        """Draws `z = mu + exp(log_var / 2) * eps` (Kingma & Welling, 2.4)."""
        # In the noise's precision (float32 under mixed precision, where
        # exp(log_var / 2) would soon overflow float16).
        eps = self.latent_noise(ops.shape(z_mean), seed=seed)
        z_mean = ops.cast(z_mean, eps.dtype)
        z_log_var = ops.cast(z_log_var, eps.dtype)
        return z_mean + ops.exp(0.5 * z_log_var) * eps

    def _decode(self, z, training=False):
        """Maps codes to images: Bernoulli means or Gaussian means."""
        outputs = self.decoder(z, training=training)
        if self.likelihood == "bernoulli":
            return ops.sigmoid(outputs)
        return outputs

    def sample_prior(self, num_samples, seed=None):
        """Draws `num_samples` codes from the prior `N(0, I)`."""
        return self.latent_noise((num_samples, self.latent_dim), seed=seed)

    def call(self, images, training=False):
        z_mean, _ = self._encode(images, training=training)
        return self._decode(z_mean, training=training)

    def negative_log_likelihood(self, images, decoder_outputs):
        """`-log p(x | z)` per example, in nats."""
        if self.likelihood == "bernoulli":
            return losses.bernoulli_negative_log_likelihood(
                images, decoder_outputs
            )
        return losses.gaussian_negative_log_likelihood(
            images, decoder_outputs, self.gaussian_scale
        )

    def elbo_terms(self, images, labels=None):
        """The negative ELBO and its two terms, averaged over the batch."""
        z_mean, z_log_var = self._encode(images, training=True)
        z = self.sample_posterior(z_mean, z_log_var)
        outputs = self.decoder(z, training=True)
        reconstruction = ops.mean(self.negative_log_likelihood(images, outputs))
        kl = ops.mean(losses.gaussian_kl_divergence(z_mean, z_log_var))
        loss = reconstruction + self.beta * kl
        return loss, {
            "loss": loss,
            "reconstruction_loss": reconstruction,
            "kl_loss": kl,
        }

    def _log_weights(self, images, num_samples, seed, samples_per_call):
        """`log p(x | z_i)` and `log p(z_i) - log q(z_i | x)` for
        `num_samples` draws `z_i ~ q(z | x)`, each `(num_samples, batch)`."""
        images = ops.convert_to_tensor(images, dtype=self.compute_dtype)
        if num_samples < 1:
            raise ValueError(
                f"Expected num_samples >= 1. Received {num_samples}."
            )
        # An integer seed seeds a local stream, so that the chunks below
        # draw different noise yet the whole estimate is reproducible.
        if seed is not None and not isinstance(
            seed, keras.random.SeedGenerator
        ):
            seed = keras.random.SeedGenerator(seed)
        z_mean, z_log_var = self._encode(images)
        batch_size = ops.shape(images)[0]
        chunks, prior_chunks = [], []
        done = 0
        while done < num_samples:
            k = min(samples_per_call, num_samples - done)
            eps = self.latent_noise((k, batch_size, self.latent_dim), seed)
            z = z_mean[None] + ops.exp(0.5 * z_log_var)[None] * eps
            flat_z = ops.reshape(z, (k * batch_size, self.latent_dim))
            outputs = self.decoder(flat_z, training=False)
            tiled = ops.reshape(
                ops.broadcast_to(images[None], (k, *ops.shape(images))),
                (k * batch_size, *self.image_shape),
            )
            log_px_z = -ops.reshape(
                self.negative_log_likelihood(tiled, outputs), (k, batch_size)
            )
            log_pz = losses.diagonal_gaussian_log_density(
                z, ops.zeros_like(z), ops.zeros_like(z)
            )
            log_qz_x = losses.diagonal_gaussian_log_density(
                z, z_mean[None], z_log_var[None]
            )
            chunks.append(log_px_z)
            prior_chunks.append(log_pz - log_qz_x)
            done += k
        return (
            ops.concatenate(chunks, axis=0),
            ops.concatenate(prior_chunks, axis=0),
        )

    def log_likelihood(
        self, images, num_samples=64, seed=None, samples_per_call=16
    ):
        """Importance-sampled estimate of `log p(x)`, per example, in nats.

        Burda, Grosse & Salakhutdinov, "Importance Weighted Autoencoders",
        ICLR 2016, eq. 8: with `z_1..z_k ~ q(z | x)`,

            L_k(x) = log (1/k) sum_i p(x, z_i) / q(z_i | x),

        computed with `logsumexp`. `L_1` is the ELBO; `L_k` increases with
        `k` towards `log p(x)` (Burda et al., theorem 1), and `k = 5000` is
        the paper's test-set estimate.

        Args:
            images: tensor. A batch of images in [0, 1].
            num_samples: int. The number `k` of importance samples.
                Defaults to 64.
            seed: int or None. The same seed gives the same estimate; with
                None, the model's seed generator advances. Defaults to
                `None`.
            samples_per_call: int. Samples decoded per decoder call, to
                bound memory. Defaults to 16.

        Returns:
            A tensor of shape `(batch,)`.
        """
        log_px_z, log_ratio = self._log_weights(
            images, num_samples, seed, samples_per_call
        )
        log_w = log_px_z + log_ratio
        return ops.logsumexp(log_w, axis=0) - ops.log(float(num_samples))

    def negative_elbo(self, images, num_samples=1, seed=None):
        """Negative ELBO (Kingma & Welling 2014, eq. 10), per example, in
        nats: the reconstruction term averaged over `num_samples` posterior
        draws plus the closed-form KL (appendix B), with weight 1 whatever
        `beta`. Used as the VAE's anomaly score.

        Args:
            images: tensor. A batch of images in [0, 1].
            num_samples: int. Posterior draws. Defaults to 1.
            seed: int or None. Seed of the draws. Defaults to `None`.

        Returns:
            A tensor of shape `(batch,)`.
        """
        log_px_z, _ = self._log_weights(images, num_samples, seed, 16)
        z_mean, z_log_var = self._encode(images)
        kl = losses.gaussian_kl_divergence(z_mean, z_log_var)
        return -ops.mean(log_px_z, axis=0) + kl

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "latent_dim": self.latent_dim,
                "beta": self.beta,
                "likelihood": self.likelihood,
                "gaussian_scale": self.gaussian_scale,
            }
        )
        return config
