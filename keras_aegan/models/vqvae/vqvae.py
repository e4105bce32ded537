"""Vector-quantized variational autoencoder (van den Oord et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import Autoencoding
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.models.vqvae.vector_quantizer import VectorQuantizer
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.training import Update
from keras_aegan.training import numpy_outputs


@keras_aegan_export("keras_aegan.models.VQVAE")
class VQVAE(Autoencoding, GenerativeModel):
    """Vector-quantized variational autoencoder.

    Van den Oord, Vinyals & Kavukcuoglu, "Neural Discrete Representation
    Learning", NeurIPS 2017. The encoder maps an image to a grid of vectors
    `z_e(x)`, each replaced by its nearest codebook entry (`VectorQuantizer`)
    with the straight-through gradient, and the decoder reconstructs the
    image from the quantized grid `z_q(x)`. The loss is eq. 3,

        L = -log p(x | z_q(x)) + ||sg[z_e(x)] - e||^2
            + beta * ||z_e(x) - sg[e]||^2,

    with the codebook loss (second term), the commitment loss (third term,
    `beta = 0.25` as in section 4.1) and squared norms summed over the grid
    of an example, averaged over the batch. With `ema=True` the codebook
    follows moving averages (appendix A.1, decay 0.99) and the codebook
    loss is only logged. The logs include the perplexity of the batch's
    code usage, from 1 (one code used) to `num_embeddings` (uniform use).
    Sampling needs a prior over the codes (a PixelCNN in the paper), which
    this model does not fit: it has no `generate()`.

    Args:
        encoder: keras.Model or None. Maps images to a grid
            `(batch, h, w, embedding_dim)`. Defaults to
            `networks.conv_feature_encoder`.
        decoder: keras.Model or None. Maps quantized grids to Bernoulli
            logits (or to reconstructions, for `"squared_error"`). Defaults
            to `networks.conv_feature_decoder`.
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_embeddings: int. Codebook size `K`. Defaults to 64.
        embedding_dim: int. Size `D` of the code vectors. Defaults to 16.
        commitment_cost: float. The weight `beta`. Defaults to 0.25.
        ema: bool. Moving-average codebook updates. Defaults to `False`.
        decay: float. Decay of the moving averages. Defaults to 0.99.
        dead_code_threshold: float. With `ema=True`, restart codes used by
            fewer than this many vectors per batch on average (see
            `VectorQuantizer`). Defaults to 0 (never, as in the paper).
        reconstruction: str. `"bernoulli"` (images in [0, 1]) or
            `"squared_error"`. Defaults to `"bernoulli"`.
        learning_rate: float. Learning rate of the default Adam optimizer
            (2e-4 in the paper, for larger networks). Defaults to 1e-3.
        seed: int or None. Seed of the codebook initializer. Defaults to
            `None`.

    Example:
    ```python
    vq = keras_aegan.models.VQVAE(num_embeddings=64, ema=True, seed=0)
    vq.compile()
    vq.fit(images_in_0_1, epochs=5, batch_size=128)
    codes = vq.codes(images_in_0_1[:4])  # (4, 7, 7) integers
    ```
    """

    log_names = (
        "loss",
        "reconstruction_loss",
        "codebook_loss",
        "commitment_loss",
        "perplexity",
    )

    def __init__(
        self,
        encoder=None,
        decoder=None,
        image_shape=(28, 28, 1),
        num_embeddings=64,
        embedding_dim=16,
        commitment_cost=0.25,
        ema=False,
        decay=0.99,
        dead_code_threshold=0.0,
        reconstruction="bernoulli",
        learning_rate=1e-3,
        seed=None,
        **kwargs,
    ):
        losses.check_reconstruction(reconstruction)
        super().__init__(
            image_shape=image_shape,
            pixel_range=(0.0, 1.0),
            seed=seed,
            **kwargs,
        )
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.commitment_cost = float(commitment_cost)
        self.ema = bool(ema)
        self.decay = float(decay)
        self.dead_code_threshold = float(dead_code_threshold)
        self.reconstruction = reconstruction
        self.learning_rate = float(learning_rate)
        self.encoder = encoder or ae_networks.conv_feature_encoder(
            self.image_shape, self.embedding_dim
        )
        grid_shape = tuple(self.encoder.output.shape[1:])
        self.decoder = decoder or ae_networks.conv_feature_decoder(
            grid_shape, self.image_shape
        )
        self.quantizer = VectorQuantizer(
            self.num_embeddings,
            self.embedding_dim,
            ema=self.ema,
            decay=self.decay,
            dead_code_threshold=self.dead_code_threshold,
            seed=seed,
            name="quantizer",
        )
        self.quantizer.build(self.encoder.output.shape)
        self.built = True

    def default_optimizers(self):
        return {"optimizer": keras.optimizers.Adam(self.learning_rate)}

    def optimizer_targets(self):
        return {"optimizer": self.trainable_variables}

    def train_updates(self):
        return [Update("optimizer", self.trainable_variables, self.train_loss)]

    def train_loss(self, images, labels=None):
        return self.loss_terms(images, training=True)

    def evaluation_logs(self, x, y):
        _, logs = self.loss_terms(x, training=False)
        return logs

    def _encode(self, images, training=False):
        """The encoder's continuous grid `z_e(x)`."""
        return self.encoder(images, training=training)

    def vector_quantize(self, z_e, training=False):
        """Returns `(z_q, indices)`; see `VectorQuantizer`."""
        return self.quantizer(z_e, training=training)

    def codes(self, images, batch_size=128):
        """The integer codes of `images`, shape `(batch, h, w)`; NumPy."""
        return numpy_outputs(
            lambda x: self.quantizer.nearest_codes(self._encode(x)),
            images,
            batch_size,
        )

    def _decode(self, z_q, training=False):
        """Maps a quantized grid to images."""
        outputs = self.decoder(z_q, training=training)
        if self.reconstruction == "bernoulli":
            return ops.sigmoid(outputs)
        return outputs

    def decode_codes(self, indices, batch_size=128):
        """Maps integer codes `(batch, h, w)` to images; NumPy out."""
        return numpy_outputs(
            lambda i: self._decode(self.quantizer.lookup(i)),
            indices,
            batch_size,
        )

    def call(self, images, training=False):
        z_q, _ = self.vector_quantize(self._encode(images, training), training)
        return self._decode(z_q, training)

    def reconstruction_error(self, images, outputs=None):
        """Per-example `-log p(x | z_q(x))` (or squared error)."""
        images = ops.convert_to_tensor(images, dtype=self.compute_dtype)
        if outputs is None:
            z_q, _ = self.vector_quantize(self._encode(images))
            outputs = self.decoder(z_q)
        return losses.reconstruction_error(self.reconstruction, images, outputs)

    def loss_terms(self, images, training=True):
        """The VQ-VAE loss (eq. 3) and its terms, averaged over the batch."""
        z_e = self._encode(images, training=training)
        # Quantization first: with EMA, the codebook update that it runs in
        # training does not change this batch's codes.
        z_q, indices = self.vector_quantize(z_e, training=training)
        e = self.quantizer.lookup(indices)
        outputs = self.decoder(z_q, training=training)
        reconstruction = ops.mean(self.reconstruction_error(images, outputs))
        codebook = ops.mean(
            losses.per_example_squared_error(ops.stop_gradient(z_e), e)
        )
        commitment = ops.mean(
            losses.per_example_squared_error(z_e, ops.stop_gradient(e))
        )
        loss = reconstruction + self.commitment_cost * commitment
        if not self.ema:
            loss = loss + codebook
        return loss, {
            "loss": loss,
            "reconstruction_loss": reconstruction,
            "codebook_loss": codebook,
            "commitment_loss": commitment,
            "perplexity": self.quantizer.perplexity(indices),
        }

    def get_config(self):
        config = super().get_config()
        del config["pixel_range"]
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "num_embeddings": self.num_embeddings,
                "embedding_dim": self.embedding_dim,
                "commitment_cost": self.commitment_cost,
                "ema": self.ema,
                "decay": self.decay,
                "dead_code_threshold": self.dead_code_threshold,
                "reconstruction": self.reconstruction,
                "learning_rate": self.learning_rate,
            }
        )
        return config
