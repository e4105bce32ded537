"""Vector-quantized variational autoencoder (van den Oord et al. 2017)."""

import keras
from keras import ops

from keras_aegan import losses
from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.generative_model import Autoencoding
from keras_aegan.models.generative_model import GenerativeModel
from keras_aegan.networks import autoencoder as ae_networks
from keras_aegan.training import Update
from keras_aegan.training import numpy_outputs

RECONSTRUCTIONS = ("bernoulli", "squared_error")


@keras_aegan_export("keras_aegan.models.VectorQuantizer")
class VectorQuantizer(keras.layers.Layer):
    """Nearest-neighbour quantization with a straight-through gradient.

    Van den Oord, Vinyals & Kavukcuoglu, "Neural Discrete Representation
    Learning", NeurIPS 2017, section 3.1: each vector `z_e` of the last
    axis is replaced by its nearest codebook entry `e_k`,
    `k = argmin_j ||z_e - e_j||_2` (eq. 1 and 2). The output is
    `z_e + stop_gradient(e_k - z_e)`: its value is `e_k`, and the gradient
    of the decoder's loss is copied to `z_e` unchanged (the straight-through
    estimator of section 3.2).

    With `ema=True` the codebook is not trained by gradient but follows the
    exponential moving averages of appendix A.1 (eq. 6-8): for each code,
    the count `N_k` and the sum `m_k` of the vectors assigned to it decay
    with `decay`, and `e_k = m_k / N_k` (counts with Laplace smoothing).
    The averages start as if each code had been assigned itself once
    (`N_k = 1`, `m_k = e_k`), so unused codes stay where they are instead
    of collapsing. The update runs in `call(..., training=True)` as
    assignments of non-trainable variables, which every backend's training
    core carries through the step.

    `dead_code_threshold > 0` (with `ema=True`) restarts dead codes, the
    usual remedy for codebook collapse (Dhariwal et al. 2020, "Jukebox",
    section 2.2; Zeghidour et al. 2021, "SoundStream", section 3.3): after
    each moving-average step, every code whose average count `N_k` is
    below the threshold (vectors per batch) is moved onto an encoder
    output drawn at random from the batch (without replacement while the
    batch holds at least `K` vectors). As in Jukebox, a dead code is drawn
    again at every step until it holds; unlike Jukebox, which keeps the
    averages, its averages restart from the drawn vector
    (`N_k = threshold`, `m_k = threshold * z`), so a code that then wins
    vectors follows them at once.

    Args:
        num_embeddings: int. Codebook size `K`. Defaults to 64.
        embedding_dim: int. Size `D` of each code vector. Defaults to 16.
        ema: bool. Update the codebook by moving averages instead of the
            codebook loss. Defaults to `False`.
        decay: float. Decay `gamma` of the moving averages. Defaults to
            0.99.
        epsilon: float. Laplace smoothing of the counts. Defaults to 1e-5.
        dead_code_threshold: float. Restart codes whose average count per
            batch falls below this; 0 never restarts. Needs `ema=True`.
            Defaults to 0.
        seed: int or None. Seed of the codebook initializer and of the
            restarts. Defaults to `None`.
    """

    def __init__(
        self,
        num_embeddings=64,
        embedding_dim=16,
        ema=False,
        decay=0.99,
        epsilon=1e-5,
        dead_code_threshold=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not 0.0 < decay < 1.0:
            raise ValueError(f"Expected 0 < decay < 1. Received {decay}.")
        if dead_code_threshold < 0 or (dead_code_threshold and not ema):
            raise ValueError(
                "Expected dead_code_threshold >= 0, and 0 unless ema=True "
                "(restarts read the moving-average counts). Received "
                f"dead_code_threshold={dead_code_threshold}, ema={ema}."
            )
        self.dead_code_threshold = float(dead_code_threshold)
        if self.dead_code_threshold:
            self.seed_generator = keras.random.SeedGenerator(seed)
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.ema = bool(ema)
        self.decay = float(decay)
        self.epsilon = float(epsilon)
        self.seed = seed

    def build(self, input_shape=None):
        shape = (self.num_embeddings, self.embedding_dim)
        self.codebook = self.add_weight(
            shape=shape,
            initializer=keras.initializers.VarianceScaling(
                distribution="uniform", seed=self.seed
            ),
            trainable=not self.ema,
            name="codebook",
        )
        if self.ema:
            self.ema_counts = self.add_weight(
                shape=(self.num_embeddings,),
                initializer="ones",
                trainable=False,
                name="ema_counts",
            )
            self.ema_sums = self.add_weight(
                shape=shape,
                initializer="zeros",
                trainable=False,
                name="ema_sums",
            )
            # A copy: on JAX, two variables must not share one buffer.
            self.ema_sums.assign(ops.copy(self.codebook))
        self.built = True

    def nearest_codes(self, z_e):
        """Indices `argmin_k ||z_e - e_k||` over the last axis (eq. 2)."""
        flat = ops.reshape(ops.stop_gradient(z_e), (-1, self.embedding_dim))
        codebook = ops.convert_to_tensor(self.codebook)
        distances = (
            ops.sum(ops.square(flat), axis=1, keepdims=True)
            - 2.0 * ops.matmul(flat, ops.transpose(codebook))
            + ops.sum(ops.square(codebook), axis=1)[None, :]
        )
        indices = ops.argmin(distances, axis=1)
        return ops.reshape(indices, ops.shape(z_e)[:-1])

    def lookup(self, indices):
        """Codebook vectors `e_k` of integer `indices`."""
        return ops.take(self.codebook, indices, axis=0)

    def perplexity(self, indices):
        """`exp(H(p))` of the batch's code usage `p`: from 1 to `K`."""
        one_hot = ops.one_hot(ops.reshape(indices, (-1,)), self.num_embeddings)
        usage = ops.mean(one_hot, axis=0)
        entropy = -ops.sum(usage * ops.log(usage + 1e-10))
        return ops.exp(entropy)

    def update_codebook(self, z_e, indices):
        """One moving-average step of the codebook (appendix A.1)."""
        flat = ops.reshape(ops.stop_gradient(z_e), (-1, self.embedding_dim))
        one_hot = ops.one_hot(ops.reshape(indices, (-1,)), self.num_embeddings)
        one_hot = ops.cast(one_hot, flat.dtype)
        counts = ops.sum(one_hot, axis=0)
        sums = ops.matmul(ops.transpose(one_hot), flat)
        gamma = self.decay
        new_counts = gamma * self.ema_counts + (1.0 - gamma) * counts
        new_sums = gamma * self.ema_sums + (1.0 - gamma) * sums
        total = ops.sum(new_counts)
        smoothed = (
            (new_counts + self.epsilon)
            / (total + self.num_embeddings * self.epsilon)
            * total
        )
        codebook = new_sums / smoothed[:, None]
        if self.dead_code_threshold:
            threshold = self.dead_code_threshold
            dead = new_counts < threshold
            # A random order of the batch's vectors, read cyclically: no
            # vector is drawn twice unless the batch has fewer than K.
            count = ops.shape(flat)[0]
            order = ops.argsort(
                keras.random.uniform((count,), seed=self.seed_generator)
            )
            picks = ops.take(
                order, ops.mod(ops.arange(self.num_embeddings), count)
            )
            restarts = ops.take(flat, picks, axis=0)
            new_counts = ops.where(dead, threshold, new_counts)
            new_sums = ops.where(dead[:, None], threshold * restarts, new_sums)
            codebook = ops.where(dead[:, None], restarts, codebook)
        self.ema_counts.assign(new_counts)
        self.ema_sums.assign(new_sums)
        self.codebook.assign(codebook)

    def call(self, z_e, training=False):
        """Returns `(z_q, indices)`; `z_q` passes gradients straight through.

        In training with `ema=True`, also updates the codebook (after the
        quantization of this batch, which uses the codebook as it was).
        """
        indices = self.nearest_codes(z_e)
        e = self.lookup(indices)
        z_q = z_e + ops.stop_gradient(e - z_e)
        if training and self.ema:
            self.update_codebook(z_e, indices)
        return z_q, indices

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_embeddings": self.num_embeddings,
                "embedding_dim": self.embedding_dim,
                "ema": self.ema,
                "decay": self.decay,
                "epsilon": self.epsilon,
                "dead_code_threshold": self.dead_code_threshold,
                "seed": self.seed,
            }
        )
        return config


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
        if reconstruction not in RECONSTRUCTIONS:
            raise ValueError(
                f"Expected reconstruction in {RECONSTRUCTIONS}. Received "
                f"reconstruction={reconstruction!r}."
            )
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
        if self.reconstruction == "bernoulli":
            return losses.bernoulli_negative_log_likelihood(images, outputs)
        return losses.per_example_squared_error(images, outputs)

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
